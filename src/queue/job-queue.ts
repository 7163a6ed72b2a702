import type { Outcome } from '../pipeline/pipeline-state.js';
import type { Job, Trigger } from '../plan/types.js';

/** A job as it travels from the side that decides to a runner. */
export interface QueuedJob {
  /** The Plan version the job was made by; a runner refuses one it does not know. */
  planVersion: number;
  pipelineId: string;
  /** What started the pipeline: a runner refuses to sign or publish for a pull request, whatever the job says. */
  trigger: Trigger;
  job: Job;
  /** Artifacts of the jobs this one needs, by job id. */
  inputs: Record<string, string[]>;
  /**
   * The pipeline attempt the job runs in: 1 when absent; `/albs retry-failed` runs a finished
   * pipeline's failed jobs again in attempt 2, 3… A job is one per (pipeline, job, attempt): the
   * BullMQ adapter's job ids carry it.
   */
  attempt?: number;
  /**
   * In a farm: the sha256 of every input, by the path given in `inputs` (relative to the pipeline's
   * directory on the server); a runner downloads each and checks it.
   */
  digests?: Record<string, string>;
}

export interface JobResult {
  pipelineId: string;
  jobId: string;
  outcome: Outcome;
  /** What the job produced (absolute paths in the artifact store), also after a failure. */
  artifacts: string[];
  durationMs: number;
  /** The pipeline attempt of the job (see QueuedJob.attempt); 1 when absent. */
  attempt?: number;
}

/** What a distributed queue tells the handler about its hold on the job. */
export interface JobLease {
  /** The queue's lock token: the server accepts results only from the holder of the job's lock. */
  token: string;
  /** How many times the job has been started, this start included (2 after a runner died with it). */
  attempt: number;
  /** The queue the job was taken from (`albs:build:x86_64`, `albs:sign`): where its lock is. */
  queue: string;
}

export type JobHandler = (item: QueuedJob, signal: AbortSignal, lease?: JobLease) => Promise<JobResult>;

export interface Processor {
  /** Stop taking jobs; resolves when the running ones have finished (they are not aborted). */
  stop(): Promise<void>;
}

/**
 * The queue between the pipeline driver and the runners. Jobs are routed by labels: a runner
 * takes a job only when its labels include every label in `job.runsOn`.
 *
 * Deliberately left out: priorities, retries and persistence belong to an adapter (BullMQ has
 * them); the pipeline decides what is retried, the queue only carries.
 */
export interface JobQueue {
  /** Queue a job. Idempotent per (pipelineId, job.id, attempt): a job already queued, running or done is not queued again. */
  enqueue(item: QueuedJob): Promise<void>;
  /** Take jobs this runner can run, at most `concurrency` at once, until stop(). Safe to call for several runners. */
  process(labels: readonly string[], concurrency: number, handler: JobHandler): Processor;
  /** A runner took a job and starts it now. Returns the unsubscribe function. */
  onStart(listener: (pipelineId: string, jobId: string) => void): () => void;
  /** Every finished job's result, once. Returns the unsubscribe function. */
  onResult(listener: (result: JobResult) => void): () => void;
  /**
   * A queued job never starts and its result is reported at once as `cancelled` with `reason`; a
   * running one has its signal aborted with `reason` and reports whatever its handler returns.
   * Either way every enqueued job yields exactly one result. Unknown or finished ids are ignored.
   * `attempt`: the pipeline attempt whose job it is (1 when absent).
   */
  cancel(pipelineId: string, jobId: string, reason: string, attempt?: number): Promise<void>;
  /** Stop everything; pending jobs are dropped. */
  close(): Promise<void>;
}

/** True when a runner with `labels` may take `job`. */
export function canTake(labels: readonly string[], job: Job): boolean {
  return job.runsOn.every((label) => labels.includes(label));
}
