/**
 * Publishes signed packages into a dnf repository on disk, so that readers never see it half-written:
 * every publication is a new directory (existing packages hard-linked, new ones copied, old versions
 * pruned, createrepo_c, repomd.xml.asc, and the repodata files the replaced repomd.xml names, kept
 * for clients that read it just before the switch), and `repos/<repo>` is a symlink switched to it
 * in one rename (repo-dirs.ts: the lock, the switch and the cleanup). A crash at any point leaves
 * the previous repository in place. A package file name already published is refused with other
 * bytes and changes nothing with the same bytes: publishing the same packages again gives the
 * same packages.
 */
import { copyFile, link, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import type { Signer } from '../sign/signer.js';
import { exists } from '../store/exists.js';
import { createDnfRepo } from './create-dnf-repo.js';
import {
  addPackage,
  type PackageVersion,
  PublishError,
  pruneVersions,
  publishRepoDir,
  type RepoDirOptions,
} from './repo-dirs.js';
import { compareEvr, type Evr } from './rpm-version.js';

export interface PublishDnfOptions extends RepoDirOptions {
  /** Signed binary rpms to add. */
  packages: readonly string[];
  signer: Signer;
  /** The armored public key users import: published as RPM-GPG-KEY-<keyName>. */
  publicKey: string;
  keyName: string;
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
  const link_ = join(reposDir, repo);
  const keyFile = `RPM-GPG-KEY-${options.keyName}`;
  const repoFile = `${repo}.repo`;
  const { added, removed } = await publishRepoDir(
    options,
    ['Packages'],
    async ({ staging, current, log }) => {
      const packagesDir = join(staging, 'Packages');
      await mkdir(packagesDir, { recursive: true });
      // createrepo_c --update reuses what it can of the live repodata; a copy, as it rewrites it.
      if (current) await copyRepodata(current, staging);
      const added: string[] = [];
      const given = new Map<string, string>();
      for (const pkg of options.packages) {
        const name = basename(pkg);
        if (!name.endsWith('.rpm') || name.startsWith('.'))
          throw new PublishError(`${pkg}: not an .rpm file name`);
        if (await addPackage(packagesDir, name, pkg, { repo, given, bump: 'Release' })) added.push(name);
      }
      const removed = await pruneVersions(
        packagesDir,
        await rpmVersions(packagesDir, keep),
        compareNewestFirst,
        {
          repo,
          keep,
          added: new Set(added),
          log,
        },
      );

      await createDnfRepo(staging, { signer: options.signer, update: current !== null });
      if (current) await keepPreviousRepodata(current, staging, { repo, log });
      await writeFile(join(staging, keyFile), options.publicKey);
      await writeFile(
        join(staging, repoFile),
        repoFileText(repo, options.baseUrl ?? `${pathToFileURL(resolve(link_)).href}/`, keyFile),
      );
      return { added, removed };
    },
  );
  options.log?.(`${repo}: published ${added.length} package${added.length === 1 ? '' : 's'}`);
  return { dir: link_, repoFile: join(link_, repoFile), keyFile: join(link_, keyFile), added, removed };
}

/** repomd.xml and the files it names: what createrepo_c --update reads (no earlier generation's). */
async function copyRepodata(from: string, to: string): Promise<void> {
  const names = await repodataFiles(from);
  if (!names.length) return;
  await mkdir(join(to, 'repodata'));
  for (const name of ['repomd.xml', ...names]) {
    // One missing makes createrepo_c read the packages again instead: slower, not wrong.
    await copyFile(join(from, 'repodata', name), join(to, 'repodata', name)).catch(ignoreMissing);
  }
}

/**
 * Hard links of the files the live repomd.xml names (primary, filelists, other … under their hashed
 * names, not repomd.xml) into the new repodata/, which createrepo_c has just written: a client that
 * fetched the live repomd.xml a moment before the switch fetches them from the new directory. The
 * next publication links only what this one's repomd.xml names, so they stay for one publication.
 */
async function keepPreviousRepodata(
  current: string,
  staging: string,
  context: { repo: string; log: (line: string) => void },
): Promise<void> {
  const missing: string[] = [];
  for (const name of await repodataFiles(current)) {
    const target = join(staging, 'repodata', name);
    if (await exists(target)) continue; // createrepo_c wrote the same file again
    await link(join(current, 'repodata', name), target).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      missing.push(name);
    });
  }
  if (missing.length) {
    context.log(
      `${context.repo}: the live repomd.xml names ${missing.join(', ')}, missing from its repodata/; clients that read it before this publication cannot fetch them`,
    );
  }
}

/** The file names that `dir`'s repodata/repomd.xml names below repodata/; none without a repomd.xml. */
async function repodataFiles(dir: string): Promise<string[]> {
  const repomd = await readFile(join(dir, 'repodata', 'repomd.xml'), 'utf8').catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  });
  const names = [...repomd.matchAll(/<location href="repodata\/([^"/]+)"/g)].map((m) => m[1]!);
  return [...new Set(names)].filter((name) => name !== 'repomd.xml' && !name.startsWith('.'));
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}

function compareNewestFirst(a: Evr, b: Evr): number {
  return compareEvr(b, a);
}

/** Name.arch and EVR of every rpm in `dir`, read by rpm in one run; none when there are at most `keep`. */
async function rpmVersions(dir: string, keep: number): Promise<PackageVersion<Evr>[]> {
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
  return lines.map((line, i) => {
    const [name, arch, epoch, version, release] = line.split('\t');
    return {
      path: files[i]!,
      group: `${name}.${arch}`,
      version: { epoch: Number(epoch), version: version ?? '', release: release ?? '' },
    };
  });
}

/** `base`: the repository's URL, ending in "/". */
function repoFileText(repo: string, base: string, keyFile: string): string {
  return [
    `[${repo}]`,
    `name=${repo} (albs-ci)`,
    `baseurl=${base}`,
    'enabled=1',
    'gpgcheck=1',
    'repo_gpgcheck=1',
    `gpgkey=${new URL(encodeURIComponent(keyFile), base).href}`,
    '',
  ].join('\n');
}
