/**
 * What every published repository shares, whatever its kind: `repos/<repo>` is a symlink to a
 * directory under `repos/.repos/`, and a publication builds a new directory there and switches the
 * symlink to it in one rename, so readers see the old repository or the new one, never a mixture.
 *
 * publishRepoDir is that skeleton, used by the dnf and the apt publishers alike: it holds the
 * repo's lock (repo-lock.ts) from reading the live directory to the end of the cleanup, so two
 * publishers of one repo take turns and each builds on the other's result. The directory replaced
 * is kept until the next publication, linked as `.repos/<repo>.previous`, for a rollback by hand.
 * It does not serve clients: they fetch through `repos/<repo>`. A client that fetched the old
 * repomd.xml or Release a moment before the switch asks the NEW directory for the files it names,
 * so each publisher keeps the previous generation's metadata files in the new directory for one
 * publication (dnf: the hashed repodata files; apt: the by-hash indexes).
 *
 *     repos/<repo>                      -> .repos/<repo>@<time>-<pid>   (live)
 *     repos/.repos/<repo>.previous      -> <repo>@<time>-<pid>          (the one before, kept for a while)
 *     repos/.repos/<repo>.lock/<pid>-<token>                            (while publishing)
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, link, lstat, mkdir, readdir, readlink, rename, rm, stat, symlink } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { REPO_NAME } from '../config/check-config.js';
import { running } from '../store/owner-lock.js';
import { DEFAULT_LOCK_TIMEOUT_MS, lockRepo } from './repo-lock.js';

/** Where the published directories live, beside the repo symlinks. */
export const VERSIONS_DIR = '.repos';

export class PublishError extends Error {
  override name = 'PublishError';
}

/** What every publisher takes besides its packages and keys. */
export interface RepoDirOptions {
  /** OUT/repos: holds `<repo>` (a symlink) and the directories it points to. */
  reposDir: string;
  repo: string;
  /** Versions of each package (name + arch) to keep, newest first, so a bad release can be rolled back. */
  keep: number;
  log?: ((line: string) => void) | undefined;
  /**
   * Checked just before the switch: once aborted, nothing is switched and the publication throws.
   * After the switch the publication stands, aborted or not.
   */
  signal?: AbortSignal | undefined;
  /** How long to wait for another publication of the same repo to finish; default 10 minutes. */
  lockTimeoutMs?: number | undefined;
  /**
   * Where clients reach the repository (`PUBLIC_URL/repos/REPO/`, ending in "/"): the .repo and
   * .sources files point there. Default: the file:// URL of its directory on this machine.
   */
  baseUrl?: string | undefined;
}

/** The directories a publisher fills. */
export interface Publication {
  /** The new repository, empty but for what was carried over; published once `fill` returns. */
  staging: string;
  /** The live repository it replaces, or null for a new repo. */
  current: string | null;
  log: (line: string) => void;
}

/** Refuses a repo name that is not a safe directory name and a `keep` below 1. */
export function checkRepoOptions(repo: string, keep: number): void {
  if (!REPO_NAME.test(repo)) {
    throw new PublishError(`repo name "${repo}" is not a safe directory name; it must match ${REPO_NAME}`);
  }
  if (!Number.isInteger(keep) || keep < 1) throw new PublishError(`keep is ${keep}; keep at least 1 version`);
}

/**
 * Publishes one repository: under its lock, a new directory gets hard links of every file below
 * `carry` (subdirectories of the live one), `fill` completes it, the symlink switches to it, the
 * directory replaced becomes the previous one and the previous one before it goes. A failure or an
 * abort before the switch removes the new directory and leaves the live repository as it was.
 */
