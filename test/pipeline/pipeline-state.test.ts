import { describe, expect, it } from 'vitest';
import {
  finishJob,
  isFinished,
  markRunning,
  type PipelineState,
  readyJobs,
  startPipeline,
} from '../../src/pipeline/pipeline-state.js';
import { planOf } from '../helpers/load.js';

const config = (extra = '') => `version: 1
matrix:
  arch: [x86_64, aarch64]
  dist: [almalinux-9]
test: [rpmlint]
publish: [{repo: "\${{ matrix.dist }}"}]
${extra}`;

const everyRunner = () => [];
const onlyX86 = (job: { runsOn: string[] }) => job.runsOn.filter((l) => l !== 'x86_64');

/** Run the pipeline to the end, finishing each ready job with what `outcome` says. */
function drive(
  state: PipelineState,
  outcome: (id: string) => 'success' | 'failure' | 'excluded',
): PipelineState {
  for (let guard = 0; guard < 100 && !isFinished(state); guard++) {
    const ready = readyJobs(state);
    if (!ready.length) break;
    for (const job of ready) state = markRunning(state, job.id);
    for (const job of ready) {
      const result = outcome(job.id);
      state = finishJob(
        state,
        job.id,
        result === 'success' ? { state: 'success' } : { state: result, reason: `${job.id} said ${result}` },
      );
    }
  }
  return state;
}

const states = (state: PipelineState) =>
  Object.fromEntries(Object.entries(state.jobs).map(([id, j]) => [id, j.state]));

describe('the pipeline state machine', () => {
  it('runs builds first, then tests, sign, publish, each when its needs succeeded', () => {
    let state = startPipeline(planOf(config()), everyRunner);
    expect(readyJobs(state).map((j) => j.id)).toEqual([
      'build.x86_64.almalinux-9',
      'build.aarch64.almalinux-9',
    ]);
    state = drive(state, () => 'success');
    expect(isFinished(state)).toBe(true);
    expect(Object.values(states(state))).toEqual(Array(6).fill('success'));
  });

  it('a job no runner can take is skipped with the labels, and the repo still publishes the rest', () => {
    const state = drive(startPipeline(planOf(config()), onlyX86), () => 'success');
    expect(state.jobs['build.aarch64.almalinux-9']).toEqual({
      state: 'skipped',
      reason: 'no runner with labels [aarch64]',
      missingLabels: ['aarch64'],
    });
    expect(state.jobs['test.aarch64.almalinux-9']?.state).toBe('skipped');
    expect(states(state)['publish.almalinux-9']).toBe('success');
  });

  it('an excluded build is not a failure: its test is excluded, the repo publishes the rest', () => {
    const state = drive(startPipeline(planOf(config()), everyRunner), (id) =>
      id === 'build.aarch64.almalinux-9' ? 'excluded' : 'success',
    );
    expect(states(state)).toMatchObject({
      'build.aarch64.almalinux-9': 'excluded',
      'test.aarch64.almalinux-9': 'excluded',
      'publish.almalinux-9': 'success',
    });
  });

  it('with fail-fast, a failure cancels every job not finished and nothing publishes', () => {
    const state = drive(startPipeline(planOf(config()), everyRunner), (id) =>
      id === 'build.x86_64.almalinux-9' ? 'failure' : 'success',
    );
    expect(state.cancelled).toMatch(/fail-fast: build.x86_64.almalinux-9 failed/);
    expect(states(state)).toMatchObject({
      'build.x86_64.almalinux-9': 'failure',
      'test.x86_64.almalinux-9': 'cancelled',
      'sign.almalinux-9': 'cancelled',
      'publish.almalinux-9': 'cancelled',
    });
  });

  it('without fail-fast, the rest runs but a repo with a failure in it is not published', () => {
    const state = drive(startPipeline(planOf(config('fail-fast: false\n')), everyRunner), (id) =>
      id === 'build.x86_64.almalinux-9' ? 'failure' : 'success',
    );
    expect(state.cancelled).toBeNull();
    expect(states(state)).toMatchObject({
      'build.aarch64.almalinux-9': 'success',
      'test.aarch64.almalinux-9': 'success',
      'test.x86_64.almalinux-9': 'skipped',
      'sign.almalinux-9': 'skipped',
      'publish.almalinux-9': 'skipped',
    });
    expect(state.jobs['sign.almalinux-9']?.reason).toBe('needs test.x86_64.almalinux-9, which was skipped');
  });

  it('when every build is skipped there is nothing to sign, and the summary keeps the missing labels', () => {
    const state = startPipeline(planOf(config()), (job) => job.runsOn);
    expect(isFinished(state)).toBe(true);
    expect(state.jobs['publish.almalinux-9']).toMatchObject({
      state: 'skipped',
      missingLabels: ['x86_64', 'aarch64'],
    });
  });

  it('max-parallel limits how many jobs run at once', () => {
    let state = startPipeline(planOf(config('max-parallel: 1\n')), everyRunner);
    const first = readyJobs(state);
    expect(first.map((j) => j.id)).toEqual(['build.x86_64.almalinux-9']);
    state = markRunning(state, first[0]!.id);
    expect(readyJobs(state)).toEqual([]);
  });
});
