import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { buildPlan, type Job } from '../../src/plan/index.js';
import { planOf } from '../helpers/load.js';

const farm = `version: 1
on:
  tags: ["v*", "!v*-rc*"]
  branches: [main, "a9*"]
  pull_requests: true
matrix:
  arch: [x86_64, aarch64]
  dist: [almalinux-8, almalinux-9]
  exclude: [{arch: aarch64, dist: almalinux-8}]
test:
  - rpmlint
  - run: ./tests/smoke.sh \${{ matrix.dist }}
sign:
  key: release
publish:
  - repo: "\${{ matrix.dist }}-testing"
    when: branch
  - repo: "\${{ matrix.dist }}"
    when: tag
`;

const byId = (jobs: Job[]) => Object.fromEntries(jobs.map((j) => [j.id, j]));

describe('the stage graph', () => {
  it('a tag builds and tests every combination, then signs and publishes each stable repo', () => {
    const plan = planOf(farm, { event: 'tag', ref: 'v1.2' });
    expect(plan.skipped).toBeNull();
    expect(plan.jobs.map((j) => j.id)).toEqual([
      'build.x86_64.almalinux-8',
      'build.x86_64.almalinux-9',
      'build.aarch64.almalinux-9',
      'test.x86_64.almalinux-8',
      'test.x86_64.almalinux-9',
      'test.aarch64.almalinux-9',
      'sign.almalinux-8',
      'sign.almalinux-9',
      'publish.almalinux-8',
      'publish.almalinux-9',
    ]);
    const jobs = byId(plan.jobs);
    expect(jobs['test.aarch64.almalinux-9']?.needs).toEqual(['build.aarch64.almalinux-9']);
    expect(jobs['sign.almalinux-9']?.needs).toEqual(['test.x86_64.almalinux-9', 'test.aarch64.almalinux-9']);
    expect(jobs['publish.almalinux-9']?.needs).toEqual(['sign.almalinux-9']);
    expect(jobs['sign.almalinux-9']).toMatchObject({ stage: 'sign', repo: 'almalinux-9', key: 'release' });
    expect(jobs['publish.almalinux-8']).toMatchObject({
      repo: 'almalinux-8',
      builds: ['build.x86_64.almalinux-8'],
    });
  });

  it('a branch publishes to the testing repos only', () => {
    const repos = planOf(farm, { event: 'branch', ref: 'a9-beta' })
      .jobs.filter((j) => j.stage === 'publish')
      .map((j) => (j.stage === 'publish' ? j.repo : ''));
    expect(repos).toEqual(['almalinux-8-testing', 'almalinux-9-testing']);
  });

  it('a pull request builds and tests, and never signs or publishes', () => {
    const stages = new Set(
      planOf(farm, { event: 'pull_request', ref: 'feature/x' }).jobs.map((j) => j.stage),
    );
    expect([...stages]).toEqual(['build', 'test']);
  });

  it('without test steps the sign job waits for the builds', () => {
    const plan = planOf(farm.replace(/test:\n( {2}- .*\n)+/, ''), { event: 'tag', ref: 'v1' });
    expect(plan.jobs.some((j) => j.stage === 'test')).toBe(false);
    expect(byId(plan.jobs)['sign.almalinux-9']?.needs).toEqual([
      'build.x86_64.almalinux-9',
      'build.aarch64.almalinux-9',
    ]);
  });

  it('renders matrix values into steps, labels and names', () => {
    const jobs = byId(planOf(farm).jobs);
    const test = jobs['test.aarch64.almalinux-9'];
    expect(test?.stage === 'test' && test.steps.map((s) => s.kind)).toEqual(['rpmlint', 'run']);
    expect(test?.stage === 'test' && test.steps[1]).toMatchObject({
      run: './tests/smoke.sh almalinux-9',
      timeout: 1800,
    });
    expect(test?.runsOn).toEqual(['aarch64']);
    expect(jobs['build.aarch64.almalinux-9']?.name).toBe('build (aarch64, almalinux-9)');
  });

  it('every job id is stable, unique and matches ^[a-z0-9][a-z0-9._-]*$', () => {
    const plan = planOf(`version: 1
matrix:
  dist: ["Alma Linux 9", "alma/linux/9", "ALMA-LINUX-9", "-9-"]
test: [rpmlint]
`);
    const ids = plan.jobs.map((j) => j.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9][a-z0-9._-]*$/);
  });
});

