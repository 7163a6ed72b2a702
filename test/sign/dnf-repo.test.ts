import { appendFile, copyFile, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDnfRepo } from '../../src/publish/create-dnf-repo.js';
import { dnfInstall } from '../helpers/dnf.js';
import { buildRpms, makeKey, type TestKey, tempDir } from './helpers.js';

let rsa: TestKey;
let ed: TestKey;
let packages: { signed: string; unsigned: string };

beforeAll(async () => {
  [rsa, ed] = await Promise.all([makeKey('rsa4096'), makeKey('ed25519')]);
  const [signed, unsigned] = await buildRpms(await tempDir(), [
    { name: 'albs-hello' },
    { name: 'albs-unsigned' },
  ]);
  await rsa.signer.signRpm(signed!);
  packages = { signed: signed!, unsigned: unsigned! };
}, 120_000);

/** A repository directory holding copies of `rpms`, made into a repo by albs and signed by `key`. */
async function signedRepo(rpms: readonly string[], key: TestKey) {
  const dir = join(await tempDir(), 'repo');
  await mkdir(dir, { recursive: true });
  for (const rpm of rpms) await copyFile(rpm, join(dir, rpm.split('/').pop()!));
  return createDnfRepo(dir, { signer: key.signer, update: false });
}

/** A .repo file for that one repository, with both gpg checks on. */
function repoFile(repo: string, publicKey: string): string {
  return [
    '[albs-test]',
    'name=albs test repository',
    `baseurl=file://${repo}`,
    'enabled=1',
    'gpgcheck=1',
    'repo_gpgcheck=1',
    `gpgkey=file://${publicKey}`,
    '',
  ].join('\n');
}

describe('a dnf repository made and signed by albs', () => {
  it('writes repodata and a repomd.xml.asc, and dnf installs from it with gpgcheck and repo_gpgcheck', async () => {
    const repo = await signedRepo([packages.signed], rsa);

    expect(repo.signature).toBe(join(repo.dir, 'repodata', 'repomd.xml.asc'));
    expect(await readFile(repo.signature!, 'utf8')).toMatch(/^-----BEGIN PGP SIGNATURE-----/);
    const install = await dnfInstall(repoFile(repo.dir, rsa.publicKey), 'albs-hello');
    expect(install.output).toContain('Complete!');
    expect(install.exitCode).toBe(0);
    expect(install.installed).toBe(true);
  });

  it('refuses an unsigned package from the signed repository', async () => {
    const repo = await signedRepo([packages.signed, packages.unsigned], rsa);
    const install = await dnfInstall(repoFile(repo.dir, rsa.publicKey), 'albs-unsigned');
    expect(install.exitCode).not.toBe(0);
    expect(install.output).toMatch(/Package albs-unsigned-1\.0-1\.noarch\.rpm is not signed/);
    expect(install.installed).toBe(false);
  });

  it('refuses the repository when its key is not the one that signed it', async () => {
    const repo = await signedRepo([packages.signed], rsa);
    const install = await dnfInstall(repoFile(repo.dir, ed.publicKey), 'albs-hello');
    expect(install.exitCode).not.toBe(0);
    expect(install.output).toMatch(/repomd\.xml GPG signature verification error: Bad GPG signature/);
    expect(install.installed).toBe(false);
  });

  it('refuses the repository when repomd.xml was edited after signing', async () => {
    const repo = await signedRepo([packages.signed], rsa);
    await appendFile(repo.repomd, '<!-- edited -->\n');
    const install = await dnfInstall(repoFile(repo.dir, rsa.publicKey), 'albs-hello');
    expect(install.exitCode).not.toBe(0);
    expect(install.output).toMatch(/repomd\.xml GPG signature verification error/);
    expect(install.installed).toBe(false);
  });

  it('without a signer, removes a stale repomd.xml.asc rather than leave a wrong one', async () => {
    const repo = await signedRepo([packages.signed], rsa);
    await copyFile(packages.unsigned, join(repo.dir, 'albs-unsigned-1.0-1.noarch.rpm'));

    const unsigned = await createDnfRepo(repo.dir, { update: true });

    expect(unsigned.signature).toBeUndefined();
    await expect(stat(`${repo.repomd}.asc`)).rejects.toThrow(/ENOENT/);
    expect(await readFile(repo.repomd, 'utf8')).toContain('primary');
  });

  it('names createrepo_c when it cannot run', async () => {
    const dir = await tempDir();
    await rm(dir, { recursive: true });
    await expect(createDnfRepo(dir, { update: false, createrepo: 'createrepo_c-missing' })).rejects.toThrow(
      /createrepo_c-missing not found; install it/,
    );
    await expect(createDnfRepo(join(dir, 'nowhere'), { update: false })).rejects.toThrow(
      /createrepo_c .*nowhere failed \(exit code \d+\)/,
    );
  });
});
