import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, ProcessStartError, runProcess } from '../../runner/process.js';
import { FIXTURES, MemoryJobLog, running, tempDir } from './helpers.js';

const TREE = join(FIXTURES, 'stubborn-tree.sh');

async function setup() {
  const dir = await tempDir();
  const log = new MemoryJobLog(join(dir, 'job.log'));
  return { dir, log, env: cleanEnv(dir) };
}

describe('runProcess', () => {
  it('streams stdout and stderr into the log line by line and returns the exit code', async () => {
    const { dir, log, env } = await setup();
    const result = await runProcess(
      'bash',
      ['-c', 'echo out one; echo err one >&2; printf "no newline"; exit 3'],
      { cwd: dir, env, log, sandbox: null },
    );
    expect(result).toEqual({ exitCode: 3, signal: null, timedOut: false, aborted: false });
    expect(log.lines).toContain('out one');
    expect(log.lines).toContain('err one');
    expect(log.lines).toContain('no newline');
    expect(log.lines[0]).toBe(
      `[albs] $ bash -c 'echo out one; echo err one >&2; printf "no newline"; exit 3'`,
    );
    // The log file holds the same lines.
    expect(await readFile(log.path, 'utf8')).toContain('out one\n');
  });

  it('passes arguments as they are: no shell expands them', async () => {
    const { dir, log, env } = await setup();
    await runProcess('printf', ['%s|', '$HOME', '`id`', 'a b', '*'], { cwd: dir, env, log, sandbox: null });
    expect(log.lines).toContain('$HOME|`id`|a b|*|');
  });

  it('runs in a clean environment: nothing of the runner leaks, HOME and TMPDIR are in the workspace', async () => {
    process.env.ALBS_TEST_SECRET = 'leaked';
    try {
      const { dir, log } = await setup();
      const env = cleanEnv(dir, { JOB_VAR: 'from the job' });
      await runProcess('bash', ['-c', 'env | sort'], { cwd: dir, env, log, sandbox: null });
      const vars = log.lines.filter((l) => !l.startsWith('[albs]'));
      expect(vars.some((l) => l.startsWith('ALBS_TEST_SECRET='))).toBe(false);
      expect(vars).toContain('JOB_VAR=from the job');
      expect(vars).toContain(`HOME=${join(dir, 'home')}`);
      expect(vars).toContain(`TMPDIR=${join(dir, 'tmp')}`);
      expect(vars).toContain('LANG=C.UTF-8');
      expect(vars).toContain('PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
    } finally {
      delete process.env.ALBS_TEST_SECRET;
    }
  });

  it('rejects with a ProcessStartError naming a command that does not exist', async () => {
    const { dir, log, env } = await setup();
    await expect(runProcess('albs-no-such-tool', [], { cwd: dir, env, log, sandbox: null })).rejects.toThrow(
      new ProcessStartError('albs-no-such-tool', 'ENOENT'),
    );
  });

  // The grandchild sleeps 300 s: the generous test timeout only keeps a broken stop from hanging the suite.
  it('on timeout stops the whole process tree, a grandchild ignoring SIGTERM too', {
    timeout: 60_000,
  }, async () => {
    const { dir, log, env } = await setup();
    const pidfile = join(dir, 'grandchild.pid');
    const result = await runProcess(TREE, [pidfile], {
      cwd: dir,
      env,
      log,
      sandbox: null,
      timeout: 500,
      killGrace: 300,
    });
    expect(result.timedOut).toBe(true);
    expect(result.aborted).toBe(false);
    expect(result.exitCode).toBeNull();
    expect(log.lines).toContain('grandchild started');
    expect(log.text()).toContain('timed out after 1 s: stopping');
    const grandchild = Number(await readFile(pidfile, 'utf8'));
    expect(running(grandchild)).toBe(false);
  });

  it('a timeout longer than a timer can hold (600 h) does not fire at once', async () => {
    const { dir, log, env } = await setup();
    const result = await runProcess('bash', ['-c', 'sleep 0.2; echo finished'], {
      cwd: dir,
      env,
      log,
      sandbox: null,
      timeout: 600 * 3600 * 1000,
      killGrace: 600 * 3600 * 1000,
    });
    expect(result).toEqual({ exitCode: 0, signal: null, timedOut: false, aborted: false });
    expect(log.lines).toContain('finished');
  });

  it('on abort stops the whole process tree, a grandchild ignoring SIGTERM too', async () => {
    const { dir, log, env } = await setup();
    const pidfile = join(dir, 'grandchild.pid');
    const controller = new AbortController();
    const run = runProcess(TREE, [pidfile], {
      cwd: dir,
      env,
      log,
      sandbox: null,
      signal: controller.signal,
      killGrace: 300,
    });
    while (!log.lines.includes('grandchild started')) await new Promise((r) => setTimeout(r, 20));
    const grandchild = Number(await readFile(pidfile, 'utf8'));
    expect(running(grandchild)).toBe(true);
    controller.abort(new Error('Ctrl-C'));
    const result = await run;
    expect(result).toMatchObject({ aborted: true, timedOut: false });
    expect(log.text()).toContain('cancelled (Ctrl-C)');
    expect(running(grandchild)).toBe(false);
  });

  it('does not start at all when the signal is already aborted', async () => {
    const { dir, log, env } = await setup();
    const result = await runProcess('bash', ['-c', 'echo ran'], {
      cwd: dir,
      env,
      log,
      sandbox: null,
      signal: AbortSignal.abort(),
    });
    expect(result.aborted).toBe(true);
    expect(log.lines).not.toContain('ran');
  });

  it('sends SIGTERM first: a command that cleans up on SIGTERM gets to', async () => {
    const { dir, log, env } = await setup();
    const result = await runProcess(
      'bash',
      ['-c', 'trap "echo cleaning up; exit 7" TERM; echo ready; sleep 300 & wait'],
      { cwd: dir, env, log, sandbox: null, timeout: 300, killGrace: 3000 },
    );
    expect(log.lines).toContain('cleaning up');
    expect(result).toMatchObject({ exitCode: 7, timedOut: true });
  });

  it('after a normal exit kills what the command left running', async () => {
    const { dir, log, env } = await setup();
    const pidfile = join(dir, 'grandchild.pid');
    const result = await runProcess(TREE, [pidfile, 'exit'], { cwd: dir, env, log, sandbox: null });
    expect(result).toEqual({ exitCode: 0, signal: null, timedOut: false, aborted: false });
    const grandchild = Number(await readFile(pidfile, 'utf8'));
    expect(running(grandchild)).toBe(false);
  });

  it('leaves no timer behind once it returns: a pending one would keep albs run alive after its last job', async () => {
    const { dir, log, env } = await setup();
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    await runProcess('bash', ['-c', 'echo done'], { cwd: dir, env, log, sandbox: null, timeout: 60_000 });
    expect(timers()).toBeLessThanOrEqual(before);
  });
});
