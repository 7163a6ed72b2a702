import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildStep } from '../../runner/steps/build.js';
import { DEBIAN_HOST_RPMLINT_NOISE, releaseVersion, testStep } from '../../runner/steps/test.js';
import type { TestStep } from '../../src/plan/types.js';
import {
  buildJob,
  EXAMPLES,
  hostFacts,
  makeContext,
  specRepo,
  tempDir,
  testJob,
  testSandbox,
} from './helpers.js';

const host = await hostFacts();
const NOARCH_REPO = join(EXAMPLES, 'hello-noarch');

/** Builds a package repository with the real build step; returns its artifacts (src.rpm included). */
async function built(repoDir: string): Promise<string[]> {
  const context = await makeContext({ job: buildJob(), repoDir });
  const result = await buildStep(context);
  if (result.state !== 'success')
    throw new Error(
      `building ${repoDir} for the test failed: ${JSON.stringify(result)}\n${context.log.text()}`,
    );
  return (await readdir(context.artifacts)).map((f) => join(context.artifacts, f));
}

let helloNoarch: string[];
/** A package with a file in /tmp: rpmlint reports the error dir-or-file-in-tmp. */
let tmpLitter: string[];
beforeAll(async () => {
  [helloNoarch, tmpLitter] = await Promise.all([
    built(NOARCH_REPO),
    specRepo('tmp-litter', {
      tags: ['BuildArch: noarch', 'AutoReqProv: no'],
      install: ['mkdir -p %{buildroot}/tmp', 'echo x > %{buildroot}/tmp/leftover'],
      files: ['/tmp/leftover'],
    }).then(built),
  ]);
});

const rpmlint = (ignore: string[] = []): TestStep => ({
  kind: 'rpmlint',
  name: 'rpmlint',
  timeout: 120,
  env: {},
  network: false,
  ignore,
});
const install = (repos: string[] = [], gpgkeys: string[] = []): TestStep => ({
  kind: 'install',
  name: 'install',
  timeout: 120,
  env: {},
  network: false,
  repos,
  gpgkeys,
  gpgcheck: gpgkeys.length > 0,
});
const run = (command: string, name = command, timeout = 120, env: Record<string, string> = {}): TestStep => ({
  kind: 'run',
  name,
  timeout,
  env,
  network: false,
  run: command,
});

async function context(steps: TestStep[], packages: string[], overrides: Parameters<typeof testJob>[0] = {}) {
  return makeContext({
    job: testJob({ steps, ...overrides }),
    repoDir: NOARCH_REPO,
    inputs: { 'build.test': packages },
  });
}

