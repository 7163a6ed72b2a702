import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import {
  type CommitState,
  type CommitStatus,
  type Forge,
  ForgeError,
  type ForgeRepo,
} from '../../src/forge/forge.js';
import { StatusReporter } from '../../src/forge/status-reporter.js';

const REPO: ForgeRepo = { owner: 'alma', name: 'hello' };
const SHA = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
const OTHER_SHA = '2c9f4c7e6a3a1a1c7c1f0c3b4cde4a5f6b7c8d9e';

function status(
  state: CommitState,
  description: string = state,
  context = 'albs/build (x86_64)',
): CommitStatus {
  return { context, state, description, targetUrl: 'https://albs.example.org/p/1' };
}

interface Call {
  repo: string;
  sha: string;
  context: string;
  state: CommitState;
  description: string;
  at: number;
}

/** A forge that records each setStatus; `behaviour` may delay or fail a call. */
function fakeForge(behaviour: (call: Call, index: number) => Promise<void> | void = () => {}) {
  const calls: Call[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const forge: Forge = {
    name: 'gitea',
    permission: async () => 'none',
    comment: async () => {},
    async setStatus(repo, sha, s) {
      const call = {
        repo: `${repo.owner}/${repo.name}`,
        sha,
        context: s.context,
        state: s.state,
        description: s.description,
        at: Date.now(),
      };
      calls.push(call);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        await behaviour(call, calls.length - 1);
      } finally {
        inFlight--;
      }
    },
    async cloneAuthHeader() {
      return undefined;
    },
  };
  return { forge, calls, maxInFlight: () => maxInFlight };
}

