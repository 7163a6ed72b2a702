/**
 * Publishes debs into an apt repository on disk, the way publishDnfRepo publishes rpms: every
 * publication is a new directory (packages already published hard-linked, new ones copied, old
 * versions pruned, indexes and a signed Release written), and `repos/<repo>` is a symlink switched
 * to it in one rename (repo-dirs.ts: the lock, the switch and the cleanup). apt's trust comes from the Release file: debs are not signed themselves;
 * the Release lists the SHA-256 of every Packages index, and each index the SHA-256 of every deb.
 *
 * Layout (suite = the repo name, one component `main`):
 *
 *     pool/main/<h or libh>/<source>/<package>_<version>_<arch>.deb
 *     dists/<repo>/Release, InRelease, Release.gpg
 *     dists/<repo>/main/binary-<arch>/Packages, Packages.gz    (arch `all` packages in every one)
 *     <repo>.asc        the public key, armored (apt ≥ 2.4 reads .asc in Signed-By)
 *     <repo>.sources    deb822, Signed-By that key: ready for /etc/apt/sources.list.d/
 */
import { createHash } from 'node:crypto';
import { link, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { execa } from 'execa';
import type { Signer } from '../sign/signer.js';
import {
  field,
  fileVersion,
  parseDeb822,
  parseDebianVersion,
  SOURCE_NAME,
} from '../sources/debian-control.js';
import { exists } from '../store/exists.js';
import { compareDebianVersions } from './deb-version.js';
import {
  addPackage,
  type PackageVersion,
  PublishError,
  pruneVersions,
  publishRepoDir,
  type RepoDirOptions,
  sha256File,
} from './repo-dirs.js';

/** The one component every albs apt repository has. */
export const APT_COMPONENT = 'main';

/** `repo` is also the suite name. */
export interface PublishAptOptions extends RepoDirOptions {
  /** Binary debs to add. */
  packages: readonly string[];
  /** Signs dists/<repo>/Release into InRelease and Release.gpg. */
  signer: Signer;
  /** The armored public key apt checks the Release with: published as <repo>.asc. */
  publicKey: string;
  /** The Release file's Date; default now. */
  now?: Date;
}

export interface PublishedAptRepo {
  /** reposDir/<repo>, the path the .sources file points apt at. */
  dir: string;
  suite: string;
  sourcesFile: string;
  keyFile: string;
  /** Pool paths added and removed, relative to the repository. */
  added: string[];
  removed: string[];
}

/** What a deb says about itself, read with dpkg-deb. */
interface DebFields {
  package: string;
  version: string;
  architecture: string;
  source: string;
}

export async function publishAptRepo(options: PublishAptOptions): Promise<PublishedAptRepo> {
  const { repo, reposDir, keep } = options;
  const link_ = join(reposDir, repo);
  const keyFile = `${repo}.asc`;
  const sourcesFile = `${repo}.sources`;
  const { added, removed } = await publishRepoDir(options, ['pool'], async ({ staging, current, log }) => {
    const added: string[] = [];
    const given = new Map<string, string>();
    for (const deb of options.packages) {
      const path = poolPath(await debFields(deb));
      if (await addPackage(staging, path, deb, { repo, given, bump: 'Debian revision' })) added.push(path);
    }
    const removed = await pruneVersions(staging, await debVersions(staging, keep), compareNewestFirst, {
      repo,
      keep,
      added: new Set(added),
      log,
    });

    const release = await writeIndexes(staging, repo, options.now ?? new Date());
    if (current) await keepPreviousIndexes(current, staging, { repo, log });
    await options.signer.signRepoMetadata({ kind: 'apt', release });
    await writeFile(join(staging, keyFile), options.publicKey);
    const live = resolve(link_);
    await writeFile(
      join(staging, sourcesFile),
      options.baseUrl === undefined
        ? sourcesText(repo, `${pathToFileURL(live).href}/`, join(live, keyFile))
        : sourcesText(repo, options.baseUrl, inlineKey(options.publicKey)),
    );
    return { added, removed };
  });
  options.log?.(`${repo}: published ${added.length} package${added.length === 1 ? '' : 's'} (suite ${repo})`);
  return {
    dir: link_,
    suite: repo,
    sourcesFile: join(link_, sourcesFile),
    keyFile: join(link_, keyFile),
    added,
    removed,
  };
}

/** Package, Version, Architecture and Source of a deb, each checked before it names a file. */
async function debFields(deb: string): Promise<DebFields> {
  const result = await execa('dpkg-deb', ['--field', deb, 'Package', 'Version', 'Architecture', 'Source'], {
    reject: false,
    stdin: 'ignore',
  });
  if (result.exitCode !== 0) {
    throw new PublishError(
      `${deb}: dpkg-deb cannot read it (${result.stderr.trim() || `exit ${result.exitCode}`}); is it a whole .deb?`,
    );
  }
  const stanza = parseDeb822(result.stdout)[0];
  const pkg = field(stanza, 'Package') ?? '';
  const version = field(stanza, 'Version') ?? '';
  const architecture = field(stanza, 'Architecture') ?? '';
  // "Source: name (version)" when the source version differs from the binary's.
  const source = (field(stanza, 'Source') ?? pkg).split(' ')[0] ?? pkg;
  if (!SOURCE_NAME.test(pkg) || !SOURCE_NAME.test(source))
    throw new PublishError(`${deb}: package name "${pkg}" (source "${source}") is not a Debian package name`);
  if (!parseDebianVersion(version))
    throw new PublishError(`${deb}: version "${version}" is not a Debian version`);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(architecture))
    throw new PublishError(`${deb}: architecture "${architecture}" is not a Debian arch name`);
  return { package: pkg, version, architecture, source };
}

