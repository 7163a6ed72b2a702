/**
 * Publishes signed packages into a dnf repository on disk, so that readers never see it half-written:
 * every publication is a new directory (existing packages hard-linked, new ones copied, old versions
 * pruned, createrepo_c, repomd.xml.asc), and `repos/<repo>` is a symlink switched to it in one rename.
 * A crash at any point leaves the previous repository in place; publishing the same packages again
 * gives the same repository.
 */
import { copyFile, link, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import type { Signer } from '../sign/signer.js';
import { createDnfRepo } from './create-dnf-repo.js';
import {
  checkRepoOptions,
  currentTarget,
  PublishError,
  removeLeftovers,
  stagingDir,
  switchLink,
  VERSIONS_DIR,
} from './repo-dirs.js';
import { compareEvr, type Evr } from './rpm-version.js';

export interface PublishDnfOptions {
  /** OUT/repos: holds `<repo>` (a symlink) and the directories it points to. */
  reposDir: string;
  repo: string;
  /** Signed binary rpms to add. */
  packages: readonly string[];
  signer: Signer;
  /** The armored public key users import: published as RPM-GPG-KEY-<keyName>. */
  publicKey: string;
  keyName: string;
  /** Versions of each package (name + arch) to keep, newest first, so a bad release can be rolled back. */
  keep: number;
  log?: (line: string) => void;
}

export interface PublishedRepo {
  /** reposDir/<repo>, the path users point dnf at. */
  dir: string;
  repoFile: string;
  keyFile: string;
  added: string[];
  removed: string[];
}

export { PublishError };

export async function publishDnfRepo(options: PublishDnfOptions): Promise<PublishedRepo> {
  const { repo, reposDir, keep } = options;
  checkRepoOptions(repo, keep);
  const log = options.log ?? (() => {});
  const link_ = join(reposDir, repo);
  const versions = join(reposDir, VERSIONS_DIR);
  const current = await currentTarget(link_);
  const staging = await stagingDir(reposDir, repo);
  await mkdir(join(staging, 'Packages'), { recursive: true });
  try {
    if (current) await carryOver(current, staging);
    const added: string[] = [];
    for (const pkg of options.packages) {
      const name = basename(pkg);
      if (!name.endsWith('.rpm') || name.startsWith('.'))
        throw new PublishError(`${pkg}: not an .rpm file name`);
      const target = join(staging, 'Packages', name);
      // The carried-over file may be a hard link into the live repository: replace it, never write into it.
      await rm(target, { force: true });
      await copyFile(pkg, target);
      added.push(name);
    }
    const removed = await prune(join(staging, 'Packages'), keep);
    for (const name of removed) log(`${repo}: removed ${name} (keeping the last ${keep} versions)`);

    await createDnfRepo(staging, { signer: options.signer, update: current !== null });
    const keyFile = `RPM-GPG-KEY-${options.keyName}`;
    await writeFile(join(staging, keyFile), options.publicKey);
    const repoFile = `${repo}.repo`;
    await writeFile(join(staging, repoFile), repoFileText(repo, resolve(link_), keyFile));

    await switchLink(link_, relative(reposDir, staging));
    if (current) await rm(current, { recursive: true, force: true });
    await removeLeftovers(versions, repo, staging);
    log(`${repo}: published ${added.length} package${added.length === 1 ? '' : 's'}`);
    return { dir: link_, repoFile: join(link_, repoFile), keyFile: join(link_, keyFile), added, removed };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/** The live repository's packages (hard links, no copies) and its repodata (for createrepo_c --update). */
async function carryOver(from: string, to: string): Promise<void> {
  for (const name of await readdir(join(from, 'Packages')).catch(() => [])) {
    await link(join(from, 'Packages', name), join(to, 'Packages', name));
  }
  const repodata = join(from, 'repodata');
  const names = await readdir(repodata).catch(() => []);
  if (names.length) await mkdir(join(to, 'repodata'));
  for (const name of names) await copyFile(join(repodata, name), join(to, 'repodata', name));
}

/** Remove all but the newest `keep` versions of each name + arch; returns the file names removed. */
async function prune(dir: string, keep: number): Promise<string[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.rpm')).sort();
  if (files.length <= keep) return [];
  const { stdout } = await execa(
    'rpm',
    [
      '-qp',
      '--nosignature',
      '--nodigest',
      '--qf',
      '%{NAME}\\t%{ARCH}\\t%{EPOCHNUM}\\t%{VERSION}\\t%{RELEASE}\\n',
      ...files,
    ],
    { cwd: dir, stdin: 'ignore' },
  );
  const lines = stdout.trim().split('\n');
  if (lines.length !== files.length) {
    throw new PublishError(
      `rpm described ${lines.length} of the ${files.length} packages in ${dir}; one is unreadable`,
    );
  }
  const groups = new Map<string, { file: string; evr: Evr }[]>();
  lines.forEach((line, i) => {
    const [name, arch, epoch, version, release] = line.split('\t');
    const key = `${name}.${arch}`;
    const list = groups.get(key) ?? [];
    list.push({
      file: files[i]!,
      evr: { epoch: Number(epoch), version: version ?? '', release: release ?? '' },
    });
    groups.set(key, list);
  });
  const removed: string[] = [];
  for (const list of groups.values()) {
    list.sort((a, b) => compareEvr(b.evr, a.evr));
    for (const old of list.slice(keep)) {
      await rm(join(dir, old.file));
      removed.push(old.file);
    }
  }
  return removed.sort();
}

function repoFileText(repo: string, dir: string, keyFile: string): string {
  return [
    `[${repo}]`,
    `name=${repo} (albs-ci)`,
    `baseurl=${pathToFileURL(dir).href}`,
    'enabled=1',
    'gpgcheck=1',
    'repo_gpgcheck=1',
    `gpgkey=${pathToFileURL(join(dir, keyFile)).href}`,
    '',
  ].join('\n');
}
