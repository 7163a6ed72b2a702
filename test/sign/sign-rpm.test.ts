import { chmod, lstat, readdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  OpenpgpSigner,
  RpmDigestError,
  RpmFormatError,
  readKeyMaterial,
  readVerificationKeys,
  SigningKeyError,
  verifyRpmFile,
} from '../../src/sign/index.js';
import { SIG_TAG, serializeHeader, signaturePadding } from '../../src/sign/rpm-header.js';
import { LEAD_SIZE } from '../../src/sign/rpm-package.js';
import {
  buildRpm,
  buildRpms,
  flipByte,
  gpgHome,
  makeKey,
  rpmKeyring,
  rpmLayout,
  type TestKey,
  tempDir,
} from './helpers.js';

let rsa: TestKey;
let ed: TestKey;
let work: string;

beforeAll(async () => {
  // RSA-4096 generation takes seconds: once per file.
  [rsa, ed] = await Promise.all([makeKey('rsa4096'), makeKey('ed25519')]);
  work = await tempDir();
}, 120_000);

describe('signing an RPM', () => {
  it.each([
    ['RSA-4096', SIG_TAG.rsa, () => rsa],
    ['Ed25519', SIG_TAG.dsa, () => ed],
  ])('with a %s key gives a package rpmkeys verifies, the same size, in tag %i', async (_name, tag, key) => {
    const dir = await tempDir();
    const rpm = await buildRpm(dir, { name: `plain-${tag}` });
    const before = await stat(rpm);

    const result = await key().signer.signRpm(rpm);

    expect(result).toMatchObject({
      layout: 'reserved-space',
      sizeBefore: before.size,
      sizeAfter: before.size,
    });
    expect((await stat(rpm)).size).toBe(before.size);
    const tags = (await rpmLayout(rpm)).signature.entries.map((e) => e.tag);
    expect(tags).toContain(tag);
    const keyring = await rpmKeyring(dir, [key().publicKey]);
    const check = await keyring.checksig([rpm]);
    expect(check.stdout).toBe(`${rpm}: digests signatures OK`);
    expect(check.exitCode).toBe(0);
    const native = await verifyRpmFile(rpm, await readVerificationKeys(key().publicKey));
    expect(native).toMatchObject({ ok: true, signedBy: [key().signer.key.keyId] });
  });

  it('re-signs with another key: only the new key verifies it afterwards', async () => {
    const dir = await tempDir();
    const rpm = await buildRpm(dir, { name: 'resign' });
    await rsa.signer.signRpm(rpm);

    const result = await ed.signer.signRpm(rpm);

    expect(result.replaced).toEqual([SIG_TAG.rsa]);
    const tags = (await rpmLayout(rpm)).signature.entries.map((e) => e.tag);
    expect(tags).toContain(SIG_TAG.dsa);
    expect(tags).not.toContain(SIG_TAG.rsa);
    expect((await (await rpmKeyring(dir, [ed.publicKey])).checksig([rpm])).exitCode).toBe(0);
    const old = await (await rpmKeyring(dir, [rsa.publicKey])).checksig([rpm]);
    expect(old.exitCode).toBe(1);
    expect(old.stdout).toMatch(/NOKEY|NOT OK/);
  });

  it('re-signs a package that rpmsign signed first', async () => {
    const dir = await tempDir();
    const rpm = await buildRpm(dir, { name: 'from-rpmsign' });
    const { home, gpg } = await gpgHome();
    await gpg([
      '--pinentry-mode',
      'loopback',
      '--passphrase',
      '',
      '--quick-gen-key',
      'Gpg Test <gpg@example.org>',
      'ed25519',
      'sign',
      'never',
    ]);
    const gpgPub = join(dir, 'gpg.pub.asc');
    await writeFile(gpgPub, await gpg(['--armor', '--export', 'gpg@example.org']));
    await execa('rpmsign', [
      '--define',
      '__gpg /usr/bin/gpg',
      '--define',
      `_gpg_path ${home}`,
      '--define',
      '_gpg_name gpg@example.org',
      '--addsign',
      rpm,
    ]);
    expect((await (await rpmKeyring(dir, [gpgPub])).checksig([rpm])).exitCode).toBe(0);
    expect((await verifyRpmFile(rpm, await readVerificationKeys(gpgPub))).ok).toBe(true);
    const size = (await stat(rpm)).size;

    const result = await rsa.signer.signRpm(rpm);

    expect(result).toMatchObject({ replaced: [SIG_TAG.dsa], layout: 'reserved-space', sizeAfter: size });
    const check = await (await rpmKeyring(dir, [rsa.publicKey])).checksig([rpm]);
    expect(check.stdout).toBe(`${rpm}: digests signatures OK`);
  });

  it('rewrites a package that has no reserved space, and rpm still verifies it', async () => {
    const dir = await tempDir();
    const rpm = await buildRpm(dir, { name: 'no-reserve' });
    await removeReservedSpace(rpm);
    const digestsOnly = await execa('rpmkeys', ['--checksig', rpm], { reject: false });
    expect(digestsOnly.stdout).toBe(`${rpm}: digests OK`);
    const size = (await stat(rpm)).size;

    const result = await rsa.signer.signRpm(rpm);

    expect(result.layout).toBe('rewritten');
    expect(result.sizeAfter).toBeGreaterThan(size);
    expect((await stat(rpm)).size).toBe(result.sizeAfter);
    const check = await (await rpmKeyring(dir, [rsa.publicKey])).checksig([rpm]);
    expect(check.stdout).toBe(`${rpm}: digests signatures OK`);
  });

  it('keeps the file mode and signs the target of a symlink, leaving the link', async () => {
    const dir = await tempDir();
    const rpm = await buildRpm(dir, { name: 'modes' });
    await chmod(rpm, 0o640);
    const link = join(dir, 'link.rpm');
    await symlink(rpm, link);

    await ed.signer.signRpm(link);

    expect((await stat(rpm)).mode & 0o7777).toBe(0o640);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe(rpm);
    expect((await (await rpmKeyring(dir, [ed.publicKey])).checksig([rpm])).exitCode).toBe(0);
  });
});