/** Where Debian keeps a package in its pool: pool/main/h/hello/, pool/main/libf/libfoo/. */
function poolPath(deb: DebFields): string {
  const prefix = deb.source.startsWith('lib') ? deb.source.slice(0, 4) : deb.source.slice(0, 1);
  const version = parseDebianVersion(deb.version);
  const name = `${deb.package}_${version ? fileVersion(version) : deb.version}_${deb.architecture}.deb`;
  return join('pool', APT_COMPONENT, prefix, deb.source, name);
}

async function poolDebs(dir: string): Promise<string[]> {
  const entries = await readdir(join(dir, 'pool'), { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.deb'))
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

function compareNewestFirst(a: string, b: string): number {
  return compareDebianVersions(b, a);
}

/** Package:arch and version of every deb in the pool of `dir`; none when there are at most `keep`. */
async function debVersions(dir: string, keep: number): Promise<PackageVersion<string>[]> {
  const debs = await poolDebs(dir);
  if (debs.length <= keep) return [];
  const versions: PackageVersion<string>[] = [];
  for (const path of debs) {
    const fields = await debFields(join(dir, path));
    versions.push({ path, group: `${fields.package}:${fields.architecture}`, version: fields.version });
  }
  return versions;
}

/**
 * dists/<suite>/main/binary-<arch>/Packages(.gz) for every arch the pool has, then the Release
 * file listing their sizes and digests. Returns the Release path. Packages of arch `all` go into
 * every arch's index, as Debian's archive does (No-Support-for-Architecture-all: Packages), and
 * into binary-all.
 */
async function writeIndexes(dir: string, suite: string, now: Date): Promise<string> {
  const scan = await execa('dpkg-scanpackages', ['--multiversion', 'pool'], {
    cwd: dir,
    reject: false,
    stdin: 'ignore',
  });
  if (scan.exitCode !== 0) {
    throw new PublishError(
      `dpkg-scanpackages failed in ${dir} (exit ${scan.exitCode}): ${scan.stderr.trim().split('\n').slice(-3).join(' / ')}`,
    );
  }
  const stanzas = scan.stdout
    .split(/\n\s*\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const archOf = (stanza: string) => /^Architecture: (\S+)$/m.exec(stanza)?.[1] ?? '';
  const arches = [...new Set(stanzas.map(archOf))].sort();
  const concrete = arches.filter((a) => a !== 'all');
  const indexes: string[] = [];
  for (const arch of arches) {
    const own = stanzas.filter((s) => archOf(s) === arch || archOf(s) === 'all');
    const text = own.length ? `${own.join('\n\n')}\n` : '';
    const base = join(APT_COMPONENT, `binary-${arch}`);
    await mkdir(join(dir, 'dists', suite, base), { recursive: true });
    await writeFile(join(dir, 'dists', suite, base, 'Packages'), text);
    // mtime 0 and no name: the same index gives the same bytes, so republishing changes nothing.
    await writeFile(join(dir, 'dists', suite, base, 'Packages.gz'), gzipSync(text, { level: 9 }));
    indexes.push(join(base, 'Packages'), join(base, 'Packages.gz'));
  }
  const sums = await Promise.all(
    indexes.map(async (path) => {
      const bytes = await readFile(join(dir, 'dists', suite, path));
      return {
        path,
        size: bytes.length,
        md5: createHash('md5').update(bytes).digest('hex'),
        sha256: createHash('sha256').update(bytes).digest('hex'),
      };
    }),
  );
  for (const { path, sha256 } of sums) {
    await linkByHash(join(dir, 'dists', suite, path), byHashPath(join(dir, 'dists', suite), path, sha256));
  }
  const release = [
    'Origin: albs-ci',
    `Label: ${suite}`,
    `Suite: ${suite}`,
    `Codename: ${suite}`,
    `Date: ${now.toUTCString()}`,
    // apt fetches dists/…/by-hash/SHA256/<hash>: an index that changes at a switch never mismatches.
    'Acquire-By-Hash: yes',
    `Architectures: ${arches.join(' ')}`,
    `Components: ${APT_COMPONENT}`,
    `Description: ${suite}, published by albs-ci`,
    ...(concrete.length && arches.includes('all') ? ['No-Support-for-Architecture-all: Packages'] : []),
    'MD5Sum:',
    ...sums.map((s) => ` ${s.md5} ${String(s.size).padStart(8)} ${s.path}`),
    'SHA256:',
    ...sums.map((s) => ` ${s.sha256} ${String(s.size).padStart(8)} ${s.path}`),
    '',
  ].join('\n');
  const path = join(dir, 'dists', suite, 'Release');
  await writeFile(path, release);
  return path;
}

/** Where an index listed in Release as `path` (relative to `dists`) is kept by its SHA-256. */
function byHashPath(dists: string, path: string, sha256: string): string {
  return join(dists, dirname(path), 'by-hash', 'SHA256', sha256);
}

/** A hard link of `index` at `target`; one already there has that hash, so it has those bytes. */
async function linkByHash(index: string, target: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  await link(index, target).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  });
}

/**
 * The by-hash files of the indexes the live Release lists, linked into the new dists/: a client that
 * fetched that Release a moment before the switch fetches them by hash from the new directory. The
 * next publication links only what this one's Release lists, so they stay for one publication. A
 * repository published before by-hash existed has only the indexes themselves: those are linked,
 * once their hash is checked.
 */
async function keepPreviousIndexes(
  current: string,
  staging: string,
  context: { repo: string; log: (line: string) => void },
): Promise<void> {
  const { repo, log } = context;
  const dists = join(current, 'dists', repo);
  const release = await readFile(join(dists, 'Release'), 'utf8').catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  });
  const missing: string[] = [];
  for (const { path, sha256 } of releaseSha256(release)) {
    const target = byHashPath(join(staging, 'dists', repo), path, sha256);
    let source = byHashPath(dists, path, sha256);
    if (!(await exists(source))) source = join(dists, path);
    if (!(await exists(source)) || (await sha256File(source)) !== sha256) {
      missing.push(path);
      continue;
    }
    await linkByHash(source, target);
  }
  if (missing.length) {
    log(
      `${repo}: the live Release lists ${missing.join(', ')} with a hash no file of the live repository has; clients that read it before this publication cannot fetch them`,
    );
  }
}

