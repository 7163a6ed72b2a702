/**
 * Reading the Debian files a dpkg build starts from: debian/changelog's first entry, debian/control
 * and .dsc files (deb822 stanzas), and Debian version strings. Pure functions of their text; every
 * name that later becomes part of a file path is checked here against Debian policy's alphabet.
 */
import { SourceError } from './errors.js';

/** A source package name as policy allows it (5.6.1): it goes into directory and file names. */
export const SOURCE_NAME = /^[a-z0-9][a-z0-9+.-]+$/;
/** [epoch:]upstream[-revision], policy 5.6.12; no "/" and no leading "." can get into a file name. */
export const DEBIAN_VERSION = /^(?:(\d+):)?([0-9][A-Za-z0-9.+~:-]*?)(?:-([A-Za-z0-9+.~]+))?$/;
/** A file a .dsc lists: a plain name in the directory of the .dsc, never a path. */
export const DSC_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9.+~_-]*$/;

export type Stanza = Map<string, string>;

/**
 * deb822 stanzas: "Field: value" lines, continuation lines starting with a space or tab, stanzas
 * separated by blank lines, "#" comment lines skipped (debian/control allows them). Field names
 * are kept as written; look them up with `field`, which ignores case as dpkg does.
 */
export function parseDeb822(text: string): Stanza[] {
  const stanzas: Stanza[] = [];
  let current: Stanza | undefined;
  let last: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      current = undefined;
      last = undefined;
      continue;
    }
    if (line.startsWith('#')) continue;
    if (/^[ \t]/.test(line)) {
      if (current && last !== undefined) current.set(last, `${current.get(last) ?? ''}\n${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    if (!current) {
      current = new Map();
      stanzas.push(current);
    }
    last = line.slice(0, colon).trim();
    current.set(last, line.slice(colon + 1).trim());
  }
  return stanzas;
}

/** A field's value, the name compared without case; undefined when absent. */
export function field(stanza: Stanza | undefined, name: string): string | undefined {
  if (!stanza) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of stanza) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/** The text of an OpenPGP cleartext-signed message (a signed .dsc), dash-escaping undone; other text as is. */
export function stripClearsign(text: string): string {
  if (!text.startsWith('-----BEGIN PGP SIGNED MESSAGE-----')) return text;
  const lines = text.split(/\r?\n/);
  const start = lines.indexOf('') + 1;
  const end = lines.indexOf('-----BEGIN PGP SIGNATURE-----');
  return lines
    .slice(start, end === -1 ? lines.length : end)
    .map((l) => (l.startsWith('- ') ? l.slice(2) : l))
    .join('\n');
}

export interface DebianVersion {
  epoch: number;
  upstream: string;
  /** '' for a native version without a Debian revision. */
  revision: string;
}

/** Splits a Debian version; undefined when it is not one (policy 5.6.12). */
export function parseDebianVersion(version: string): DebianVersion | undefined {
  const match = DEBIAN_VERSION.exec(version);
  if (!match) return undefined;
  const [, epoch, upstream = '', revision = ''] = match;
  // An upstream version may hold ":" only when there is an epoch, and "-" only when there is a revision.
  if (epoch === undefined && upstream.includes(':')) return undefined;
  if (revision === '' && upstream.includes('-')) return undefined;
  return { epoch: Number(epoch ?? 0), upstream, revision };
}

/** The version as it appears in file names: without the epoch. */
export function fileVersion(version: DebianVersion): string {
  return version.revision ? `${version.upstream}-${version.revision}` : version.upstream;
}

export interface ChangelogHead {
  source: string;
  version: string;
  parsed: DebianVersion;
  distribution: string;
}

/** The package name, version and distribution of debian/changelog's first entry. */
export function parseChangelogHead(text: string, file: string): ChangelogHead {
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const match = /^(\S+) \(([^()\s]+)\) ([^;]*);/.exec(first);
  if (!match) {
    throw new SourceError(
      `${file}: the first line is "${first.slice(0, 100)}", not a changelog entry like "hello (1.0-1) unstable; urgency=medium": fix debian/changelog (dch --create writes one)`,
    );
  }
  const [, source = '', version = '', distribution = ''] = match;
  return { ...checkNameVersion(source, version, file), distribution: distribution.trim() };
}

/** Checks a source name and version read from a file; both go into file names. */
export function checkNameVersion(
  source: string,
  version: string,
  file: string,
): { source: string; version: string; parsed: DebianVersion } {
  if (!SOURCE_NAME.test(source)) {
    throw new SourceError(
      `${file} names the source package "${source}", which is not a Debian package name (lower-case letters, digits, "+", "-", "."): fix the name`,
    );
  }
  const parsed = parseDebianVersion(version);
  if (!parsed) {
    throw new SourceError(
      `${file} gives the version "${version}", which is not a Debian version ([epoch:]upstream[-revision], starting with a digit): fix the version`,
    );
  }
  return { source, version, parsed };
}

export interface DscFile {
  name: string;
  size: number;
  sha256: string;
}

export interface Dsc {
  source: string;
  version: string;
  parsed: DebianVersion;
  format: string;
  files: DscFile[];
}

/** The most files a .dsc may list: a source package has a handful (orig, components, debian). */
const MAX_DSC_FILES = 32;

/**
 * A .dsc's Source, Version, Format and the files of its Checksums-Sha256 field, each a plain file
 * name (no path, nothing hidden) with its size. `file` names the .dsc in messages.
 */
export function parseDsc(text: string, file: string): Dsc {
  const [stanza] = parseDeb822(stripClearsign(text));
  const source = field(stanza, 'Source');
  const version = field(stanza, 'Version');
  if (source === undefined || version === undefined) {
    throw new SourceError(
      `${file} has no ${source === undefined ? 'Source' : 'Version'} field: is it a Debian source control file (.dsc)? check source.dsc`,
    );
  }
  const checked = checkNameVersion(source, version, file);
  const sums = field(stanza, 'Checksums-Sha256');
  if (sums === undefined) {
    throw new SourceError(
      `${file} has no Checksums-Sha256 field, so its files cannot be checked: rebuild the source package with a dpkg-source from the last ten years`,
    );
  }
  const files = sums
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((line): DscFile => {
      const [sha256 = '', size = '', name = '', ...rest] = line.split(/\s+/);
      if (!/^[0-9a-f]{64}$/i.test(sha256) || !/^\d+$/.test(size) || rest.length > 0) {
        throw new SourceError(
          `${file}: the Checksums-Sha256 line "${line.slice(0, 120)}" is not "SHA256 SIZE NAME": fix the .dsc`,
        );
      }
      if (!DSC_FILE_NAME.test(name) || name.includes('..')) {
        throw new SourceError(
          `${file} lists the file "${name.slice(0, 120)}", which is not a plain file name: a .dsc may only name files beside it; refusing it`,
        );
      }
      return { name, size: Number(size), sha256: sha256.toLowerCase() };
    });
  if (files.length === 0 || files.length > MAX_DSC_FILES) {
    throw new SourceError(
      `${file} lists ${files.length} files in Checksums-Sha256; a source package has between 1 and ${MAX_DSC_FILES}: check the .dsc`,
    );
  }
  if (new Set(files.map((f) => f.name)).size !== files.length) {
    throw new SourceError(`${file} lists the same file twice in Checksums-Sha256: fix the .dsc`);
  }
  return { ...checked, format: field(stanza, 'Format') ?? '1.0', files };
}

/**
 * Whether an Architecture field's value (a list of arch names and wildcards, as in debian/control)
 * lets a package build on `arch`. `all` is not matched here: the caller decides what an
 * arch-independent package means for its job.
 */
export function archListMatches(list: string, arch: string): boolean {
  return list.split(/\s+/).some((word) => archWordMatches(word, arch));
}

/** The CPU part of a Debian arch on Linux (dpkg's cputable): armhf and armel are "arm". */
function cpuOf(arch: string): string {
  if (arch === 'armhf' || arch === 'armel') return 'arm';
  return arch;
}

function archWordMatches(word: string, arch: string): boolean {
  if (word === arch || word === 'any' || word === 'linux-any' || word === 'any-any') return true;
  if (word === `linux-${arch}`) return true;
  if (word.startsWith('any-')) return word.slice(4) === cpuOf(arch);
  return false;
}
