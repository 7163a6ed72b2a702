/**
 * Real tools for the signing tests: tiny packages built by rpmbuild, rpm databases and gpg homes in
 * temporary directories, all removed (and their gpg-agents stopped) after each file.
 */
import { chmod, mkdir, mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll } from 'vitest';
import { generateSigningKey, type KeyType, OpenpgpSigner, readKeyMaterial } from '../../src/sign/index.js';
import { readRpmPackage } from '../../src/sign/rpm-package.js';

const cleanups: (() => Promise<void>)[] = [];

/** A temporary directory removed after the test file (gpg homes inside have their agents stopped). */
export async function tempDir(prefix = 'albs-sign-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  cleanups.push(async () => {
    await stopGpgAgents(dir);
    await rm(dir, { recursive: true, force: true });
  });
  return dir;
}

afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** dnf and gpg start one gpg-agent per keyring directory; stop every one below `dir`. */
async function stopGpgAgents(dir: string): Promise<void> {
  const homes: string[] = [];
  const walk = async (d: string, depth: number): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true }).catch(() => []);
    if (entries.some((e) => e.name === 'pubring.kbx' || e.name === 'pubring.gpg')) homes.push(d);
    if (depth > 6) return;
    for (const e of entries) if (e.isDirectory()) await walk(join(d, e.name), depth + 1);
  };
  await walk(dir, 0);
  for (const home of homes) await execa('gpgconf', ['--homedir', home, '--kill', 'all'], { reject: false });
}

export interface PackageSpec {
  name: string;
  version?: string;
  /** Bytes of payload: enough to make sure a payload edit lands in compressed data. */
  payloadBytes?: number;
}

/** Builds noarch packages with one rpmbuild run (one subpackage each); returns their paths in order. */
export async function buildRpms(dir: string, specs: readonly PackageSpec[]): Promise<string[]> {
  const top = join(dir, 'rpmbuild');
  const [main, ...subs] = specs;
  if (!main) return [];
  const fileOf = (s: PackageSpec) => `/usr/share/${s.name}/data.txt`;
  const contentOf = (s: PackageSpec) =>
    Array.from(
      { length: Math.ceil((s.payloadBytes ?? 64) / 32) },
      (_, i) => `${s.name} line ${i} 0123456789`,
    ).join('\\n');
  const lines = [
    `Name: ${main.name}`,
    `Version: ${main.version ?? '1.0'}`,
    'Release: 1',
    'Summary: albs signing test package',
    'License: MIT',
    'BuildArch: noarch',
    // An empty dnf installroot cannot satisfy the automatic /bin/sh requirement (FACTS.md).
    'AutoReqProv: no',
    '%description',
    'A package for the albs signing tests.',
    ...subs.flatMap((s) => [
      `%package -n ${s.name}`,
      `Summary: albs signing test package ${s.name}`,
      `Version: ${s.version ?? '1.0'}`,
      `%description -n ${s.name}`,
      'A package for the albs signing tests.',
    ]),
    '%install',
    ...specs.flatMap((s) => [
      `mkdir -p %{buildroot}/usr/share/${s.name}`,
      `printf '${contentOf(s)}\\n' > %{buildroot}${fileOf(s)}`,
    ]),
    '%files',
    fileOf(main),
    ...subs.flatMap((s) => [`%files -n ${s.name}`, fileOf(s)]),
  ];
  await mkdir(top, { recursive: true });
  const spec = join(dir, `${main.name}.spec`);
  await writeFile(spec, `${lines.join('\n')}\n`);
  await execa('rpmbuild', ['--define', `_topdir ${top}`, '--quiet', '-bb', spec], { stdin: 'ignore' });
  const out = join(dir, 'rpms');
  await mkdir(out, { recursive: true });
  const paths: string[] = [];
  for (const s of specs) {
    const file = `${s.name}-${s.version ?? '1.0'}-1.noarch.rpm`;
    const path = join(out, file);
    await writeFile(path, await readFile(join(top, 'RPMS', 'noarch', file)));
    paths.push(path);
  }
  return paths;
}

