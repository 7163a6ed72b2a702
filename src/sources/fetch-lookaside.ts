import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { lookasideUrl } from '../config/lookaside-url.js';
import { download, type HashType } from './download.js';
import { insideDir } from './inside-dir.js';
import { type LookasideEntry, type LookasideList, listedPath, refuseSymlinks } from './lookaside.js';

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
}

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
    await cached(blob, async () => {
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
