/**
 * apt-get against one published repository only: a private apt configuration (APT_CONFIG) whose
 * only source is the repository's .sources file, with no trusted keys but the one its Signed-By
 * names, and state, cache and the install root in a temporary directory. Nothing of the host's
 * apt setup (sources, keys, apt.conf.d hooks) takes part, and the host's packages stay untouched.
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { tempDir } from '../runner/helpers.js';

export interface AptClient {
  /** The root `install` installs into (dpkg --root). */
  root: string;
  update(): Promise<AptResult>;
  /** `apt-get install -y PACKAGES` into `root`. */
  install(...packages: string[]): Promise<AptResult>;
  /** apt-cache ARGS (policy, madison …). */
  cache(...args: string[]): Promise<AptResult>;
  /** The version dpkg in `root` has installed of a package, or '' when none. */
  installedVersion(name: string): Promise<string>;
}

export interface AptResult {
  exitCode: number;
  /** stdout and stderr, interleaved. */
  all: string;
}

export async function aptClient(sourcesFile: string): Promise<AptClient> {
  const dir = await tempDir('albs-apt-');
  const etc = join(dir, 'etc');
  const root = join(dir, 'root');
  for (const d of [
    'etc/apt.conf.d',
    'etc/sources.list.d',
    'etc/trusted.gpg.d',
    'etc/preferences.d',
    'state/lists/partial',
    'cache/archives/partial',
    'root/var/lib/dpkg/updates',
    'root/var/lib/dpkg/info',
  ]) {
    await mkdir(join(dir, d), { recursive: true });
  }
  await writeFile(join(root, 'var/lib/dpkg/status'), '');
  await copyFile(sourcesFile, join(etc, 'sources.list.d', 'albs.sources'));
  const config = join(dir, 'apt.conf');
  await writeFile(
    config,
    [
      `Dir::Etc "${etc}";`,
      'Dir::Etc::main "/dev/null";',
      `Dir::Etc::parts "${etc}/apt.conf.d";`,
      // Only the published repository: no sources.list, no host keys.
      'Dir::Etc::sourcelist "/dev/null";',
      `Dir::Etc::sourceparts "${etc}/sources.list.d";`,
      `Dir::Etc::trusted "${etc}/trusted.gpg";`,
      `Dir::Etc::trustedparts "${etc}/trusted.gpg.d";`,
      `Dir::Etc::preferencesparts "${etc}/preferences.d";`,
      `Dir::State "${dir}/state";`,
      // The host's package list, so that the package's Depends (libc6) count as met; dpkg itself
      // works on `root`, which has none, hence --force-depends below.
      'Dir::State::status "/var/lib/dpkg/status";',
      `Dir::Cache "${dir}/cache";`,
      `DPkg::Options { "--root=${root}"; "--force-depends"; "--log=${dir}/dpkg.log"; };`,
      'Debug::NoLocking "1";',
      // Temporary directories are private to root; apt's _apt sandbox user could not read them.
      'APT::Sandbox::User "root";',
      '',
    ].join('\n'),
  );
  const run = async (file: string, args: string[]): Promise<AptResult> => {
    const result = await execa(file, args, {
      env: { APT_CONFIG: config, DEBIAN_FRONTEND: 'noninteractive', LANG: 'C' },
      reject: false,
      all: true,
      stdin: 'ignore',
    });
    return { exitCode: result.exitCode ?? -1, all: String(result.all) };
  };
  return {
    root,
    update: () => run('apt-get', ['update']),
    install: (...packages) => run('apt-get', ['install', '-y', '--no-install-recommends', ...packages]),
    cache: (...args) => run('apt-cache', args),
    installedVersion: async (name) => {
      const query = await execa('dpkg-query', ['--root', root, '-W', '-f', '${Version}', name], {
        reject: false,
        stdin: 'ignore',
      });
      return query.exitCode === 0 ? query.stdout : '';
    },
  };
}