export async function publishRepoDir<T>(
  options: RepoDirOptions,
  carry: readonly string[],
  fill: (publication: Publication) => Promise<T>,
): Promise<T> {
  const { repo, keep, signal } = options;
  checkRepoOptions(repo, keep);
  // Absolute, so that the directories found by readdir compare equal to the live one's path.
  const reposDir = resolve(options.reposDir);
  const log = options.log ?? (() => {});
  const timeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0)
    throw new PublishError(`lockTimeoutMs is ${timeoutMs}; give a number of milliseconds, 0 or more`);
  const link_ = join(reposDir, repo);
  const versions = join(reposDir, VERSIONS_DIR);
  await mkdir(versions, { recursive: true });
  const release = await lockRepo(versions, repo, { timeoutMs, signal, log });
  try {
    const current = await currentTarget(link_);
    const previousLink = join(versions, `${repo}.previous`);
    const previous = await readlink(previousLink)
      .then((target) => resolve(versions, target))
      .catch(() => null);
    const staging = await stagingDir(versions, repo);
    let result: T;
    try {
      if (current) for (const sub of carry) await linkTree(repo, join(current, sub), join(staging, sub));
      result = await fill({ staging, current, log });
      if (signal?.aborted) {
        const reason: unknown = signal.reason;
        throw new PublishError(
          `${repo}: cancelled before the switch (${reason instanceof Error ? reason.message : String(reason ?? 'aborted')}); the published repository is unchanged`,
          { cause: reason },
        );
      }
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
    await switchLink(link_, relative(reposDir, staging));
    // The commit point is behind us: what fails now is reported, and the publication stands.
    await tidyUp({ versions, repo, staging, current, previous, previousLink, log }).catch((error: unknown) =>
      log(
        `${repo}: published, but cleaning up ${versions} failed (${error instanceof Error ? error.message : String(error)}); the next publication tries again`,
      ),
    );
    return result;
  } finally {
    await release();
  }
}

/**
 * Puts the package `source` at `path` below `staging`. A file already at `path` (carried over from
 * the live repository, or given earlier in this publication, as `given` records) with the same
 * bytes stays as it is; with other bytes the publication fails: a published package never changes
 * under its name, because clients and mirrors that have its checksum from the old metadata, or the
 * file itself in a cache, would get a mismatch or keep the old one. `bump` names what the packager
 * changes instead. Returns false when `path` was given earlier in this publication, so that the
 * caller lists it once.
 */
export async function addPackage(
  staging: string,
  path: string,
  source: string,
  context: { repo: string; given: Map<string, string>; bump: string },
): Promise<boolean> {
  const { repo, given, bump } = context;
  const target = join(staging, path);
  const earlier = given.get(path);
  if (earlier !== undefined) {
    if (await sameBytes(earlier, source)) return false;
    throw new PublishError(
      `${repo}: ${path} is given twice with different content (${earlier}, ${source}); bump the ${bump} of one of them`,
    );
  }
  given.set(path, source);
  const published = await stat(target).then(
    () => true,
    (error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    },
  );
  if (published) {
    if (await sameBytes(target, source)) return true;
    throw new PublishError(
      `${repo}: ${path} is already published with other content (${source}); a published package never changes under the same name: bump its ${bump} and publish again`,
    );
  }
  await mkdir(dirname(target), { recursive: true });
  await copyFile(source, target);
  return true;
}

async function sameBytes(a: string, b: string): Promise<boolean> {
  const [sa, sb] = await Promise.all([stat(a), stat(b)]);
  if (sa.size !== sb.size) return false;
  if (sa.dev === sb.dev && sa.ino === sb.ino) return true;
  const [ha, hb] = await Promise.all([sha256File(a), sha256File(b)]);
  return ha === hb;
}

/** The SHA-256 of a file, read as a stream: packages can be large. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** One package file and where it stands among the versions of its package. */
export interface PackageVersion<V> {
  /** Relative to the directory pruned. */
  path: string;
  /** Name + arch: the versions of one group compete for the `keep` places. */
  group: string;
  version: V;
}

/**
 * Removes all but the newest `keep` versions of each group, never a file `added` in this run
 * (republishing an older release keeps it, and says that the group now has more than `keep`).
 * Returns the paths removed.
 */
export async function pruneVersions<V>(
  dir: string,
  packages: readonly PackageVersion<V>[],
  newestFirst: (a: V, b: V) => number,
  context: { repo: string; keep: number; added: ReadonlySet<string>; log: (line: string) => void },
): Promise<string[]> {
  const { repo, keep, added, log } = context;
  const groups = new Map<string, PackageVersion<V>[]>();
  for (const pkg of packages) groups.set(pkg.group, [...(groups.get(pkg.group) ?? []), pkg]);
  const removed: string[] = [];
  for (const [group, list] of groups) {
    list.sort((a, b) => newestFirst(a.version, b.version));
    const older = list.slice(keep);
    const kept = older.filter((pkg) => added.has(pkg.path));
    for (const pkg of older) {
      if (added.has(pkg.path)) continue;
      await rm(join(dir, pkg.path));
      removed.push(pkg.path);
      log(`${repo}: removed ${pkg.path} (keeping the last ${keep} versions)`);
    }
    for (const pkg of kept) {
      log(
        `${repo}: kept ${pkg.path}, published now though ${keep === 1 ? 'a newer version is' : `${keep} newer versions are`} in the repository: ${group} has ${keep + kept.length} versions, more than keep ${keep}`,
      );
    }
  }
  return removed.sort();
}

