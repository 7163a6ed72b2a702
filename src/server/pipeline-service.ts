import { hostname } from 'node:os';
import { relative } from 'node:path';
import type { PipelineState } from '../pipeline/pipeline-state.js';
import type { Plan } from '../plan/types.js';
import type { JobHandler, JobQueue, JobResult, Processor } from '../queue/job-queue.js';
import { drivePipeline } from '../scheduler/drive-pipeline.js';
import type { JobRecord, PipelineRecord, PipelineRecords } from './pipeline-records.js';

export interface PipelineServiceOptions {
  records: PipelineRecords;
  queue: JobQueue;
  /** The embedded runner's labels: a job needing others is skipped, as in `albs run`. */
  labels: readonly string[];
  concurrency: number;
  /** Runs one pipeline's jobs (the composition root gives it the runner, its steps and sandbox). */
  handlerFor: (record: PipelineRecord) => JobHandler;
  /** Called after every change of a record: statuses, metrics, logs. */
  onChange: (record: PipelineRecord, jobId?: string) => void;
  /** Where a published repository is reached: PUBLIC_URL/repos/REPO/. */
  repoUrl: (repo: string) => string;
  /** Where pipeline transitions are logged (pino). */
  log?: { info(obj: object, msg: string): void };
  /** Which key a sign job's NAME resolved to, for the record's provenance. */
  signedBy?: (key: string) => Promise<{ key: string; fingerprint: string } | undefined>;
}

/** What intake and submissions hand a new pipeline to: the embedded service, or the farm's. */
export interface PipelineRunner {
  /**
   * Runs `plan` for `record`; with `retry`, a new attempt of a finished record that starts from
   * retry.state (retryState) and reuses retry.results, what its kept jobs produced.
   */
  run(record: PipelineRecord, plan: Plan, cancelInProgress: boolean, retry?: RetryStart): Promise<void>;
  /** Cancels a running pipeline; a finished or unknown one is left as it is. */
  cancel(id: string, reason: string): void | Promise<void>;
}

/** Where a retry of a pipeline starts: see PipelineRunner.run. */
export interface RetryStart {
  state: PipelineState;
  results: Record<string, JobResult>;
}

/**
 * Carries pipelines from plan to end on the server: one processor over the JobQueue runs every
 * pipeline's jobs (each through its own handler: its own source tree and directories), each
 * pipeline is driven by the same state machine as `albs run`, and every change lands in the
 * pipeline's record. `concurrency.cancel-in-progress` cancels the older pipeline of a repo and ref.
 */
export class PipelineService {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly running = new Map<string, AbortController>();
  /** repository + ref → the pipeline that cancel-in-progress would cancel. */
  private readonly latest = new Map<string, string>();
  private readonly processor: Processor;
  private readonly runnerName = `embedded@${hostname()}`;

  constructor(private readonly options: PipelineServiceOptions) {
    this.processor = options.queue.process(options.labels, options.concurrency, (item, signal) => {
      const handler = this.handlers.get(item.pipelineId);
      if (!handler) {
        return Promise.resolve({
          pipelineId: item.pipelineId,
          jobId: item.job.id,
          outcome: { state: 'cancelled', reason: 'its pipeline is no longer running' },
          artifacts: [],
          durationMs: 0,
        });
      }
      return handler(item, signal);
    });
  }

