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
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
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
import { compareDebianVersions } from './deb-version.js';
import {
  type PackageVersion,
  PublishError,
  pruneVersions,
  publishRepoDir,
  type RepoDirOptions,
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
  const { added, removed } = await publishRepoDir(options, ['pool'], async ({ staging, log }) => {
    const added: string[] = [];
    for (const deb of options.packages) {
      const fields = await debFields(deb);
      const path = poolPath(fields);
      const target = join(staging, path);
      await mkdir(join(target, '..'), { recursive: true });
      // The carried-over file may be a hard link into the live repository: replace it, never write into it.
      await rm(target, { force: true });
      await copyFile(deb, target);
      added.push(path);
    }
    const removed = await pruneVersions(staging, await debVersions(staging, keep), compareNewestFirst, {
      repo,
      keep,
      added: new Set(added),
      log,
    });

    const release = await writeIndexes(staging, repo, options.now ?? new Date());
    await options.signer.signRepoMetadata({ kind: 'apt', release });
    await writeFile(join(staging, keyFile), options.publicKey);
    const live = resolve(link_);
    await writeFile(join(staging, sourcesFile), sourcesText(repo, live, join(live, keyFile)));
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
  const release = [
    'Origin: albs-ci',
    `Label: ${suite}`,
    `Suite: ${suite}`,
    `Codename: ${suite}`,
    `Date: ${now.toUTCString()}`,
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

function sourcesText(repo: string, dir: string, keyFile: string): string {
  return [
    `# ${repo}, published by albs-ci: copy to /etc/apt/sources.list.d/${repo}.sources`,
    'Types: deb',
    `URIs: ${pathToFileURL(dir).href}`,
    `Suites: ${repo}`,
    `Components: ${APT_COMPONENT}`,
    `Signed-By: ${keyFile}`,
    '',
  ].join('\n');
}
