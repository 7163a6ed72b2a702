import { describe, expect, it } from 'vitest';
import { PLAN_VERSION } from '../../src/plan/types.js';
import type { QueuedJob } from '../../src/queue/job-queue.js';
import { MemoryJobQueue } from '../../src/queue/memory/memory-job-queue.js';
import { buildJob } from '../runner/helpers.js';
import { jobQueueConformance } from './job-queue-conformance.js';

jobQueueConformance('MemoryJobQueue', async () => new MemoryJobQueue());

describe('MemoryJobQueue and pipeline attempts', () => {
  it('queues a job once per attempt: a retry of the pipeline runs it again', async () => {
    const queue = new MemoryJobQueue();
    const runs: number[] = [];
    queue.process([], 1, async (item) => {
      runs.push(item.attempt ?? 1);
      return {
        pipelineId: item.pipelineId,
        jobId: item.job.id,
        outcome: { state: 'success' },
        artifacts: [],
        durationMs: 1,
      };
    });
    const item = (attempt?: number): QueuedJob => ({
      planVersion: PLAN_VERSION,
      pipelineId: 'p1',
      trigger: { event: 'branch', ref: 'main' },
      inputs: {},
      job: buildJob({ id: 'build', name: 'build', runsOn: [], timeout: 60 }),
      ...(attempt === undefined ? {} : { attempt }),
    });
    const finished = (count: number) =>
      new Promise<void>((resolve) => {
        let seen = 0;
        const off = queue.onResult(() => {
          if (++seen === count) {
            off();
            resolve();
          }
        });
      });
    let done = finished(1);
    await queue.enqueue(item());
    await queue.enqueue(item(1));
    await done;
    done = finished(1);
    await queue.enqueue(item(2));
    await queue.enqueue(item(2));
    await done;
    expect(runs).toEqual([1, 2]);
    await queue.close();
  });
});
