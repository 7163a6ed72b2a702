import { cpSync, existsSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { albs } from '../helpers/cli.js';
import { copyExample } from '../run/package-repo.js';
import { tempDir } from '../runner/helpers.js';
import { aptClient } from './apt.js';

const pipelineOf = (out: string) => JSON.parse(readFileSync(join(out, 'pipeline.json'), 'utf8'));
const stateOf = (out: string) =>
  Object.fromEntries(pipelineOf(out).jobs.map((j: { id: string; state: string }) => [j.id, j.state]));

describe('albs run on the Debian example', () => {
  let dir: string;
  let out: string;
  let result: Awaited<ReturnType<typeof albs>>;
  /** The version of the deb albs built, as dpkg-deb reads it from the artifact. */
  let builtVersion: string;
  beforeAll(async () => {
    dir = copyExample('hello-deb');
    out = join(dir, '.albs', 'out');
    result = await albs(['run', dir, '--event', 'branch', '--ref', 'main']);
    const deb = join(out, 'artifacts', 'build.bookworm.amd64', 'hello-deb_1.0.0-1_amd64.deb');
    builtVersion = (await execa('dpkg-deb', ['--field', deb, 'Version'])).stdout;
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds with dpkg-buildpackage, runs lintian and the install test, and publishes an apt repository', () => {
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(stateOf(out)).toEqual({
      'build.bookworm.amd64': 'success',
      'build.bookworm.arm64': 'skipped',
      'test.bookworm.amd64': 'success',
      'test.bookworm.arm64': 'skipped',
      'sign.bookworm-testing': 'success',
      'publish.bookworm-testing': 'success',
    });
    expect(result.stdout).toMatch(
      /install from it: sudo cp \S+\/bookworm-testing\.sources \/etc\/apt\/sources\.list\.d\/ && sudo apt-get update/,
    );
    const testLog = readFileSync(join(out, 'logs', 'test.bookworm.amd64.log'), 'utf8');
    expect(testLog).toMatch(/\$ lintian --fail-on error .* --suppress-tags no-manual-page \S+\.changes/);
    expect(testLog).toMatch(/with dpkg-deb -x: dependencies are NOT resolved/);
    expect(testLog).toMatch(/all checks passed/);
    expect(readFileSync(join(out, 'logs', 'sign.bookworm-testing.log'), 'utf8')).toMatch(
      /passing 2 deb\(s\) for bookworm-testing through unsigned: apt trusts debs through the repository's Release/,
    );
    expect(builtVersion).toBe('1.0.0-1');
  });

  it('apt-get update sees only the published repo and verifies its InRelease; apt-get install installs exactly the built version, which runs', async () => {
    const apt = await aptClient(join(out, 'repos', 'bookworm-testing', 'bookworm-testing.sources'));
    const update = await apt.update();
    expect(update.all).toMatch(/^Get:1 file:\S+\/repos\/bookworm-testing bookworm-testing InRelease/m);
    expect(update.all).not.toMatch(/^(W|E|N|Err):/m);
    expect(update.exitCode).toBe(0);
    const policy = await apt.cache('policy', 'hello-deb');
    expect(policy.all).toMatch(new RegExp(`Candidate: ${builtVersion.replace(/\./g, '\\.')}`));

    const install = await apt.install('hello-deb');
    expect(install.all).toMatch(/Setting up hello-deb \(1\.0\.0-1\)/);
    expect(install.exitCode).toBe(0);
    expect(await apt.installedVersion('hello-deb')).toBe(builtVersion);
    const hello = join(apt.root, 'usr', 'bin', 'hello-deb');
    expect((await execa(hello)).stdout).toBe('Hello from albs-ci! (hello-deb)');
    expect((await execa(hello, ['--version'])).stdout).toBe('hello-deb 1.0.0');
  });

  /** A copy of the published repository, with a .sources file pointing apt at it. */
  async function tamperedCopy(edit: (dists: string) => void): Promise<string> {
    const copy = join(await tempDir('albs-tampered-'), 'repo');
    cpSync(realpathSync(join(out, 'repos', 'bookworm-testing')), copy, { recursive: true });
    edit(join(copy, 'dists', 'bookworm-testing'));
    const sources = readFileSync(join(copy, 'bookworm-testing.sources'), 'utf8').replace(
      /^URIs: .*$/m,
      `URIs: file://${copy}`,
    );
    writeFileSync(join(copy, 'bookworm-testing.sources'), sources);
    return join(copy, 'bookworm-testing.sources');
  }

  it('apt refuses the repository when its Release was edited after signing', async () => {
    // A changed index digest in the signed text, as someone swapping the Packages file would need.
    const inRelease = await tamperedCopy((dists) => {
      const file = join(dists, 'InRelease');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/^( [0-9a-f])[0-9a-f]/m, '$10'));
    });
    const bad = await aptClient(inRelease);
    const update = await bad.update();
    expect(update.all).toMatch(/BADSIG/);
    expect(update.all).toMatch(/^E: The repository '\S+ bookworm-testing InRelease' is not signed\./m);
    expect((await bad.install('hello-deb')).exitCode).not.toBe(0);
    expect(await bad.installedVersion('hello-deb')).toBe('');

    // Without InRelease, apt reads Release and checks it against Release.gpg.
    const release = await tamperedCopy((dists) => {
      rmSync(join(dists, 'InRelease'));
      writeFileSync(join(dists, 'Release'), `${readFileSync(join(dists, 'Release'), 'utf8')}Label: edited\n`);
    });
    const alsoBad = await (await aptClient(release)).update();
    expect(alsoBad.all).toMatch(/BADSIG/);
    expect(alsoBad.all).toMatch(/^E: The repository '\S+ bookworm-testing Release' is not signed\./m);
  });

  it('a missing build dependency fails the build with its name', async () => {
    const broken = copyExample('hello-deb');
    const control = join(broken, 'debian', 'control');
    writeFileSync(
      control,
      readFileSync(control, 'utf8').replace(
        'Build-Depends: debhelper-compat (= 13)',
        'Build-Depends: debhelper-compat (= 13), libalbs-nowhere-dev (>= 3)',
      ),
    );
    const failed = await albs(['run', broken, '--event', 'branch', '--ref', 'main']);
    expect(failed.exitCode).toBe(1);
    const brokenOut = join(broken, '.albs', 'out');
    const build = pipelineOf(brokenOut).jobs.find((j: { id: string }) => j.id === 'build.bookworm.amd64');
    expect(build).toMatchObject({ state: 'failure' });
    expect(build.reason).toMatch(/^missing build dependencies: libalbs-nowhere-dev \(>= 3\); install them/);
    expect(failed.stdout).toMatch(
      /build\.bookworm\.amd64 failed: missing build dependencies: libalbs-nowhere-dev/,
    );
    expect(existsSync(join(brokenOut, 'repos', 'bookworm-testing'))).toBe(false);
    rmSync(broken, { recursive: true, force: true });
  }, 60_000);
});

