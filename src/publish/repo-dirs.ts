/**
 * What every published repository shares, whatever its kind: `repos/<repo>` is a symlink to a
 * directory under `repos/.repos/`, and a publication builds a new directory there and switches the
 * symlink to it in one rename, so readers see the old repository or the new one, never a mixture.
 */
import { mkdir, readdir, readlink, rename, rm, stat, symlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { REPO_NAME } from '../config/check-config.js';

/** Where the published directories live, beside the repo symlinks. */
export const VERSIONS_DIR = '.repos';

export class PublishError extends Error {
  override name = 'PublishError';
}

/** Refuses a repo name that is not a safe directory name and a `keep` below 1. */
export function checkRepoOptions(repo: string, keep: number): void {
  if (!REPO_NAME.test(repo)) {
    throw new PublishError(`repo name "${repo}" is not a safe directory name; it must match ${REPO_NAME}`);
  }
  if (!Number.isInteger(keep) || keep < 1) throw new PublishError(`keep is ${keep}; keep at least 1 version`);
}

/** A new, empty directory for the next publication of `repo` under reposDir/.repos. */
export async function stagingDir(reposDir: string, repo: string): Promise<string> {
  const versions = join(reposDir, VERSIONS_DIR);
  await mkdir(versions, { recursive: true });
  // "@" never appears in a repo name, so one repo's directories are never taken for another's.
  const staging = join(versions, `${repo}@${Date.now().toString(36)}-${process.pid}`);
  await mkdir(staging);
  return staging;
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

/** Point `link_` at `target` in one step: a new symlink renamed over the old one. */
export async function switchLink(link_: string, target: string): Promise<void> {
  const temp = `${link_}.switch-${process.pid}`;
  await rm(temp, { force: true });
  await symlink(target, temp);
  await rename(temp, link_);
}

/** Directories of this repo that earlier, interrupted publications left behind. */
export async function removeLeftovers(versions: string, repo: string, keepDir: string): Promise<void> {
  for (const name of await readdir(versions)) {
    const path = join(versions, name);
    if (name.startsWith(`${repo}@`) && path !== keepDir) await rm(path, { recursive: true, force: true });
  }
}
