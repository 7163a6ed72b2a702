/**
 * `rpmsign --addsign` (gpg, the same key imported) against `albs sign rpm` on the same small packages,
 * batches of 100 and of 200, for RSA-4096 and Ed25519 keys: whole-process wall time of one call each,
 * side by side, several rounds, every output then checked by rpmkeys. The goal is albs at least 5x
 * faster on RSA-4096 at both sizes: the smaller batch shows albs's fixed cost (start, key, threads).
 */
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { generateSigningKey, type KeyType } from '../src/sign/index.js';
import { seconds, spread } from './spread.js';

/** Batch sizes, each timed in one call of each tool. */
const SIZES = [100, 200] as const;
const PACKAGES = Math.max(...SIZES);
const ROUNDS = 3;
const ALBS = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

export async function benchSign(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'albs-bench-sign-'));
  try {
    const rpms = await buildPackages(work, PACKAGES);
    process.stdout.write(
      `sign rpm: packages built by rpmbuild, ${availableParallelism()} cores; one call of each tool per batch, wall time, median (lowest-highest)\n`,
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

    const all = await rpmFiles(rpms);
    for (const size of SIZES) {
      const rpmsignTimes: number[] = [];
      const albsTimes: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const run = join(dir, `${size}-${round}`);
        const rpmsignFiles = await copyFirst(all, size, join(run, 'rpmsign'));
        const albsFiles = await copyFirst(all, size, join(run, 'albs'));
        const sides = [
          async () => rpmsignTimes.push(await timed(() => rpmsign(home, email, rpmsignFiles))),
          async () =>
            albsTimes.push(
              await timed(() =>
                execa(process.execPath, [ALBS, 'sign', 'rpm', '--key', key.privateKeyPath, ...albsFiles], {
                  stdin: 'ignore',
                }),
              ),
            ),
        ];
        // Side by side: which tool goes first alternates, so a busy spell of a shared machine hits both.
        if (round % 2 === 1) sides.reverse();
        for (const side of sides) await side();
        await checkAll(run, key.publicKeyPath, [...rpmsignFiles, ...albsFiles]);
        await rm(run, { recursive: true, force: true });
      }
      const ratios = rpmsignTimes.map((r, i) => r / albsTimes[i]!);
      process.stdout.write(
        `sign rpm ${label}, ${size} packages: rpmsign ${spread(rpmsignTimes, seconds)}, albs ${spread(albsTimes, seconds)}:` +
          ` ${spread(ratios, (r) => `${r.toFixed(1)}x`)} faster (${ROUNDS} rounds; every output verified by rpmkeys)\n`,
      );
    }
  } finally {
    await execa('gpgconf', ['--homedir', home, '--kill', 'all'], { reject: false });
  }
}

function rpmsign(home: string, email: string, files: string[]) {
  return execa(
    'rpmsign',
    [
      '--define',
      '__gpg /usr/bin/gpg',
      '--define',
      `_gpg_path ${home}`,
      '--define',
      `_gpg_name ${email}`,
      '--addsign',
      ...files,
    ],
    { stdin: 'ignore' },
  );
}

/** Copies of the first `count` packages in `dir`, for one tool to sign in place. */
async function copyFirst(files: string[], count: number, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const copies = files.slice(0, count).map((f) => join(dir, basename(f)));
  await Promise.all(copies.map((copy, i) => copyFile(files[i]!, copy)));
  return copies;
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
