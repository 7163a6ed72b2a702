import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { ALBS_BIN } from '../helpers/cli.js';
import { tinyPackage } from './package-repo.js';
import { jobsOf, waitFor } from './run-helpers.js';

// Two builds, then two tests, one job at a time: test.almalinux-8 runs until Ctrl-C while
// test.almalinux-9 waits in the queue for the one runner.
const matrix = () =>
  tinyPackage({
    albs: 'version: 1\nmatrix:\n  dist: [almalinux-8, almalinux-9]\ntest:\n  - run: ./hold.sh\n',
    files: { 'hold.sh': '#!/bin/bash\ntouch "$ALBS_WORKSPACE/started"\nexec sleep 600\n' },
  });
const RAN_MS = 1500;
const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

describe('progress of a run stopped with Ctrl-C', () => {
  it('one line per change: running once, the time it ran, and "before it started" for a queued job', async () => {
    const dir = matrix();
    const out = join(dir, '.albs', 'out');
    const child = execa(process.execPath, [ALBS_BIN, 'run', dir, '--jobs', '1'], { reject: false });
    try {
      expect(await waitFor(join(out, 'work', 'test.almalinux-8', 'started'))).toBe(true);
      await new Promise((r) => setTimeout(r, RAN_MS));
      child.kill('SIGINT');
      const result = await child;
      expect(result.exitCode).toBe(130);
      const lines = result.stdout.split('\n');
      expect(lines.filter((l) => l === 'test.almalinux-8: running')).toHaveLength(1);
      const cancelled = /^test\.almalinux-8: cancelled in (\d+\.\d) s: interrupted \(Ctrl-C\)$/m.exec(
        result.stdout,
      );
      expect(Number(cancelled?.[1]) * 1000, result.stdout).toBeGreaterThanOrEqual(RAN_MS - 100);
      expect(lines).toContain('test.almalinux-9: cancelled before it started: interrupted (Ctrl-C)');
      expect(lines.filter((l) => l.startsWith('test.almalinux-9:'))).toHaveLength(1);
      // pipeline.json agrees: a duration for the job that ran, none (and no log) for the other.
      const jobs = jobsOf(out);
      expect(jobs['test.almalinux-8']?.durationMs).toBeGreaterThanOrEqual(RAN_MS);
      expect(jobs['test.almalinux-8']?.log).toBe('logs/test.almalinux-8.log');
      expect(jobs['test.almalinux-9']).toMatchObject({ state: 'cancelled', durationMs: null, log: null });
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('on a terminal: the cancelled job keeps the time it ran; the queued one has none and says why', async () => {
    const dir = matrix();
    const out = join(dir, '.albs', 'out');
    const pidFile = join(dir, 'albs.pid');
    // util-linux `script` gives albs a pseudo-terminal; the shell writes albs's pid, then becomes albs.
    const command = `echo $$ > ${quote(pidFile)}; exec ${[process.execPath, ALBS_BIN, 'run', dir, '--jobs', '1'].map(quote).join(' ')}`;
    const child = execa('script', ['-qfec', command, '/dev/null'], {
      reject: false,
      env: { COLUMNS: '120' },
    });
    try {
      expect(await waitFor(join(out, 'work', 'test.almalinux-8', 'started'))).toBe(true);
      await new Promise((r) => setTimeout(r, RAN_MS));
      process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGINT');
      const result = await child;
      expect(result.exitCode).toBe(130);
      const screen = String(result.stdout).replaceAll('\u001b', '<ESC>');
      // The table as it was last drawn, above the summary.
      const last = screen.slice(screen.lastIndexOf('<ESC>[Jbuild.almalinux-8 '));
      const ran =
        /\ntest\.almalinux-8\s+<ESC>\[33mcancelled\s*<ESC>\[0m\s+(\d+\.\d) s\s+interrupted \(Ctrl-C\)/.exec(
          last,
        );
      expect(Number(ran?.[1]) * 1000, last).toBeGreaterThanOrEqual(RAN_MS - 100);
      expect(last).toMatch(
        /\ntest\.almalinux-9\s+<ESC>\[33mcancelled\s*<ESC>\[0m {11}before it started: interrupted \(Ctrl-C\)/,
      );
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