export async function buildRpm(dir: string, spec: PackageSpec): Promise<string> {
  const [path] = await buildRpms(dir, [spec]);
  return path!;
}

/** A private rpm database with `publicKeys` imported, and checksig at the level that requires a signature. */
export async function rpmKeyring(dir: string, publicKeys: readonly string[]) {
  const root = join(dir, `rpmroot-${Math.random().toString(36).slice(2)}`);
  await mkdir(root, { recursive: true });
  for (const key of publicKeys) await execa('rpmkeys', ['--root', root, '--import', key]);
  return {
    root,
    /** rpmkeys' exit code is the number of packages that failed. */
    checksig: (files: readonly string[]) =>
      execa('rpmkeys', ['--root', root, '--define', '_pkgverify_level signature', '--checksig', ...files], {
        reject: false,
      }),
  };
}

export interface TestKey {
  dir: string;
  privateKey: string;
  publicKey: string;
  signer: OpenpgpSigner;
}

/** A key made by albs itself (as `albs keygen` makes it), with a one-thread signer. */
export async function makeKey(type: KeyType, passphrase?: string): Promise<TestKey> {
  const dir = await tempDir('albs-key-');
  const key = await generateSigningKey(join(dir, 'keys'), {
    name: `Test ${type}`,
    email: `${type}@example.org`,
    type,
    passphrase,
  });
  const material = await readKeyMaterial(
    { keyFile: key.privateKeyPath },
    passphrase ? { ALBS_KEY_PASSPHRASE: passphrase } : {},
  );
  const signer = await OpenpgpSigner.create(material, { threads: 1 });
  return { dir, privateKey: key.privateKeyPath, publicKey: key.publicKeyPath, signer };
}

/** A throwaway gpg home. */
export async function gpgHome(): Promise<{ home: string; gpg: (args: string[]) => Promise<string> }> {
  const home = join(await tempDir('albs-gpg-'), 'gnupg');
  await mkdir(home, { recursive: true });
  await chmod(home, 0o700);
  const gpg = async (args: string[]) =>
    (await execa('gpg', ['--homedir', home, '--batch', '--no-tty', ...args], { stdin: 'ignore' })).stdout;
  return { home, gpg };
}

/** A binary keyring holding `publicKey`, for gpgv. */
export async function gpgvKeyring(publicKey: string): Promise<string> {
  const { home, gpg } = await gpgHome();
  await gpg(['--import', publicKey]);
  const keyring = join(home, 'trusted.gpg');
  // Binary output: execa must not strip a final 0x0a byte, which belongs to the key here.
  const exported = await execa('gpg', ['--homedir', home, '--batch', '--export'], {
    encoding: 'buffer',
    stripFinalNewline: false,
  });
  await writeFile(keyring, exported.stdout);
  return keyring;
}

/** Flips one byte of a file in place (for tampering tests). */
export async function flipByte(path: string, offset: number): Promise<void> {
  const bytes = await readFile(path);
  bytes[offset] = (bytes[offset] ?? 0) ^ 0xff;
  await writeFile(path, bytes);
}

/** Where the parts of a package start, read with albs' own parser. */
export async function rpmLayout(path: string) {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const pkg = await readRpmPackage(handle, path, size);
    // The summary's first letter: editing it keeps the header readable but changes its digest.
    const summary = pkg.header.entries.find((e) => e.tag === 1004);
    if (!summary) throw new Error(`${path} has no summary tag`);
    return {
      size,
      signature: pkg.signature,
      headerOffset: pkg.header.offset,
      payloadOffset: pkg.payloadOffset,
      summaryOffset: summary.data.byteOffset - pkg.head.byteOffset,
    };
  } finally {
    await handle.close();
  }
}