describe('albs run on one program packaged as an rpm and as a deb', () => {
  it('builds both from one .albs.yml and publishes each into a repository of its own family', async () => {
    const dir = copyExample('hello-both');
    const out = join(dir, '.albs', 'out');
    const result = await albs(['run', dir, '--event', 'tag', '--ref', 'v1.0.0']);
    expect(result.exitCode).toBe(0);
    expect(stateOf(out)).toEqual({
      'build.rpmbuild.x86_64.almalinux-9': 'success',
      'build.dpkg.amd64.bookworm': 'success',
      'test.rpmbuild.x86_64.almalinux-9': 'success',
      'test.dpkg.amd64.bookworm': 'success',
      'sign.almalinux-9': 'success',
      'sign.bookworm': 'success',
      'publish.almalinux-9': 'success',
      'publish.bookworm': 'success',
    });
    expect(pipelineOf(out).repos).toEqual([
      {
        repo: 'almalinux-9',
        family: 'rpm',
        path: 'repos/almalinux-9',
        repoFile: 'repos/almalinux-9/almalinux-9.repo',
      },
      {
        repo: 'bookworm',
        family: 'deb',
        path: 'repos/bookworm',
        repoFile: 'repos/bookworm/bookworm.sources',
      },
    ]);
    const rpmRepo = join(out, 'repos', 'almalinux-9');
    expect(readdirSync(join(rpmRepo, 'Packages'))).toEqual(['hello-both-1.0.0-1.x86_64.rpm']);
    expect(existsSync(join(rpmRepo, 'repodata', 'repomd.xml.asc'))).toBe(true);
    const verify = await albs([
      'verify',
      'rpm',
      '--key',
      join(rpmRepo, 'RPM-GPG-KEY-release'),
      join(rpmRepo, 'Packages', 'hello-both-1.0.0-1.x86_64.rpm'),
    ]);
    expect(verify.exitCode).toBe(0);

    const apt = await aptClient(join(out, 'repos', 'bookworm', 'bookworm.sources'));
    expect((await apt.update()).exitCode).toBe(0);
    expect((await apt.install('hello-both')).exitCode).toBe(0);
    expect(await apt.installedVersion('hello-both')).toBe('1.0.0');
    expect((await execa(join(apt.root, 'usr', 'bin', 'hello-both'), ['--version'])).stdout).toBe(
      'hello-both 1.0.0',
    );
    rmSync(dir, { recursive: true, force: true });
  }, 180_000);
});
