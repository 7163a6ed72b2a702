import { describe, expect, it } from 'vitest';
import type { JobResult, QueuedJob } from '../../src/queue/job-queue.js';
import { MemoryJobQueue } from '../../src/queue/memory/memory-job-queue.js';
import { drivePipeline } from '../../src/scheduler/drive-pipeline.js';
import { planOf } from '../helpers/load.js';

const yaml = (extra = '') => `version: 1
matrix:
  dist: [d1, d2, d3]
test: [rpmlint]
publish: [{repo: "r-\${{ matrix.dist }}"}]
${extra}`;

/** A runner that fails the jobs named, succeeds the rest, and hangs on `hang` until cancelled. */
function runner(
  queue: MemoryJobQueue,
  concurrency: number,
  fail: string[] = [],
  hang: string[] = [],
  inputs: Record<string, QueuedJob['inputs']> = {},
) {
  const seen: string[] = [];
  queue.process([], concurrency, async (item: QueuedJob, signal): Promise<JobResult> => {
    seen.push(item.job.id);
    inputs[item.job.id] = item.inputs;
    const base = {
      pipelineId: item.pipelineId,
      jobId: item.job.id,
      artifacts: [`/a/${item.job.id}.rpm`],
      durationMs: 1,
    };
    if (hang.includes(item.job.id)) {
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      return { ...base, outcome: { state: 'cancelled', reason: String((signal.reason as Error).message) } };
    }
    if (fail.includes(item.job.id)) return { ...base, outcome: { state: 'failure', reason: 'it broke' } };
    return { ...base, outcome: { state: 'success' } };
  });
  return seen;
}

const states = (result: Awaited<ReturnType<typeof drivePipeline>>) =>
  Object.fromEntries(Object.entries(result.state.jobs).map(([id, j]) => [id, j.state]));

describe('drivePipeline over a JobQueue', () => {
  it('runs every job to success and hands each job the artifacts of the jobs it needs', async () => {
    const queue = new MemoryJobQueue();
    const inputs: Record<string, QueuedJob['inputs']> = {};
    runner(queue, 2, [], [], inputs);
    const plan = planOf(yaml());
    const result = await drivePipeline({ queue, plan, pipelineId: 'p', missingLabels: () => [] });
    expect(Object.values(states(result)).every((s) => s === 'success')).toBe(true);
    expect(Object.keys(result.results)).toHaveLength(plan.jobs.length);
    expect(inputs['test.d2']).toEqual({ 'build.d2': ['/a/build.d2.rpm'] });
    expect(inputs['sign.r-d2']).toEqual({ 'build.d2': ['/a/build.d2.rpm'] });
    expect(inputs['publish.r-d2']).toEqual({ 'sign.r-d2': ['/a/sign.r-d2.rpm'] });
  });

  it('a job is queued until a runner takes it, then running', async () => {
    const queue = new MemoryJobQueue();
    runner(queue, 1);
    const seen: string[] = [];
    await drivePipeline({
      queue,
      plan: planOf(yaml()),
      pipelineId: 'p',
      missingLabels: () => [],
      onChange: (state, id) => {
        if (id === 'build.d2') seen.push(state.jobs[id]!.state);
      },
    });
    expect(seen).toEqual(['queued', 'running', 'success']);
  });

  it('every change is reported once, settled jobs included; an abort reports a running job when it stops', async () => {
    const queue = new MemoryJobQueue();
    runner(queue, 1, [], ['build.d1']);
    const abort = new AbortController();
    const seen: string[] = [];
    const driving = drivePipeline({
      queue,
      plan: planOf(yaml()),
      pipelineId: 'p',
      missingLabels: () => [],
      signal: abort.signal,
      onChange: (state, id) => seen.push(`${id} ${state.jobs[id]!.state}`),
    });
    setTimeout(() => abort.abort(new Error('interrupted')), 20);
    await driving;
    expect(seen.filter((s) => s.startsWith('build.d1 '))).toEqual([
      'build.d1 queued',
      'build.d1 running',
      'build.d1 cancelled',
    ]);
    expect(seen.filter((s) => s.startsWith('build.d2 '))).toEqual(['build.d2 queued', 'build.d2 cancelled']);
    expect(seen.filter((s) => s.startsWith('publish.r-d3 '))).toEqual(['publish.r-d3 cancelled']);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('fail-fast with jobs still queued: the queued ones are cancelled and the drive ends', async () => {
    const queue = new MemoryJobQueue();
    const seen = runner(queue, 1, ['build.d1']);
    const result = await drivePipeline({
      queue,
      plan: planOf(yaml()),
      pipelineId: 'p',
      missingLabels: () => [],
    });
    expect(states(result)).toMatchObject({
      'build.d1': 'failure',
      'build.d2': 'cancelled',
      'publish.r-d3': 'cancelled',
    });
    expect(seen).toEqual(['build.d1']);
  });

  it('an abort stops the running job, cancels the rest, and the drive ends', async () => {
    const queue = new MemoryJobQueue();
    runner(queue, 1, [], ['build.d1']);
    const abort = new AbortController();
    const driving = drivePipeline({
      queue,
      plan: planOf(yaml()),
      pipelineId: 'p',
      missingLabels: () => [],
      signal: abort.signal,
    });
    setTimeout(() => abort.abort(new Error('interrupted')), 20);
    const result = await driving;
    expect(result.state.cancelled).toBe('interrupted');
    expect(Object.values(states(result)).every((s) => s === 'cancelled')).toBe(true);
  });

  it('a job that finishes well after the pipeline was cancelled is recorded as done; the rest is cancelled', async () => {
    const queue = new MemoryJobQueue();
    // build.d2 finishes (successfully) only after build.d1's failure has cancelled the pipeline.
    queue.process([], 2, async (item): Promise<JobResult> => {
      const base = { pipelineId: item.pipelineId, jobId: item.job.id, artifacts: [], durationMs: 1 };
      if (item.job.id === 'build.d1') return { ...base, outcome: { state: 'failure', reason: 'broke' } };
      await new Promise((r) => setTimeout(r, 30));
      return { ...base, outcome: { state: 'success' } };
    });
    const result = await drivePipeline({
      queue,
      plan: planOf(yaml()),
      pipelineId: 'p',
      missingLabels: () => [],
    });
    expect(states(result)).toMatchObject({
      'build.d1': 'failure',
      'build.d2': 'success',
      'build.d3': 'cancelled',
    });
  });
});
