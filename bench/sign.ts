/**
 * `rpmsign --addsign` (gpg, the same key imported) against `albs sign rpm` on the same 200 small
 * packages, for RSA-4096 and Ed25519 keys: whole-process wall time of one call each, every output then
 * checked by rpmkeys. The goal is albs at least 5x faster on RSA-4096.
 */
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { generateSigningKey, type KeyType } from '../src/sign/index.js';

const PACKAGES = 200;
const ALBS = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

export async function benchSign(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'albs-bench-sign-'));
  try {
    const rpms = await buildPackages(work, PACKAGES);
    process.stdout.write(
      `sign rpm: ${PACKAGES} packages built by rpmbuild, ${availableParallelism()} cores; one call of each tool, wall time\n`,
    );
    for (const [type, label] of [
      ['rsa4096', 'RSA-4096'],
      ['ed25519', 'Ed25519'],
    ] as const) {
      await benchKey(work, rpms, type, label);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function benchKey(work: string, rpms: string, type: KeyType, label: string): Promise<void> {
  const dir = join(work, type);
  const email = `bench-${type}@example.org`;
  const key = await generateSigningKey(join(dir, 'keys'), {
    name: `Bench ${label}`,
    email,
    type,
    passphrase: undefined,
  });
  const home = join(dir, 'gnupg');
  await mkdir(home, { recursive: true, mode: 0o700 });
  const gpg = (args: string[]) => execa('gpg', ['--homedir', home, '--batch', ...args], { stdin: 'ignore' });
  try {
    await gpg(['--import', key.privateKeyPath]);
    // The agent would start on rpmsign's first package; start it now so only signing is timed.
    await execa('gpg-connect-agent', ['--homedir', home, '/bye']);

    const rpmsignDir = join(dir, 'rpmsign');
    const albsDir = join(dir, 'albs');
    await cp(rpms, rpmsignDir, { recursive: true });
    await cp(rpms, albsDir, { recursive: true });
    const rpmsignFiles = await rpmFiles(rpmsignDir);
    const albsFiles = await rpmFiles(albsDir);

    const rpmsign = await timed(() =>
      execa(
        'rpmsign',
        [
          '--define',
          '__gpg /usr/bin/gpg',
          '--define',
          `_gpg_path ${home}`,
          '--define',
          `_gpg_name ${email}`,
          '--addsign',
          ...rpmsignFiles,
        ],
        { stdin: 'ignore' },
      ),
    );
    const albs = await timed(() =>
      execa(process.execPath, [ALBS, 'sign', 'rpm', '--key', key.privateKeyPath, ...albsFiles], {
        stdin: 'ignore',
      }),
    );

    await checkAll(dir, key.publicKeyPath, [...rpmsignFiles, ...albsFiles]);
    const ratio = rpmsign / albs;
    process.stdout.write(
      `sign rpm ${label}: rpmsign ${seconds(rpmsign)}, albs ${seconds(albs)}, ${ratio.toFixed(1)}x faster` +
        ` (${(albs / PACKAGES).toFixed(1)} ms per package; all ${2 * PACKAGES} outputs verified by rpmkeys)\n`,
    );
  } finally {
    await execa('gpgconf', ['--homedir', home, '--kill', 'all'], { reject: false });
  }
}

/** One spec with a subpackage each: rpmbuild makes all of them in one run. */
async function buildPackages(work: string, count: number): Promise<string> {
  const names = Array.from({ length: count }, (_, i) => `bench-${String(i).padStart(3, '0')}`);
  const [main, ...subs] = names;
  const spec = [
    `Name: ${main}`,
    'Version: 1.0',
    'Release: 1',
    'Summary: albs signing benchmark package',
    'License: MIT',
    'BuildArch: noarch',
    'AutoReqProv: no',
    '%description',
    'A package for the albs signing benchmark.',
    ...subs.flatMap((n) => [`%package -n ${n}`, `Summary: ${n}`, `%description -n ${n}`, n]),
    '%install',
    ...names.flatMap((n) => [
      `mkdir -p %{buildroot}/usr/share/${n}`,
      `echo ${n} > %{buildroot}/usr/share/${n}/data.txt`,
    ]),
    '%files',
    `/usr/share/${main}/data.txt`,
    ...subs.flatMap((n) => [`%files -n ${n}`, `/usr/share/${n}/data.txt`]),
  ];
  const top = join(work, 'rpmbuild');
  const specFile = join(work, 'bench.spec');
  await writeFile(specFile, `${spec.join('\n')}\n`);
  await execa('rpmbuild', ['--define', `_topdir ${top}`, '--quiet', '-bb', specFile], { stdin: 'ignore' });
  const out = join(top, 'RPMS', 'noarch');
  const built = await rpmFiles(out);
  if (built.length !== count)
    throw new Error(`rpmbuild made ${built.length} packages in ${out}, expected ${count}`);
  return out;
}

async function rpmFiles(dir: string): Promise<string[]> {
  return (await readdir(dir))
    .filter((f) => f.endsWith('.rpm'))
    .sort()
    .map((f) => join(dir, f));
}

async function checkAll(dir: string, publicKey: string, files: string[]): Promise<void> {
  const root = join(dir, 'rpmdb');
  await mkdir(root, { recursive: true });
  await execa('rpmkeys', ['--root', root, '--import', publicKey]);
  const check = await execa(
    'rpmkeys',
    ['--root', root, '--define', '_pkgverify_level signature', '--checksig', ...files],
    { reject: false },
  );
  const bad = check.stdout.split('\n').filter((line) => !line.endsWith(': digests signatures OK'));
  if (check.exitCode !== 0 || bad.length > 0) {
    throw new Error(`rpmkeys refused ${check.exitCode} signed packages:\n${bad.slice(0, 5).join('\n')}`);
  }
}

/** Wall time of one command; a failure is reported by its exit code and last lines, not its 200 arguments. */
async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  try {
    await run();
  } catch (error) {
    const e = error as { command?: string; exitCode?: number; stderr?: string; message: string };
    const tool = e.command?.split(' ').slice(0, 4).join(' ') ?? 'command';
    const stderr = (e.stderr ?? e.message).trim().split('\n').slice(-5).join('\n');
    throw new Error(`${tool} ... failed (exit code ${e.exitCode ?? 'none'}):\n${stderr}`, { cause: error });
  }
  return performance.now() - started;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
