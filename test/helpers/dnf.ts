import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

export interface DnfInstall {
  exitCode: number | undefined;
  output: string;
  /** The installroot the package went into. */
  root: string;
  installed: boolean;
}

/**
 * `dnf install NAME` into an empty root that sees only the repository `repoFile` describes, with
 * both gpg checks forced on: the way a user installs from a published repository.
 */
export async function dnfInstall(repoFile: string, name: string): Promise<DnfInstall> {
  const dir = await mkdtemp(join(tmpdir(), 'albs-dnf-'));
  const reposdir = join(dir, 'repos.d');
  await mkdir(reposdir);
  await writeFile(join(reposdir, 'albs-test.repo'), repoFile);
  const root = join(dir, 'root');
  const run = await execa(
    'dnf',
    [
      '-y',
      `--installroot=${root}`,
      '--releasever=9',
      `--setopt=reposdir=${reposdir}`,
      `--setopt=cachedir=${join(dir, 'cache')}`,
      '--setopt=gpgcheck=1',
      '--setopt=repo_gpgcheck=1',
      '--setopt=install_weak_deps=False',
      'install',
      name,
    ],
    { reject: false, all: true, stdin: 'ignore' },
  );
  const installed = await execa('rpm', ['--root', root, '-q', name], { reject: false });
  // dnf starts a gpg-agent for the root's keyring when it imports the key: stop it.
  await execa('gpgconf', ['--homedir', join(root, 'root', '.gnupg'), '--kill', 'all'], { reject: false });
  return { exitCode: run.exitCode, output: String(run.all), root, installed: installed.exitCode === 0 };
}
