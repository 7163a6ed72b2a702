import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { albs } from '../helpers/cli.js';
import { buildRpms, rpmKeyring, tempDir } from './helpers.js';

/** What `albs keygen` wrote, and the text a log must never contain. */
interface CliKey {
  dir: string;
  privateKey: string;
  publicKey: string;
  /** Lines of the armored private key body: any of them in output would be a leak. */
  secretLines: string[];
}

async function keygen(type: 'rsa4096' | 'ed25519', extra: string[] = []): Promise<CliKey> {
  const dir = join(await tempDir(), 'keys');
  const run = await albs([
    'keygen',
    '--name',
    `Cli ${type}`,
    '--email',
    `cli-${type}@example.org`,
    '--type',
    type,
    ...extra,
    '--out',
    dir,
  ]);
  expect(run.stderr).toBe('');
  expect(run.exitCode).toBe(0);
  const privateKey = join(dir, 'signing-key.asc');
  const armored = await readFile(privateKey, 'utf8');
  const secretLines = armored.split('\n').filter((l) => l.length >= 40 && !l.startsWith('-----'));
  return { dir, privateKey, publicKey: join(dir, 'signing-key.pub.asc'), secretLines };
}

let rsa: CliKey;
let ed: CliKey;

beforeAll(async () => {
  [rsa, ed] = await Promise.all([keygen('rsa4096'), keygen('ed25519')]);
}, 120_000);

