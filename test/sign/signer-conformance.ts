/**
 * What every `Signer` must do, whatever holds the key: run against each implementation (today
 * `OpenpgpSigner`; a client of a remote signer host must pass the same suite). Checks use the tools
 * that consume the signatures: gpgv, rpmkeys, openpgp.js parsing.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Signer } from '../../src/sign/index.js';
import { buildRpms, gpgvKeyring, rpmKeyring, tempDir } from './helpers.js';

export interface SignerUnderTest {
  signer: Signer;
  /** The armored public key that verifies its signatures. */
  publicKey: string;
}

export function describeSigner(name: string, make: () => Promise<SignerUnderTest>): void {
  describe(`Signer conformance: ${name}`, () => {
    let subject: SignerUnderTest;
    let keyring: string;
    let dir: string;

    beforeAll(async () => {
      subject = await make();
      keyring = await gpgvKeyring(subject.publicKey);
      dir = await tempDir();
    }, 120_000);

    afterAll(async () => {
      await subject?.signer.close();
    });

    const gpgv = (...files: string[]) => execa('gpgv', ['--keyring', keyring, ...files], { reject: false });

    it('describes its key with public facts only', () => {
      const { key } = subject.signer;
      expect(key.fingerprint).toMatch(/^[0-9A-F]{40}$/);
      expect(key.keyId).toMatch(/^[0-9A-F]{16}$/);
      expect([267, 268]).toContain(key.rpmTag);
      expect(JSON.stringify(key)).not.toMatch(/PRIVATE KEY/);
    });

    it('signs bytes detached: one binary v4 signature of a binary document, or the same armored', async () => {
      const data = Buffer.from('some bytes\r\nwith CRLF and \0 NUL\n');
      const file = join(dir, 'data.bin');
      await writeFile(file, data);

      const binary = await subject.signer.signDetached(data);
      const armored = await subject.signer.signDetached(data, 'armored');

      const parsed = await openpgp.readSignature({ binarySignature: binary });
      expect(parsed.packets).toHaveLength(1);
      expect(parsed.packets[0]!.version).toBe(4);
      expect(parsed.packets[0]!.signatureType).toBe(openpgp.enums.signature.binary);
      expect(armored).toMatch(/^-----BEGIN PGP SIGNATURE-----\n/);
      await writeFile(join(dir, 'data.sig'), binary);
      await writeFile(join(dir, 'data.asc'), armored);
      expect((await gpgv(join(dir, 'data.sig'), file)).exitCode).toBe(0);
      expect((await gpgv(join(dir, 'data.asc'), file)).exitCode).toBe(0);
      await writeFile(file, Buffer.concat([data, Buffer.from('x')]));
      expect((await gpgv(join(dir, 'data.sig'), file)).exitCode).not.toBe(0);
    });

    it('is safe to call concurrently', async () => {
      const texts = Array.from({ length: 8 }, (_, i) => `document ${i}\n`);
      const signed = await Promise.all(texts.map((t) => subject.signer.signCleartext(t)));
      for (const [i, message] of signed.entries()) {
        const file = join(dir, `clear-${i}.asc`);
        await writeFile(file, message);
        const check = await gpgv(file);
        expect(check.exitCode).toBe(0);
        expect(message).toContain(texts[i]);
      }
    });

    it('signs a batch of RPMs: one outcome per package in order, a refusal reported, not thrown', async () => {
      const rpms = await buildRpms(await tempDir(), [
        { name: 'conf-a' },
        { name: 'conf-b' },
        { name: 'conf-c' },
      ]);
      const broken = join(dir, 'broken.rpm');
      await writeFile(broken, 'not an rpm');
      const paths = [rpms[0]!, broken, rpms[1]!, rpms[2]!];

      const outcomes = await subject.signer.signRpms(paths);

      expect(outcomes.map((o) => [o.path, o.ok])).toEqual(paths.map((p) => [p, p !== broken]));
      const check = await (await rpmKeyring(dir, [subject.publicKey])).checksig(rpms);
      expect(check.exitCode).toBe(0);
      expect(await readFile(broken, 'utf8')).toBe('not an rpm');
      await expect(subject.signer.signRpm(broken)).rejects.toThrow(`${broken}: not an RPM package`);
    });

    it('signs repository metadata, writing the signature beside it', async () => {
      const repodata = join(dir, 'repo', 'repodata');
      await mkdir(repodata, { recursive: true });
      const repomd = join(repodata, 'repomd.xml');
      await writeFile(repomd, '<repomd/>\n');

      const written = await subject.signer.signRepoMetadata({ kind: 'dnf', repomd });

      expect(written).toEqual([`${repomd}.asc`]);
      expect((await gpgv(`${repomd}.asc`, repomd)).exitCode).toBe(0);
    });
  });
}