function fakeLog() {
  const lines: { level: string; obj: Record<string, unknown>; msg: string | undefined }[] = [];
  const at = (level: string) => (obj: object, msg?: string) => {
    lines.push({ level, obj: obj as Record<string, unknown>, msg });
  };
  return { log: { info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

describe('StatusReporter', () => {
  it("posts a context's first status at once, then only the last of running → success within the window", async () => {
    const { forge, calls } = fakeForge();
    const reporter = new StatusReporter({ forge, log: fakeLog().log, coalesceMs: 50 });
    reporter.report(REPO, SHA, status('pending', 'queued'));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    reporter.report(REPO, SHA, status('pending', 'running'));
    reporter.report(REPO, SHA, status('success', 'built'));
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    await sleep(120);
    expect(calls.map((c) => [c.state, c.description])).toEqual([
      ['pending', 'queued'],
      ['success', 'built'],
    ]);
  });

  it('waits the coalescing window before posting a change', async () => {
    const { forge, calls } = fakeForge();
    const reporter = new StatusReporter({ forge, log: fakeLog().log, coalesceMs: 80 });
    const started = Date.now();
    reporter.report(REPO, SHA, status('pending', 'queued'));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    expect((calls[0]?.at ?? 0) - started).toBeLessThan(75);
    const changed = Date.now();
    reporter.report(REPO, SHA, status('pending', 'running'));
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    expect((calls[1]?.at ?? 0) - changed).toBeGreaterThanOrEqual(75);
  });

  it('keeps repositories, commits and contexts apart', async () => {
    const { forge, calls } = fakeForge();
    const reporter = new StatusReporter({ forge, log: fakeLog().log, coalesceMs: 10 });
    reporter.report(REPO, SHA, status('pending', 'a', 'albs/build (x86_64)'));
    reporter.report(REPO, SHA, status('pending', 'b', 'albs/build (aarch64)'));
    reporter.report(REPO, OTHER_SHA, status('pending', 'c', 'albs/build (x86_64)'));
    reporter.report({ owner: 'alma', name: 'other' }, SHA, status('pending', 'd', 'albs/build (x86_64)'));
    await reporter.flush();
    expect(calls.map((c) => c.description).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('never moves a key backwards: a pending after a posted success is dropped', async () => {
    const { forge, calls } = fakeForge();
    const { log, lines } = fakeLog();
    const reporter = new StatusReporter({ forge, log, coalesceMs: 0 });
    reporter.report(REPO, SHA, status('success'));
    await reporter.flush();
    reporter.report(REPO, SHA, status('pending', 'late queued update'));
    await reporter.flush();
    expect(calls.map((c) => c.state)).toEqual(['success']);
    expect(lines.some((l) => l.level === 'info' && /dropped/.test(l.msg ?? ''))).toBe(true);
    // Other contexts of the same commit are not affected.
    reporter.report(REPO, SHA, status('pending', 'other', 'albs'));
    await reporter.flush();
    expect(calls.map((c) => c.state)).toEqual(['success', 'pending']);
  });

  it('drops a pending that arrives while the final state waits in its window', async () => {
    const { forge, calls } = fakeForge();
    const reporter = new StatusReporter({ forge, log: fakeLog().log, coalesceMs: 30 });
    reporter.report(REPO, SHA, status('failure'));
    reporter.report(REPO, SHA, status('pending'));
    await reporter.flush();
    expect(calls.map((c) => c.state)).toEqual(['failure']);
  });

  it('lets a final state replace another (a re-run), while its pendings stay dropped', async () => {
    const { forge, calls } = fakeForge();
    const reporter = new StatusReporter({ forge, log: fakeLog().log, coalesceMs: 0 });
    reporter.report(REPO, SHA, status('failure'));
    await reporter.flush();
    reporter.report(REPO, SHA, status('pending', 're-run queued'));
    reporter.report(REPO, SHA, status('success'));
    await reporter.flush();
    expect(calls.map((c) => c.state)).toEqual(['failure', 'success']);
  });

  it('posts a status wanted during a post after that post, the latest one only', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { forge, calls } = fakeForge((_call, index) => (index === 0 ? gate : undefined));
    const reporter = new StatusReporter({ forge, log: fakeLog().log, coalesceMs: 0 });
    reporter.report(REPO, SHA, status('pending', 'queued'));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    reporter.report(REPO, SHA, status('pending', 'running'));
    reporter.report(REPO, SHA, status('success', 'built'));
    reporter.report(REPO, SHA, status('pending', 'stale'));
    release();
    await reporter.flush();
    expect(calls.map((c) => c.description)).toEqual(['queued', 'built']);
  });

  it('logs a failing post with repository, sha and context, counts it, and never throws', async () => {
    const failure = new ForgeError('Gitea answered 422 to POST …: "bad"; see its message', 422);
    const { forge, calls } = fakeForge(() => {
      throw failure;
    });
    const { log, lines } = fakeLog();
    const outcomes: string[] = [];
    const reporter = new StatusReporter({ forge, log, coalesceMs: 0, onPost: (o) => outcomes.push(o) });
    expect(() => reporter.report(REPO, SHA, status('success'))).not.toThrow();
    await reporter.flush();
    expect(calls).toHaveLength(1);
    expect(outcomes).toEqual(['failed']);
    const error = lines.find((l) => l.level === 'error');
    expect(error?.obj).toMatchObject({
      repo: 'alma/hello',
      sha: SHA,
      context: 'albs/build (x86_64)',
      err: failure,
    });
    expect(error?.msg).toContain('Gitea answered 422');
  });

  it('survives a forge that throws synchronously and an onPost that throws', async () => {
    const forge: Forge = {
      name: 'github',
      permission: async () => 'none',
      comment: async () => {},
      setStatus() {
        throw new Error('not even a promise');
      },
      cloneAuthHeader: async () => undefined,
    };
    const { log, lines } = fakeLog();
    const reporter = new StatusReporter({
      forge,
      log,
      coalesceMs: 0,
      onPost: () => {
        throw new Error('metrics broke');
      },
    });
    reporter.report(REPO, SHA, status('error'));
    await reporter.flush();
    expect(lines.map((l) => l.level)).toEqual(['error', 'warn']);
  });

  it('counts successful posts', async () => {
    const { forge } = fakeForge();
    const outcomes: string[] = [];
    const reporter = new StatusReporter({
      forge,
      log: fakeLog().log,
      coalesceMs: 0,
      onPost: (o) => outcomes.push(o),
    });
    reporter.report(REPO, SHA, status('pending', 'a', 'x'));
    reporter.report(REPO, SHA, status('pending', 'b', 'y'));
    await reporter.flush();
    expect(outcomes).toEqual(['ok', 'ok']);
  });

  it('paces posts to the forge by minIntervalMs', async () => {
    const { forge, calls } = fakeForge();
    const reporter = new StatusReporter({ forge, log: fakeLog().log, coalesceMs: 0, minIntervalMs: 60 });
    for (const context of ['a', 'b', 'c']) reporter.report(REPO, SHA, status('pending', context, context));
    await reporter.flush();
    expect(calls).toHaveLength(3);
    const at = calls.map((c) => c.at);
    expect((at[1] ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(55);
    expect((at[2] ?? 0) - (at[1] ?? 0)).toBeGreaterThanOrEqual(55);
  });

  it('keeps at most maxInFlight posts open', async () => {
    const { forge, calls, maxInFlight } = fakeForge(() => sleep(20));
    const reporter = new StatusReporter({ forge, log: fakeLog().log, coalesceMs: 0, maxInFlight: 2 });
    for (let i = 0; i < 7; i++) reporter.report(REPO, SHA, status('pending', `${i}`, `c${i}`));
    await reporter.flush();
    expect(calls).toHaveLength(7);
    expect(maxInFlight()).toBe(2);
  });

  it('flush cuts the coalescing window short and resolves at once when idle', async () => {
    const { forge, calls } = fakeForge();
    const reporter = new StatusReporter({ forge, log: fakeLog().log, coalesceMs: 60_000 });
    await reporter.flush();
    reporter.report(REPO, SHA, status('pending', 'queued'));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    reporter.report(REPO, SHA, status('success', 'built'));
    const started = Date.now();
    await reporter.flush();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(calls.map((c) => c.description)).toEqual(['queued', 'built']);
  });

  it('flush also waits for a slow post to end', async () => {
    const { forge, calls } = fakeForge(() => sleep(80));
    const reporter = new StatusReporter({ forge, log: fakeLog().log, coalesceMs: 0 });
    reporter.report(REPO, SHA, status('success'));
    const started = Date.now();
    await reporter.flush();
    expect(calls).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(70);
  });

  it('takes a copy of the status: a caller changing its object later changes nothing', async () => {
    const { forge, calls } = fakeForge();
    const reporter = new StatusReporter({ forge, log: fakeLog().log, coalesceMs: 10 });
    const s = status('pending', 'queued');
    reporter.report(REPO, SHA, s);
    s.description = 'changed';
    await reporter.flush();
    expect(calls[0]?.description).toBe('queued');
  });
});
