import { constants } from 'node:fs';
import { copyFile, cp, lstat, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DEFAULT_MAX_LOOKASIDE_BYTES } from '../config/normalise.js';
import type { SourceConfig } from '../config/types.js';
import { SourceError, SpecNotFoundError } from './errors.js';
import { fetchLookaside } from './fetch-lookaside.js';
import { findSpec } from './find-spec.js';
import { insideDir } from './inside-dir.js';
import { findLookasideList, refuseSymlinks } from './lookaside.js';

export interface GetSourcesOptions {
  /** The package repository. */
  repo: string;
  /** source.dir, source.spec and source.lookaside from its .albs.yml, when it has one. */
  source: SourceConfig;
  /**
   * Where the tree rpmbuild reads sources from is made: the repository's source directory (SOURCES/
   * or beside the spec) copied, and every listed file beside it. Undefined: the listed files are put
   * into the repository itself, where the list says.
   */
  out?: string | undefined;
  signal?: AbortSignal | undefined;
  log: (line: string) => void;
  retryDelay?: number | undefined;
}

export interface GotSources {
  /** The directory holding the sources, ready for `rpmbuild --define "_sourcedir DIR"`. */
  sourceDir: string;
  /** Paths (relative to the package source) that were downloaded, and those already in place. */
  fetched: string[];
  present: string[];
}

/**
 * What `albs sources` does, as alma_get_sources and fedpkg sources do: every file the lookaside list
 * names, fetched by its URL template and checked against its digest. In the repository a file
 * already there with the listed digest is kept, one with another digest is never replaced (it is
 * someone's work: the error says to move it); downloads land in a temporary directory of the
 * target and are renamed into place only once checked.
 */
export async function getSources(options: GetSourcesOptions): Promise<GotSources> {
  const { repo, source, log } = options;
  const base = join(repo, source.dir ?? '');
  if (source.dir !== undefined && !insideDir(repo, base) && base !== repo) {
    throw new SpecNotFoundError(`source.dir "${source.dir}" is outside ${repo}: name a directory inside it`);
  }
  if (base !== repo) await refuseSymlinks(repo, base, 'source.dir');
  const spec = await findSpec(base, source.spec);
  const list = await findLookasideList(base, spec, source.lookaside?.metadata);
  if (list === undefined) {
    throw new SourceError(
      `${base} has no lookaside list (.${basename(spec, '.spec')}.metadata, another .*.metadata, or sources): there is nothing to fetch`,
    );
  }
  const sourceRel = basename(dirname(spec)) === 'SPECS' ? 'SOURCES' : '';
  const target = options.out ?? base;
  await mkdir(target, { recursive: true });
  // Downloads go here first, on the target's filesystem, so that each lands with a rename.
  const staging = await mkdtemp(join(target, '.albs-sources-'));
  try {
    const url = source.lookaside?.url ?? list.defaultUrl;
    log(`${list.file}: ${list.entries.length} files, from ${url}`);
    const files = await fetchLookaside({
      list,
      url,
      base,
      sourceDir: sourceRel,
      cache: staging,
      maxBytes: source.lookaside?.maxSize ?? DEFAULT_MAX_LOOKASIDE_BYTES,
      signal: options.signal,
      log,
      retryDelay: options.retryDelay,
    });
    const sourceDir = options.out ?? join(base, sourceRel);
    if (options.out !== undefined) {
      // The repository's own sources, then the listed files by name, as the farm gives rpmbuild.
      const own = join(base, sourceRel);
      for (const name of await readdir(own).catch(() => [] as string[])) {
        if (own === base && name.startsWith('.')) continue;
        await cp(join(own, name), join(options.out, name), { recursive: true, verbatimSymlinks: true });
      }
    }
    const fetched: string[] = [];
    const present: string[] = [];
    const refused: string[] = [];
    // Where each download went: a blob two lines list (one file under two names) is copied the second time.
    const placed = new Map<string, string>();
    for (const file of files) {
      const dest = options.out === undefined ? join(base, file.path) : join(options.out, basename(file.path));
      if (file.inRepository) {
        present.push(file.path);
        if (options.out !== undefined) await copyFile(file.blob, dest);
        continue;
      }
      if (options.out === undefined && (await lstat(dest).catch(() => undefined)) !== undefined) {
        refused.push(
          `${file.path} is in the repository with other content than ${list.file}:${file.entry.line} lists (${file.entry.hashType} ${file.entry.hash}); it was left as it is: move it away to get the listed file, or put its digest in ${list.file}`,
        );
        continue;
      }
      await mkdir(dirname(dest), { recursive: true });
      await rm(dest, { force: true });
      const earlier = placed.get(file.blob);
      if (earlier === undefined) await rename(file.blob, dest);
      else await copyFile(earlier, dest, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
      placed.set(file.blob, dest);
      fetched.push(file.path);
    }
    if (refused.length > 0) throw new SourceError(refused.join('\n'));
    return { sourceDir, fetched, present };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
