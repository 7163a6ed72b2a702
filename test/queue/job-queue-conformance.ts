import { afterEach, describe, expect, it, vi } from 'vitest';
import { PLAN_VERSION } from '../../src/plan/types.js';
import type { JobQueue, JobResult, QueuedJob } from '../../src/queue/job-queue.js';
import { buildJob } from '../runner/helpers.js';

/**
 * The behaviour every JobQueue adapter must have. Each adapter's test file calls this with a
 * factory that gives a fresh, empty queue.
 */
export function jobQueueConformance(name: string, makeQueue: () => Promise<JobQueue>): void {
  describe(`${name} conforms to JobQueue`, () => {
    const open: JobQueue[] = [];
    const fresh = async () => {
      const queue = await makeQueue();
      open.push(queue);
      return queue;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((q) => q.close()));
    });

    const job = (id: string, runsOn: string[] = []): QueuedJob => ({
      planVersion: PLAN_VERSION,
      pipelineId: 'p1',
      trigger: { event: 'branch', ref: 'main' },
      inputs: {},
      job: buildJob({ id, name: id, runsOn, timeout: 60 }),
    });
    const ok = (item: QueuedJob): JobResult => ({
      pipelineId: item.pipelineId,
      jobId: item.job.id,
      outcome: { state: 'success' },
      artifacts: [],
      durationMs: 1,
    });
    const results = (queue: JobQueue, count: number) =>
      new Promise<JobResult[]>((resolve) => {
        const seen: JobResult[] = [];
        const off = queue.onResult((r) => {
          seen.push(r);
          if (seen.length === count) {
            off();
            resolve(seen);
          }
        });
      });

    it('routes a job only to a runner that has all its labels', async () => {
      const queue = await fresh();
      const taken: string[] = [];
      queue.process(['x86_64', 'noarch'], 2, async (item) => {
        taken.push(`x86:${item.job.id}`);
        return ok(item);
      });
      queue.process(['aarch64'], 2, async (item) => {
        taken.push(`arm:${item.job.id}`);
        return ok(item);
      });
      const done = results(queue, 3);
      await queue.enqueue(job('a', ['aarch64']));
      await queue.enqueue(job('b', ['x86_64']));
      await queue.enqueue(job('c', []));
      await done;
      expect(taken).toHaveLength(3);
      expect(taken).toEqual(expect.arrayContaining(['arm:a', 'x86:b']));
      expect(taken.filter((t) => /^(x86|arm):c$/.test(t))).toHaveLength(1);
    });

    it('queues a job once, however often it is enqueued', async () => {
      const queue = await fresh();
      let runs = 0;
      queue.process([], 1, async (item) => {
        runs++;
        return ok(item);
      });
      const done = results(queue, 1);
      await queue.enqueue(job('once'));
      await queue.enqueue(job('once'));
      await done;
      await queue.enqueue(job('once'));
      await new Promise((r) => setTimeout(r, 50));
      expect(runs).toBe(1);
    });

    it('runs at most `concurrency` jobs at once per runner', async () => {
      const queue = await fresh();
      let now = 0;
      let most = 0;
      queue.process([], 2, async (item) => {
        now++;
        most = Math.max(most, now);
        await new Promise((r) => setTimeout(r, 20));
        now--;
        return ok(item);
      });
      const done = results(queue, 5);
      for (const id of ['1', '2', '3', '4', '5']) await queue.enqueue(job(id));
      await done;
      expect(most).toBe(2);
    });

    it('cancel: a queued job never starts and reports cancelled; a running one sees its signal aborted', async () => {
      const queue = await fresh();
      const started: string[] = [];
      queue.process([], 1, async (item, signal) => {
        started.push(item.job.id);
        await new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => resolve(), { once: true }),
        );
        return {
          ...ok(item),
          outcome: { state: 'cancelled', reason: String((signal.reason as Error).message) },
        };
      });
      const done = results(queue, 2);
      await queue.enqueue(job('running'));
      await queue.enqueue(job('queued'));
      await new Promise((r) => setTimeout(r, 20));
      await queue.cancel('p1', 'queued', 'superseded');
      await queue.cancel('p1', 'running', 'fail-fast');
      const outcomes = Object.fromEntries((await done).map((r) => [r.jobId, r.outcome]));
      expect(outcomes).toEqual({
        queued: { state: 'cancelled', reason: 'superseded' },
        running: { state: 'cancelled', reason: 'fail-fast' },
      });
      await new Promise((r) => setTimeout(r, 50));
      expect(started).toEqual(['running']);
    });

    it('cancel ignores unknown and finished jobs: every job still has exactly one result', async () => {
      const queue = await fresh();
      const all: JobResult[] = [];
      queue.onResult((r) => all.push(r));
      queue.process([], 1, async (item) => ok(item));
      const done = results(queue, 1);
      await queue.enqueue(job('done'));
      await done;
      await queue.cancel('p1', 'done', 'too late');
      await queue.cancel('p1', 'never-queued', 'unknown');
      await queue.cancel('p2', 'done', 'other pipeline');
      await new Promise((r) => setTimeout(r, 100));
      expect(all).toEqual([expect.objectContaining({ jobId: 'done', outcome: { state: 'success' } })]);
    });

    it('reports a start when a runner takes a job, not when it is queued', async () => {
      const queue = await fresh();
      const starts: string[] = [];
      queue.onStart((_pipeline, jobId) => starts.push(jobId));
      let release: () => void = () => {};
      queue.process([], 1, async (item) => {
        if (item.job.id === 'first') await new Promise<void>((resolve) => (release = resolve));
        return ok(item);
      });
      const done = results(queue, 2);
      await queue.enqueue(job('first'));
      await queue.enqueue(job('second'));
      // However slow the machine: the first start arrives, and the second job waits for the slot.
      await vi.waitFor(() => expect(starts).toEqual(['first']), { timeout: 5000 });
      await new Promise((r) => setTimeout(r, 50));
      expect(starts).toEqual(['first']);
      release();
      await done;
      expect(starts).toEqual(['first', 'second']);
    });

    it('a handler that throws gives a failure result naming the error', async () => {
      const queue = await fresh();
      queue.process([], 1, async () => {
        throw new Error('disk full');
      });
      const done = results(queue, 1);
      await queue.enqueue(job('boom'));
      const [result] = await done;
      expect(result).toMatchObject({
        jobId: 'boom',
        outcome: { state: 'failure', reason: expect.stringMatching(/disk full/) },
      });
    });

    it('stop() waits for the running job and takes no more', async () => {
      const queue = await fresh();
      const ran: string[] = [];
      const processor = queue.process([], 1, async (item) => {
        await new Promise((r) => setTimeout(r, 30));
        ran.push(item.job.id);
        return ok(item);
      });
      await queue.enqueue(job('first'));
      await new Promise((r) => setTimeout(r, 5));
      await queue.enqueue(job('second'));
      await processor.stop();
      expect(ran).toEqual(['first']);
    });
  });
}
