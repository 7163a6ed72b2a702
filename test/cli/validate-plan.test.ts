import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAN_VERSION } from '../../src/plan/types.js';
import { albs, REPO_ROOT } from '../helpers/cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'albs-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const MATRIX = `version: 1
matrix:
  arch: [x86_64, aarch64]
  dist: [almalinux-9, almalinux-10]
  exclude: [{arch: aarch64, dist: almalinux-10}]
  include: [{arch: s390x, dist: almalinux-9}, {dist: almalinux-9, extra: yes}]
publish:
  - repo: "\${{ matrix.dist }}"
    when: tag
`;

describe('albs validate', () => {
  it('exits 0 on a valid file', async () => {
    const result = await albs(['validate', write('ok.yml', MATRIX)]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/ok\.yml: valid/);
  });

  it('exits 1 with FILE:LINE:COL lines on stderr, FILE as given', async () => {
    const file = write('bad.yml', 'version: 1\nmatrix:\n  arch: [x86_64, aarch46]\nbuidl: {}\n');
    const result = await albs(['validate', file]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      `${file}:3:18: error: arch "aarch46" is not an RPM arch name (builder rpmbuild); did you mean "aarch64"?`,
      `${file}:4:1: error: unknown key "buidl"; did you mean "build"?`,
    ]);
  });

  it('prints warnings and still exits 0', async () => {
    const result = await albs([
      'validate',
      write('warn.yml', `version: 1\nsource:\n  sha256: ${'a'.repeat(64)}\n`),
    ]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(/warn\.yml:3:11: warning: source.sha256 is ignored without source.srpm/);
  });

  it('reads DIR/.albs.yml and defaults to the current directory', async () => {
    const pkg = mkdtempSync(join(dir, 'pkg-'));
    writeFileSync(join(pkg, '.albs.yml'), 'version: 1\n');
    expect((await albs(['validate', pkg])).exitCode).toBe(0);
    expect((await albs(['validate'], { cwd: pkg })).stdout).toMatch(/^\.albs\.yml: valid/);
  });

  it('exits 2 when there is no such file, naming it', async () => {
    const result = await albs(['validate', join(dir, 'nope.yml')]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/nope\.yml: no such file or directory/);
    const empty = mkdtempSync(join(dir, 'empty-'));
    const none = await albs(['validate', empty]);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toMatch(/holds no \.albs\.yml/);
  });
});

describe('albs plan', () => {
  it('--json gives the GitHub Actions combinations and the stage graph', async () => {
    const result = await albs(['plan', write('m.yml', MATRIX), '--event', 'tag', '--ref', 'v1', '--json']);
    expect(result.exitCode).toBe(0);
    const plan = JSON.parse(result.stdout);
    expect(plan.version).toBe(PLAN_VERSION);
    expect(plan.skipped).toBeNull();
    const builds = plan.jobs.filter((j: { stage: string }) => j.stage === 'build');
    expect(builds.map((j: { matrix: unknown }) => j.matrix)).toEqual([
      { arch: 'x86_64', dist: 'almalinux-9', extra: 'yes' },
      { arch: 'x86_64', dist: 'almalinux-10' },
      { arch: 'aarch64', dist: 'almalinux-9', extra: 'yes' },
      { arch: 's390x', dist: 'almalinux-9' },
    ]);
    expect(builds[0]).toMatchObject({ id: 'build.x86_64.almalinux-9.yes', runsOn: ['x86_64'], needs: [] });
    const publish = plan.jobs.find((j: { id: string }) => j.id === 'publish.almalinux-9');
    expect(publish).toMatchObject({ stage: 'publish', needs: ['sign.almalinux-9'] });
  });

  it('a ref that does not trigger gives no jobs and the reason', async () => {
    const file = write('on.yml', 'version: 1\non:\n  tags: ["v*"]\n');
    const result = await albs(['plan', file, '--event', 'tag', '--ref', 'release-1', '--json']);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      version: PLAN_VERSION,
      jobs: [],
      skipped: { reason: expect.stringMatching(/release-1/) },
    });
    const table = await albs(['plan', file, '--event', 'tag', '--ref', 'release-1']);
    expect(table.stdout).toMatch(/no pipeline: tag "release-1" matches none of on.tags/);
  });

  it('prints a table by default', async () => {
    const result = await albs(['plan', write('t.yml', MATRIX)]);
    expect(result.stdout).toMatch(/^branch main: 4 jobs \(4 build\)/);
    expect(result.stdout).toMatch(/build\.s390x\.almalinux-9\s+build \(s390x, almalinux-9\)\s+s390x\s+-/);
  });

  it('an invalid config: the same problems and exit code as validate, nothing on stdout', async () => {
    const file = write('bad-plan.yml', 'version: 1\ntest: [rpmlnt]\n');
    const [plan, validate] = await Promise.all([albs(['plan', file, '--json']), albs(['validate', file])]);
    expect(plan.exitCode).toBe(1);
    expect(plan.stdout).toBe('');
    expect(plan.stderr).toBe(validate.stderr);
  });

  it('a bad --event is a usage error', async () => {
    const result = await albs(['plan', write('e.yml', 'version: 1\n'), '--event', 'push']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/push/);
  });

  it('picks the event and ref from git: the tag at HEAD, else the branch', async () => {
    const repo = mkdtempSync(join(dir, 'git-'));
    const git = (...args: string[]) =>
      execa('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args]);
    await git('init', '-q', '-b', 'a9-work');
    writeFileSync(join(repo, '.albs.yml'), 'version: 1\n');
    await git('add', '.');
    await git('commit', '-qm', 'init');
    const triggerOf = async () => JSON.parse((await albs(['plan', repo, '--json'])).stdout).trigger;
    expect(await triggerOf()).toEqual({ event: 'branch', ref: 'a9-work' });
    await git('tag', 'v1.0');
    expect(await triggerOf()).toEqual({ event: 'tag', ref: 'v1.0' });
    // A subdirectory is not the top of a work tree: branch main.
    const sub = join(repo, 'sub');
    await execa('mkdir', [sub]);
    writeFileSync(join(sub, '.albs.yml'), 'version: 1\n');
    expect(JSON.parse((await albs(['plan', sub, '--json'])).stdout).trigger).toEqual({
      event: 'branch',
      ref: 'main',
    });
    // Flags win over git.
    const flagged = JSON.parse((await albs(['plan', repo, '--json', '--event', 'pull_request'])).stdout);
    expect(flagged.trigger).toEqual({ event: 'pull_request', ref: 'a9-work' });
  });
});