describe('runs-on', () => {
  it('defaults to the arch when the combination has one, else to any runner', () => {
    const jobs = planOf(`version: 1
matrix:
  dist: [almalinux-9]
  include: [{dist: almalinux-9, arch: aarch64}, {dist: fedora-40}]
`).jobs;
    expect(jobs.map((j) => j.runsOn)).toEqual([['aarch64'], []]);
  });

  it('interpolates the labels it is given and drops the empty ones', () => {
    const yaml = `version: 1
matrix:
  arch: [x86_64, aarch64]
  include: [{arch: x86_64, el: el9}]
build:
  runs-on: ["\${{ matrix.arch }}", "\${{ matrix.el }}", big]
`;
    const jobs = planOf(yaml).jobs.map((j) => j.runsOn);
    expect(jobs).toEqual([
      ['x86_64', 'el9', 'big'],
      ['aarch64', 'big'],
    ]);
  });
});

describe('triggers', () => {
  const cases = [
    { event: 'tag', ref: 'v1.0', runs: true },
    { event: 'tag', ref: 'refs/tags/v2', runs: true },
    { event: 'tag', ref: 'v1.0-rc1', runs: false },
    { event: 'tag', ref: 'release-1', runs: false },
    { event: 'branch', ref: 'main', runs: true },
    { event: 'branch', ref: 'refs/heads/a9-beta', runs: true },
    { event: 'branch', ref: 'feature/a9', runs: false },
    { event: 'pull_request', ref: 'anything', runs: true },
  ] as const;
  it.each(cases)('$event $ref runs: $runs', ({ event, ref, runs }) => {
    const plan = planOf(farm, { event, ref });
    expect(plan.skipped === null).toBe(runs);
    if (!runs) {
      expect(plan.jobs).toEqual([]);
      expect(plan.skipped?.reason).toContain(ref.replace(/^refs\/(tags|heads)\//, ''));
    }
  });

  it('with no "on", everything triggers; with "on", what it omits does not', () => {
    expect(planOf('version: 1\n', { event: 'pull_request', ref: 'x' }).skipped).toBeNull();
    const plan = planOf('version: 1\non: {tags: ["v*"]}\n', { event: 'pull_request', ref: 'x' });
    expect(plan.skipped?.reason).toMatch(/on\.pull_requests/);
    expect(
      planOf('version: 1\non: {tags: ["v*"]}\n', { event: 'branch', ref: 'main' }).skipped?.reason,
    ).toMatch(/on\.branches is empty/);
  });
});

describe('limits', () => {
  it('refuses more than 256 combinations with a clear error, never a silent cut', () => {
    const values = (n: number) => `[${Array.from({ length: n }, (_, i) => i).join(', ')}]`;
    const result = loadConfig(`version: 1\nmatrix:\n  a: ${values(16)}\n  b: ${values(17)}\n`, '.albs.yml');
    expect(result.config).toBeNull();
    expect(result.problems[0]).toMatchObject({ line: 2, col: 1 });
    expect(result.problems[0]?.message).toMatch(/272 combinations; the limit is 256/);
    const ok = loadConfig(`version: 1\nmatrix:\n  a: ${values(16)}\n  b: ${values(16)}\n`, '.albs.yml');
    expect(ok.config && buildPlan(ok.config, { event: 'branch', ref: 'main' }).jobs).toHaveLength(256);
  });

  it('refuses a huge product without expanding it', () => {
    const axis = `[${Array.from({ length: 40 }, (_, i) => i).join(', ')}]`;
    const text = `version: 1\nmatrix:\n${['a', 'b', 'c', 'd', 'e', 'f'].map((k) => `  ${k}: ${axis}`).join('\n')}\n`;
    const result = loadConfig(text, '.albs.yml');
    expect(result.problems[0]?.message).toMatch(/4096000000 combinations before exclude/);
  });
});