describe('refusing to sign', () => {
  /** Signs `path`, expects the refusal, and that the file is byte-for-byte what it was. */
  async function expectRefused(path: string, errorClass: new (...a: never[]) => Error, message: RegExp) {
    const before = await readFile(path);
    const refusal = rsa.signer.signRpm(path);
    await expect(refusal).rejects.toBeInstanceOf(errorClass);
    await expect(refusal).rejects.toThrow(message);
    await expect(refusal).rejects.toThrow(path);
    expect((await readFile(path)).equals(before)).toBe(true);
    // The temporary file a refusal may have started is gone too.
    expect((await readdir(dirname(path))).filter((f) => f.includes('.albs-'))).toEqual([]);
  }

  it('a file that is not an RPM', async () => {
    const path = join(work, 'notes.rpm');
    await writeFile(path, '<!DOCTYPE html><p>404 not found</p>\n');
    await expectRefused(path, RpmFormatError, /not an RPM package .*3c 21 44 4f/);
  });

  it('an RPM cut off in its payload', async () => {
    const dir = await tempDir();
    const rpm = await buildRpm(dir, { name: 'cut-payload', payloadBytes: 4000 });
    const bytes = await readFile(rpm);
    await writeFile(rpm, bytes.subarray(0, bytes.length - 100));
    await expectRefused(rpm, RpmFormatError, /truncated RPM/);
  });

  it('an RPM cut off in its header', async () => {
    const dir = await tempDir();
    const rpm = await buildRpm(dir, { name: 'cut-header' });
    const { headerOffset } = await rpmLayout(rpm);
    const bytes = await readFile(rpm);
    await writeFile(rpm, bytes.subarray(0, headerOffset + 100));
    await expectRefused(rpm, RpmFormatError, /truncated RPM: the main header ends at byte/);
  });

  it('a header that does not match its digest (tag 273)', async () => {
    const dir = await tempDir();
    const rpm = await buildRpm(dir, { name: 'edited-header' });
    await flipByte(rpm, (await rpmLayout(rpm)).summaryOffset);
    await expectRefused(rpm, RpmDigestError, /header digest mismatch: SHA256 \(tag 273\)/);
  });

  it('a payload that does not match its digest', async () => {
    const dir = await tempDir();
    const rpm = await buildRpm(dir, { name: 'edited-payload', payloadBytes: 2000 });
    const { payloadOffset, size } = await rpmLayout(rpm);
    await flipByte(rpm, Math.floor((payloadOffset + size) / 2));
    await expectRefused(rpm, RpmDigestError, /payload SHA256 \(tag 5092\) digest mismatch/);
  });
});