  /** Runs `plan` for `record` to its end. Resolves when every job has finished. */
  async run(
    record: PipelineRecord,
    plan: Plan,
    cancelInProgress: boolean,
    retry?: RetryStart,
  ): Promise<void> {
    const { records } = this.options;
    const id = record.id;
    const controller = new AbortController();
    this.running.set(id, controller);
    this.handlers.set(id, this.options.handlerFor(record));
    const key = `${record.source.repository}\n${record.trigger.event}\n${record.trigger.ref}`;
    const older = this.latest.get(key);
    this.latest.set(key, id);
    if (cancelInProgress && older !== undefined) {
      this.cancel(older, `superseded by pipeline ${id} (concurrency.cancel-in-progress)`);
    }
    const started = new Map<string, string>();
    await records.update(id, (r) => {
      r.result = 'running';
      if (retry) {
        r.reason = null;
        r.finishedAt = null;
      } else r.startedAt = new Date().toISOString();
    });
    this.options.onChange(records.get(id)!);
    this.options.log?.info(
      { pipelineId: id, repo: record.source.repository, sha: record.source.sha },
      'pipeline running',
    );
    const outcome = await drivePipeline({
      queue: this.options.queue,
      plan,
      pipelineId: id,
      missingLabels: (job) => job.runsOn.filter((label) => !this.options.labels.includes(label)),
      signal: controller.signal,
      ...(retry ? { from: retry, attempt: record.attempt ?? 1 } : {}),
      onChange: (state, jobId) => {
        const status = state.jobs[jobId]!;
        if (status.state === 'running') started.set(jobId, new Date().toISOString());
        void records.update(id, (r) => {
          const job = r.jobs.find((j) => j.id === jobId);
          if (!job) return;
          job.state = status.state;
          job.reason = status.reason;
          if (status.state === 'success') void this.recordSigner(id, plan, jobId);
          if (status.state === 'running') {
            job.attempts.push({
              ...(r.attempt !== undefined ? { attempt: r.attempt } : {}),
              runner: this.runnerName,
              startedAt: started.get(jobId)!,
              finishedAt: null,
              outcome: null,
            });
          }
        });
        this.options.onChange(records.get(id)!, jobId);
      },
    });
    this.handlers.delete(id);
    this.running.delete(id);
    if (this.latest.get(key) === id) this.latest.delete(key);
    await records.update(id, (r) =>
      finishRecord(r, plan, outcome.state, outcome.results, records.pipelineDir(id), this.options.repoUrl),
    );
    this.options.onChange(records.get(id)!);
  }

  private async recordSigner(id: string, plan: Plan, jobId: string): Promise<void> {
    const job = plan.jobs.find((j) => j.id === jobId);
    if (job?.stage !== 'sign' || !this.options.signedBy) return;
    const signer = await this.options.signedBy(job.key).catch(() => undefined);
    if (!signer) return;
    await this.options.records.update(id, (r) => {
      const record = r.jobs.find((j) => j.id === jobId);
      if (record) record.signedBy = signer;
    });
  }

  /** Cancels a running pipeline: queued jobs never start, running ones are stopped. */
  cancel(id: string, reason: string): void {
    const controller = this.running.get(id);
    if (!controller) return;
    this.options.log?.info({ pipelineId: id, reason }, 'pipeline cancelled');
    controller.abort(new Error(reason));
  }

  /** Stops taking jobs; running ones finish. */
  async stop(): Promise<void> {
    for (const controller of this.running.values()) controller.abort(new Error('the server is stopping'));
    await this.processor.stop();
  }
}

/** Writes a pipeline's end into its record: every job's final state, artifacts and log, the result, the published repos. */
export function finishRecord(
  record: PipelineRecord,
  plan: Plan,
  state: PipelineState,
  results: Record<string, JobResult>,
  dir: string,
  repoUrl: (repo: string) => string,
): void {
  const now = new Date().toISOString();
  for (const job of record.jobs) {
    const status = state.jobs[job.id];
    if (!status) continue;
    job.state = status.state;
    job.reason = status.reason;
    const result = job.attempts.length > 0 ? results[job.id] : undefined;
    if (result) {
      job.durationMs = Math.round(result.durationMs);
      job.artifacts = result.artifacts.map((a) => relative(dir, a));
      job.log = `logs/${job.id}.log`;
      const attempt = job.attempts.at(-1);
      // A job a retry reused keeps the end of the attempt that ran it.
      if (attempt && attempt.finishedAt === null) {
        attempt.finishedAt = now;
        attempt.outcome = status.state;
      }
    }
  }
  const states = Object.values(state.jobs).map((j) => j.state);
  record.result = states.includes('failure') ? 'failure' : state.cancelled ? 'cancelled' : 'success';
  if (record.result === 'cancelled') record.reason = state.cancelled;
  record.finishedAt = now;
  record.repos = plan.jobs
    .filter((job) => job.stage === 'publish' && state.jobs[job.id]?.state === 'success')
    .map((job) => {
      const repo = job.stage === 'publish' ? job.repo : '';
      const family = job.stage === 'publish' ? job.family : 'rpm';
      const url = repoUrl(repo);
      return { repo, family, url, repoFile: `${url}${repo}.${family === 'deb' ? 'sources' : 'repo'}` };
    });
}

/** The jobs of a new record from its plan: those that need nothing are queued, the others wait. */
export function jobRecords(plan: Plan): JobRecord[] {
  return plan.jobs.map((job) => ({
    id: job.id,
    name: job.name,
    stage: job.stage,
    arch: typeof job.matrix.arch === 'string' ? job.matrix.arch : null,
    matrix: job.matrix,
    state: job.needs.length === 0 ? 'queued' : 'pending',
    reason: null,
    durationMs: null,
    artifacts: [],
    log: null,
    attempts: [],
  }));
}
