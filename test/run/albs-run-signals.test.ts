import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { ALBS_BIN } from '../helpers/cli.js';
import { processesRunning } from '../runner/helpers.js';
import { tinyPackage } from './package-repo.js';
import { jobsOf, killLeftovers, uniqueSeconds, waitFor } from './run-helpers.js';

// A test step whose grandchild ignores SIGTERM, so only SIGKILL after the grace period ends it.
// Unsandboxed (--no-sandbox, like sbuild's commands), nothing but albs itself stops it: a
// sandboxed one would also die with bwrap (--die-with-parent) when albs dies.
const stubborn = (seconds: string) =>
  tinyPackage({
    albs: 'version: 1\ntest:\n  - run: ./stubborn.sh\npublish: [{repo: tiny}]\n',
    files: {
      'stubborn.sh': `#!/bin/bash
bash -c 'trap "" TERM; touch "$ALBS_WORKSPACE/started"; exec sleep ${seconds}' &
wait
`,
    },
  });

describe('every way albs run is stopped stops every process it started', () => {
  it.each([
    ['SIGHUP', 129, 'stopped by SIGHUP (its terminal was closed)', ['--no-sandbox']],
    ['SIGHUP', 129, 'stopped by SIGHUP (its terminal was closed)', []],
    ['SIGTERM', 143, 'stopped by SIGTERM', ['--no-sandbox']],
  ] as const)(
    '%s: exit %i, nothing left running, jobs %j, the summary written (flags %j)',
    async (signal, code, reason, flags) => {
      const seconds = uniqueSeconds();
      const dir = stubborn(seconds);
      const out = join(dir, '.albs', 'out');
      // No SIGKILL from execa 5 s after its SIGTERM: albs's own grace period is what is tested.
      const child = execa(process.execPath, [ALBS_BIN, 'run', dir, ...flags], {
        reject: false,
        forceKillAfterDelay: false,
      });
      try {
        expect(await waitFor(join(out, 'work', 'test', 'started'))).toBe(true);
        expect(processesRunning(['sleep', seconds])).toHaveLength(1);
        child.kill(signal);
        const result = await child;
        expect(result.exitCode, `${result.signal} ${result.stdout}`).toBe(code);
        expect(processesRunning(['sleep', seconds])).toEqual([]);
        expect(result.stdout).toContain(
          `${signal}: stopping every running job (SIGTERM, then SIGKILL after 5 s)`,
        );
        expect(jobsOf(out)).toMatchObject({
          build: { state: 'success' },
          test: { state: 'cancelled', reason },
          'publish.tiny': { state: 'cancelled' },
        });
        expect(existsSync(join(out, 'repos', 'tiny'))).toBe(false);
      } finally {
        child.kill('SIGKILL');
        killLeftovers(['sleep', seconds]);
        rmSync(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );

  it('a second Ctrl-C while stopping: still SIGKILL after the grace period, the summary written, exit 130', async () => {
    const seconds = uniqueSeconds();
    const dir = stubborn(seconds);
    const out = join(dir, '.albs', 'out');
    const child = execa(process.execPath, [ALBS_BIN, 'run', dir, '--no-sandbox'], { reject: false });
    try {
      expect(await waitFor(join(out, 'work', 'test', 'started'))).toBe(true);
      child.kill('SIGINT');
      await new Promise((r) => setTimeout(r, 500));
      child.kill('SIGINT');
      const result = await child;
      expect(result.exitCode, `${result.signal} ${result.stdout}`).toBe(130);
      expect(processesRunning(['sleep', seconds])).toEqual([]);
      expect(result.stdout).toContain(
        'SIGINT: still stopping; every command gets SIGKILL at most 5 s after its SIGTERM',
      );
      expect(jobsOf(out).test).toMatchObject({ state: 'cancelled', reason: 'interrupted (Ctrl-C)' });
    } finally {
      child.kill('SIGKILL');
      killLeftovers(['sleep', seconds]);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('an uncaught error (its output on a full disk) gives every command SIGTERM first, then exits 1', async () => {
    const seconds = uniqueSeconds();
    // albs's stdout is a file on a 256 KiB tmpfs (in a mount namespace of its own) that the step's
    // output, with --verbose, overflows: the write fails while the step runs, and main rethrows it.
    // The step's TERM trap shows it was stopped gently, not only SIGKILLed as albs exited.
    const dir = tinyPackage({
      albs: 'version: 1\ntest:\n  - run: ./noisy.sh\n',
      files: {
        'noisy.sh': `#!/bin/bash
trap 'touch "$ALBS_WORKSPACE/terminated"; exit 1' TERM
sleep ${seconds} &
touch "$ALBS_WORKSPACE/started"
for i in $(seq 20000); do echo "line $i of a step that says a lot"; done
wait
`,
      },
    });
    const out = join(dir, '.albs', 'out');
    const full = join(dir, 'full');
    mkdirSync(full);
    const asRoot = process.geteuid?.() === 0 ? [] : ['--map-root-user'];
    const mountAndRun =
      'mount -t tmpfs -o size=256k albs-test "$1" && to="$1/stdout" && shift && exec "$@" > "$to"';
    const albsRun = [process.execPath, ALBS_BIN, 'run', dir, '--no-sandbox', '--verbose'];
    const result = await execa(
      'unshare',
      [...asRoot, '--mount', '--', 'sh', '-c', mountAndRun, 'sh', full, ...albsRun],
      {
        reject: false,
        timeout: 60_000,
      },
    );
    try {
      expect(existsSync(join(out, 'work', 'test', 'started')), result.stderr).toBe(true);
      expect(existsSync(join(out, 'work', 'test', 'terminated'))).toBe(true);
      expect(result.exitCode, `${result.signal} ${result.stdout}`).toBe(1);
      expect(result.stderr).toMatch(/^albs: internal error: .*ENOSPC/m);
      expect(processesRunning(['sleep', seconds])).toEqual([]);
      expect(jobsOf(out).test).toMatchObject({
        state: 'cancelled',
        reason: expect.stringMatching(/^albs failed: .*ENOSPC/),
      });
    } finally {
      killLeftovers(['sleep', seconds]);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
