import { describe, expect, it } from 'vitest';
import {
  finishJob,
  isFinished,
  markRunning,
  type PipelineState,
  readyJobs,
  retryState,
  startPipeline,
} from '../../src/pipeline/pipeline-state.js';
import { planOf } from '../helpers/load.js';

const config = (extra = '') => `version: 1
matrix:
  arch: [x86_64, aarch64]
test: [rpmlint]
publish: [{repo: "el9-\${{ matrix.arch }}"}, {repo: el9-all}]
${extra}`;

const everyRunner = () => [];

/** Runs the pipeline to its end, each ready job finishing as `outcome` says. */
function drive(state: PipelineState, outcome: (id: string) => 'success' | 'failure'): PipelineState {
  for (let guard = 0; guard < 100 && !isFinished(state); guard++) {
    const ready = readyJobs(state);
    if (!ready.length) break;
    for (const job of ready) state = markRunning(state, job.id);
    for (const job of ready) {
      state = finishJob(
        state,
        job.id,
        outcome(job.id) === 'success' ? { state: 'success' } : { state: 'failure', reason: 'flaky' },
      );
    }
  }
  return state;
}

const states = (state: PipelineState) =>
  Object.fromEntries(Object.entries(state.jobs).map(([id, j]) => [id, j.state]));

describe('retryState (/albs retry-failed)', () => {
  it('runs again exactly the failed job and what it left skipped; every success is kept', () => {
    const plan = planOf(config('fail-fast: false'));
    const first = drive(startPipeline(plan, everyRunner), (id) =>
      id === 'test.aarch64' ? 'failure' : 'success',
    );
    expect(states(first)).toMatchObject({
      'test.aarch64': 'failure',
      'sign.el9-aarch64': 'skipped',
      'publish.el9-aarch64': 'skipped',
      'sign.el9-all': 'skipped',
      'publish.el9-all': 'skipped',
      'publish.el9-x86_64': 'success',
    });
    const retry = retryState(plan, first.jobs, everyRunner);
    // The failed test runs first; its build is not built again.
    expect(readyJobs(retry).map((j) => j.id)).toEqual(['test.aarch64']);
    expect(
      Object.entries(states(retry))
        .filter(([, s]) => s === 'pending')
        .map(([id]) => id),
    ).toEqual(['test.aarch64', 'sign.el9-aarch64', 'sign.el9-all', 'publish.el9-aarch64', 'publish.el9-all']);
    const second = drive(retry, () => 'success');
    expect(Object.values(states(second)).every((s) => s === 'success')).toBe(true);
  });

  it('runs again what fail-fast cancelled', () => {
    const plan = planOf(config());
    const first = drive(startPipeline(plan, everyRunner), (id) =>
      id === 'build.x86_64' ? 'failure' : 'success',
    );
    expect(first.cancelled).toMatch(/fail-fast/);
    const retry = retryState(plan, first.jobs, everyRunner);
    expect(retry.cancelled).toBeNull();
    expect(states(retry)['build.aarch64']).toBe('success');
    // test.aarch64 was cancelled by fail-fast before it started: it runs now, beside the failed build.
    expect(states(first)['test.aarch64']).toBe('cancelled');
    expect(readyJobs(retry).map((j) => j.id)).toEqual(['build.x86_64', 'test.aarch64']);
  });

  it('skips again what no runner can take, and runs jobs a restart cut short', () => {
    const plan = planOf(config('fail-fast: false'));
    const onlyX86 = (job: { runsOn: string[] }) => job.runsOn.filter((l) => l !== 'x86_64');
    const previous = Object.fromEntries(
      plan.jobs.map((j) => [j.id, { state: 'error', reason: 'server restarted' }]),
    );
    const retry = retryState(plan, previous, onlyX86);
    expect(states(retry)['build.aarch64']).toBe('skipped');
    expect(retry.jobs['build.aarch64']?.missingLabels).toEqual(['aarch64']);
    expect(readyJobs(retry).map((j) => j.id)).toEqual(['build.x86_64']);
  });
});
