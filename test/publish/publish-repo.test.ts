import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { mkdir, readFile, rename, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PublishDnfOptions, PublishError, publishDnfRepo } from '../../src/publish/publish-dnf-repo.js';
import type { Signer } from '../../src/sign/signer.js';
import { dnfInstall } from '../helpers/dnf.js';
import { buildRpm, makeKey, type TestKey, tempDir } from '../sign/helpers.js';

let key: TestKey;
let rpms: Record<'a' | 'b' | 'tiny1' | 'tiny2' | 'tiny3' | 'aRebuilt', string>;

beforeAll(async () => {
  key = await makeKey('ed25519');
  const dir = await tempDir();
  const build = async (sub: string, name: string, version: string) => {
    await mkdir(join(dir, sub));
    return buildRpm(join(dir, sub), { name, version });
  };
  rpms = {
    a: await build('a', 'albs-a', '1.0'),
    b: await build('b', 'albs-b', '1.0'),
    tiny1: await build('t1', 'albs-tiny', '1.0'),
    tiny2: await build('t2', 'albs-tiny', '2.0'),
    tiny3: await build('t3', 'albs-tiny', '3.0'),
    // Same name, version and release as `a`, other bytes: a rebuild nobody bumped.
    aRebuilt: await buildRpm(join(dir, 'a2'), { name: 'albs-a', version: '1.0', payloadBytes: 300 }),
  };
  // Signed, as the publish step gets them: dnf installs from these repositories with gpgcheck on.
  for (const rpm of Object.values(rpms)) await key.signer.signRpm(rpm);
}, 120_000);
afterAll(() => key.signer.close());

async function publish(
  reposDir: string,
  packages: string[],
  options: Partial<PublishDnfOptions> = {},
): Promise<{ lines: string[]; published: Awaited<ReturnType<typeof publishDnfRepo>> }> {
  const lines: string[] = [];
  const published = await publishDnfRepo({
    reposDir,
    repo: 'el9',
    packages,
    signer: key.signer,
    publicKey: await readFile(key.publicKey, 'utf8'),
    keyName: 'test',
    keep: 3,
    log: (line) => lines.push(line),
    ...options,
  });
  return { lines, published };
}

/** The file names in the live repo's Packages/. */
function packageFiles(reposDir: string): string[] {
  return readdirSync(join(reposDir, 'el9', 'Packages')).sort();
}

/** The package names the live repo's primary metadata lists: what dnf would see. */
async function primaryNames(reposDir: string): Promise<string[]> {
  const repodata = join(reposDir, 'el9', 'repodata');
  const repomd = readFileSync(join(repodata, 'repomd.xml'), 'utf8');
  const href = /<data type="primary">[\s\S]*?<location href="repodata\/([^"]+)"/.exec(repomd)?.[1];
  if (!href) throw new Error(`no primary metadata in ${repodata}/repomd.xml`);
  const bytes = await readFile(join(repodata, href));
  const xml = href.endsWith('.gz')
    ? gunzipSync(bytes).toString('utf8')
    : (await execa('zstd', ['-dc', join(repodata, href)])).stdout;
  return [...xml.matchAll(/<name>([^<]+)<\/name>/g)].map((m) => m[1]!).sort();
}

/** Type, sha256 and path of every file a repomd.xml names. */
function repomdFiles(repomd: string): { type: string; sha256: string; href: string }[] {
  return [...repomd.matchAll(/<data type="([^"]+)">([\s\S]*?)<\/data>/g)].map((m) => ({
    type: m[1]!,
    sha256: /<checksum type="sha256">([0-9a-f]{64})<\/checksum>/.exec(m[2]!)?.[1] ?? '',
    href: /<location href="([^"]+)"/.exec(m[2]!)?.[1] ?? '',
  }));
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** A pid no process has: a child's, after it exited. */
async function deadPid(): Promise<number> {
  const child = execa('true');
  const pid = child.pid!;
  await child;
  return pid;
}

