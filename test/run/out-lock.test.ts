import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { ALBS_BIN, albs } from '../helpers/cli.js';
import { tinyPackage } from './package-repo.js';
import { jobsOf, waitFor } from './run-helpers.js';

// A test step that holds its run until the test creates `go` in its workspace.
const holding = () =>
  tinyPackage({
    albs: 'version: 1\ntest:\n  - run: ./hold.sh\n',
    files: {
      'hold.sh': `#!/bin/bash
touch "$ALBS_WORKSPACE/started"
while [ ! -e "$ALBS_WORKSPACE/go" ]; do sleep 0.1; done
`,
    },
  });

describe('one albs run per --out', () => {
  it('a second run on an OUT in use stops at once with exit 2, naming the first; the first goes on untouched', async () => {
    const dir = holding();
    const out = join(dir, '.albs', 'out');
    const first = execa(process.execPath, [ALBS_BIN, 'run', dir], { reject: false });
    try {
      expect(await waitFor(join(out, 'work', 'test', 'started'))).toBe(true);
      const started = Date.now();
      const second = await execa(process.execPath, [ALBS_BIN, 'run', dir], {
        reject: false,
        timeout: 30_000,
      });
      expect(second.exitCode).toBe(2);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(second.stderr).toContain(
        `--out ${out} is in use by another albs run (process ${first.pid}, since `,
      );
      expect(second.stderr).toMatch(/wait for it to end, or give this run another --out/);
      // The first run's workspace is still there, and the run ends as if alone.
      expect(existsSync(join(out, 'work', 'test', 'started'))).toBe(true);
      writeFileSync(join(out, 'work', 'test', 'go'), '');
      const done = await first;
      expect(done.exitCode, done.stdout + done.stderr).toBe(0);
      expect(jobsOf(out).test?.state).toBe('success');
      expect(existsSync(join(out, '.lock'))).toBe(false);
    } finally {
      first.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('the lock of a run that was killed is taken over, saying whose it was', async () => {
    const dir = tinyPackage({ albs: 'version: 1\n' });
    const out = join(dir, '.albs', 'out');
    const killed = execa(process.execPath, [ALBS_BIN, 'run', dir], { reject: false });
    expect(await waitFor(join(out, '.lock'))).toBe(true);
    killed.kill('SIGKILL'); // no chance to release anything
    await killed;
    expect(existsSync(join(out, '.lock'))).toBe(true);
    const next = await albs(['run', dir]);
    expect(next.exitCode, next.stdout + next.stderr).toBe(0);
    expect(next.stdout).toMatch(
      new RegExp(
        `taking over the lock of process ${killed.pid} \\(since [^)]+\\), which is no longer running`,
      ),
    );
    expect(existsSync(join(out, '.lock'))).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('a lock whose pid is now another process is taken over', async () => {
    const dir = tinyPackage({ albs: 'version: 1\n' });
    const lock = join(dir, '.albs', 'out', '.lock');
    mkdirSync(lock, { recursive: true });
    // This test's own pid is alive, but it did not start at clock tick 1 after boot.
    const owner = { pid: process.pid, startTime: '1', host: hostname(), since: '2026-01-01T00:00:00.000Z' };
    writeFileSync(join(lock, `${process.pid}-0123456789ab`), `${JSON.stringify(owner)}\n`);
    const next = await albs(['run', dir]);
    expect(next.exitCode, next.stdout + next.stderr).toBe(0);
    expect(next.stdout).toContain(
      `taking over the lock of process ${process.pid} (since 2026-01-01T00:00:00.000Z), which is no longer running (its pid is now another process)`,
    );
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});
