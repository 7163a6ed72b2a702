import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLEAN_PATH } from '../../runner/process.js';
import { buildStep, exclusion, MOCK_MISSING } from '../../runner/steps/build.js';
import {
  buildJob,
  EXAMPLES,
  hostFacts,
  makeContext,
  processesRunning,
  specRepo,
  tempDir,
  writeScript,
} from './helpers.js';

const host = await hostFacts();

async function artifactNames(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

describe('buildStep with rpmbuild', () => {
  it('builds examples/hello-noarch from its spec: the src.rpm and the noarch rpm are artifacts', async () => {
    const context = await makeContext({ job: buildJob(), repoDir: join(EXAMPLES, 'hello-noarch') });
    expect(await buildStep(context)).toEqual({ state: 'success' });
    expect(await artifactNames(context.artifacts)).toEqual([
      'hello-noarch-1.0.0-1.noarch.rpm',
      'hello-noarch-1.0.0-1.src.rpm',
    ]);
    expect(context.log.text()).toMatch(
      /\$ rpmbuild -bs --define '_topdir .*\/rpmbuild' --define '_sourcedir .*hello-noarch'/,
    );
    // The package repository is only read.
    expect(existsSync(join(EXAMPLES, 'hello-noarch', 'rpmbuild'))).toBe(false);
    // Without build.macros.dist the log says where the dist tag comes from, or that there is none.
    const hostDist = (await execa('rpm', ['--eval', '%{?dist}'])).stdout.trim();
    expect(context.log.text()).toContain(
      hostDist === ''
        ? 'the packages carry no dist tag: build.macros.dist is not set and this host defines no %dist'
        : `dist tag: "${hostDist}", from this host's rpm macros`,
    );
  });

  it.skipIf(host.rpmArch !== 'x86_64')(
    'builds examples/hello-c for x86_64 with the job env in the build environment',
    async () => {
      const job = buildJob({ matrix: { arch: 'x86_64', dist: 'almalinux-9' }, env: { EXTRA_CFLAGS: '-O3' } });
      const context = await makeContext({ job, repoDir: join(EXAMPLES, 'hello-c') });
      expect(await buildStep(context)).toEqual({ state: 'success' });
      expect(await artifactNames(context.artifacts)).toContain('hello-c-1.0.0-1.x86_64.rpm');
      // The Makefile appends EXTRA_CFLAGS: the compiler line in the log shows it arrived.
      expect(context.log.lines.some((l) => /^cc .* -O3 .*-o hello-c hello-c\.c/.test(l))).toBe(true);
      // %check ran and passed.
      expect(context.log.text()).toContain('hello-c: all checks passed (x86_64)');
    },
  );

  it.runIf(!host.rpmDatabaseUsable)(
    'on a host whose rpm database cannot check BuildRequires, builds with --nodeps and says so',
    async () => {
      const context = await makeContext({ job: buildJob(), repoDir: join(EXAMPLES, 'hello-c') });
      expect(await buildStep(context)).toEqual({ state: 'success' });
      expect(context.log.text()).toContain('BuildRequires');
      expect(context.log.text()).toContain('were NOT checked');
      expect(
        context.log.lines.some(
          (l) => l.startsWith('[albs] $ rpmbuild --rebuild') && l.includes(' --nodeps '),
        ),
      ).toBe(true);
    },
  );

  it('never cross-builds: a job for another arch fails without running rpmbuild --target', async () => {
    const foreign = host.rpmArch === 'aarch64' ? 'x86_64' : 'aarch64';
    const job = buildJob({ matrix: { arch: foreign } });
    const context = await makeContext({ job, repoDir: join(EXAMPLES, 'hello-c') });
    const result = await buildStep(context);
    expect(result).toMatchObject({ state: 'failure' });
    expect(result.state === 'failure' && result.reason).toContain(
      `this job is for ${foreign} but this runner is ${host.rpmArch}`,
    );
    expect(context.log.text()).not.toContain('--target');
    expect(context.log.text()).not.toContain('rpmbuild --rebuild');
  });

  it('ExcludeArch of the job arch makes the job excluded, not failed', async () => {
    const repoDir = await specRepo('excluded', { tags: [`ExcludeArch: ${host.rpmArch} s390x`] });
    const context = await makeContext({ job: buildJob({ matrix: { arch: host.rpmArch } }), repoDir });
    expect(await buildStep(context)).toEqual({
      state: 'excluded',
      reason: `ExcludeArch: ${host.rpmArch} s390x rules out excluded on ${host.rpmArch}`,
    });
    expect(context.log.text()).not.toContain('rpmbuild --rebuild');
  });

  it('ExclusiveArch without the job arch makes the job excluded', async () => {
    const repoDir = await specRepo('exclusive', { tags: ['ExclusiveArch: s390x ppc64le'] });
    const context = await makeContext({ job: buildJob(), repoDir });
    const result = await buildStep(context);
    expect(result).toEqual({
      state: 'excluded',
      reason: `ExclusiveArch: s390x ppc64le does not include ${host.rpmArch}, so exclusive on ${host.rpmArch} is not built`,
    });
  });

  it('a failing %build fails the job, names the command and exit code, keeps the log and the src.rpm', async () => {
    const repoDir = await specRepo('broken', { build: 'echo "compiler exploded" >&2; exit 3' });
    const context = await makeContext({ job: buildJob(), repoDir });
    const result = await buildStep(context);
    expect(result).toEqual({
      state: 'failure',
      reason: 'build failed: rpmbuild --rebuild exited with 1 (the log has its output)',
    });
    expect(context.log.lines).toContain('compiler exploded');
    expect(await readFile(context.log.path, 'utf8')).toContain('compiler exploded');
    expect(await artifactNames(context.artifacts)).toEqual(['broken-1.0-1.src.rpm']);
  });

  // %build sleeps 300 s: the generous test timeout only keeps a broken stop from hanging the suite.
  it('a build over the job timeout is stopped, with everything it started, and says so', {
    timeout: 60_000,
  }, async () => {
    // In the sandbox's own pid namespace its pids mean nothing here: find the sleeper by its command line.
    const seconds = String(300 + Math.floor(Math.random() * 1000));
    const repoDir = await specRepo('slow', { build: `sleep ${seconds} & wait` });
    // 2 s: time enough for rpmbuild to reach %build on a slow machine.
    const context = await makeContext({ job: buildJob({ timeout: 2 }), repoDir });
    expect(await buildStep(context)).toEqual({
      state: 'failure',
      reason: 'build failed: rpmbuild --rebuild timed out after 2 s (the log has its output)',
    });
    expect(context.log.text()).toContain('timed out after 2 s: stopping rpmbuild');
    expect(processesRunning(['sleep', seconds])).toEqual([]);
  });

  it('fails with a clear reason when there is no spec', async () => {
    const repoDir = await tempDir('albs-repo-');
    await writeFile(join(repoDir, 'README'), 'no spec here\n');
    const context = await makeContext({ job: buildJob(), repoDir });
    const result = await buildStep(context);
    expect(result).toMatchObject({ state: 'failure' });
    expect(result.state === 'failure' && result.reason).toMatch(
      /no \*\.spec found at the top of .* \(found: README\)/,
    );
  });

  it('builder dpkg on a repository without debian/ fails, saying what it looked for', async () => {
    const context = await makeContext({
      job: buildJob({ builder: 'dpkg' }),
      repoDir: join(EXAMPLES, 'hello-noarch'),
    });
    const result = await buildStep(context);
    expect(result.state === 'failure' && result.reason).toMatch(
      /^builder dpkg needs a debian\/ directory with changelog and control at \S+hello-noarch, and found no debian\/changelog/,
    );
  });
});

describe('buildStep from a src.rpm link', () => {
  const example = join(EXAMPLES, 'hello-srpm');
  let server: Server;
  let base: string;
  let srpmName: string;
  let sha256: string;

  beforeAll(async () => {
    srpmName = (await readdir(example)).find((f) => f.endsWith('.src.rpm'))!;
    sha256 = /sha256:\s*"([0-9a-f]{64})"/.exec(await readFile(join(example, '.albs.yml'), 'utf8'))![1]!;
    server = createServer((req, res) => {
      if (req.url === `/${srpmName}`) createReadStream(join(example, srpmName)).pipe(res);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('downloads, checks and rebuilds examples/hello-srpm', async () => {
    const job = buildJob({ source: { srpm: `${base}/${srpmName}`, sha256 } });
    const context = await makeContext({ job, repoDir: example });
    expect(await buildStep(context)).toEqual({ state: 'success' });
    const names = await artifactNames(context.artifacts);
    expect(names).toContain(srpmName);
    expect(names.some((n) => n.endsWith('.noarch.rpm'))).toBe(true);
    expect(context.log.text()).toContain('as expected');
  });

  it('refuses a wrong sha256 before building anything', async () => {
    const wrong = '0'.repeat(64);
    const job = buildJob({ source: { srpm: `${base}/${srpmName}`, sha256: wrong } });
    const context = await makeContext({ job, repoDir: example });
    const result = await buildStep(context);
    expect(result).toMatchObject({ state: 'failure' });
    const reason = result.state === 'failure' ? result.reason : '';
    expect(reason).toContain(`${base}/${srpmName}`);
    expect(reason).toContain(wrong);
    expect(reason).toContain(sha256);
    expect(context.log.text()).not.toContain('$ rpm');
    expect(await readdir(context.artifacts)).toEqual([]);
    expect(await readdir(join(context.workspace, 'srpm'))).toEqual([]);
  });
});

describe('buildStep with mock', () => {
  /** A stand-in `mock` that records its arguments, one per line, and fakes a result directory. */
  async function fakeMock(exitCode = 0): Promise<{ bin: string; argvFile: string }> {
    const bin = await tempDir('albs-fake-mock-');
    const argvFile = join(bin, 'argv');
    await writeScript(
      join(bin, 'mock'),
      `#!/bin/bash
printf '%s\\n' "$@" > ${argvFile}
while [ $# -gt 0 ]; do
  if [ "$1" = --resultdir ]; then result=$2; fi
  shift
done
mkdir -p "$result"
echo "fake chroot build output" > "$result/build.log"
touch "$result/hello-noarch-1.0.0-1.el9.noarch.rpm" "$result/hello-noarch-1.0.0-1.el9.src.rpm"
exit ${exitCode}
`,
    );
    return { bin, argvFile };
  }

  it('runs mock -r CONFIG --define MACRO --rebuild SRPM --resultdir WS/result OPTIONS and keeps its rpms', async () => {
    const { bin, argvFile } = await fakeMock();
    const job = buildJob({
      builder: 'mock',
      macros: { dist: '.el9', _with_tests: '1' },
      matrix: { arch: host.rpmArch, dist: 'almalinux-9' },
      mock: {
        config: `almalinux-9-${host.rpmArch}`,
        options: ['--enable-network', '--define=packager albs'],
      },
      env: { PATH: `${bin}:${CLEAN_PATH}` },
    });
    const context = await makeContext({ job, repoDir: join(EXAMPLES, 'hello-noarch') });
    expect(await buildStep(context)).toEqual({ state: 'success' });
    const argv = (await readFile(argvFile, 'utf8')).trimEnd().split('\n');
    expect(argv).toEqual([
      '-r',
      `almalinux-9-${host.rpmArch}`,
      '--define',
      'dist .el9',
      '--define',
      '_with_tests 1',
      '--rebuild',
      join(context.workspace, 'rpmbuild', 'SRPMS', 'hello-noarch-1.0.0-1.el9.src.rpm'),
      '--resultdir',
      join(context.workspace, 'result'),
      '--enable-network',
      '--define=packager albs',
    ]);
    // build.macros reached the src.rpm build too.
    expect(context.log.text()).toMatch(/\$ rpmbuild -bs .* --define 'dist \.el9' --define '_with_tests 1' /);
    // mock checks BuildRequires itself: no --nodeps, no warning.
    expect(context.log.text()).not.toContain('--nodeps');
    expect(await artifactNames(context.artifacts)).toEqual([
      'hello-noarch-1.0.0-1.el9.noarch.rpm',
      'hello-noarch-1.0.0-1.el9.src.rpm',
    ]);
  });

  it('a failing mock fails the job and puts its build.log into the job log', async () => {
    const { bin } = await fakeMock(30);
    const job = buildJob({
      builder: 'mock',
      mock: { config: 'almalinux-9-x86_64', options: [] },
      env: { PATH: `${bin}:${CLEAN_PATH}` },
    });
    const context = await makeContext({ job, repoDir: join(EXAMPLES, 'hello-noarch') });
    expect(await buildStep(context)).toEqual({
      state: 'failure',
      reason: 'build failed: mock --rebuild exited with 30 (the log has its output)',
    });
    expect(context.log.lines).toContain('fake chroot build output');
  });

  it('fails clearly when mock is not installed', async () => {
    const empty = await tempDir('albs-empty-path-');
    await mkdir(join(empty, 'bin'));
    const job = buildJob({
      builder: 'mock',
      mock: { config: 'almalinux-9-x86_64', options: [] },
      env: { PATH: join(empty, 'bin') },
    });
    const context = await makeContext({ job, repoDir: join(EXAMPLES, 'hello-noarch') });
    expect(await buildStep(context)).toEqual({ state: 'failure', reason: MOCK_MISSING });
    expect(MOCK_MISSING).toBe(
      'mock is not installed on this runner; install it (scripts/setup on an RPM host) or use builder: rpmbuild',
    );
  });
});

describe('exclusion', () => {
  const pkg = { name: 'p', excludeArch: [], exclusiveArch: [], noarch: false };
  it('checks an arch package against the job arch', () => {
    expect(exclusion({ ...pkg, exclusiveArch: ['x86_64'] }, 'x86_64', 'aarch64')).toBeUndefined();
    expect(exclusion({ ...pkg, excludeArch: ['s390x'] }, 's390x', 's390x')).toBe(
      'ExcludeArch: s390x rules out p on s390x',
    );
  });
  it('builds a noarch package for any job arch, but rpm still checks the arch of the machine building it', () => {
    const noarch = { ...pkg, noarch: true, exclusiveArch: ['x86_64', 'aarch64'] };
    expect(exclusion(noarch, 's390x', 'x86_64')).toBeUndefined();
    expect(exclusion(noarch, 'x86_64', 'ppc64le')).toBe(
      'ExclusiveArch: x86_64 aarch64 does not include ppc64le, so the noarch package p (built on ppc64le) is not built',
    );
  });
});