/** The directory `link` points to, or null when there is no repository yet. */
export async function currentTarget(link_: string): Promise<string | null> {
  const target = await readlink(link_).catch(() => null);
  if (target !== null) return resolve(link_, '..', target);
  const info = await stat(link_).catch(() => null);
  if (info?.isDirectory()) {
    throw new PublishError(`${link_} is a directory, not a repository albs-ci published; move it away`);
  }
  return null;
}

/** A new, empty directory for the next publication of `repo`: `<repo>@<time>-<pid>` in `versions`. */
async function stagingDir(versions: string, repo: string): Promise<string> {
  // "@" never appears in a repo name, so one repo's directories are never taken for another's.
  const staging = join(versions, `${repo}@${Date.now().toString(36)}-${process.pid}`);
  await mkdir(staging);
  return staging;
}

/**
 * Hard links of every file below `from` at the same paths below `to` (nothing when `from` is absent).
 * Anything it cannot read or link fails the publication: a repository published without the files
 * it could not read would silently drop packages that were published before.
 */
async function linkTree(repo: string, from: string, to: string): Promise<void> {
  const absent = await lstat(from).then(
    () => false,
    (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT',
  );
  await mkdir(to, { recursive: true });
  if (absent) return;
  const entries = await readdir(from, { recursive: true, withFileTypes: true }).catch((error: unknown) => {
    throw new PublishError(
      `${repo}: cannot read ${from}, a directory of the live repository (${error instanceof Error ? error.message : String(error)}); nothing was published: restore it (or move the repository away to start afresh)`,
      { cause: error },
    );
  });
  for (const entry of entries) {
    const path = relative(from, join(entry.parentPath, entry.name));
    if (entry.isDirectory()) continue;
    if (!entry.isFile()) {
      throw new PublishError(
        `${repo}: ${join(from, path)} is not a file or a directory albs-ci published (a symlink or a special file); nothing was published: replace it by the file itself or remove it`,
      );
    }
    await mkdir(join(to, path, '..'), { recursive: true });
    await link(join(from, path), join(to, path));
  }
}

/** Point `link_` at `target` in one step: a new symlink renamed over the old one. */
async function switchLink(link_: string, target: string): Promise<void> {
  const temp = `${link_}.switch-${process.pid}`;
  await rm(temp, { force: true });
  await symlink(target, temp);
  await rename(temp, link_);
}

/**
 * After a switch: the replaced directory becomes the previous one, the previous one before it goes,
 * and so do directories (and lock attempts) of this repo that a process no longer running left.
 */
async function tidyUp(state: {
  versions: string;
  repo: string;
  staging: string;
  current: string | null;
  previous: string | null;
  previousLink: string;
  log: (line: string) => void;
}): Promise<void> {
  const { versions, repo, staging, current, previous, previousLink, log } = state;
  if (current) await switchLink(previousLink, relative(versions, current));
  else await rm(previousLink, { force: true });
  if (previous && previous !== current && previous !== staging && ownDir(versions, repo, previous) !== null) {
    await rm(previous, { recursive: true, force: true });
  }
  const leftovers = (await readdir(versions))
    .map((name) => ({ path: join(versions, name), pid: ownDir(versions, repo, join(versions, name)) }))
    .filter(({ path, pid }) => pid !== null && path !== staging && path !== current && !running(pid));
  for (const { path, pid } of leftovers) {
    await rm(path, { recursive: true, force: true });
    log(`${repo}: removed ${basename(path)}, left by process ${pid}, which is no longer running`);
  }
}

/**
 * The pid in the name of one of `repo`'s directories in `versions` (`<repo>@<time>-<pid>`, or a
 * lock attempt `<repo>.lock-<token>-<pid>`), or null for anything else: another repo's, or a path
 * albs-ci did not make, which is never removed.
 */
function ownDir(versions: string, repo: string, path: string): number | null {
  if (dirname(path) !== versions) return null;
  const name = basename(path);
  for (const prefix of [`${repo}@`, `${repo}.lock-`]) {
    if (!name.startsWith(prefix)) continue;
    // [0-9a-z]: never "." or "@", so another repo's "<repo>.lock-x@..." is not taken for ours.
    const match = /^[0-9a-z]+-(\d+)$/.exec(name.slice(prefix.length));
    if (match) return Number(match[1]);
  }
  return null;
}
