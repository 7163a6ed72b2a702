import { lstat, readdir, readFile } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { ALMALINUX_LOOKASIDE, FEDORA_LOOKASIDE } from '../config/lookaside-url.js';
import type { HashType } from './download.js';
import { SourceError } from './errors.js';
import { insideDir } from './inside-dir.js';

/**
 * Lookaside sources: the tarballs a distribution's package repository names by digest instead of
 * holding them. Two forms of the list are in use:
 * - `.NAME.metadata` (AlmaLinux, CentOS git): lines `HEX PATH`, PATH relative to the repository
 *   (`SOURCES/bash-5.1.tar.gz`); SHA-1 on el8 branches, SHA-256 on el9 and later; the hash type is
 *   told by the length of the hex.
 * - `sources` (Fedora, CentOS Stream): lines `SHA512 (FILE) = HEX`, or the older `HEX  FILE` (MD5).
 * A bare file name goes where rpmbuild looks for sources (SOURCES/ in the dist-git layout, beside the
 * spec otherwise); a path with a `/` is relative to the package source.
 */
export interface LookasideEntry {
  /** As the list writes it: `SOURCES/bash-5.1.tar.gz` or `bash-5.2.tar.gz`. */
  path: string;
  hashType: HashType;
  /** Lower-case hex. */
  hash: string;
  /** 1-based line in the list, for messages. */
  line: number;
}

export interface LookasideList {
  /** The list file, relative to the package source (`.bash.metadata`, `sources`). */
  file: string;
  /** The package name the URL's {name} stands for. */
  name: string;
  entries: LookasideEntry[];
  /** The URL template used when source.lookaside.url is not given. */
  defaultUrl: string;
}

/** The most a list may weigh: it is a few lines of text. */
const MAX_LIST_BYTES = 1024 * 1024;
/** The most files a list may name. */
const MAX_ENTRIES = 1000;

const BY_LENGTH: Record<number, HashType> = {
  32: 'md5',
  40: 'sha1',
  56: 'sha224',
  64: 'sha256',
  96: 'sha384',
  128: 'sha512',
};

/**
 * Parses a list in either form. Every line is checked: a path that leaves the package source or
 * enters .git, a hash type albs cannot check, a hex of the wrong length, two lines for one file.
 */
export function parseLookasideList(text: string, file: string): LookasideEntry[] {
  const entries: LookasideEntry[] = [];
  const seen = new Map<string, number>();
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.replace(/\r$/, '');
    const at = `${file}:${i + 1}`;
    if (line.trim() === '') continue;
    let entry: LookasideEntry;
    const named = /^([A-Za-z0-9]+) \((.+)\) = ([0-9A-Fa-f]+)$/.exec(line);
    const plain = /^([0-9A-Fa-f]+)[ \t]+(.+)$/.exec(line);
    if (named) {
      const [, type = '', path = '', hex = ''] = named;
      const hashType = type.toLowerCase() as HashType;
      if (BY_LENGTH[hex.length] !== hashType) {
        throw new SourceError(
          BY_LENGTH[hex.length] === undefined && !Object.values(BY_LENGTH).includes(hashType)
            ? `${at}: the hash type ${type} is not one albs can check (MD5, SHA1, SHA224, SHA256, SHA384, SHA512): fix the line`
            : `${at}: a ${type} digest has ${hexLength(hashType)} hex digits, this one ${hex.length}: fix the line`,
        );
      }
      entry = { path, hashType, hash: hex.toLowerCase(), line: i + 1 };
    } else if (plain) {
      const [, hex = '', path = ''] = plain;
      const hashType = BY_LENGTH[hex.length];
      if (hashType === undefined) {
        throw new SourceError(
          `${at}: "${hex}" is ${hex.length} hex digits, which is no digest albs knows (40: SHA-1, 64: SHA-256, 128: SHA-512, 32: MD5): fix the line`,
        );
      }
      entry = { path: path.trim(), hashType, hash: hex.toLowerCase(), line: i + 1 };
    } else {
      throw new SourceError(
        `${at}: "${printable(line)}" is not a line of a lookaside list: write "HEX PATH" (.NAME.metadata) or "SHA512 (FILE) = HEX" (sources)`,
      );
    }
    const problem = pathProblem(entry.path);
    if (problem) throw new SourceError(`${at}: the path "${printable(entry.path)}" ${problem}: fix the line`);
    const earlier = seen.get(entry.path);
    if (earlier !== undefined) {
      throw new SourceError(`${at}: ${entry.path} is listed again (first on line ${earlier}): keep one line`);
    }
    seen.set(entry.path, entry.line);
    entries.push(entry);
    if (entries.length > MAX_ENTRIES) {
      throw new SourceError(`${file} lists more than ${MAX_ENTRIES} files: that is no package's source list`);
    }
  }
  return entries;
}