describe('albs keygen', () => {
  it('writes a private key only its owner can read and a public key rpm imports', async () => {
    for (const key of [rsa, ed]) {
      expect((await stat(key.privateKey)).mode & 0o777).toBe(0o600);
      expect(await readFile(key.privateKey, 'utf8')).toMatch(/^-----BEGIN PGP PRIVATE KEY BLOCK-----/);
      expect(await readFile(key.publicKey, 'utf8')).toMatch(/^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
      await expect(rpmKeyring(key.dir, [key.publicKey])).resolves.toBeDefined();
    }
  });

  it('never overwrites an existing key', async () => {
    const before = await readFile(ed.privateKey);
    const again = await albs([
      'keygen',
      '--name',
      'Other',
      '--email',
      'other@example.org',
      '--type',
      'ed25519',
      '--out',
      ed.dir,
    ]);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain(`${ed.privateKey} already exists; albs keygen never overwrites a key`);
    expect((await readFile(ed.privateKey)).equals(before)).toBe(true);
  });

  it('protects the key with a passphrase file; signing then needs the passphrase, never from argv', async () => {
    const dir = await tempDir();
    const passFile = join(dir, 'pass');
    await writeFile(passFile, 'tr0ub4dor&3\n');
    const key = await keygen('ed25519', ['--passphrase-file', passFile]);
    const [rpm] = await buildRpms(dir, [{ name: 'cli-protected' }]);

    const without = await albs(['sign', 'rpm', '--key', key.privateKey, rpm!]);
    expect(without.exitCode).toBe(2);
    expect(without.stderr).toMatch(
      /protected by a passphrase: pass --passphrase-file FILE or set ALBS_KEY_PASSPHRASE/,
    );
    const onArgv = await albs(['sign', 'rpm', '--key', key.privateKey, '--passphrase', 'tr0ub4dor&3', rpm!]);
    expect(onArgv.exitCode).toBe(2);
    expect(onArgv.stderr).toMatch(/unknown option '--passphrase'/);

    const fromFile = await albs([
      'sign',
      'rpm',
      '--key',
      key.privateKey,
      '--passphrase-file',
      passFile,
      rpm!,
    ]);
    expect(fromFile.exitCode).toBe(0);
    const fromEnv = await albs(['sign', 'rpm', '--key', key.privateKey, rpm!], {
      env: { ALBS_KEY_PASSPHRASE: 'tr0ub4dor&3' },
    });
    expect(fromEnv.exitCode).toBe(0);
    expect(fromEnv.stdout).toContain('replaced the earlier signature');
  });
});

describe('albs sign rpm and albs verify rpm', () => {
  it('signs many packages in one call; rpmkeys and albs verify each', async () => {
    const dir = await tempDir();
    const rpms = await buildRpms(
      dir,
      Array.from({ length: 12 }, (_, i) => ({ name: `many-${i}` })),
    );

    const run = await albs(['sign', 'rpm', '--jobs', '2', '--key', rsa.privateKey, ...rpms]);

    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('signed 12 packages with RSA key');
    for (const rpm of rpms) expect(run.stdout).toContain(`signed ${rpm} (`);
    const check = await (await rpmKeyring(dir, [rsa.publicKey])).checksig(rpms);
    expect(check.stdout.split('\n')).toEqual(rpms.map((rpm) => `${rpm}: digests signatures OK`));
    const verify = await albs(['verify', 'rpm', '--key', rsa.publicKey, ...rpms]);
    expect(verify.exitCode).toBe(0);
    expect(verify.stdout.split('\n')).toHaveLength(rpms.length);
  });

  it('signs the good packages of a batch and leaves a bad one untouched, exit 1', async () => {
    const dir = await tempDir();
    const rpms = await buildRpms(
      dir,
      Array.from({ length: 6 }, (_, i) => ({ name: `batch-${i}` })),
    );
    const bad = join(dir, 'broken.rpm');
    const good = await readFile(rpms[0]!);
    await writeFile(bad, good.subarray(0, 500));

    const run = await albs(['sign', 'rpm', '--jobs', '2', '--key', ed.privateKey, ...rpms, bad], {
      env: { ALBS_SIGNING_KEY: '' },
    });

    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(`albs: not signed: ${bad}: truncated RPM`);
    expect(run.stderr).toContain('1 of 7 packages not signed (left unchanged)');
    expect((await readFile(bad)).equals(good.subarray(0, 500))).toBe(true);
    expect((await (await rpmKeyring(dir, [ed.publicKey])).checksig(rpms)).exitCode).toBe(0);
  });

  it('takes the key from ALBS_SIGNING_KEY; verify fails (exit 1) on a changed or foreign package', async () => {
    const dir = await tempDir();
    const [a, b] = await buildRpms(dir, [{ name: 'env-a' }, { name: 'env-b' }]);
    const run = await albs(['sign', 'rpm', a!, b!], {
      env: { ALBS_SIGNING_KEY: await readFile(ed.privateKey, 'utf8') },
    });
    expect(run.exitCode).toBe(0);

    const bytes = await readFile(b!);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 1;
    await writeFile(b!, bytes);
    const verify = await albs(['verify', 'rpm', '--key', ed.publicKey, a!, b!]);
    expect(verify.exitCode).toBe(1);
    expect(verify.stdout).toMatch(new RegExp(`^${a}: digests signatures OK \\(key [0-9A-F]{16}\\)$`, 'm'));
    expect(verify.stdout).toContain(`${b}: NOT OK`);
    expect(verify.stdout).toMatch(/payload SHA256 \(tag 5092\) digest mismatch/);

    const foreign = await albs(['verify', 'rpm', '--key', rsa.publicKey, a!]);
    expect(foreign.exitCode).toBe(1);
    expect(foreign.stdout).toMatch(/which is not among the given keys/);
  });

  it('exits 2, signing nothing, for a missing file, a missing key or a public key', async () => {
    const dir = await tempDir();
    const [rpm] = await buildRpms(dir, [{ name: 'usage' }]);
    const before = await readFile(rpm!);

    const missing = await albs(['sign', 'rpm', '--key', rsa.privateKey, rpm!, join(dir, 'nope.rpm')]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain(`no such file: ${join(dir, 'nope.rpm')}; nothing was done`);
    const noKey = await albs(['sign', 'rpm', rpm!], { env: { ALBS_SIGNING_KEY: '' } });
    expect(noKey.exitCode).toBe(2);
    expect(noKey.stderr).toMatch(/no signing key: pass --key FILE or set ALBS_SIGNING_KEY/);
    const publicKey = await albs(['sign', 'rpm', '--key', rsa.publicKey, rpm!]);
    expect(publicKey.exitCode).toBe(2);
    expect(publicKey.stderr).toContain(`${rsa.publicKey}: this is a public key, which cannot sign`);
    expect((await readFile(rpm!)).equals(before)).toBe(true);
    const noVerifyKey = await albs(['verify', 'rpm', '--key', join(dir, 'none.asc'), rpm!]);
    expect(noVerifyKey.exitCode).toBe(2);
  });
});

describe('albs sign repomd / apt-release', () => {
  it('writes the signature files and says where', async () => {
    const dir = await tempDir();
    const repodata = join(dir, 'repo', 'repodata');
    await mkdir(repodata, { recursive: true });
    await writeFile(join(repodata, 'repomd.xml'), '<repomd/>\n');
    await writeFile(join(dir, 'Release'), 'Suite: stable\n');

    const repomd = await albs(['sign', 'repomd', '--key', ed.privateKey, join(dir, 'repo')]);
    expect(repomd.exitCode).toBe(0);
    expect(repomd.stdout).toContain(`wrote ${join(repodata, 'repomd.xml.asc')}`);
    const release = await albs(['sign', 'apt-release', '--key', ed.privateKey, join(dir, 'Release')]);
    expect(release.exitCode).toBe(0);
    expect(release.stdout).toContain(`wrote ${join(dir, 'InRelease')}`);
    expect(release.stdout).toContain(`wrote ${join(dir, 'Release.gpg')}`);
  });
});

describe('logs', () => {
  it('never contain key material or the passphrase, even at debug level and on failures', async () => {
    const dir = await tempDir();
    const passFile = join(dir, 'pass');
    await writeFile(passFile, 'hunter2-passphrase\n');
    const protectedKey = await keygen('ed25519', ['--passphrase-file', passFile]);
    const [rpm, notRpm] = [...(await buildRpms(dir, [{ name: 'logs' }])), join(dir, 'not.rpm')];
    await writeFile(notRpm!, 'plain text\n');
    const wrongPass = join(dir, 'wrong');
    await writeFile(wrongPass, 'not-the-passphrase\n');
    const garbled = join(dir, 'garbled.asc');
    const armored = await readFile(rsa.privateKey, 'utf8');
    const reversed = rsa.secretLines[3]!.split('').reverse().join('');
    await writeFile(garbled, armored.replace(rsa.secretLines[3]!, reversed));
    const env = { ALBS_LOG_LEVEL: 'debug' };

    const runs = await Promise.all([
      albs(['sign', 'rpm', '--key', rsa.privateKey, rpm!, notRpm!], { env }),
      albs(['sign', 'rpm', '--key', protectedKey.privateKey, '--passphrase-file', passFile, rpm!], { env }),
      albs(['sign', 'rpm', '--key', protectedKey.privateKey, '--passphrase-file', wrongPass, rpm!], { env }),
      albs(['sign', 'rpm', '--key', garbled, rpm!], { env }),
      albs(['sign', 'rpm', rpm!], {
        env: { ...env, ALBS_SIGNING_KEY: armored.slice(0, armored.length / 2) },
      }),
      albs(['sign', 'repomd', '--key', rsa.privateKey, dir], { env }),
    ]);

    const output = runs.map((r) => `${r.stdout}\n${r.stderr}`).join('\n');
    // The logging is on: the unlock is logged with the key's public fingerprint.
    expect(output).toContain('"msg":"signing key unlocked"');
    expect(output).toContain('"msg":"package not signed"');
    for (const line of [...rsa.secretLines, ...protectedKey.secretLines, reversed])
      expect(output).not.toContain(line);
    expect(output).not.toContain('hunter2-passphrase');
    expect(output).not.toContain('not-the-passphrase');
    expect(runs.map((r) => r.exitCode)).toEqual([1, 0, 2, 2, 2, 2]);
  });
});