describe('publishing a dnf repository', () => {
  it('two publications of one repo at once take turns: both packages end up in it', async () => {
    const reposDir = join(await tempDir(), 'repos');
    const [first, second] = await Promise.all([publish(reposDir, [rpms.a]), publish(reposDir, [rpms.b])]);
    expect(first.published.added).toEqual(['albs-a-1.0-1.noarch.rpm']);
    expect(second.published.added).toEqual(['albs-b-1.0-1.noarch.rpm']);
    expect(packageFiles(reposDir)).toEqual(['albs-a-1.0-1.noarch.rpm', 'albs-b-1.0-1.noarch.rpm']);
    expect(await primaryNames(reposDir)).toEqual(['albs-a', 'albs-b']);
    expect(existsSync(join(reposDir, '.repos', 'el9.lock'))).toBe(false);
  });

  it('keeps the directory it replaced until the next publication, for clients reading the old metadata', async () => {
    const reposDir = join(await tempDir(), 'repos');
    const versions = join(reposDir, '.repos');
    await publish(reposDir, [rpms.a]);
    const first = readlinkSync(join(reposDir, 'el9'));
    expect(readdirSync(versions)).toEqual([first.replace('.repos/', '')]);
    await publish(reposDir, [rpms.b]);
    const second = readlinkSync(join(reposDir, 'el9'));
    expect(readlinkSync(join(versions, 'el9.previous'))).toBe(first.replace('.repos/', ''));
    expect(readdirSync(join(reposDir, first, 'Packages'))).toEqual(['albs-a-1.0-1.noarch.rpm']);
    await publish(reposDir, [rpms.tiny1]);
    const third = readlinkSync(join(reposDir, 'el9'));
    expect(readlinkSync(join(versions, 'el9.previous'))).toBe(second.replace('.repos/', ''));
    expect(readdirSync(versions).sort()).toEqual(
      [second, third]
        .map((t) => t.replace('.repos/', ''))
        .concat('el9.previous')
        .sort(),
    );
  });

  it('takes over a lock whose process is no longer running', async () => {
    const reposDir = join(await tempDir(), 'repos');
    const pid = await deadPid();
    const lock = join(reposDir, '.repos', 'el9.lock');
    await mkdir(lock, { recursive: true });
    await writeFile(
      join(lock, `${pid}-deadbeef`),
      JSON.stringify({ pid, host: hostname(), since: '2026-01-01T00:00:00.000Z' }),
    );
    const { lines } = await publish(reposDir, [rpms.a]);
    expect(lines).toContain(`el9: taking over the lock of process ${pid}, which is no longer running`);
    expect(packageFiles(reposDir)).toEqual(['albs-a-1.0-1.noarch.rpm']);
    expect(existsSync(lock)).toBe(false);
  });

  it('gives up on a live lock after lockTimeoutMs, naming its owner and the lock to remove', async () => {
    const reposDir = join(await tempDir(), 'repos');
    const lock = join(reposDir, '.repos', 'el9.lock');
    await mkdir(lock, { recursive: true });
    // This process holds it, under another token: alive, so never taken over.
    await writeFile(
      join(lock, `${process.pid}-0123abcd`),
      JSON.stringify({ pid: process.pid, host: hostname(), since: '2026-01-01T00:00:00.000Z' }),
    );
    await expect(publish(reposDir, [rpms.a], { lockTimeoutMs: 0 })).rejects.toThrow(
      `el9: gave up after 0 s waiting for another publication of this repository (process ${process.pid} on ${hostname()}, since 2026-01-01T00:00:00.000Z); if it is no longer running, remove ${lock}; or give the publication a longer lockTimeoutMs`,
    );
    expect(existsSync(join(reposDir, 'el9'))).toBe(false);
    expect(readdirSync(join(reposDir, '.repos'))).toEqual(['el9.lock']);
  });

  it('removes directories left by a process no longer running, never one of a live process', async () => {
    const reposDir = join(await tempDir(), 'repos');
    const versions = join(reposDir, '.repos');
    await publish(reposDir, [rpms.a]);
    const pid = await deadPid();
    const dead = join(versions, `el9@zz1-${pid}`);
    const live = join(versions, `el9@zz2-${process.pid}`);
    const otherRepo = join(versions, `el9.lock-x@zz3-${pid}`);
    for (const dir of [dead, live, otherRepo]) {
      await mkdir(join(dir, 'Packages'), { recursive: true });
      await writeFile(join(dir, 'Packages', 'half-written.rpm'), '');
    }
    const { lines } = await publish(reposDir, [rpms.b]);
    expect(existsSync(dead)).toBe(false);
    expect(lines).toContain(
      `el9: removed el9@zz1-${pid}, left by process ${pid}, which is no longer running`,
    );
    expect(existsSync(live)).toBe(true);
    expect(existsSync(otherRepo)).toBe(true);
    expect(packageFiles(reposDir)).toEqual(['albs-a-1.0-1.noarch.rpm', 'albs-b-1.0-1.noarch.rpm']);
  });

  it('never prunes the package it publishes: an older release republished with keep 1 stays, and the log says why', async () => {
    const reposDir = join(await tempDir(), 'repos');
    await publish(reposDir, [rpms.tiny2], { keep: 1 });
    const older = await publish(reposDir, [rpms.tiny1], { keep: 1 });
    expect(older.published.added).toEqual(['albs-tiny-1.0-1.noarch.rpm']);
    expect(older.published.removed).toEqual([]);
    expect(packageFiles(reposDir)).toEqual(['albs-tiny-1.0-1.noarch.rpm', 'albs-tiny-2.0-1.noarch.rpm']);
    expect(older.lines).toEqual([
      'el9: kept albs-tiny-1.0-1.noarch.rpm, published now though a newer version is in the repository: albs-tiny.noarch has 2 versions, more than keep 1',
      'el9: published 1 package',
    ]);
    // The next publication prunes as usual: only the newest and what it adds itself stay.
    const newer = await publish(reposDir, [rpms.tiny3], { keep: 1 });
    expect(newer.published.removed).toEqual(['albs-tiny-1.0-1.noarch.rpm', 'albs-tiny-2.0-1.noarch.rpm']);
    expect(packageFiles(reposDir)).toEqual(['albs-tiny-3.0-1.noarch.rpm']);
    expect(await primaryNames(reposDir)).toEqual(['albs-tiny']);
  });

  it('an abort before the switch publishes nothing: the live repository and its directories stay as they were', async () => {
    const reposDir = join(await tempDir(), 'repos');
    const versions = join(reposDir, '.repos');
    await publish(reposDir, [rpms.a]);
    const target = readlinkSync(join(reposDir, 'el9'));
    const repomd = readFileSync(join(reposDir, 'el9', 'repodata', 'repomd.xml'), 'utf8');
    const before = readdirSync(versions).sort();

    // Cancelled while the new repository is being built (its metadata signed): the check at the switch stops it.
    const controller = new AbortController();
    const signer = new Proxy(key.signer, {
      get(target_, property) {
        if (property === 'signRepoMetadata') {
          return (...args: Parameters<Signer['signRepoMetadata']>) => {
            controller.abort(new Error('pipeline cancelled: build.x86_64 failed'));
            return target_.signRepoMetadata(...args);
          };
        }
        const value: unknown = Reflect.get(target_, property, target_);
        return typeof value === 'function' ? value.bind(target_) : value;
      },
    });
    await expect(publish(reposDir, [rpms.b], { signer, signal: controller.signal })).rejects.toThrow(
      'el9: cancelled before the switch (pipeline cancelled: build.x86_64 failed); the published repository is unchanged',
    );
    // Already cancelled when it starts: it stops before taking the lock.
    await expect(
      publish(reposDir, [rpms.b], { signal: AbortSignal.abort(new Error('Ctrl-C')) }),
    ).rejects.toThrow('el9: cancelled while waiting for the repository lock (Ctrl-C); nothing was published');

    expect(readlinkSync(join(reposDir, 'el9'))).toBe(target);
    expect(readFileSync(join(reposDir, 'el9', 'repodata', 'repomd.xml'), 'utf8')).toBe(repomd);
    expect(packageFiles(reposDir)).toEqual(['albs-a-1.0-1.noarch.rpm']);
    expect(readdirSync(versions).sort()).toEqual(before);
  });

  it.each([
    ['a directory', (path: string) => mkdir(path), /EISDIR/],
    ['a dangling symlink', (path: string) => symlink('nowhere', path), /ENOENT/],
    ['not JSON', (path: string) => writeFile(path, 'garbage\n'), /does not say who holds it/],
  ])(
    'waits without spinning for a lock whose owner entry is %s, then gives up naming the lock and its owner entry',
    async (_, make, problem) => {
      const reposDir = join(await tempDir(), 'repos');
      const lock = join(reposDir, '.repos', 'el9.lock');
      await mkdir(lock, { recursive: true });
      await make(join(lock, '4242-0123abcd'));
      const lines: string[] = [];
      const cpu = process.cpuUsage();
      const started = performance.now();
      const attempt = publish(reposDir, [rpms.a], {
        lockTimeoutMs: 1500,
        log: (line) => lines.push(line),
        // Only a safety net: a lock that never gives up stops here, with another message.
        signal: AbortSignal.timeout(8000),
      });
      await expect(attempt).rejects.toThrow(
        `el9: gave up after 2 s waiting for the lock ${lock}, whose owner entry 4242-0123abcd cannot be read`,
      );
      await expect(attempt).rejects.toThrow(
        `if no publication of el9 is running, the lock is stale: remove ${lock}`,
      );
      await expect(attempt).rejects.toThrow(problem);
      const elapsed = performance.now() - started;
      const used = process.cpuUsage(cpu);
      expect(elapsed).toBeGreaterThanOrEqual(1500);
      // Sleeping between attempts: a busy loop would use about as much CPU time as it waited.
      expect((used.user + used.system) / 1000).toBeLessThan(elapsed / 4);
      // Said once, not once per attempt.
      expect(lines.filter((line) => line.includes('waiting'))).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(`^el9: waiting for the lock ${lock}, whose owner entry 4242-0123abcd cannot be read`),
      );
      expect(existsSync(join(reposDir, 'el9'))).toBe(false);
    },
  );

  it('a client that fetched the old repomd.xml gets every file it names through the live repo, for one more publication', async () => {
    const reposDir = join(await tempDir(), 'repos');
    const live = join(reposDir, 'el9');
    await publish(reposDir, [rpms.a]);
    const first = repomdFiles(readFileSync(join(live, 'repodata', 'repomd.xml'), 'utf8'));
    expect(first.map((f) => f.type)).toEqual(expect.arrayContaining(['primary', 'filelists', 'other']));

    await publish(reposDir, [rpms.b]);
    const second = repomdFiles(readFileSync(join(live, 'repodata', 'repomd.xml'), 'utf8'));
    expect(second.map((f) => f.href)).not.toEqual(first.map((f) => f.href));
    for (const file of first) expect(sha256(join(live, file.href)), file.href).toBe(file.sha256);

    // One publication later the first generation's files are gone; the second's stay.
    await publish(reposDir, [rpms.tiny1]);
    const third = repomdFiles(readFileSync(join(live, 'repodata', 'repomd.xml'), 'utf8'));
    for (const file of second) expect(sha256(join(live, file.href)), file.href).toBe(file.sha256);
    const kept = new Set([...second, ...third].map((f) => f.href));
    for (const file of first.filter((f) => !kept.has(f.href))) {
      expect(existsSync(join(live, file.href)), file.href).toBe(false);
    }
    expect(readdirSync(join(live, 'repodata')).sort()).toEqual(
      [...kept]
        .map((href) => href.replace('repodata/', ''))
        .concat('repomd.xml', 'repomd.xml.asc')
        .sort(),
    );
  });

  it('dnf installs through the live repo with the repomd.xml it fetched just before a publication', async () => {
    const reposDir = join(await tempDir(), 'repos');
    const live = join(reposDir, 'el9');
    await publish(reposDir, [rpms.a]);
    const oldRepomd = readFileSync(join(live, 'repodata', 'repomd.xml'));
    const oldSignature = readFileSync(join(live, 'repodata', 'repomd.xml.asc'));
    await publish(reposDir, [rpms.b]);
    // dnf got repomd.xml (and its signature) before the switch, everything else after it.
    const server = createServer((request, response) => {
      const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
      const old = { '/repodata/repomd.xml': oldRepomd, '/repodata/repomd.xml.asc': oldSignature }[path];
      const body = old ?? (existsSync(join(live, path)) ? readFileSync(join(live, path)) : undefined);
      response.writeHead(body ? 200 : 404).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const repoFile = readFileSync(join(live, 'el9.repo'), 'utf8').replace(
        /^baseurl=.*$/m,
        `baseurl=http://127.0.0.1:${port}/`,
      );
      const install = await dnfInstall(repoFile, 'albs-a');
      expect(install.output).toContain('Complete!');
      expect(install.exitCode).toBe(0);
      expect(install.installed).toBe(true);
    } finally {
      server.close();
    }
  });

  it('refuses a package whose file name is already published with other bytes; the same bytes again change nothing', async () => {
    const reposDir = join(await tempDir(), 'repos');
    const live = join(reposDir, 'el9');
    const file = 'albs-a-1.0-1.noarch.rpm';
    await publish(reposDir, [rpms.a]);
    const target = readlinkSync(live);
    const repomd = readFileSync(join(live, 'repodata', 'repomd.xml'), 'utf8');

    const rebuilt = publish(reposDir, [rpms.aRebuilt]);
    await expect(rebuilt).rejects.toThrow(PublishError);
    await expect(rebuilt).rejects.toThrow(
      `el9: ${file} is already published with other content (${rpms.aRebuilt}); a published package never changes under the same name: bump its Release and publish again`,
    );
    expect(readlinkSync(live)).toBe(target);
    expect(readFileSync(join(live, 'repodata', 'repomd.xml'), 'utf8')).toBe(repomd);
    expect(sha256(join(live, 'Packages', file))).toBe(sha256(rpms.a));

    // Both in one publication: refused too, whichever comes first.
    await expect(publish(join(await tempDir(), 'repos'), [rpms.aRebuilt, rpms.a])).rejects.toThrow(
      `el9: ${file} is given twice with different content (${rpms.aRebuilt}, ${rpms.a}); bump the Release of one of them`,
    );

    const again = await publish(reposDir, [rpms.a, rpms.a]);
    expect(again.published.added).toEqual([file]);
    expect(packageFiles(reposDir)).toEqual([file]);
    expect(sha256(join(live, 'Packages', file))).toBe(sha256(rpms.a));
    expect(await primaryNames(reposDir)).toEqual(['albs-a']);
  });

  it.each([
    ['a file', (path: string) => writeFile(path, 'not a directory\n'), 'ENOTDIR'],
    ['a symlink loop', (path: string) => symlink('Packages', path), 'ELOOP'],
  ])(
    'fails, naming the directory, when the live Packages/ cannot be read (it is %s): nothing is published without the earlier packages',
    async (_, make, code) => {
      const reposDir = join(await tempDir(), 'repos');
      await publish(reposDir, [rpms.a]);
      const live = realpathSync(join(reposDir, 'el9'));
      const target = readlinkSync(join(reposDir, 'el9'));
      await rename(join(live, 'Packages'), join(live, 'Packages.moved'));
      await make(join(live, 'Packages'));
      const repomd = readFileSync(join(live, 'repodata', 'repomd.xml'), 'utf8');
      const before = readdirSync(join(reposDir, '.repos')).sort();

      const attempt = publish(reposDir, [rpms.b]);
      await expect(attempt).rejects.toThrow(PublishError);
      await expect(attempt).rejects.toThrow(
        new RegExp(
          `^el9: cannot read ${join(live, 'Packages')}, a directory of the live repository \\(${code}\\b.*\\); nothing was published: restore it`,
        ),
      );
      expect(readlinkSync(join(reposDir, 'el9'))).toBe(target);
      expect(readFileSync(join(live, 'repodata', 'repomd.xml'), 'utf8')).toBe(repomd);
      expect(readdirSync(join(reposDir, '.repos')).sort()).toEqual(before);
    },
  );
});