describe('keys that cannot sign are refused before any package is touched', () => {
  it('a public key', async () => {
    const material = await readKeyMaterial({ keyFile: rsa.publicKey }, {});
    await expect(OpenpgpSigner.create(material, { threads: 1 })).rejects.toThrow(
      new RegExp(`${rsa.publicKey}: this is a public key`),
    );
  });

  it('a protected key without its passphrase, and with a wrong one', async () => {
    const key = await makeKey('ed25519', 'correct horse');
    const none = await readKeyMaterial({ keyFile: key.privateKey }, {});
    await expect(OpenpgpSigner.create(none, { threads: 1 })).rejects.toThrow(/ALBS_KEY_PASSPHRASE/);
    const wrong = await readKeyMaterial(
      { keyFile: key.privateKey },
      { ALBS_KEY_PASSPHRASE: 'battery staple' },
    );
    const refusal = OpenpgpSigner.create(wrong, { threads: 1 });
    await expect(refusal).rejects.toBeInstanceOf(SigningKeyError);
    await expect(refusal).rejects.toThrow(
      /the passphrase from \$ALBS_KEY_PASSPHRASE does not unlock the key/,
    );
  });

  it('a key of an algorithm rpm 4.18 cannot verify (ECDSA)', async () => {
    const { home, gpg } = await gpgHome();
    await gpg([
      '--pinentry-mode',
      'loopback',
      '--passphrase',
      '',
      '--quick-gen-key',
      'P256 <p256@example.org>',
      'nistp256',
      'sign',
      'never',
    ]);
    const file = join(home, 'p256.asc');
    await writeFile(
      file,
      await gpg(['--pinentry-mode', 'loopback', '--passphrase', '', '--armor', '--export-secret-keys']),
    );
    const refusal = OpenpgpSigner.create(await readKeyMaterial({ keyFile: file }, {}), { threads: 1 });
    await expect(refusal).rejects.toThrow(/uses ecdsa \(nistP256\), which rpm 4.18 cannot verify/);
  });

  it('no key at all names both ways to give one', async () => {
    await expect(readKeyMaterial({}, {})).rejects.toThrow(/pass --key FILE or set ALBS_SIGNING_KEY/);
  });
});

describe('verifying natively', () => {
  let signed: string[];
  let keys: Awaited<ReturnType<typeof readVerificationKeys>>;

  beforeAll(async () => {
    const dir = await tempDir();
    signed = await buildRpms(dir, [
      { name: 'verify-a', payloadBytes: 3000 },
      { name: 'verify-b', payloadBytes: 3000 },
      { name: 'verify-c' },
    ]);
    for (const rpm of signed) await rsa.signer.signRpm(rpm);
    keys = await readVerificationKeys(rsa.publicKey);
  });

  it('fails, as rpmkeys does, when one header byte or one payload byte changed after signing', async () => {
    const [headerEdited, payloadEdited] = signed as [string, string];
    await flipByte(headerEdited, (await rpmLayout(headerEdited)).summaryOffset);
    const payload = await rpmLayout(payloadEdited);
    await flipByte(payloadEdited, Math.floor((payload.payloadOffset + payload.size) / 2));

    const nativeHeader = await verifyRpmFile(headerEdited, keys);
    expect(nativeHeader.ok).toBe(false);
    expect(nativeHeader.problems.join('\n')).toMatch(/header digest mismatch/);
    expect(nativeHeader.problems.join('\n')).toMatch(/bad header signature \(tag 268\)/);
    const nativePayload = await verifyRpmFile(payloadEdited, keys);
    expect(nativePayload.ok).toBe(false);
    expect(nativePayload.problems.join('\n')).toMatch(/payload SHA256 \(tag 5092\) digest mismatch/);

    const rpmkeys = await (await rpmKeyring(work, [rsa.publicKey])).checksig([headerEdited, payloadEdited]);
    expect(rpmkeys.exitCode).toBe(2);
  });

  it('fails on an unsigned package and on a key that did not sign it, as rpmkeys does', async () => {
    const dir = await tempDir();
    const unsigned = await buildRpm(dir, { name: 'unsigned' });
    const result = await verifyRpmFile(unsigned, keys);
    expect(result).toMatchObject({ ok: false });
    expect(result.problems.join('\n')).toMatch(/not signed/);
    expect((await (await rpmKeyring(dir, [rsa.publicKey])).checksig([unsigned])).exitCode).toBe(1);

    const other = await verifyRpmFile(signed[2]!, await readVerificationKeys(ed.publicKey));
    expect(other.ok).toBe(false);
    expect(other.problems.join('\n')).toMatch(
      new RegExp(`made by key ${rsa.signer.key.keyId}, which is not among`),
    );
  });
});

/** The package as rpmbuild would write it without tag 1008: same digests, a smaller signature header. */
async function removeReservedSpace(path: string): Promise<void> {
  const bytes = await readFile(path);
  const { signature, headerOffset } = await rpmLayout(path);
  const header = serializeHeader(
    SIG_TAG.headerSignatures,
    signature.entries.filter((e) => e.tag !== SIG_TAG.reservedSpace),
  );
  const padding = Buffer.alloc(signaturePadding(header.length));
  await writeFile(
    path,
    Buffer.concat([bytes.subarray(0, LEAD_SIZE), header, padding, bytes.subarray(headerOffset)]),
  );
}