function hexLength(type: HashType): number {
  return Number(Object.entries(BY_LENGTH).find(([, t]) => t === type)?.[0] ?? 0);
}

function printable(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** Why a listed path may not be used, or undefined: it must stay inside the package source. */
function pathProblem(path: string): string | undefined {
  if (path === '') return 'is empty';
  if (/\p{Cc}/u.test(path)) return 'holds a control character';
  if (path.startsWith('/')) return 'is absolute; list paths relative to the package source';
  const parts = path.split('/');
  if (parts.some((p) => p === '..')) return 'goes up with ".."; list paths inside the package source';
  if (parts.some((p) => p === '' || p === '.')) return 'has an empty or "." segment';
  if (parts.some((p) => p === '.git')) return 'writes into .git';
  if (path.length > 4096) return 'is longer than 4096 characters';
  return undefined;
}

/**
 * Finds the list of a package source `base` whose spec is `spec`: `metadata` when given (relative
 * to `base`), else `.NAME.metadata` for the spec's NAME, else the one `.*.metadata` at the top,
 * else `sources`. Returns undefined when there is none.
 */
export async function findLookasideList(
  base: string,
  spec: string,
  metadata?: string,
): Promise<LookasideList | undefined> {
  const specName = basename(spec).replace(/\.spec$/, '');
  let file: string | undefined = metadata;
  if (file === undefined) {
    const top = await readdir(base).catch(() => [] as string[]);
    const dotted = top.filter((f) => /^\..+\.metadata$/.test(f)).sort();
    if (top.includes(`.${specName}.metadata`)) file = `.${specName}.metadata`;
    else if (dotted.length === 1) file = dotted[0];
    else if (dotted.length > 1) {
      throw new SourceError(
        `${base} has ${dotted.length} lookaside lists (${dotted.join(', ')}) and none is .${specName}.metadata: set source.lookaside.metadata to the one to use`,
      );
    } else if (top.includes('sources')) file = 'sources';
    else return undefined;
  }
  if (file === undefined) return undefined;
  const path = join(base, file);
  if (!insideDir(base, path)) {
    throw new SourceError(
      `source.lookaside.metadata "${file}" is outside the package source ${base}: name a file inside it`,
    );
  }
  await refuseSymlinks(base, path, 'source.lookaside.metadata');
  const kind = await lstat(path).catch(() => undefined);
  if (!kind?.isFile()) {
    throw new SourceError(
      `source.lookaside.metadata "${file}" is not a file in ${base}: fix the path, or leave it out to find .${specName}.metadata or sources`,
    );
  }
  if (kind.size > MAX_LIST_BYTES) {
    throw new SourceError(`${file} is ${kind.size} bytes; a lookaside list is a few lines: check the file`);
  }
  const text = await readFile(path, 'utf8');
  const dotted = /^\.(.+)\.metadata$/.exec(basename(file));
  return {
    file: relative(base, path),
    name: dotted?.[1] ?? specName,
    entries: parseLookasideList(text, relative(base, path)),
    defaultUrl: basename(file).endsWith('.metadata') ? ALMALINUX_LOOKASIDE : FEDORA_LOOKASIDE,
  };
}

/**
 * Where a listed file belongs, as a path relative to the package source: a bare file name in
 * `sourceDir` (relative to the package source: "SOURCES" or ""), a path with a "/" as written.
 */
export function listedPath(entry: LookasideEntry, sourceDir: string): string {
  return entry.path.includes('/') || sourceDir === '' ? entry.path : `${sourceDir}/${entry.path}`;
}

/**
 * Refuses a path below `root` that goes through a symlink (a directory or the file itself): a
 * repository's `SOURCES -> /etc` must not make albs read or write outside it.
 */
export async function refuseSymlinks(root: string, path: string, what: string): Promise<void> {
  const parts = relative(root, path).split(sep);
  let at = root;
  for (const part of parts) {
    at = join(at, part);
    const kind = await lstat(at).catch(() => undefined);
    if (kind === undefined) return;
    if (kind.isSymbolicLink()) {
      throw new SourceError(
        `${what} ${relative(root, path)} goes through the symlink ${relative(root, at)} in ${root}: albs does not follow links out of a package source; make it a plain file or directory`,
      );
    }
  }
}
