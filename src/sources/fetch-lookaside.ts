import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { lookasideUrl } from '../config/lookaside-url.js';
import { DEFAULT_MAX_LOOKASIDE_BYTES } from '../config/normalise.js';
import type { SourceConfig } from '../config/types.js';
import { download, type HashType } from './download.js';
import { findSpec } from './find-spec.js';
import { insideDir } from './inside-dir.js';
import {
  findLookasideList,
  type LookasideEntry,
  type LookasideList,
  listedPath,
  refuseSymlinks,
} from './lookaside.js';

export interface FetchLookasideOptions {
  list: LookasideList;
  /** The URL template ({name} {filename} {hashtype} {hash}). */
  url: string;
  /** The package source: the repository, or source.dir in it. */
  base: string;
  /**
   * Paths the package may not see (OUT and key files, which `albs run` may keep inside the
   * repository): a listed file there is never read, as if the repository did not hold it.
   */
  hidden?: readonly string[] | undefined;
  /** Where rpmbuild finds sources, relative to `base`: "SOURCES" (dist-git layout) or "". */
  sourceDir: string;
  /** The host's lookaside cache: blobs live at CACHE/<hashtype>/<hash>. */
  cache: string;
  maxBytes: number;
  signal?: AbortSignal | undefined;
  log?: ((line: string) => void) | undefined;
  retries?: number | undefined;
  retryDelay?: number | undefined;
  /**
   * Gets a listed file into `blob` some other way than its lookaside URL (a farm's runner: from
   * its server), digest-checked, written whole or not at all.
   */
  fetchBlob?: FetchBlob | undefined;
}

export type FetchBlob = (entry: LookasideEntry, blob: string) => Promise<void>;

export interface LookasideFile {
  entry: LookasideEntry;
  /** Where it belongs, relative to the package source: "SOURCES/bash-5.1.tar.gz". */
  path: string;
  /** A file with the listed digest: the repository's own, or the cached download. */
  blob: string;
  /** The repository already held the file with the listed digest. */
  inRepository: boolean;
}

/** Downloads into the cache under way in this process, by blob path: a blob is fetched once at a time. */
const inFlight = new Map<string, Promise<void>>();

/**
 * Gets every file the list names: the repository's own copy when it has the listed digest, else
 * the host's cache, else a download by the URL template into the cache (checked, see download).
 * Concurrent calls for one blob share one download. Throws a SourceError naming the file, the URL
 * and the digests when a file cannot be had.
 */
export async function fetchLookaside(options: FetchLookasideOptions): Promise<LookasideFile[]> {
  const { list, base, log = () => {} } = options;
  const files: LookasideFile[] = [];
  for (const entry of list.entries) {
    const path = listedPath(entry, options.sourceDir);
    const own = join(base, path);
    await refuseSymlinks(base, own, `${list.file}:${entry.line} lists`);
    const hidden = (options.hidden ?? []).some((h) => own === h || insideDir(h, own));
    const kind = hidden ? undefined : await lstat(own).catch(() => undefined);
    if (kind?.isFile()) {
      if ((await hashFile(own, entry.hashType)) === entry.hash) {
        log(`${path}: in the repository with the listed ${entry.hashType} digest; not fetched`);
        files.push({ entry, path, blob: own, inRepository: true });
        continue;
      }
      log(
        `${path}: the repository's copy is not the one ${list.file} lists: the listed file is fetched and used`,
      );
    }
    const blob = join(options.cache, entry.hashType, entry.hash);
    const fetchBlob = options.fetchBlob;
    await cached(blob, async () => {
      if (fetchBlob) return fetchBlob(entry, blob);
      const url = lookasideUrl(options.url, list.name, entry);
      await download({
        url,
        digest: { type: entry.hashType, hex: entry.hash },
        path: blob,
        name: path,
        maxBytes: options.maxBytes,
        labels: {
          what: path,
          setting: `the lookaside URL (source.lookaside.url) for ${list.file}:${entry.line}`,
          expectedFrom: `${list.file}:${entry.line}`,
          cap: 'source.lookaside.max-size in .albs.yml',
        },
        signal: options.signal,
        log,
        retries: options.retries ?? 2,
        retryDelay: options.retryDelay,
      });
    });
    files.push({ entry, path, blob, inRepository: false });
  }
  return files;
}

/** Makes `blob` with `fetch` unless it is there, or joins a fetch of it already under way. */
async function cached(blob: string, fetch: () => Promise<void>): Promise<void> {
  for (;;) {
    const running = inFlight.get(blob);
    if (running) {
      // Its failure is its caller's to report; this caller then tries itself.
      await running.catch(() => {});
      continue;
    }
    // Registered before the first await: a second caller in this tick must find it.
    const started = (async () => {
      if ((await lstat(blob).catch(() => undefined))?.isFile()) return;
      await fetch();
    })().finally(() => inFlight.delete(blob));
    inFlight.set(blob, started);
    return started;
  }
}

/** The hex digest of a file. */
export async function hashFile(path: string, type: HashType): Promise<string> {
  const hash = createHash(type);
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/**
 * Every file a package's lookaside list names, in `cache` (fetched by the URL template when
 * missing, digest-checked): what a farm's server gives its runners, so that they need not reach
 * the lookaside themselves.
 */
export async function fetchListed(options: {
  repo: string;
  source: SourceConfig;
  cache: string;
  signal?: AbortSignal | undefined;
  log?: ((line: string) => void) | undefined;
}): Promise<LookasideFile[]> {
  const { repo, source } = options;
  const base = join(repo, source.dir ?? '');
  if (base !== repo) await refuseSymlinks(repo, base, 'source.dir');
  const spec = await findSpec(base, source.spec);
  const list = await findLookasideList(base, spec, source.lookaside?.metadata);
  if (list === undefined) return [];
  return fetchLookaside({
    list,
    url: source.lookaside?.url ?? list.defaultUrl,
    base,
    sourceDir: basename(dirname(spec)) === 'SPECS' ? 'SOURCES' : '',
    cache: options.cache,
    maxBytes: source.lookaside?.maxSize ?? DEFAULT_MAX_LOOKASIDE_BYTES,
    signal: options.signal,
    log: options.log,
  });
}
