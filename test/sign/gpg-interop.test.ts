import { createHash } from 'node:crypto';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { OpenpgpSigner, readKeyMaterial, readVerificationKeys, verifyRpmFile } from '../../src/sign/index.js';
import { buildRpms, gpgHome, gpgvKeyring, makeKey, rpmKeyring, type TestKey, tempDir } from './helpers.js';

interface GpgKey {
  secret: string;
  publicKey: string;
  /** Key id of the (sub)key gpg would sign with. */
  signingKeyId: string;
}

/** A key made by gpg, exported as a user would: `gpg --armor --export-secret-keys`. */
async function gpgKey(
  uid: string,
  algo: string,
  options: { signingSubkey?: string; passphrase?: string } = {},
) {
  const pass = ['--pinentry-mode', 'loopback', '--passphrase', options.passphrase ?? ''];
  // gpg-agent now and then fails a key generation with "Corrupted protection" when several agents
  // start at once on a busy machine; a fresh home on the second try is what a user would do too.
  let made: Awaited<ReturnType<typeof gpgHome>> | undefined;
  for (let attempt = 1; !made; attempt++) {
    const candidate = await gpgHome();
    try {
      await candidate.gpg([
        ...pass,
        '--quick-gen-key',
        uid,
        algo,
        options.signingSubkey ? 'cert' : 'sign',
        'never',
      ]);
      made = candidate;
    } catch (error) {
      await execa('gpgconf', ['--homedir', candidate.home, '--kill', 'all'], { reject: false });
      if (attempt >= 3 || !String((error as Error).message).includes('Corrupted protection')) throw error;
    }
  }
  const { home, gpg } = made;
  const colons = () => gpg(['--with-colons', '--list-keys', uid]);
  const fingerprint = (await colons())
    .split('\n')
    .find((l) => l.startsWith('fpr:'))
    ?.split(':')[9];
  if (!fingerprint) throw new Error(`gpg made no key for ${uid}`);
  if (options.signingSubkey)
    await gpg([...pass, '--quick-add-key', fingerprint, options.signingSubkey, 'sign', 'never']);
  const keyIds = (await colons())
    .split('\n')
    .filter((l) => l.startsWith('pub:') || l.startsWith('sub:'))
    .map((l) => l.split(':')[4]!);
  const secret = join(home, 'secret.asc');
  const publicKey = join(home, 'public.asc');
  await writeFile(secret, await gpg([...pass, '--armor', '--export-secret-keys', fingerprint]));
  await writeFile(publicKey, await gpg(['--armor', '--export', fingerprint]));
  return { secret, publicKey, signingKeyId: keyIds[keyIds.length - 1]! } satisfies GpgKey;
}

describe('keys made by gpg', () => {
  let subkeyed: GpgKey;
  let ed25519: GpgKey;

  beforeAll(async () => {
    [subkeyed, ed25519] = await Promise.all([
      gpgKey('Gpg Subkey <subkey@example.org>', 'rsa2048', {
        signingSubkey: 'rsa2048',
        passphrase: 'open sesame',
      }),
      gpgKey('Gpg Ed25519 <ed25519@example.org>', 'ed25519'),
    ]);
  }, 120_000);

  it.each([
    [
      'RSA with a signing subkey, passphrase-protected',
      () => subkeyed,
      { ALBS_KEY_PASSPHRASE: 'open sesame' },
    ],
    ['Ed25519, unprotected', () => ed25519, {}],
  ])('%s: albs signs, rpmkeys verifies with the key gpg exported', async (_name, key, env) => {
    const dir = await tempDir();
    const [rpm] = await buildRpms(dir, [{ name: 'gpg-key' }]);
    const signer = await OpenpgpSigner.create(await readKeyMaterial({ keyFile: key().secret }, env), {
      threads: 1,
    });

    await signer.signRpm(rpm!);

    expect(signer.key.keyId).toBe(key().signingKeyId);
    const check = await (await rpmKeyring(dir, [key().publicKey])).checksig([rpm!]);
    expect(check.stdout).toBe(`${rpm}: digests signatures OK`);
    expect(check.exitCode).toBe(0);
    const native = await verifyRpmFile(rpm!, await readVerificationKeys(key().publicKey));
    expect(native.ok).toBe(true);
  });
});

