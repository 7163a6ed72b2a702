import type { Job, Plan } from '../plan/types.js';

/**
 * The state machine of one pipeline: which job runs next, and what a finished job does to the
 * others. Pure: it takes the plan and events, and returns new states; whoever runs jobs (the
 * local `albs run`, the farm's scheduler) asks it what to do and tells it what happened.
 */

export type JobState =
  | 'pending'
  /** Handed to the queue; no runner has taken it yet. */
  | 'queued'
  | 'running'
  | 'success'
  | 'failure'
  /** Not run: no runner has its labels, or a job it needs was skipped or failed without fail-fast. */
  | 'skipped'
  /** Not run, on purpose: the package's ExcludeArch/ExclusiveArch rules this arch out. Not a failure. */
  | 'excluded'
  /** Stopped or never started because the pipeline was cancelled (fail-fast, Ctrl-C, a superseding run). */
  | 'cancelled';

export const FINISHED: readonly JobState[] = ['success', 'failure', 'skipped', 'excluded', 'cancelled'];

export interface JobStatus {
  state: JobState;
  /** Why a job did not succeed, in words for the summary. */
  reason: string | null;
  /** For skipped jobs: the runner labels nobody has. */
  missingLabels: string[] | null;
}

export interface PipelineState {
  plan: Plan;
  jobs: Record<string, JobStatus>;
  /** Set once a failure (with fail-fast) or a cancel has stopped the pipeline. */
  cancelled: string | null;
}

/** What the pipeline needs to know of the runners: the labels nobody has for this job, or none. */
export type MissingLabels = (job: Job) => string[];

const status = (
  state: JobState,
  reason: string | null = null,
  missingLabels: string[] | null = null,
): JobStatus => ({
  state,
  reason,
  missingLabels,
});

export function startPipeline(plan: Plan, missingLabels: MissingLabels): PipelineState {
  const jobs: Record<string, JobStatus> = {};
  for (const job of plan.jobs) {
    const missing = job.runsOn.length ? missingLabels(job) : [];
    jobs[job.id] = missing.length
      ? status('skipped', `no runner with labels [${missing.join(', ')}]`, missing)
      : status('pending');
  }
  return settle({ plan, jobs, cancelled: null });
}

export function isFinished(state: PipelineState): boolean {
  return Object.values(state.jobs).every((j) => FINISHED.includes(j.state));
}

/** Jobs that may start now, in plan order, within max-parallel. */
export function readyJobs(state: PipelineState): Job[] {
  if (state.cancelled) return [];
  // max-parallel counts what the pipeline has handed out, waiting or running.
  const running = Object.values(state.jobs).filter(
    (j) => j.state === 'running' || j.state === 'queued',
  ).length;
  const room = state.plan.maxParallel === null ? Number.POSITIVE_INFINITY : state.plan.maxParallel - running;
  // settle() has already turned every pending job whose needs went wrong into skipped or
  // cancelled: a pending job whose needs have all finished is one to run.
  const ready = state.plan.jobs.filter(
    (job) =>
      state.jobs[job.id]?.state === 'pending' &&
      job.needs.every((n) => FINISHED.includes(state.jobs[n]!.state)),
  );
  return ready.slice(0, Math.max(0, room));
}

export function markQueued(state: PipelineState, id: string): PipelineState {
  return withJob(state, id, status('queued'));
}

/** A runner took the job. Ignored for a job that is no longer queued (cancelled meanwhile). */
export function markRunning(state: PipelineState, id: string): PipelineState {
  if (state.jobs[id]?.state !== 'queued' && state.jobs[id]?.state !== 'pending') return state;
  return withJob(state, id, status('running'));
}

export type Outcome =
  | { state: 'success' }
  | { state: 'failure'; reason: string }
  | { state: 'excluded'; reason: string }
  | { state: 'cancelled'; reason: string };

/** Record a job's outcome; a job already finished keeps its state. */
export function finishJob(state: PipelineState, id: string, outcome: Outcome): PipelineState {
  if (FINISHED.includes(state.jobs[id]?.state ?? 'pending')) return state;
  const reason = outcome.state === 'success' ? null : outcome.reason;
  let next = withJob(state, id, status(outcome.state, reason));
  if (outcome.state === 'failure' && state.plan.failFast && !next.cancelled) {
    next = cancel(next, `fail-fast: ${id} failed`);
  }
  return settle(next);
}

