import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishAptRepo } from '../../src/publish/publish-apt-repo.js';
import { PublishError } from '../../src/publish/repo-dirs.js';
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

/** The SHA256 section of a Release file: every index it names, with its size. */
function releaseIndexes(release: string): { sha256: string; size: number; path: string }[] {
  const section = /^SHA256:\n((?: .*\n?)*)/m.exec(release)?.[1] ?? '';
  return [...section.matchAll(/^ ([0-9a-f]{64}) +(\d+) (\S+)$/gm)].map((m) => ({
    sha256: m[1]!,
    size: Number(m[2]),
    path: m[3]!,
  }));
}

/** Where apt fetches an index when the Release says Acquire-By-Hash: yes. */
function byHash(dists: string, index: { sha256: string; path: string }): string {
  return join(dists, dirname(index.path), 'by-hash', 'SHA256', index.sha256);
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
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

  it('a client that fetched the old Release gets every index it names by hash through the live repo, for one more publication', async () => {
    const dir = await tempDir();
    const reposDir = join(dir, 'repos');
    const dists = join(reposDir, 'stable', 'dists', 'stable');
    const first = await publish(reposDir, [
      await binaryDeb(dir, { name: 'tiny-data', version: '1.0-1', arch: 'all' }),
      await binaryDeb(dir, { name: 'libtiny1', version: '1.0-1', arch: 'amd64' }),
    ]);
    const apt = await aptClient(first.published.sourcesFile);
    expect((await apt.update()).exitCode).toBe(0);
    const oldRelease = readFileSync(join(dists, 'Release'), 'utf8');
    expect(oldRelease).toMatch(/^Acquire-By-Hash: yes$/m);
    const old = releaseIndexes(oldRelease);
    expect(old.map((i) => i.path)).toContain('main/binary-amd64/Packages.gz');

    await publish(reposDir, [await binaryDeb(dir, { name: 'tiny-data', version: '1.1-1', arch: 'all' })]);
    const second = releaseIndexes(readFileSync(join(dists, 'Release'), 'utf8'));
    for (const index of old) {
      expect(sha256(byHash(dists, index)), index.path).toBe(index.sha256);
      expect(statSync(byHash(dists, index)).size).toBe(index.size);
    }
    for (const index of second) {
      expect(sha256(byHash(dists, index)), index.path).toBe(index.sha256);
      // A hard link of the index beside it, not a second copy.
      expect(statSync(byHash(dists, index)).ino).toBe(statSync(join(dists, index.path)).ino);
    }
    // The client that read the first Release updates to the second one, fetching by hash.
    const update = await apt.update();
    expect(update.all).not.toMatch(/^(W|E|N): /m);
    expect(update.exitCode).toBe(0);
    expect((await apt.cache('policy', 'tiny-data')).all).toMatch(/Candidate: 1\.1-1/);

    // One publication later the first generation's by-hash files are gone; the second's stay.
    await publish(reposDir, [await binaryDeb(dir, { name: 'tiny-data', version: '1.2-1', arch: 'all' })]);
    const third = releaseIndexes(readFileSync(join(dists, 'Release'), 'utf8'));
    for (const index of second) expect(sha256(byHash(dists, index)), index.path).toBe(index.sha256);
    const kept = new Set([...second, ...third].map((i) => byHash(dists, i)));
    for (const index of old.filter((i) => !kept.has(byHash(dists, i)))) {
      expect(existsSync(byHash(dists, index)), index.path).toBe(false);
    }
    const onDisk = ['all', 'amd64'].flatMap((arch) => {
      const d = join(dists, 'main', `binary-${arch}`, 'by-hash', 'SHA256');
      return readdirSync(d).map((name) => join(d, name));
    });
    expect(onDisk.sort()).toEqual([...kept].sort());
  });

  it('refuses a deb whose pool file is already published with other bytes; the same bytes again change nothing', async () => {
    const dir = await tempDir();
    const reposDir = join(dir, 'repos');
    const deb = await binaryDeb(dir, { version: '1.0-1' });
    await mkdir(join(dir, 'rebuilt'));
    const rebuilt = await binaryDeb(join(dir, 'rebuilt'), {
      version: '1.0-1',
      files: { 'usr/share/tiny/hello.txt': 'hello again\n' },
    });
    await publish(reposDir, [deb]);
    const live = join(reposDir, 'stable');
    const path = 'pool/main/t/tiny/tiny_1.0-1_all.deb';
    const release = readFileSync(join(live, 'dists', 'stable', 'Release'), 'utf8');

    const attempt = publish(reposDir, [rebuilt]);
    await expect(attempt).rejects.toThrow(PublishError);
    await expect(attempt).rejects.toThrow(
      `stable: ${path} is already published with other content (${rebuilt}); a published package never changes under the same name: bump its Debian revision and publish again`,
    );
    expect(readFileSync(join(live, 'dists', 'stable', 'Release'), 'utf8')).toBe(release);
    expect(sha256(join(live, path))).toBe(sha256(deb));

    const again = await publish(reposDir, [deb, deb]);
    expect(again.published.added).toEqual([path]);
    expect(readdirSync(join(live, 'pool', 'main', 't', 'tiny'))).toEqual(['tiny_1.0-1_all.deb']);
    expect(sha256(join(live, path))).toBe(sha256(deb));
    const packages = readFileSync(join(live, 'dists', 'stable', 'main', 'binary-all', 'Packages'), 'utf8');
    expect(packages.match(/^Package: tiny$/gm)).toHaveLength(1);
  });

  it('apt-get update works with the InRelease it fetched just before a publication', async () => {
    const dir = await tempDir();
    const reposDir = join(dir, 'repos');
    const live = join(reposDir, 'stable');
    const first = await publish(reposDir, [await binaryDeb(dir, { name: 'tiny', version: '1.0-1' })]);
    const oldInRelease = readFileSync(join(live, 'dists', 'stable', 'InRelease'));
    await publish(reposDir, [await binaryDeb(dir, { name: 'tiny', version: '1.1-1' })]);
    // apt got InRelease before the switch, the indexes after it.
    const server = createServer((request, response) => {
      const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
      const body =
        path === '/dists/stable/InRelease'
          ? oldInRelease
          : existsSync(join(live, path)) && statSync(join(live, path)).isFile()
            ? readFileSync(join(live, path))
            : undefined;
      response.writeHead(body ? 200 : 404).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const sources = join(dir, 'http.sources');
      await writeFile(
        sources,
        readFileSync(first.published.sourcesFile, 'utf8').replace(
          /^URIs: .*$/m,
          `URIs: http://127.0.0.1:${port}/`,
        ),
      );
      const apt = await aptClient(sources);
      const update = await apt.update();
      expect(update.all).toMatch(/Get:\d+ http:\S+ stable\/main all Packages/);
      expect(update.all).not.toMatch(/^(W|E|N): /m);
      expect(update.exitCode).toBe(0);
      // The index the old InRelease describes: the package as it was before the publication.
      expect((await apt.cache('policy', 'tiny')).all).toMatch(/Candidate: 1\.0-1/);
    } finally {
      server.close();
    }
  });
});
