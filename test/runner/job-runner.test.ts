import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jobDirs, jobRunner } from '../../runner/job-runner.js';
import { buildStep } from '../../runner/steps/build.js';
import { testStep } from '../../runner/steps/test.js';
import { MAX_TIMER_DELAY, timerDelay } from '../../runner/timer-delay.js';
import type { Step } from '../../runner/types.js';
import { type Job, PLAN_VERSION, type PublishJob, type Stage, type TestStep } from '../../src/plan/types.js';
import type { QueuedJob } from '../../src/queue/job-queue.js';
import { buildJob, EXAMPLES, hostFacts, sandboxSetup, signJob, tempDir, testJob } from './helpers.js';

const host = await hostFacts();

function everyStage(step: Step): Record<Stage, Step> {
  return { build: step, test: step, sign: step, publish: step };
}

function queued(job: Job, inputs: Record<string, string[]> = {}): QueuedJob {
  return {
    planVersion: PLAN_VERSION,
    pipelineId: 'pipeline-1',
    trigger: { event: 'tag', ref: 'v1' },
    job,
    inputs,
  };
}

function publishJob(overrides: Partial<PublishJob> = {}): PublishJob {
  return { ...signJob(), id: 'publish.stable', stage: 'publish', sign: 'sign.stable', ...overrides };
}

const never = new AbortController().signal;

describe('jobRunner refuses a queued job it cannot trust, before it touches the disk', () => {
  it.each<[string, Partial<QueuedJob>, RegExp]>([
    [
      'another plan version',
      { planVersion: 99 },
      new RegExp(
        `^the job was planned with plan version 99; this runner runs version ${PLAN_VERSION}: upgrade`,
      ),
    ],
    [
      'a build job whose macro runs a command',
      { job: buildJob({ macros: { dist: '%(touch /tmp/x)' } }) },
      /^job build\.test: the macro dist is "%\(touch \/tmp\/x\)", which runs code/,
    ],
    [
      "a build job that moves rpm's top directory",
      { job: buildJob({ macros: { _topdir: '/etc' } }) },
      /the macro _topdir is set by albs/,
    ],
    [
      'an id that leads out of the work directory',
      { job: buildJob({ id: '../victim' }) },
      /^job id "\.\.\/victim" does not match \/\^\[a-z0-9\]\[a-z0-9\._-\]\*\$\/ \(it names the job's workspace, artifacts and log\)/,
    ],
    [
      'an id with capitals and a slash',
      { job: buildJob({ id: 'Build/x' }) },
      /^job id "Build\/x" does not match/,
    ],
    ['an empty id', { job: buildJob({ id: '' }) }, /^job id "" does not match/],
    [
      'a stage this runner does not run',
      { job: { ...buildJob(), stage: 'deploy' } as unknown as Job },
      /stage "deploy", which this runner does not run/,
    ],
    [
      'a timeout that is not a number',
      { job: buildJob({ timeout: Number.NaN }) },
      /has timeout null; it must be a positive number of seconds/,
    ],
    [
      'a sign job whose repo is a path',
      { job: signJob({ repo: '../../etc' }) },
      /^job sign\.stable names repo "\.\.\/\.\.\/etc", which does not match/,
    ],
    [
      'a sign job whose key is a path',
      { job: signJob({ key: '../keys/other' }) },
      /^job sign\.stable names key "\.\.\/keys\/other", which does not match/,
    ],
    [
      'a publish job whose repo starts with a dot',
      { job: publishJob({ repo: '.hidden' }) },
      /names repo "\.hidden"/,
    ],
    ['a publish job whose key has a space', { job: publishJob({ key: 'my key' }) }, /names key "my key"/],
    [
      'a sign job for a pull request',
      { job: signJob(), trigger: { event: 'pull_request', ref: 'fix' } },
      /^job sign\.stable would sign for a pull request \(fix\); pull requests are never signed or published/,
    ],
    [
      'a publish job for a pull request',
      { job: publishJob(), trigger: { event: 'pull_request', ref: 'fix' } },
      /would publish for a pull request/,
    ],
  ])('%s', async (_what, change, reason) => {
    const out = join(await tempDir(), 'out');
    // What rm(OUT/work/../victim) would have deleted.
    await mkdir(join(out, 'victim'), { recursive: true });
    await writeFile(join(out, 'victim', 'keep'), 'still here\n');
    let ran = false;
    const run = jobRunner({
      dirs: jobDirs(out),
      sandbox: sandboxSetup([out]),
      repoDir: await tempDir(),
      host,
      steps: everyStage(async () => {
        ran = true;
        return { state: 'success' };
      }),
    });
    const result = await run({ ...queued(buildJob({ id: 'victim' })), ...change }, never);
    expect(result.outcome).toEqual({ state: 'failure', reason: expect.stringMatching(reason) });
    expect(result.artifacts).toEqual([]);
    expect(ran).toBe(false);
    expect(await readdir(out)).toEqual(['victim']);
    expect(await readdir(join(out, 'victim'))).toEqual(['keep']);
  });

  it('runs a job whose names are all safe', async () => {
    const out = join(await tempDir(), 'out');
    const run = jobRunner({
      dirs: jobDirs(out),
      sandbox: sandboxSetup([out]),
      repoDir: await tempDir(),
      host,
      steps: everyStage(async () => ({ state: 'success' })),
    });
    for (const job of [signJob({ repo: 'AlmaLinux-9.x_testing', key: 'release-2026' }), publishJob()]) {
      expect((await run(queued(job), never)).outcome).toEqual({ state: 'success' });
    }
    expect((await readdir(join(out, 'logs'))).sort()).toEqual(['publish.stable.log', 'sign.stable.log']);
  });
});

describe('jobRunner timeouts', () => {
  it('clamps a delay to what a timer holds', () => {
    expect(MAX_TIMER_DELAY).toBe(2 ** 31 - 1);
    expect(timerDelay(600 * 3600 * 1000)).toBe(MAX_TIMER_DELAY);
    expect(timerDelay(Number.POSITIVE_INFINITY)).toBe(MAX_TIMER_DELAY);
    expect(timerDelay(1500.2)).toBe(1501);
    expect(timerDelay(-5)).toBe(0);
  });

  it('a job timeout longer than a timer can hold (600 h) does not stop the job at once', async () => {
    const run = jobRunner({
      dirs: jobDirs(join(await tempDir(), 'out')),
      sandbox: sandboxSetup(),
      repoDir: await tempDir(),
      host,
      steps: everyStage(async ({ signal }) => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        return signal.aborted
          ? { state: 'failure', reason: `aborted: ${String(signal.reason)}` }
          : { state: 'success' };
      }),
    });
    expect((await run(queued(buildJob({ timeout: 600 * 3600 })), never)).outcome).toEqual({
      state: 'success',
    });
  });
});