/**
 * Stop the pipeline: every job not started becomes cancelled. Running jobs stay running until they
 * report (the caller stops them): one that still finishes, a publish past its switch say, is
 * recorded as what it did.
 */
export function cancel(state: PipelineState, reason: string): PipelineState {
  const jobs = { ...state.jobs };
  for (const [id, job] of Object.entries(jobs)) {
    if (job.state === 'pending') jobs[id] = status('cancelled', reason);
  }
  return { ...state, jobs, cancelled: state.cancelled ?? reason };
}

function withJob(state: PipelineState, id: string, job: JobStatus): PipelineState {
  if (!(id in state.jobs)) throw new Error(`pipeline has no job "${id}"`);
  return { ...state, jobs: { ...state.jobs, [id]: job } };
}

/**
 * Carry finished needs forward until nothing changes: a job whose needs can no longer all succeed
 * does not wait forever. Excluded and skipped builds do not hold back a repo's sign job as long as
 * some build it needs produced packages.
 */
function settle(state: PipelineState): PipelineState {
  const jobs = { ...state.jobs };
  let changed = true;
  while (changed) {
    changed = false;
    for (const job of state.plan.jobs) {
      if (jobs[job.id]?.state !== 'pending') continue;
      const needs = job.needs.map((n) => ({ id: n, ...jobs[n]! }));
      if (!needs.every((n) => FINISHED.includes(n.state))) continue;
      const next = settleJob(job, needs);
      if (next) {
        jobs[job.id] = next;
        changed = true;
      }
    }
  }
  return { ...state, jobs };
}

/** The state of a pending job whose needs have all finished, or null when it should run. */
function settleJob(job: Job, needs: (JobStatus & { id: string })[]): JobStatus | null {
  // A need that failed, or was skipped because something failed, keeps this job from running:
  // a repo is never published from a pipeline with a failure in it.
  const bad = needs.find(
    (n) =>
      n.state === 'failure' || n.state === 'cancelled' || (n.state === 'skipped' && n.missingLabels === null),
  );
  if (bad) {
    const verb =
      bad.state === 'failure' ? 'failed' : bad.state === 'cancelled' ? 'was cancelled' : 'was skipped';
    return status(bad.state === 'cancelled' ? 'cancelled' : 'skipped', `needs ${bad.id}, which ${verb}`);
  }
  if (needs.every((n) => n.state === 'success')) return null;
  if (job.stage === 'test') {
    // A test job has one need, its build: it shares the build's fate.
    const build = needs[0]!;
    return status(
      build.state,
      build.state === 'excluded' ? build.reason : `needs ${build.id}: ${build.reason}`,
      build.missingLabels,
    );
  }
  if (needs.some((n) => n.state === 'success')) return null;
  // Nothing this repo needs produced packages: there is nothing to sign or publish.
  const missing = [...new Set(needs.flatMap((n) => n.missingLabels ?? []))];
  const allExcluded = needs.every((n) => n.state === 'excluded');
  return status(
    allExcluded ? 'excluded' : 'skipped',
    allExcluded
      ? 'every build it needs was excluded'
      : `nothing to ${job.stage}: every job it needs was skipped or excluded`,
    missing.length ? missing : null,
  );
}

/**
 * The state a retry of a finished pipeline starts from (`/albs retry-failed`): jobs that succeeded
 * or were excluded keep their outcome (their packages are reused), every other job (failed,
 * cancelled, skipped, or cut short by a restart) runs again, and whatever that leaves unable to
 * run is settled as at a start (a job for runners nobody has is skipped again). `previous` maps job
 * ids to their last state; a job it does not name runs.
 */
export function retryState(
  plan: Plan,
  previous: Readonly<Record<string, { state: string; reason: string | null }>>,
  missingLabels: MissingLabels,
): PipelineState {
  const jobs: Record<string, JobStatus> = {};
  for (const job of plan.jobs) {
    const before = previous[job.id];
    if (before?.state === 'success') jobs[job.id] = status('success');
    else if (before?.state === 'excluded') jobs[job.id] = status('excluded', before.reason);
    else {
      const missing = job.runsOn.length ? missingLabels(job) : [];
      jobs[job.id] = missing.length
        ? status('skipped', `no runner with labels [${missing.join(', ')}]`, missing)
        : status('pending');
    }
  }
  return settle({ plan, jobs, cancelled: null });
}
