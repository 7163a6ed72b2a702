/**
 * Turns a directory of RPMs into a dnf/yum repository: createrepo_c writes repodata/, then the signer
 * signs repodata/repomd.xml into repomd.xml.asc, which dnf checks with `repo_gpgcheck=1`. Packages
 * must be signed before this runs: repodata records their checksums.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Signer } from '../sign/signer.js';

export interface CreateDnfRepoOptions {
  /** Signs repomd.xml; without one the repository is unsigned and a stale repomd.xml.asc is removed. */
  readonly signer?: Signer | undefined;
  /** Reuse the existing repodata (createrepo_c --update): faster when few packages changed. */
  readonly update: boolean;
  /** The createrepo_c program; default `createrepo_c` from PATH. */
  readonly createrepo?: string;
}

export interface DnfRepo {
  readonly dir: string;
  readonly repomd: string;
  /** repomd.xml.asc, when a signer signed it. */
  readonly signature: string | undefined;
}

export class CreateRepoError extends Error {
  override name = 'CreateRepoError';
}

export async function createDnfRepo(dir: string, options: CreateDnfRepoOptions): Promise<DnfRepo> {
  const program = options.createrepo ?? 'createrepo_c';
  const args = [...(options.update ? ['--update'] : []), dir];
  const result = await execa(program, args, { reject: false, stdin: 'ignore', all: true });
  if (result.failed) {
    const missing = (result.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
    const message = missing
      ? `${program} not found; install it (Debian/Ubuntu: createrepo-c, Fedora/EL: createrepo_c)`
      : `${program} ${args.join(' ')} failed (exit code ${result.exitCode ?? 'none'}): ${tail(result.all)}; check that ${dir} is a writable directory of .rpm files`;
    throw new CreateRepoError(message, { cause: result.cause ?? result });
  }
  const repomd = join(dir, 'repodata', 'repomd.xml');
  if (!options.signer) {
    // A signature of an earlier repomd.xml would make dnf refuse the repository with a misleading error.
    await rm(`${repomd}.asc`, { force: true });
    return { dir, repomd, signature: undefined };
  }
  const [signature] = await options.signer.signRepoMetadata({ kind: 'dnf', repomd });
  return { dir, repomd, signature };
}

function tail(output: string | undefined): string {
  const lines = (output ?? '').trim().split('\n');
  return lines.slice(-5).join(' / ') || 'no output';
}
