import {
  cancel,
  FINISHED,
  finishJob,
  isFinished,
  type MissingLabels,
  markQueued,
  markRunning,
  type PipelineState,
  readyJobs,
  startPipeline,
} from '../pipeline/pipeline-state.js';
import type { Job, Plan } from '../plan/types.js';
import type { JobQueue, JobResult } from '../queue/job-queue.js';

export interface DriveOptions {
  queue: JobQueue;
  plan: Plan;
  pipelineId: string;
  /** The labels no runner has for a job; those jobs are skipped, never queued. */
  missingLabels: MissingLabels;
  /**
   * Called once for every change of a job's state, the jobs a change settles included (the sign
   * and publish jobs a failed build cancels); never for a job whose state did not change.
   */
  onChange?: (state: PipelineState, jobId: string) => void;
  /** Aborting cancels the pipeline: queued jobs never start, running ones are stopped. */
  signal?: AbortSignal;
  /**
   * Where a retry starts (retryState): its finished jobs are not queued again, and `results` holds
   * what they produced, handed to the jobs after them as inputs.
   */
  from?: { state: PipelineState; results: Record<string, JobResult> };
  /** The pipeline's attempt (1 when absent): its jobs are queued as jobs of that attempt. */
  attempt?: number;
}

export interface DriveResult {
  state: PipelineState;
  results: Record<string, JobResult>;
}

/**
 * Carry a pipeline from its plan to its end over a JobQueue: queue the jobs the state machine
 * says are ready, feed each result back, stop running jobs when the pipeline is cancelled.
 * Resolves when every job has finished and nothing is running any more.
 */
export function drivePipeline(options: DriveOptions): Promise<DriveResult> {
  const { queue, plan, pipelineId } = options;
  const results: Record<string, JobResult> = { ...options.from?.results };
  const inFlight = new Set<string>();
  let state = options.from?.state ?? startPipeline(plan, options.missingLabels);

  return new Promise<DriveResult>((resolve) => {
    // `first` (the job that changed), then every other job the change settled, in plan order.
    const changed = (next: PipelineState, first?: string) => {
      const before = state;
      state = next;
      const ids = first === undefined ? plan.jobs.map((j) => j.id) : [first, ...plan.jobs.map((j) => j.id)];
      for (const id of new Set(ids)) if (before.jobs[id] !== next.jobs[id]) options.onChange?.(state, id);
    };
    const stopRunning = (reason: string) => {
      for (const id of inFlight) void queue.cancel(pipelineId, id, reason);
    };
    const advance = () => {
      for (const job of readyJobs(state)) {
        changed(markQueued(state, job.id), job.id);
        inFlight.add(job.id);
        void queue.enqueue({
          planVersion: plan.version,
          pipelineId,
          trigger: plan.trigger,
          job,
          inputs: inputsOf(job, results),
          ...(options.attempt !== undefined ? { attempt: options.attempt } : {}),
        });
      }
      if (isFinished(state) && inFlight.size === 0) {
        unsubscribe();
        offStart();
        options.signal?.removeEventListener('abort', onAbort);
        resolve({ state, results });
      }
    };
    const offStart = queue.onStart((id, jobId) => {
      if (id !== pipelineId || !inFlight.has(jobId)) return;
      const next = markRunning(state, jobId);
      if (next !== state) changed(next, jobId);
    });
    const unsubscribe = queue.onResult((result) => {
      if (result.pipelineId !== pipelineId || !inFlight.has(result.jobId)) return;
      inFlight.delete(result.jobId);
      results[result.jobId] = result;
      // Results of jobs already settled (cancelled before they started) change nothing.
      if (!FINISHED.includes(state.jobs[result.jobId]!.state)) {
        const wasCancelled = state.cancelled;
        changed(finishJob(state, result.jobId, result.outcome), result.jobId);
        if (!wasCancelled && state.cancelled) stopRunning(state.cancelled);
      }
      advance();
    });
    const onAbort = () => {
      const reason = options.signal?.reason instanceof Error ? options.signal.reason.message : 'cancelled';
      // Jobs not queued yet are cancelled now; queued and running ones when the queue reports them.
      changed(cancel(state, reason));
      stopRunning(reason);
      advance();
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    for (const id of Object.keys(state.jobs))
      if (state.jobs[id]!.state !== 'pending') options.onChange?.(state, id);
    advance();
  });
}

/** The jobs whose artifacts a job gets: a test its build's, sign its builds', publish its sign's. */
export function inputSources(job: Job): string[] {
  return job.stage === 'test'
    ? [job.build]
    : job.stage === 'sign'
      ? job.builds
      : job.stage === 'publish'
        ? [job.sign]
        : [];
}

/** What a job gets from the jobs before it (see inputSources), from their successful results. */
export function inputsOf(job: Job, results: Record<string, JobResult>): Record<string, string[]> {
  const inputs: Record<string, string[]> = {};
  for (const id of inputSources(job)) {
    const result = results[id];
    if (result?.outcome.state === 'success') inputs[id] = result.artifacts;
  }
  return inputs;
}