/**
 * An armored key as a deb822 field value (apt ≥ 2.4 reads a key inline in Signed-By): each line
 * after the first indented by a space, an empty line written as " .".
 */
function inlineKey(armored: string): string {
  return armored
    .trim()
    .split('\n')
    .map((line, i) => (i === 0 ? line : line.trim() === '' ? ' .' : ` ${line}`))
    .join('\n');
}

/** The SHA256 section of a Release file: path (below dists/<suite>) and hash of each index. */
function releaseSha256(release: string): { path: string; sha256: string }[] {
  const section = /^SHA256:\n((?:[ \t].*(?:\n|$))*)/m.exec(release)?.[1] ?? '';
  return [...section.matchAll(/^\s+([0-9a-f]{64})\s+\d+\s+(\S+)\s*$/gm)]
    .map((m) => ({ sha256: m[1]!, path: m[2]! }))
    .filter(({ path }) => !path.split('/').includes('..') && !path.startsWith('/'));
}

/**
 * `signedBy`: a key file on the client, or the armored key itself (see inlineKey), for a repository
 * served over HTTP: Signed-By cannot be a URL.
 */
function sourcesText(repo: string, base: string, signedBy: string): string {
  return [
    `# ${repo}, published by albs-ci: copy to /etc/apt/sources.list.d/${repo}.sources`,
    'Types: deb',
    `URIs: ${base}`,
    `Suites: ${repo}`,
    `Components: ${APT_COMPONENT}`,
    `Signed-By: ${signedBy}`,
    '',
  ].join('\n');
}