describe('jobRunner with paths rpm would expand', () => {
  it('builds and tests under --out and a repository whose paths hold %(touch FILE) and spaces; nothing runs it', async () => {
    const base = await tempDir();
    const canary = join(base, 'PWNED');
    // As `albs run` lays it out: OUT inside the repository.
    const repoDir = join(base, `my repo %(touch ${canary})`);
    const out = join(repoDir, '.albs', `out%(touch ${canary})`);
    await cp(join(EXAMPLES, 'hello-noarch'), repoDir, {
      recursive: true,
      filter: (path) => basename(path) !== '.albs',
    });
    const run = jobRunner({
      dirs: jobDirs(out),
      sandbox: sandboxSetup([out]),
      repoDir,
      host,
      steps: {
        ...everyStage(async () => ({ state: 'failure', reason: 'unused' })),
        build: buildStep,
        test: testStep,
      },
    });

    const built = await run(queued(buildJob()), never);
    const buildLog = await readFile(join(out, 'logs', 'build.test.log'), 'utf8');
    expect(built.outcome, buildLog).toEqual({ state: 'success' });
    // The result names the real files; the log says which alias the job saw.
    expect(built.artifacts).toEqual([
      join(out, 'artifacts', 'build.test', 'hello-noarch-1.0.0-1.noarch.rpm'),
      join(out, 'artifacts', 'build.test', 'hello-noarch-1.0.0-1.src.rpm'),
    ]);
    expect(buildLog).toContain(`this job sees ${repoDir} as /`);

    const steps: TestStep[] = [
      { kind: 'rpmlint', name: 'rpmlint', timeout: 120, env: {}, network: false, ignore: [] },
      {
        kind: 'install',
        name: 'install',
        timeout: 120,
        env: {},
        network: false,
        repos: [],
        gpgkeys: [],
        gpgcheck: false,
      },
      // The copy of the repository leaves the output inside it out.
      {
        kind: 'run',
        name: 'smoke',
        timeout: 120,
        env: {},
        network: false,
        run: 'test -z "$(find .albs -type f)" && ./tests/smoke.sh',
      },
    ];
    const tested = await run(queued(testJob({ steps }), { 'build.test': built.artifacts }), never);
    const testLog = await readFile(join(out, 'logs', 'test.test.log'), 'utf8');
    expect(tested.outcome, testLog).toEqual({ state: 'success' });
    expect(testLog).toContain('all checks passed');

    expect(existsSync(canary)).toBe(false);
  });
});
