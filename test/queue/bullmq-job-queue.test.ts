import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { PLAN_VERSION, type SignJob } from '../../src/plan/types.js';
import { BullmqJobQueue, type BullmqJobQueueOptions } from '../../src/queue/bullmq/bullmq-job-queue.js';
import type { JobResult, QueuedJob } from '../../src/queue/job-queue.js';
import { buildJob } from '../runner/helpers.js';
import { jobQueueConformance } from './job-queue-conformance.js';

const url = inject('redisUrl');
const prefixes: string[] = [];

/** A prefix no other test uses; its keys are deleted after the file. */
function uniquePrefix(): string {
  const prefix = `albs-test-${randomUUID()}`;
  prefixes.push(prefix);
  return prefix;
}

afterAll(async () => {
  const redis = new Redis(url);
  for (const prefix of prefixes) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  }
  redis.disconnect();
});

jobQueueConformance('BullmqJobQueue', () =>
  BullmqJobQueue.create({ connection: url, prefix: uniquePrefix() }),
);

describe('BullmqJobQueue across instances', () => {
  const open: BullmqJobQueue[] = [];
  const redis = new Redis(url);
  afterEach(async () => {
    await Promise.all(open.splice(0).map((q) => q.close()));
  });
  afterAll(() => redis.disconnect());

  /** Instances on one prefix, as `albs serve` replicas and runners on one Redis. */
  const farm = async (count: number, options: Partial<BullmqJobQueueOptions> = {}) => {
    const prefix = uniquePrefix();
    const queues: BullmqJobQueue[] = [];
    for (let i = 0; i < count; i++) {
      const queue = await BullmqJobQueue.create({ connection: url, prefix, ...options });
      open.push(queue);
      queues.push(queue);
    }
    return { prefix, queues };
  };

  const build = (id: string, runsOn: string[] = [], pipelineId = 'p1'): QueuedJob => ({
    planVersion: PLAN_VERSION,
    pipelineId,
    trigger: { event: 'tag', ref: 'v1' },
    inputs: {},
    job: buildJob({ id, name: id, runsOn, timeout: 60 }),
  });
  const sign = (id: string): QueuedJob => ({
    planVersion: PLAN_VERSION,
    pipelineId: 'p1',
    trigger: { event: 'tag', ref: 'v1' },
    inputs: {},
    job: {
      id,
      stage: 'sign',
      name: id,
      matrix: {},
      runsOn: [],
      needs: [],
      timeout: 60,
      env: {},
      repo: 'almalinux-9',
      family: 'rpm',
      key: 'release',
      builds: [],
    } satisfies SignJob,
  });
  const ok = (item: QueuedJob): JobResult => ({
    pipelineId: item.pipelineId,
    jobId: item.job.id,
    outcome: { state: 'success' },
    artifacts: [],
    durationMs: 1,
  });
  const collect = (queue: BullmqJobQueue) => {
    const results: JobResult[] = [];
    queue.onResult((r) => results.push(r));
    return results;
  };
  const until = async (check: () => boolean, ms = 5000) => {
    const end = Date.now() + ms;
    while (!check()) {
      if (Date.now() > end) throw new Error(`not within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('runs a job enqueued by two servers once, and each server hears its result once', async () => {
    const {
      queues: [a, b, runner],
    } = await farm(3);
    let runs = 0;
    runner!.process(['x86_64'], 2, async (item) => {
      runs++;
      await sleep(20);
      return ok(item);
    });
    const [fromA, fromB, fromRunner] = [collect(a!), collect(b!), collect(runner!)];
    await Promise.all([a!.enqueue(build('once', ['x86_64'])), b!.enqueue(build('once', ['x86_64']))]);
    await b!.enqueue(build('once', ['x86_64']));
    await until(() => fromA.length > 0 && fromB.length > 0 && fromRunner.length > 0);
    await a!.enqueue(build('once', ['x86_64']));
    await sleep(300);
    expect(runs).toBe(1);
    for (const results of [fromA, fromB, fromRunner])
      expect(results).toEqual([expect.objectContaining({ jobId: 'once', outcome: { state: 'success' } })]);
  });

  it('a runner started before a queue with new labels existed takes its jobs (registry)', async () => {
    const {
      prefix,
      queues: [server, runner],
    } = await farm(2);
    const taken: string[] = [];
    runner!.process(['x86_64', 'el9', 'kvm'], 4, async (item) => {
      taken.push(item.job.id);
      return ok(item);
    });
    await sleep(100);
    const results = collect(server!);
    await server!.enqueue(build('el9-only', ['el9']));
    await server!.enqueue(build('both', ['x86_64', 'el9']));
    await server!.enqueue(build('arm', ['aarch64', 'el9']));
    await until(() => results.length === 2);
    await sleep(200);
    expect(taken.sort()).toEqual(['both', 'el9-only']);
    expect((await redis.smembers(`${prefix}:albs:queues`)).sort()).toEqual([
      'albs:build:aarch64+el9',
      'albs:build:el9',
      'albs:build:el9+x86_64',
    ]);
  });

  it('a runner on another instance sees its running job cancelled within a second', async () => {
    const {
      queues: [server, runner],
    } = await farm(2, { pollIntervalMs: 1000 });
    let aborted = 0;
    runner!.process([], 1, async (item, signal) => {
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      aborted = performance.now();
      return { ...ok(item), outcome: { state: 'cancelled', reason: (signal.reason as Error).message } };
    });
    const starts: string[] = [];
    server!.onStart((_p, jobId) => starts.push(jobId));
    const results = collect(server!);
    await server!.enqueue(build('long'));
    await until(() => starts.includes('long'));
    const asked = performance.now();
    await server!.cancel('p1', 'long', 'superseded by a newer push');
    await until(() => results.length === 1);
    expect(aborted - asked).toBeLessThan(1000);
    expect(results).toEqual([
      expect.objectContaining({
        jobId: 'long',
        outcome: { state: 'cancelled', reason: 'superseded by a newer push' },
      }),
    ]);
    // Cancelled stays cancelled: the same job is not queued again.
    await server!.cancel('p1', 'long', 'again');
    await server!.enqueue(build('long'));
    await sleep(200);
    expect(results).toHaveLength(1);
  });

  it('a runner finds the cancel mark of its running job within a poll, even without the message', async () => {
    const {
      prefix,
      queues: [server, runner],
    } = await farm(2, { pollIntervalMs: 200 });
    let reason = '';
    runner!.process([], 1, async (item, signal) => {
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      reason = (signal.reason as Error).message;
      return { ...ok(item), outcome: { state: 'cancelled', reason } };
    });
    const starts: string[] = [];
    server!.onStart((_p, jobId) => starts.push(jobId));
    await server!.enqueue(build('quiet'));
    await until(() => starts.length === 1);
    // What cancel() leaves in Redis, without its pub/sub message (as if the runner missed it).
    await redis.set(`${prefix}:albs:cancelled:p1:quiet:1`, 'the message was lost');
    await until(() => reason !== '', 1000);
    expect(reason).toBe('the message was lost');
  });

  it('a job cancelled while queued is not queued again, and cancelling unknown jobs is ignored', async () => {
    const {
      queues: [server],
    } = await farm(1);
    const results = collect(server!);
    await server!.enqueue(build('waits', ['nobody-has-this']));
    await server!.cancel('p1', 'waits', 'fail-fast');
    await server!.cancel('p1', 'no-such-job', 'whatever');
    await server!.cancel('p2', 'waits', 'whatever');
    await until(() => results.length === 1);
    expect(results[0]).toMatchObject({
      jobId: 'waits',
      outcome: { state: 'cancelled', reason: 'fail-fast' },
    });
    await server!.enqueue(build('waits', ['nobody-has-this']));
    const taken: string[] = [];
    server!.process(['nobody-has-this'], 1, async (item) => {
      taken.push(item.job.id);
      return ok(item);
    });
    await sleep(300);
    expect(taken).toEqual([]);
    expect(results).toHaveLength(1);
  });

  it('sign jobs go to albs:sign, which only processSign takes; build queues are named by sorted labels', async () => {
    const {
      prefix,
      queues: [server, runner, signer],
    } = await farm(3);
    const ran: string[] = [];
    runner!.process(['x86_64', 'el9'], 2, async (item) => {
      ran.push(`runner:${item.job.id}`);
      return ok(item);
    });
    const results = collect(server!);
    await server!.enqueue(sign('sign-almalinux-9'));
    await server!.enqueue(build('b1', ['x86_64', 'el9']));
    await server!.enqueue(build('b2', []));
    await until(() => results.length === 2);
    await sleep(200);
    expect(ran.sort()).toEqual(['runner:b1', 'runner:b2']);
    expect(await redis.lrange(`${prefix}:albs:sign:wait`, 0, -1)).toEqual(['p1:sign-almalinux-9:1']);
    expect(await redis.exists(`${prefix}:albs:sign:p1:sign-almalinux-9:1`)).toBe(1);
    expect(await redis.exists(`${prefix}:albs:build:el9+x86_64:p1:b1:1`)).toBe(1);
    expect(await redis.exists(`${prefix}:albs:build:any:p1:b2:1`)).toBe(1);
    expect((await redis.smembers(`${prefix}:albs:queues`)).sort()).toEqual([
      'albs:build:any',
      'albs:build:el9+x86_64',
      'albs:sign',
    ]);
    signer!.processSign(1, async (item) => {
      ran.push(`signer:${item.job.id}`);
      return ok(item);
    });
    await until(() => results.length === 3);
    expect(ran).toContain('signer:sign-almalinux-9');
  });

  it('close() sends the jobs it was running back to their queue, for another runner', async () => {
    const {
      queues: [server, first, second],
    } = await farm(3);
    const results = collect(server!);
    const starts: string[] = [];
    server!.onStart((_p, jobId) => starts.push(jobId));
    first!.process([], 1, async (item, signal) => {
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      return { ...ok(item), outcome: { state: 'cancelled', reason: 'runner shut down' } };
    });
    await server!.enqueue(build('moved'));
    await until(() => starts.length === 1);
    await first!.close();
    second!.process([], 1, async (item) => ok(item));
    await until(() => results.length === 1);
    expect(results[0]).toMatchObject({ jobId: 'moved', outcome: { state: 'success' } });
    expect(starts).toEqual(['moved', 'moved']);
  });

  it('a job whose runner stopped answering goes back to its queue when its lock expires', async () => {
    const {
      queues: [server, dead, alive],
    } = await farm(3, { lockDurationMs: 600, stalledIntervalMs: 300, closeTimeoutMs: 50 });
    const results = collect(server!);
    const starts: string[] = [];
    server!.onStart((_p, jobId) => starts.push(jobId));
    // A handler that ignores its signal: close() gives up on it and leaves the job active.
    dead!.process([], 1, () => new Promise<JobResult>(() => {}));
    await server!.enqueue(build('orphan'));
    await until(() => starts.length === 1);
    await dead!.close();
    alive!.process([], 1, async (item) => ok(item));
    await until(() => results.length === 1, 10_000);
    expect(results[0]).toMatchObject({ jobId: 'orphan', outcome: { state: 'success' } });
  });

  it('a processor never runs more than `concurrency` jobs across all the queues it consumes', async () => {
    const {
      queues: [server, runner],
    } = await farm(2);
    let now = 0;
    let most = 0;
    runner!.process(['x86_64', 'el9'], 2, async (item) => {
      now++;
      most = Math.max(most, now);
      await sleep(30);
      now--;
      return ok(item);
    });
    const results = collect(server!);
    const labelSets = [[], ['x86_64'], ['el9'], ['el9', 'x86_64']];
    for (let i = 0; i < 12; i++) await server!.enqueue(build(`j${i}`, labelSets[i % 4]));
    await until(() => results.length === 12);
    expect(most).toBe(2);
  });

  it('close() leaves no socket or timer behind, even when a handler ignores its abort', async () => {
    const handles = () =>
      process.getActiveResourcesInfo().filter((kind) => kind === 'TCPSocketWrap' || kind === 'Timeout');
    await sleep(200); // the sockets of the tests before this one finish closing
    const before = handles();
    const {
      queues: [server, runner],
    } = await farm(2, { closeTimeoutMs: 50 });
    const starts: string[] = [];
    server!.onStart((_p, jobId) => starts.push(jobId));
    runner!.process(['x86_64'], 1, () => new Promise<JobResult>(() => {}));
    runner!.processSign(1, async (item) => ok(item));
    await server!.enqueue(build('hangs'));
    await server!.enqueue(build('waits', ['aarch64']));
    await until(() => starts.length === 1);
    await Promise.all(open.splice(0).map((q) => q.close()));
    await sleep(200);
    expect(handles()).toEqual(before);
  });

  it('create() names the Redis it cannot reach', async () => {
    await expect(
      BullmqJobQueue.create({ connection: 'redis://127.0.0.1:1', prefix: uniquePrefix() }),
    ).rejects.toThrow(/cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
  });
});