describe('albs', () => {
  it('--version prints the package version; --help lists the commands with examples', async () => {
    const version = await albs(['--version']);
    expect(version.exitCode).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = await albs(['--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/validate/);
    expect(help.stdout).toMatch(/plan/);
    const planHelp = await albs(['plan', '--help']);
    expect(planHelp.stdout).toMatch(/Examples?:\n\s+\$ albs plan/);
  });

  it('npx albs runs the built command, as the README says', async () => {
    const result = await execa('npx', ['--no-install', 'albs', '--version'], {
      cwd: REPO_ROOT,
      reject: false,
    });
    expect(result.stderr).not.toMatch(/Permission denied/);
    expect(result.exitCode).toBe(0);
    expect(String(result.stdout).trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("./albs runs the built command from any directory, as the README's quickstart says", async () => {
    const result = await execa(join(REPO_ROOT, 'albs'), ['--version'], { cwd: tmpdir(), reject: false });
    expect(result.exitCode).toBe(0);
    expect(String(result.stdout).trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('an unknown command or option is a usage error (exit 2)', async () => {
    expect((await albs(['frobnicate'])).exitCode).toBe(2);
    expect((await albs(['plan', '--nope'])).exitCode).toBe(2);
  });
});

describe('the event and ref resolver refuses to guess where a guess could publish', () => {
  it('a detached HEAD not at a tag is a usage error naming --event and --ref', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'albs-detached-'));
    const git = (...args: string[]) =>
      execa('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args]);
    await git('init', '-q', '-b', 'feature');
    writeFileSync(join(repo, '.albs.yml'), 'version: 1\npublish: [{repo: stable}]\n');
    await git('add', '.');
    await git('commit', '-qm', 'one');
    await git('commit', '-qm', 'two', '--allow-empty');
    await git('checkout', '-q', '--detach', 'HEAD~1');
    const result = await albs(['plan', repo, '--json']);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/HEAD is detached and not at a tag.*--event and --ref/);
    rmSync(repo, { recursive: true, force: true });
  });

  it('--ref refs/pull/N/merge alone is a pull request: built and tested, never signed or published', async () => {
    const result = await albs(['plan', write('pr.yml', MATRIX), '--ref', 'refs/pull/7/merge', '--json']);
    const plan = JSON.parse(result.stdout);
    expect(plan.trigger.event).toBe('pull_request');
    expect(plan.jobs.some((j: { stage: string }) => j.stage === 'sign' || j.stage === 'publish')).toBe(false);
  });
});
