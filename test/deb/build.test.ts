import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CLEAN_PATH } from '../../runner/process.js';
import { buildStep } from '../../runner/steps/build.js';
import { SBUILD_MISSING } from '../../runner/steps/build-deb.js';
import type { BuildJob } from '../../src/plan/types.js';
import { buildJob, hostFacts, makeContext, tempDir, writeScript } from '../runner/helpers.js';
import { debianRepo } from './helpers.js';

const dpkgJob = (overrides: Partial<BuildJob> = {}) =>
  buildJob({ builder: 'dpkg', dpkg: { sbuild: false, dist: null, options: [] }, ...overrides });

async function build(repoDir: string, job: BuildJob) {
  const context = await makeContext({ job, repoDir });
  const result = await buildStep(context);
  return { result, context, artifacts: readdirSync(context.artifacts).sort(), log: context.log.text() };
}

const reasonOf = (result: { state: string; reason?: string }) => result.reason ?? '';

describe('builder dpkg from a debian/ directory', () => {
  it('builds a 3.0 (native) package: source package, deb, .changes and .buildinfo kept', async () => {
    const { result, artifacts, log } = await build(await debianRepo(), dpkgJob());
    expect(result).toEqual({ state: 'success' });
    // An Architecture: all package only: the arch-independent part is built.
    expect(log).toMatch(/\$ dpkg-buildpackage -us -uc --build=source,all/);
    expect(log).toMatch(/build dependencies: all installed/);
    expect(artifacts).toEqual(
      expect.arrayContaining(['tiny_1.0.dsc', 'tiny_1.0.tar.xz', 'tiny_1.0_all.deb', 'tiny_1.0_all.changes']),
    );
  });

  it('3.0 (quilt): uses the upstream tarball found beside debian/, and leaves it out of the tree', async () => {
    const { result, artifacts, log } = await build(await debianRepo({ format: '3.0 (quilt)' }), dpkgJob());
    expect(result).toEqual({ state: 'success' });
    expect(log).toMatch(/upstream tarball: tiny_1\.0\.orig\.tar\.gz, found beside debian\//);
    expect(artifacts).toEqual(
      expect.arrayContaining([
        'tiny_1.0-1.dsc',
        'tiny_1.0-1.debian.tar.xz',
        'tiny_1.0.orig.tar.gz',
        'tiny_1.0-1_all.deb',
      ]),
    );
  });

  it('3.0 (quilt): takes source.tarball under its Debian name', async () => {
    const repo = await debianRepo({ format: '3.0 (quilt)', tarball: { path: 'upstream/tiny-1.0.tar.gz' } });
    const { result, log } = await build(repo, dpkgJob({ source: { tarball: 'upstream/tiny-1.0.tar.gz' } }));
    expect(result).toEqual({ state: 'success' });
    expect(log).toMatch(/upstream tarball: upstream\/tiny-1\.0\.tar\.gz, used as tiny_1\.0\.orig\.tar\.gz/);
  });

  it('3.0 (quilt) without an upstream tarball fails before building, naming the file and the ways to give one', async () => {
    const { result, log } = await build(
      await debianRepo({ format: '3.0 (quilt)', tarball: 'none' }),
      dpkgJob(),
    );
    expect(result.state).toBe('failure');
    expect(reasonOf(result)).toMatch(
      /needs the upstream tarball tiny_1\.0\.orig\.tar\.\{gz,xz,bz2,lzma\}.*source\.tarball.*source\.tarball-command/,
    );
    expect(log).not.toMatch(/dpkg-buildpackage/);
  });

  it('a missing build dependency fails the build with its name, before dpkg-buildpackage runs', async () => {
    const repo = await debianRepo({ buildDepends: 'debhelper-compat (= 13), libalbs-missing-dev (>= 2.0)' });
    const { result, log } = await build(repo, dpkgJob());
    expect(result).toEqual({
      state: 'failure',
      reason:
        'missing build dependencies: libalbs-missing-dev (>= 2.0); install them on the runner (apt-get install libalbs-missing-dev) or build with build.dpkg.sbuild, which installs them in a chroot',
    });
    expect(log).toMatch(/Unmet build dependencies: libalbs-missing-dev \(>= 2\.0\)/);
    expect(log).not.toMatch(/\$ dpkg-buildpackage/);
  });

  it('never cross-builds; a job for arch all of an arch-specific package is excluded', async () => {
    const host = (await hostFacts()).debArch;
    const foreign = host === 'arm64' ? 'amd64' : 'arm64';
    const repo = await debianRepo({ arch: 'any' });
    const cross = await build(repo, dpkgJob({ matrix: { arch: foreign } }));
    expect(reasonOf(cross.result)).toMatch(
      new RegExp(`this job is for ${foreign} but this runner is ${host}.*build\\.dpkg\\.sbuild`),
    );
    const all = await build(repo, dpkgJob({ matrix: { arch: 'all' } }));
    expect(all.result).toEqual({
      state: 'excluded',
      reason:
        'debian/control has no Architecture: all package (tiny: any), so the job for arch all builds nothing',
    });
  });
});

describe('builder dpkg with sbuild', () => {
  it('without sbuild installed, fails at once saying how to fix it', async () => {
    // A PATH without sbuild, whether or not this machine has it (scripts/setup --with-optional).
    const { result, log } = await build(
      await debianRepo(),
      dpkgJob({
        dpkg: { sbuild: true, dist: null, options: [] },
        env: { PATH: await tempDir('albs-no-sbuild-') },
      }),
    );
    expect(result).toEqual({ state: 'failure', reason: SBUILD_MISSING });
    expect(log).not.toMatch(/dpkg-source/);
  });

  it('runs sbuild on the source package dpkg-source made, with the exact arguments', async () => {
    const bin = await tempDir('albs-fake-sbuild-');
    const argsFile = join(bin, 'args');
    // Records its arguments one per line and leaves a deb where --build-dir says, as sbuild would.
    await writeScript(
      join(bin, 'sbuild'),
      `#!/bin/sh\nprintf '%s\\n' "$@" > ${argsFile}\nfor a; do case $a in --build-dir=*) dir=\${a#--build-dir=} ;; esac; done\necho deb > "$dir/tiny_1.0_all.deb"\n`,
    );
    const job = dpkgJob({
      dpkg: { sbuild: true, dist: 'bookworm', options: ['--jobs=2'] },
      env: { PATH: `${bin}:${CLEAN_PATH}` },
    });
    // As root albs would run it as the build user (test/deb/sbuild.test.ts): this fake runs as root.
    vi.stubEnv('ALBS_SBUILD_USER', 'root');
    const { result, context, artifacts, log } = await build(await debianRepo(), job).finally(() =>
      vi.unstubAllEnvs(),
    );
    expect(result).toEqual({ state: 'success' });
    const host = (await hostFacts()).debArch;
    expect(readFileSync(argsFile, 'utf8').trim().split('\n')).toEqual([
      '--chroot-mode=unshare',
      '--nolog',
      '--no-run-lintian',
      `--arch=${host}`,
      '--dist=bookworm',
      '--arch-all',
      '--no-arch-any',
      `--build-dir=${join(context.workspace, 'sbuild')}`,
      '--jobs=2',
      join(context.workspace, 'build', 'tiny_1.0.dsc'),
    ]);
    expect(log).toMatch(/\$ dpkg-source -b tiny-1\.0/);
    expect(log).not.toMatch(/dpkg-checkbuilddeps|dpkg-buildpackage/);
    expect(artifacts).toEqual(expect.arrayContaining(['tiny_1.0.dsc', 'tiny_1.0_all.deb']));
  });
});

describe('builder dpkg from a .dsc link', () => {
  let server: Server;
  let base: string;
  const files = new Map<string, Buffer>();
  const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

  beforeAll(async () => {
    // A real source package, made by the quilt route above.
    const made = await build(await debianRepo({ format: '3.0 (quilt)' }), dpkgJob());
    for (const name of made.artifacts.filter((f) => /\.(dsc|tar\.\w+)$/.test(f))) {
      files.set(name, await readFile(join(made.context.artifacts, name)));
    }
    server = createServer((req, res) => {
      const body = files.get((req.url ?? '').replace(/^\/pool\//, ''));
      if (body) res.end(body);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/pool`;
  }, 60_000);
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const dscJob = (name = 'tiny_1.0-1.dsc', sha = sha256(files.get(name) ?? '')) =>
    dpkgJob({ source: { dsc: `${base}/${name}`, sha256: sha } });

  it('downloads the .dsc and its files, checks them, unpacks and builds the binaries', async () => {
    const { result, artifacts, log } = await build(await tempDir(), dscJob());
    expect(result).toEqual({ state: 'success' });
    expect(log).toMatch(/downloaded tiny_1\.0\.orig\.tar\.gz: \d+ bytes, SHA-256 [0-9a-f]{64} as expected/);
    expect(log).toMatch(/\$ dpkg-source -x .*tiny_1\.0-1\.dsc/);
    expect(log).toMatch(/\$ dpkg-buildpackage -us -uc --build=all/);
    expect(artifacts).toEqual(
      expect.arrayContaining(['tiny_1.0-1.dsc', 'tiny_1.0.orig.tar.gz', 'tiny_1.0-1_all.deb']),
    );
  });

  it('refuses a .dsc whose SHA-256 is not the configured one', async () => {
    const { result } = await build(await tempDir(), dscJob('tiny_1.0-1.dsc', '0'.repeat(64)));
    expect(reasonOf(result)).toMatch(
      /the \.dsc downloaded from .* has SHA-256 [0-9a-f]{64}, but source\.sha256 in \.albs\.yml says 0{64}/,
    );
  });

  it('refuses a listed file whose digest differs from the .dsc, and builds nothing', async () => {
    const good = files.get('tiny_1.0.orig.tar.gz')!;
    const bad = Buffer.from(good);
    bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 1;
    files.set('tiny_1.0.orig.tar.gz', bad);
    try {
      const { result, log, context } = await build(await tempDir(), dscJob());
      expect(reasonOf(result)).toMatch(
        /the tiny_1\.0\.orig\.tar\.gz downloaded from .* has SHA-256 [0-9a-f]{64}, but the Checksums-Sha256 of tiny_1\.0-1\.dsc says/,
      );
      expect(log).not.toMatch(/dpkg-source -x/);
      expect(readdirSync(join(context.workspace, 'build'))).not.toContain('tiny_1.0.orig.tar.gz');
    } finally {
      files.set('tiny_1.0.orig.tar.gz', good);
    }
  });

  it('refuses a .dsc that names a file outside its directory, downloading nothing more', async () => {
    const evil = files
      .get('tiny_1.0-1.dsc')!
      .toString()
      .replace(/tiny_1\.0\.orig\.tar\.gz/g, '../../escape.tar.gz');
    files.set('evil.dsc', Buffer.from(evil));
    const { result, log } = await build(await tempDir(), dscJob('evil.dsc'));
    expect(reasonOf(result)).toMatch(
      /evil\.dsc lists the file "\.\.\/\.\.\/escape\.tar\.gz", which is not a plain file name/,
    );
    expect(log).not.toMatch(/downloading .*escape/);
  });
});
