import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishAptRepo } from '../../src/publish/publish-apt-repo.js';
import { tempDir } from '../runner/helpers.js';
import { makeKey, type TestKey } from '../sign/helpers.js';
import { aptClient } from './apt.js';
import { binaryDeb } from './helpers.js';

let key: TestKey;
beforeAll(async () => {
  key = await makeKey('ed25519');
}, 60_000);
afterAll(() => key.signer.close());

async function publish(reposDir: string, packages: string[], keep = 3) {
  const lines: string[] = [];
  const published = await publishAptRepo({
    reposDir,
    repo: 'stable',
    packages,
    signer: key.signer,
    publicKey: await readFile(key.publicKey, 'utf8'),
    keep,
    log: (line) => lines.push(line),
  });
  return { published, lines };
}

describe('publishing an apt repository', () => {
  it('writes pool, indexes for each arch (arch all in every one), a signed Release, the key and a .sources file', async () => {
    const dir = await tempDir();
    const debs = [
      await binaryDeb(dir, { name: 'tiny-data', version: '1.0-1', arch: 'all' }),
      await binaryDeb(dir, { name: 'libtiny1', version: '2:1.0-1', arch: 'amd64' }),
    ];
    const reposDir = join(dir, 'repos');
    const { published } = await publish(reposDir, debs);
    const repo = join(reposDir, 'stable');
    expect(lstatSync(repo).isSymbolicLink()).toBe(true);
    expect(readdirSync(repo).sort()).toEqual(['dists', 'pool', 'stable.asc', 'stable.sources']);
    expect(published.added).toEqual([
      'pool/main/t/tiny-data/tiny-data_1.0-1_all.deb',
      'pool/main/libt/libtiny1/libtiny1_1.0-1_amd64.deb',
    ]);
    const dists = join(repo, 'dists', 'stable');
    expect(readdirSync(dists).sort()).toEqual(['InRelease', 'Release', 'Release.gpg', 'main']);
    const amd64 = readFileSync(join(dists, 'main', 'binary-amd64', 'Packages'), 'utf8');
    expect(amd64).toMatch(/^Package: libtiny1$/m);
    expect(amd64).toMatch(/^Package: tiny-data$/m);
    expect(readFileSync(join(dists, 'main', 'binary-all', 'Packages'), 'utf8')).not.toMatch(/libtiny1/);
    const release = readFileSync(join(dists, 'Release'), 'utf8');
    expect(release).toMatch(/^Suite: stable$/m);
    expect(release).toMatch(/^Architectures: all amd64$/m);
    expect(release).toMatch(/^ [0-9a-f]{64} +\d+ main\/binary-amd64\/Packages\.gz$/m);
    expect(readFileSync(join(dists, 'InRelease'), 'utf8')).toContain(release);
    expect(readFileSync(published.sourcesFile, 'utf8')).toMatch(
      new RegExp(`^Signed-By: ${join(reposDir, 'stable', 'stable.asc')}$`, 'm'),
    );

    const apt = await aptClient(published.sourcesFile);
    const update = await apt.update();
    expect(update.all).toMatch(/Get:\d+ file:\S+ stable InRelease/);
    expect(update.all).not.toMatch(/^(W|E|N): /m);
    expect(update.exitCode).toBe(0);
    expect((await apt.cache('policy', 'libtiny1')).all).toMatch(/Candidate: 2:1\.0-1/);
  });

  it('keeps the last N versions of each package by Debian version order, in one atomic switch each time', async () => {
    const dir = await tempDir();
    const reposDir = join(dir, 'repos');
    // 1.0-10 is newer than 1.0-9 and 1.0~rc1-1 older than 1.0-2: neither string order nor rpm's.
    for (const version of ['1.0-2', '1.0-10', '1.0~rc1-1', '1.0-9']) {
      await publish(reposDir, [await binaryDeb(dir, { version })], 2);
    }
    const pool = join(reposDir, 'stable', 'pool', 'main', 't', 'tiny');
    expect(readdirSync(pool).sort()).toEqual(['tiny_1.0-10_all.deb', 'tiny_1.0-9_all.deb']);
    // The live directory and the one it replaced (kept for clients that read the old Release); earlier ones went.
    const versions = join(reposDir, '.repos');
    expect(readdirSync(versions).sort()).toEqual(
      [
        readlinkSync(join(reposDir, 'stable')).replace('.repos/', ''),
        readlinkSync(join(versions, 'stable.previous')),
        'stable.previous',
      ].sort(),
    );
    const packages = readFileSync(
      join(reposDir, 'stable', 'dists', 'stable', 'main', 'binary-all', 'Packages'),
      'utf8',
    );
    expect([...packages.matchAll(/^Version: (.+)$/gm)].map((m) => m[1]).sort()).toEqual(['1.0-10', '1.0-9']);
    const last = await publish(reposDir, [await binaryDeb(dir, { version: '1.1-1' })], 2);
    expect(last.published.removed).toEqual(['pool/main/t/tiny/tiny_1.0-9_all.deb']);
    expect(last.lines).toContain(
      'stable: removed pool/main/t/tiny/tiny_1.0-9_all.deb (keeping the last 2 versions)',
    );
  });

  it('a failed publication leaves the live repository as it was', async () => {
    const dir = await tempDir();
    const reposDir = join(dir, 'repos');
    await publish(reposDir, [await binaryDeb(dir)]);
    const before = readFileSync(join(reposDir, 'stable', 'dists', 'stable', 'Release'), 'utf8');
    await expect(publish(reposDir, [join(dir, 'missing.deb')])).rejects.toThrow(
      /missing\.deb: dpkg-deb cannot read it/,
    );
    expect(readFileSync(join(reposDir, 'stable', 'dists', 'stable', 'Release'), 'utf8')).toBe(before);
    expect(readdirSync(join(reposDir, '.repos'))).toHaveLength(1);
    expect(existsSync(join(reposDir, 'stable', 'pool', 'main', 't', 'tiny', 'tiny_1.0-1_all.deb'))).toBe(
      true,
    );
  });
});