describe('testStep: rpmlint', () => {
  it('passes a clean package and shows rpmlint in the log', async () => {
    const ctx = await context([rpmlint()], helloNoarch);
    expect(await testStep(ctx)).toEqual({ state: 'success' });
    expect(ctx.log.text()).toContain('=== step 1/1: rpmlint (rpmlint) ===');
    expect(ctx.log.text()).toContain('rpmlint session starts');
    expect(ctx.log.text()).toMatch(
      /\$ rpmlint -c .*rpmlint\.toml .*hello-noarch-1\.0\.0-1\.noarch\.rpm .*hello-noarch-1\.0\.0-1\.src\.rpm/,
    );
  });

  it('fails on an error rpmlint reports, with the finding in the log', async () => {
    const ctx = await context([rpmlint()], tmpLitter);
    const result = await testStep(ctx);
    expect(result).toMatchObject({ state: 'failure' });
    expect(result.state === 'failure' && result.reason).toMatch(
      /^test step "rpmlint" \(rpmlint\) failed: rpmlint reported errors \(exit 64;.*add the check names to rpmlint\.ignore/,
    );
    expect(ctx.log.lines).toContain('tmp-litter.noarch: E: dir-or-file-in-tmp /tmp/leftover');
  });

  it('passes when the error is in rpmlint.ignore; only that check is ignored', async () => {
    const ctx = await context([rpmlint(['dir-or-file-in-tmp'])], tmpLitter);
    expect(await testStep(ctx)).toEqual({ state: 'success' });
    expect(ctx.log.text()).toContain(
      'ignoring the rpmlint checks listed in rpmlint.ignore: dir-or-file-in-tmp',
    );
    // A check whose name merely starts the same is not ignored.
    const other = await context([rpmlint(['dir-or-file'])], tmpLitter);
    expect(await testStep(other)).toMatchObject({ state: 'failure' });
  });

  it.runIf(!host.rpmDatabaseUsable)('on a Debian-like host filters the host noise and says so', async () => {
    const ctx = await context([rpmlint()], helloNoarch);
    expect(await testStep(ctx)).toEqual({ state: 'success' });
    expect(ctx.log.text()).toContain(
      `on this Debian-like host, checks that only report the host's rpm setup: ${DEBIAN_HOST_RPMLINT_NOISE.join(', ')}`,
    );
    // rpmlint itself reported none of them.
    expect(ctx.log.lines.filter((l) => !l.startsWith('[albs]') && l.includes('no-signature'))).toEqual([]);
  });
});

describe('testStep: install', () => {
  it('without repos installs the binary rpms with rpm --root --nodeps into a fresh root, says so, lists them', async () => {
    const ctx = await context([install()], helloNoarch);
    expect(await testStep(ctx)).toEqual({ state: 'success' });
    const text = ctx.log.text();
    expect(text).toContain('with rpm -i --nodeps --noscripts: no install.repos are configured');
    expect(text).toMatch(
      /\$ rpm --root \S+ -i --nodeps --noscripts \S+hello-noarch-1\.0\.0-1\.noarch\.rpm\n/,
    );
    expect(text).not.toMatch(/-i .*\.src\.rpm/);
    expect(ctx.log.lines).toContain('hello-noarch-1.0.0-1.noarch');
    expect(existsSync(join(ctx.workspace, 'steps', '1', 'root', 'usr', 'bin', 'hello-noarch'))).toBe(true);
  });

  it('with repos installs with dnf --installroot from the given baseurls', async () => {
    const repo = await tempDir('albs-dnf-repo-');
    await execa('createrepo_c', ['--no-database', repo]);
    const ctx = await context([install([`file://${repo}`])], helloNoarch, {
      matrix: { dist: 'almalinux-9' },
    });
    const result = await testStep(ctx);
    expect(result, ctx.log.text()).toEqual({ state: 'success' });
    const text = ctx.log.text();
    expect(text).toContain(`with dnf, dependencies from install.repos: file://${repo}`);
    // The download resolves against the repositories; the install reads no repository at all.
    expect(text).toMatch(
      /\$ dnf --installroot \S+ --releasever 9 --setopt=reposdir=\S+ .*-y --downloadonly --destdir=\S+ install \S+\.noarch\.rpm\n/,
    );
    expect(text).toMatch(/\$ dnf --installroot \S+ .*-y '--disablerepo=\*' install \S+\.noarch\.rpm\n/);
    expect(ctx.log.lines).toContain('hello-noarch-1.0.0-1.noarch');
  });

  it('fails the job when the packages do not install', async () => {
    // A package that needs something no repository here provides.
    const needy = await built(
      await specRepo('needy', {
        tags: ['BuildArch: noarch', 'AutoReqProv: no', 'Requires: albs-no-such-package'],
      }),
    );
    const repo = await tempDir('albs-dnf-repo-');
    await execa('createrepo_c', ['--no-database', repo]);
    const ctx = await context([install([`file://${repo}`]), run('echo should not run')], needy);
    const result = await testStep(ctx);
    expect(result).toEqual({
      state: 'failure',
      // Dependencies are resolved by the download, which is the only dnf run with network.
      reason:
        'test step "install" (install) failed: the packages did not install: dnf install --downloadonly exited with 1',
    });
    expect(ctx.log.text()).toContain('albs-no-such-package');
    expect(ctx.log.lines).not.toContain('should not run');
  });
});

describe('testStep: run', () => {
  it('runs the example smoke test against the built package', async () => {
    const ctx = await context([run('./tests/smoke.sh', 'smoke')], helloNoarch);
    expect(await testStep(ctx)).toEqual({ state: 'success' });
    expect(ctx.log.text()).toContain('all checks passed');
  });

  it('gives the command ALBS_* variables, the job and step env, and a writable copy of the repository', async () => {
    const ctx = await context(
      [
        run(
          'echo "P=$ALBS_PACKAGES"; echo "A=$ALBS_ARCH D=$ALBS_DIST W=$ALBS_WORKSPACE"; echo "J=$JOB_VAR S=$STEP_VAR"; ls *.spec; touch written-by-test',
          'env',
          120,
          { STEP_VAR: 'step', JOB_VAR: 'step wins' },
        ),
      ],
      helloNoarch,
      { matrix: { arch: 'x86_64', dist: 'almalinux-9' }, env: { JOB_VAR: 'job' } },
    );
    expect(await testStep(ctx)).toEqual({ state: 'success' });
    const rpm = helloNoarch.find((p) => p.endsWith('.noarch.rpm'));
    expect(ctx.log.lines).toContain(`P=${rpm}`);
    expect(ctx.log.lines).toContain(`A=x86_64 D=almalinux-9 W=${ctx.workspace}`);
    expect(ctx.log.lines).toContain('J=step wins S=step');
    expect(ctx.log.lines).toContain('hello-noarch.spec');
    expect(existsSync(join(ctx.workspace, 'src', 'written-by-test'))).toBe(true);
    expect(existsSync(join(NOARCH_REPO, 'written-by-test'))).toBe(false);
  });

  it('lists the packages one per line in ALBS_PACKAGES_FILE: a path with a space stays one path', async () => {
    const dir = await tempDir('albs runner with space-');
    const built = join(dir, 'build artifacts');
    await mkdir(built);
    const packages: string[] = [];
    for (const file of helloNoarch) {
      packages.push(join(built, basename(file)));
      await copyFile(file, join(built, basename(file)));
    }
    const made = await context(
      [
        run(
          'while IFS= read -r p; do if [ -f "$p" ]; then echo "found: $p"; else echo "missing: $p"; fi; done < "$ALBS_PACKAGES_FILE"; echo "P=$ALBS_PACKAGES"',
          'list',
        ),
      ],
      packages,
    );
    const workspace = join(dir, 'work space');
    const ctx = {
      ...made,
      workspace,
      artifacts: join(dir, 'job artifacts'),
      sandbox: testSandbox(workspace, [made.repoDir, ...packages]),
    };
    await mkdir(ctx.workspace);
    await mkdir(ctx.artifacts);
    expect(await testStep(ctx)).toEqual({ state: 'success' });
    const rpm = packages.find((p) => p.endsWith('.noarch.rpm'));
    // The binary rpm only, whole, and it is there; the space-separated variable is kept as it was.
    expect(made.log.lines.filter((l) => /^(?:found|missing): /.test(l))).toEqual([`found: ${rpm}`]);
    expect(made.log.lines).toContain(`P=${rpm}`);
  });

  it('a failing command fails the job, names the step, and stops the steps after it', async () => {
    const ctx = await context(
      [run('echo first'), run('false; echo "not reached with -e"', 'checks'), run('echo third')],
      helloNoarch,
    );
    expect(await testStep(ctx)).toEqual({
      state: 'failure',
      reason: 'test step "checks" (run) failed: the command exited with 1',
    });
    expect(ctx.log.lines).toContain('first');
    expect(ctx.log.lines).not.toContain('not reached with -e');
    expect(ctx.log.lines).not.toContain('third');
  });

  it('a pipeline fails when any part of it fails (pipefail)', async () => {
    const ctx = await context([run('false | cat', 'pipe')], helloNoarch);
    expect(await testStep(ctx)).toMatchObject({ state: 'failure' });
  });

  it('stops a step at its own timeout', async () => {
    const ctx = await context([run('sleep 60', 'slow', 1)], helloNoarch);
    expect(await testStep(ctx)).toEqual({
      state: 'failure',
      reason: 'test step "slow" (run) failed: the command timed out after 1 s',
    });
  });

  it('copies the repository without the output directory inside it', async () => {
    const repoDir = await specRepo('with-output');
    // As `albs run` does: OUT = REPO/.albs holds the workspace, the artifacts and other jobs' files.
    const out = join(repoDir, '.albs');
    const ctx = await makeContext({
      job: testJob({ steps: [run('find . -name "*.marker" | sort')] }),
      repoDir,
      inputs: { 'build.test': helloNoarch },
    });
    const inside = {
      ...ctx,
      workspace: join(out, 'work', 'test.test'),
      artifacts: join(out, 'artifacts', 'test.test'),
    };
    await mkdir(inside.workspace, { recursive: true });
    await mkdir(inside.artifacts, { recursive: true });
    await mkdir(join(repoDir, 'sub'), { recursive: true });
    await execa('touch', [join(repoDir, 'sub', 'kept.marker'), join(out, 'other-job.marker')]);
    expect(await testStep(inside)).toEqual({ state: 'success' });
    expect(ctx.log.lines).toContain('./sub/kept.marker');
    expect(ctx.log.lines.filter((l) => l.includes('other-job.marker'))).toEqual([]);
  });
});

describe('testStep: packages', () => {
  it('fails when the build handed over no binary rpm', async () => {
    const srpmOnly = helloNoarch.filter((p) => p.endsWith('.src.rpm'));
    const ctx = await context([rpmlint()], srpmOnly);
    expect(await testStep(ctx)).toEqual({
      state: 'failure',
      reason:
        "the build job build.test handed over no binary rpm to test (got: hello-noarch-1.0.0-1.src.rpm): check that build's log",
    });
  });
});

describe('releaseVersion', () => {
  it.each([
    ['almalinux-9', '9'],
    ['almalinux-8', '8'],
    ['fedora-40', '40'],
    ['rhel-9.4', '9.4'],
    ['', undefined],
    ['rawhide', undefined],
  ])('%s -> %s', (dist, version) => {
    expect(releaseVersion(dist)).toBe(version);
  });
});