describe('repository metadata, checked by gpgv', () => {
  let rsa: TestKey;
  let ed: TestKey;

  beforeAll(async () => {
    [rsa, ed] = await Promise.all([makeKey('rsa4096'), makeKey('ed25519')]);
  }, 120_000);

  const release = [
    'Origin: albs-ci test',
    'Suite: stable',
    'Codename: stable',
    'Date: Sat, 01 Jun 2024 00:00:00 UTC',
    'Architectures: amd64',
    'Components: main',
    'SHA256:',
    ' 3b0b9d1f7f0c4e4c2a3c3d5f6e7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a 1234 main/binary-amd64/Packages',
    '-----BEGIN not a signature, dash-escaped in InRelease',
    '',
  ].join('\n');

  it.each([
    ['RSA-4096', () => rsa],
    ['Ed25519', () => ed],
  ])('%s: InRelease and Release.gpg verify, and stop verifying when Release changes', async (_name, key) => {
    const dir = join(await tempDir(), 'dists', 'stable');
    await mkdir(dir, { recursive: true });
    const releaseFile = join(dir, 'Release');
    await writeFile(releaseFile, release);
    const keyring = await gpgvKeyring(key().publicKey);

    const written = await key().signer.signRepoMetadata({ kind: 'apt', release: releaseFile });

    expect(written).toEqual([join(dir, 'InRelease'), join(dir, 'Release.gpg')]);
    const inRelease = await readFile(join(dir, 'InRelease'), 'utf8');
    expect(inRelease).toMatch(/^-----BEGIN PGP SIGNED MESSAGE-----\n/);
    expect(inRelease).toContain('Origin: albs-ci test\n');
    const gpgv = (...files: string[]) => execa('gpgv', ['--keyring', keyring, ...files], { reject: false });
    const clear = await gpgv(join(dir, 'InRelease'));
    expect(clear.stderr).toMatch(/Good signature/);
    expect(clear.exitCode).toBe(0);
    expect((await gpgv(join(dir, 'Release.gpg'), releaseFile)).exitCode).toBe(0);

    await appendFile(releaseFile, 'Label: edited\n');
    expect((await gpgv(join(dir, 'Release.gpg'), releaseFile)).exitCode).not.toBe(0);
    const edited = inRelease.replace('Suite: stable', 'Suite: unstable');
    await writeFile(join(dir, 'InRelease'), edited);
    expect((await gpgv(join(dir, 'InRelease'))).stderr).toMatch(/BAD signature/);
  });

  it('apt-get update accepts the suite with signed-by the signing key, and refuses it with another key', async () => {
    const root = await tempDir();
    const repo = join(root, 'repo');
    const binary = join(repo, 'dists', 'stable', 'main', 'binary-amd64');
    await mkdir(binary, { recursive: true });
    const packagesFile = Buffer.from('');
    await writeFile(join(binary, 'Packages'), packagesFile);
    const sha256 = createHash('sha256').update(packagesFile).digest('hex');
    const releaseFile = join(repo, 'dists', 'stable', 'Release');
    await writeFile(
      releaseFile,
      [
        'Origin: albs-ci test',
        'Suite: stable',
        'Codename: stable',
        `Date: ${new Date().toUTCString()}`,
        'Architectures: amd64',
        'Components: main',
        'SHA256:',
        ` ${sha256} 0 main/binary-amd64/Packages`,
        '',
      ].join('\n'),
    );
    await rsa.signer.signRepoMetadata({ kind: 'apt', release: releaseFile });

    const aptUpdate = async (keyring: string) => {
      const dir = await tempDir('albs-apt-');
      for (const d of [
        'etc/sources.list.d',
        'etc/preferences.d',
        'state/lists/partial',
        'cache/archives/partial',
      ]) {
        await mkdir(join(dir, d), { recursive: true });
      }
      await writeFile(
        join(dir, 'etc/sources.list'),
        `deb [signed-by=${keyring}] file://${repo} stable main\n`,
      );
      const options = {
        'Dir::Etc': join(dir, 'etc'),
        'Dir::Etc::sourcelist': join(dir, 'etc/sources.list'),
        'Dir::Etc::sourceparts': join(dir, 'etc/sources.list.d'),
        'Dir::State': join(dir, 'state'),
        'Dir::Cache': join(dir, 'cache'),
        'Debug::NoLocking': '1',
        // Temporary directories are private to root; apt's _apt sandbox user could not read them.
        'APT::Sandbox::User': 'root',
      };
      const args = Object.entries(options).flatMap(([k, v]) => ['-o', `${k}=${v}`]);
      return execa('apt-get', [...args, 'update'], { reject: false, all: true, stdin: 'ignore' });
    };

    const good = await aptUpdate(await gpgvKeyring(rsa.publicKey));
    expect(good.all).toMatch(/Get:\d+ file:\S+ stable InRelease/);
    expect(good.all).not.toMatch(/^(W|E): /m);
    expect(good.exitCode).toBe(0);
    const wrong = await aptUpdate(await gpgvKeyring(ed.publicKey));
    expect(wrong.all).toMatch(new RegExp(`NO_PUBKEY ${rsa.signer.key.keyId}`));
    expect(wrong.all).toMatch(/is not signed/);
  });

  it('repomd.xml.asc verifies against repomd.xml, and a wrong key does not verify it', async () => {
    const dir = join(await tempDir(), 'repodata');
    await mkdir(dir, { recursive: true });
    const repomd = join(dir, 'repomd.xml');
    await writeFile(
      repomd,
      '<?xml version="1.0" encoding="UTF-8"?>\n<repomd><revision>1</revision></repomd>\n',
    );

    const [asc] = await rsa.signer.signRepoMetadata({ kind: 'dnf', repomd });

    expect(asc).toBe(`${repomd}.asc`);
    expect(await readFile(asc!, 'utf8')).toMatch(/^-----BEGIN PGP SIGNATURE-----/);
    const good = await execa('gpgv', ['--keyring', await gpgvKeyring(rsa.publicKey), asc!, repomd], {
      reject: false,
    });
    expect(good.exitCode).toBe(0);
    const wrong = await execa('gpgv', ['--keyring', await gpgvKeyring(ed.publicKey), asc!, repomd], {
      reject: false,
    });
    expect(wrong.exitCode).not.toBe(0);
  });

  it('refuses metadata that is not there, naming the file and what to run first', async () => {
    const missing = join(await tempDir(), 'repodata', 'repomd.xml');
    await expect(rsa.signer.signRepoMetadata({ kind: 'dnf', repomd: missing })).rejects.toThrow(
      `${missing}: cannot read the metadata to sign (ENOENT); run createrepo_c on the repository first`,
    );
  });
});
