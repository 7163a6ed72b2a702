import { join } from 'node:path';
import type { Redis } from 'ioredis';
import {
  FINISHED,
  isFinished,
  type JobState,
  type Outcome,
  type PipelineState,
  startPipeline,
} from '../pipeline/pipeline-state.js';
import type { Job, Plan } from '../plan/types.js';
import { sha256File } from '../publish/repo-dirs.js';
import type { JobQueue, JobResult, QueuedJob } from '../queue/job-queue.js';
import { inputSources, inputsOf } from '../scheduler/drive-pipeline.js';
import type { RedisPipelineStore } from '../scheduler/redis-pipeline-store.js';
import type { JobRecord, PipelineRecord, PipelineRecords } from './pipeline-records.js';
import { finishRecord, type RetryStart } from './pipeline-service.js';
import type { RunnerRegistry } from './runner-registry.js';

/** A result the server accepted from the runner that held the job: artifacts relative to the pipeline's directory. */
export interface AcceptedResult {
  pipelineId: string;
  jobId: string;
  outcome: Outcome;
  durationMs: number;
  artifacts: { path: string; sha256: string }[];
}

export interface FarmPipelinesOptions {
  records: PipelineRecords;
  store: RedisPipelineStore;
  queue: JobQueue;
  /** The command connection: accepted results live at `<prefix>:result:<pipeline>:<job>`. */
  redis: Redis;
  prefix: string;
  runners: RunnerRegistry;
  /** How long a job waits for a runner with its labels before it ends in error. */
  runnerWaitMs: number;
  /** Runs a publish job here, on the server (data-dir): its inputs are absolute paths. */
  publish: (record: PipelineRecord, item: QueuedJob, signal: AbortSignal) => Promise<JobResult>;
  /** Why this pipeline may not have the sign or publish job run (no allow rule), or null. */
  refused: (record: PipelineRecord, job: Job) => string | null;
  onChange: (record: PipelineRecord, jobId?: string) => void;
  repoUrl: (repo: string) => string;
  /** Which key a sign job's NAME resolved to, for the record's provenance. */
  signedBy?: (key: string) => Promise<{ key: string; fingerprint: string } | undefined>;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

const DAY_SECONDS = 86_400;

/**
 * The pipelines of a farm: their state in Redis (RedisPipelineStore), their jobs on the BullMQ
 * queues, their results accepted over HTTP from the runner that holds the job (runner-api.ts).
 * Whatever reports a job's end — the runner's HTTP result, the queue's word that a job was
 * cancelled or failed, a restart finding a result accepted but not yet applied — goes through
 * accept(), and the store applies each result once: only the caller whose transaction applied it
 * queues the jobs it made ready, and only the one that finished the pipeline writes its end.
 */
export class FarmPipelines {
  /** Pipelines this replica started or resumed: resolves run() when they end. */
  private readonly waiting = new Map<string, () => void>();
  /** Publish jobs running here, to stop on cancel. */
  private readonly publishing = new Map<string, AbortController>();
  /** Jobs waiting for a runner with their labels: the timer that ends them. */
  private readonly waitTimers = new Map<string, NodeJS.Timeout>();
  /** Jobs whose runner-wait ran out: their cancel is recorded as an error. */
  private readonly timedOut = new Map<string, string>();
  private readonly latest = new Map<string, string>();
  private stopped = false;

  constructor(private readonly options: FarmPipelinesOptions) {
    options.queue.onResult((result) => void this.fromQueue(result));
  }

  resultKey(pipelineId: string, jobId: string): string {
    return `${this.options.prefix}:result:${pipelineId}:${jobId}`;
  }

  /**
   * Runs `plan` for `record` to its end, on the farm's runners. Resolves when every job has
   * finished. With `retry` (`/albs retry-failed`), the pipeline starts again from that state in its
   * record's attempt: the jobs it keeps keep their accepted results, the others run again as jobs
   * of the new attempt (their BullMQ ids carry it).
   */
  async run(
    record: PipelineRecord,
    plan: Plan,
    cancelInProgress: boolean,
    retry?: RetryStart,
  ): Promise<void> {
    const { records, store } = this.options;
    const id = record.id;
    const done = new Promise<void>((resolve) => this.waiting.set(id, resolve));
    const key = `${record.source.repository}\n${record.trigger.event}\n${record.trigger.ref}`;
    const older = this.latest.get(key);
    this.latest.set(key, id);
    if (retry) {
      // The results of the jobs that run again are the earlier attempt's: they go.
      const again = plan.jobs.filter(
        (j) => !['success', 'excluded'].includes(retry.state.jobs[j.id]?.state ?? ''),
      );
      if (again.length > 0) await this.options.redis.del(...again.map((j) => this.resultKey(id, j.id)));
      for (const job of again) this.timedOut.delete(`${id}\n${job.id}`);
      // A kept job whose accepted result has expired (they are kept a week) gets it back from the
      // record and the files in data-dir, with their digests, for the jobs after it.
      const dir = records.pipelineDir(id);
      for (const job of record.jobs) {
        if (retry.state.jobs[job.id]?.state !== 'success' || (await this.acceptedResult(id, job.id)))
          continue;
        const artifacts = await Promise.all(
          job.artifacts.map(async (path) => ({ path, sha256: await sha256File(join(dir, path)) })),
        );
        await this.options.redis.set(
          this.resultKey(id, job.id),
          JSON.stringify({
            pipelineId: id,
            jobId: job.id,
            outcome: { state: 'success' },
            durationMs: job.durationMs ?? 0,
            artifacts,
          }),
          'EX',
          7 * DAY_SECONDS,
        );
      }
      await store.restart(id, retry.state);
    } else {
      // Labels are not checked here: a job nobody can take waits runner-wait for a runner with them.
      await store.create(
        id,
        startPipeline(plan, () => []),
      );
    }
    await records.update(id, (r) => {
      r.result = 'running';
      r.startedAt = new Date().toISOString();
      r.finishedAt = null;
    });
    this.options.onChange(records.get(id)!);
    this.options.log.info({ pipelineId: id, repo: record.source.repository }, 'pipeline running');
    if (cancelInProgress && older !== undefined && older !== id) {
      void this.cancel(older, `superseded by pipeline ${id} (concurrency.cancel-in-progress)`);
    }
    await this.dispatch(id, await store.takeReady(id));
    await this.settleIfFinished(id);
    await done;
    if (this.latest.get(key) === id) this.latest.delete(key);
  }

  /**
   * At start-up: carry on the pipelines a stopped replica left running. Jobs marked queued are
   * queued again (idempotent job ids), results accepted but not applied are applied, publish jobs
   * that were running here run again (publishing is idempotent by digest).
   */
  async resume(record: PipelineRecord): Promise<boolean> {
    const state = await this.options.store.get(record.id);
    if (!state) return false;
    this.waiting.set(record.id, () => {});
    for (const job of state.plan.jobs) {
      const status = state.jobs[job.id]!;
      if (FINISHED.includes(status.state)) continue;
      const accepted = await this.acceptedResult(record.id, job.id);
      if (accepted) await this.accept(accepted);
      else if (status.state === 'queued' || (status.state === 'running' && job.stage === 'publish'))
        await this.dispatch(record.id, [job]);
    }
    await this.dispatch(record.id, await this.options.store.takeReady(record.id));
    await this.settleIfFinished(record.id);
    return true;
  }

  /**
   * The job as the server hands it out now: its definition from the stored plan and the inputs
   * the accepted results of the jobs before it give. Undefined when the job is not queued or
   * running, or no allow rule lets this pipeline run it. A runner works from this, not from the
   * queue's payload, which anything that can write to Redis could have put there.
   */
  async jobFor(pipelineId: string, jobId: string): Promise<QueuedJob | undefined> {
    const [state, record] = await Promise.all([
      this.options.store.get(pipelineId),
      this.options.records.fetch(pipelineId),
    ]);
    const job = state?.plan.jobs.find((j) => j.id === jobId);
    const status = state?.jobs[jobId]?.state;
    if (!state || !record || !job || (status !== 'queued' && status !== 'running')) return undefined;
    if (job.stage === 'publish' || this.options.refused(record, job) !== null) return undefined;
    return this.queuedJob(record, state.plan.version, job);
  }

  /** A job as it is handed out: with the inputs the accepted results of the jobs before it give. */
  private async queuedJob(record: PipelineRecord, planVersion: number, job: Job): Promise<QueuedJob> {
    const { inputs, digests } = await this.inputs(record.id, job);
    return {
      planVersion,
      pipelineId: record.id,
      trigger: record.trigger,
      job,
      inputs,
      digests,
      attempt: record.attempt ?? 1,
    };
  }

  /** A runner started the job (it holds its lock): returns the attempt's number. */
  async started(pipelineId: string, jobId: string, runner: string): Promise<number> {
    this.clearWait(pipelineId, jobId);
    await this.options.records.fetch(pipelineId);
    await this.options.store.markRunning(pipelineId, jobId);
    let attempt = 0;
    await this.options.records.update(
      pipelineId,
      (r) => {
        const job = r.jobs.find((j) => j.id === jobId);
        if (!job) return;
        const previous = job.attempts.at(-1);
        // The runner before lost the job (it died or its lock expired): its attempt ends unfinished.
        if (previous && previous.finishedAt === null) {
          previous.finishedAt = new Date().toISOString();
          previous.outcome = 'error';
        }
        if (job.state !== 'cancelled') {
          job.state = 'running';
          job.reason = null;
        }
        job.attempts.push({
          runner,
          startedAt: new Date().toISOString(),
          finishedAt: null,
          outcome: null,
          ...(r.attempt !== undefined ? { attempt: r.attempt } : {}),
        });
        job.log = `logs/${jobId}.log`;
        attempt = job.attempts.length;
      },
      [jobId],
    );
    this.options.onChange(this.options.records.get(pipelineId)!, jobId);
    return attempt;
  }

  /** A result the runner API accepted: kept in Redis first (a restart applies it), then applied. */
  async report(result: AcceptedResult): Promise<void> {
    await this.options.redis.set(
      this.resultKey(result.pipelineId, result.jobId),
      JSON.stringify(result),
      'EX',
      7 * DAY_SECONDS,
    );
    await this.accept(result);
  }

  /** Applies a job's result to its pipeline, once; queues what it made ready; ends the pipeline when it was the last. */
  async accept(result: AcceptedResult): Promise<void> {
    const { store, records } = this.options;
    const { pipelineId, jobId } = result;
    this.clearWait(pipelineId, jobId);
    // A pipeline another replica started: its record first, so that the step's effects are acted on.
    if (!(await records.fetch(pipelineId))) return;
    const step = await store.finishJob(pipelineId, jobId, result.outcome);
    if (!step) return; // applied before, or the job was settled already
    const timedOut = this.timedOut.get(`${pipelineId}\n${jobId}`);
    await records.update(
      pipelineId,
      (r) => {
        const job = r.jobs.find((j) => j.id === jobId);
        if (!job) return;
        job.durationMs = Math.round(result.durationMs);
        job.artifacts = result.artifacts.map((a) => a.path);
        const attempt = job.attempts.at(-1);
        if (attempt && attempt.finishedAt === null) {
          attempt.finishedAt = new Date().toISOString();
          attempt.outcome = step.state.jobs[jobId]!.state;
        }
      },
      [jobId],
    );
    this.sync(pipelineId, step.state, jobId, timedOut);
    if (result.outcome.state === 'success') void this.recordSigner(pipelineId, step.state.plan, jobId);
    if (step.effects.cancelled) await this.stopRunning(pipelineId, step.state, step.effects.cancelled);
    await this.dispatch(pipelineId, step.effects.ready);
    if (isFinished(step.state)) await this.finish(pipelineId, step.state);
  }

  /** Cancels a pipeline: queued jobs never start, running ones are stopped and report cancelled. */
  async cancel(pipelineId: string, reason: string): Promise<void> {
    const state = await this.options.store.cancel(pipelineId, reason);
    if (!state) return;
    this.options.log.info({ pipelineId, reason }, 'pipeline cancelled');
    this.sync(pipelineId, state);
    await this.stopRunning(pipelineId, state, reason);
    await this.settleIfFinished(pipelineId);
  }

  /** Stops waiting; publish jobs running here are aborted (another replica's restart runs them again). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.waitTimers.values()) clearTimeout(timer);
    for (const controller of this.publishing.values()) controller.abort(new Error('the server is stopping'));
    for (const resolve of this.waiting.values()) resolve();
  }

  /** The pipeline attempt the record is in (2 after one /albs retry-failed). */
  private attemptOf(pipelineId: string): number {
    return this.options.records.get(pipelineId)?.attempt ?? 1;
  }

  private async fromQueue(result: JobResult): Promise<void> {
    try {
      // A late word about a job of an earlier attempt of the pipeline changes nothing now.
      await this.options.records.fetch(result.pipelineId);
      if ((result.attempt ?? 1) !== this.attemptOf(result.pipelineId)) return;
      // The result came over HTTP to this replica and is applied already: nothing to do.
      const known = this.options.records.get(result.pipelineId)?.jobs.find((j) => j.id === result.jobId);
      if (known && FINISHED.includes(known.state as JobState)) return;
      // A runner's word in Redis is not taken for a success: only a result accepted over HTTP is.
      const accepted = await this.acceptedResult(result.pipelineId, result.jobId);
      if (accepted) return await this.accept(accepted);
      const outcome: Outcome =
        result.outcome.state === 'success' || result.outcome.state === 'excluded'
          ? {
              state: 'failure',
              reason: 'the runner ended the job without reporting its result to the server',
            }
          : result.outcome;
      await this.accept({ ...result, outcome, artifacts: [] });
    } catch (error) {
      this.options.log.warn(
        { err: error, pipelineId: result.pipelineId, jobId: result.jobId },
        'result not applied',
      );
    }
  }

  private async acceptedResult(pipelineId: string, jobId: string): Promise<AcceptedResult | undefined> {
    const text = await this.options.redis.get(this.resultKey(pipelineId, jobId));
    return text === null ? undefined : (JSON.parse(text) as AcceptedResult);
  }

  /** Hands ready jobs out: sign and build jobs to their queues, publish jobs to this server. */
  private async dispatch(pipelineId: string, jobs: Job[]): Promise<void> {
    if (jobs.length === 0) return;
    const record = await this.options.records.fetch(pipelineId);
    if (!record) return;
    const state = await this.options.store.get(pipelineId);
    if (state) this.sync(pipelineId, state);
    for (const job of jobs) {
      const problem = this.options.refused(record, job);
      if (problem !== null) {
        await this.accept({
          pipelineId,
          jobId: job.id,
          outcome: { state: 'failure', reason: problem },
          durationMs: 0,
          artifacts: [],
        });
        continue;
      }
      const item = await this.queuedJob(record, state?.plan.version ?? 0, job);
      if (job.stage === 'publish') {
        void this.publishHere(record, item);
        continue;
      }
      await this.options.queue.enqueue(item);
      await this.watchForRunner(pipelineId, job);
    }
  }

  private async publishHere(record: PipelineRecord, item: QueuedJob): Promise<void> {
    const { pipelineId } = item;
    const jobId = item.job.id;
    const controller = new AbortController();
    this.publishing.set(`${pipelineId}\n${jobId}`, controller);
    try {
      await this.started(pipelineId, jobId, 'server');
      const dir = this.options.records.pipelineDir(pipelineId);
      const inputs: Record<string, string[]> = {};
      for (const [id, paths] of Object.entries(item.inputs)) inputs[id] = paths.map((p) => join(dir, p));
      const result = await this.options.publish(record, { ...item, inputs }, controller.signal);
      if (this.stopped) return;
      await this.report({
        pipelineId,
        jobId,
        outcome: result.outcome,
        durationMs: result.durationMs,
        artifacts: [],
      });
    } catch (error) {
      this.options.log.warn({ err: error, pipelineId, jobId }, 'publish job failed to run');
      if (!this.stopped)
        await this.report({
          pipelineId,
          jobId,
          outcome: {
            state: 'failure',
            reason: `publishing failed: ${error instanceof Error ? error.message : String(error)}`,
          },
          durationMs: 0,
          artifacts: [],
        });
    } finally {
      this.publishing.delete(`${pipelineId}\n${jobId}`);
    }
  }

  /** The artifacts a job gets from the jobs before it, by the results accepted for them. */
  private async inputs(
    pipelineId: string,
    job: Job,
  ): Promise<{ inputs: Record<string, string[]>; digests: Record<string, string> }> {
    const results: Record<string, JobResult> = {};
    const digests: Record<string, string> = {};
    for (const need of inputSources(job)) {
      const accepted = await this.acceptedResult(pipelineId, need);
      if (!accepted) continue;
      results[need] = { ...accepted, artifacts: accepted.artifacts.map((a) => a.path) };
      for (const a of accepted.artifacts) digests[a.path] = a.sha256;
    }
    const inputs = inputsOf(job, results);
    const used = new Set(Object.values(inputs).flat());
    for (const path of Object.keys(digests)) if (!used.has(path)) delete digests[path];
    return { inputs, digests };
  }

  /**
   * A job no connected runner can take waits: its status says for what, and after runner-wait it
   * ends in error. A job taken meanwhile (started()) clears the wait.
   */
  private async watchForRunner(pipelineId: string, job: Job): Promise<void> {
    const role = job.stage === 'sign' ? 'signer' : 'runner';
    if (await this.options.runners.covers(role, job.runsOn)) return;
    const what =
      role === 'signer'
        ? 'a signer (albs signer)'
        : job.runsOn.length > 0
          ? `a runner with labels [${job.runsOn.join(', ')}]`
          : 'a runner (albs runner)';
    await this.options.records.update(
      pipelineId,
      (r) => {
        const record = r.jobs.find((j) => j.id === job.id);
        if (record && record.state === 'queued') record.reason = `waiting for ${what}`;
      },
      [job.id],
    );
    this.options.onChange(this.options.records.get(pipelineId)!, job.id);
    const key = `${pipelineId}\n${job.id}`;
    const timer = setTimeout(() => {
      this.waitTimers.delete(key);
      const reason = `no ${what.replace(/^a /, '')} took the job within runner-wait (${Math.round(this.options.runnerWaitMs / 1000)} s)`;
      this.timedOut.set(key, reason);
      void this.options.queue.cancel(pipelineId, job.id, reason, this.attemptOf(pipelineId));
    }, this.options.runnerWaitMs);
    timer.unref();
    this.waitTimers.set(key, timer);
  }

  private clearWait(pipelineId: string, jobId: string): void {
    const key = `${pipelineId}\n${jobId}`;
    const timer = this.waitTimers.get(key);
    if (timer) clearTimeout(timer);
    this.waitTimers.delete(key);
  }

  private async stopRunning(pipelineId: string, state: PipelineState, reason: string): Promise<void> {
    for (const [jobId, status] of Object.entries(state.jobs)) {
      if (status.state !== 'queued' && status.state !== 'running') continue;
      const local = this.publishing.get(`${pipelineId}\n${jobId}`);
      if (local) local.abort(new Error(reason));
      else await this.options.queue.cancel(pipelineId, jobId, reason, this.attemptOf(pipelineId));
    }
  }

  /** Copies the stored states of the jobs into the record and tells onChange of each change. */
  private sync(pipelineId: string, state: PipelineState, first?: string, errorReason?: string): void {
    const record = this.options.records.get(pipelineId);
    if (!record) return;
    // What changes, worked out first: the record is then written for those jobs only.
    const changes = new Map<string, { state: JobRecord['state']; reason: string | null }>();
    for (const job of record.jobs) {
      const status = state.jobs[job.id];
      if (!status) continue;
      const timedOut = job.id === first && errorReason !== undefined && status.state === 'cancelled';
      const next = timedOut ? 'error' : status.state;
      // A queued job's reason says what it waits for; the stored state has none.
      const reason =
        next === 'queued' && job.state === 'queued' ? job.reason : timedOut ? errorReason! : status.reason;
      if (job.state === next && job.reason === reason) continue;
      // The record is ahead of the store for a job a runner has started.
      if (job.state === 'running' && next === 'queued') continue;
      changes.set(job.id, { state: next, reason });
    }
    const changed = [...changes.keys()];
    if (changed.length > 0) {
      void this.options.records.update(
        pipelineId,
        (r) => {
          for (const job of r.jobs) Object.assign(job, changes.get(job.id) ?? {});
        },
        changed,
      );
    }
    const updated = this.options.records.get(pipelineId)!;
    if (first !== undefined && !changed.includes(first)) changed.unshift(first);
    for (const id of changed) this.options.onChange(updated, id);
  }

  private async settleIfFinished(pipelineId: string): Promise<void> {
    const state = await this.options.store.get(pipelineId);
    if (state && isFinished(state)) await this.finish(pipelineId, state);
  }

  /** Writes the record's end; the caller is the one whose transaction finished the pipeline. */
  private async finish(pipelineId: string, state: PipelineState): Promise<void> {
    const { records } = this.options;
    const record = records.get(pipelineId);
    if (!record || record.finishedAt !== null) {
      this.waiting.get(pipelineId)?.();
      this.waiting.delete(pipelineId);
      return;
    }
    const dir = records.pipelineDir(pipelineId);
    const results: Record<string, JobResult> = {};
    for (const job of record.jobs) {
      results[job.id] = {
        pipelineId,
        jobId: job.id,
        outcome: { state: 'success' },
        artifacts: job.artifacts.map((a) => join(dir, a)),
        durationMs: job.durationMs ?? 0,
      };
    }
    const errors = new Map(record.jobs.filter((j) => j.state === 'error').map((j) => [j.id, j.reason]));
    await records.update(pipelineId, (r) => {
      finishRecord(r, state.plan, state, results, dir, this.options.repoUrl);
      for (const job of r.jobs) {
        if (!errors.has(job.id)) continue;
        job.state = 'error';
        job.reason = errors.get(job.id) ?? null;
      }
      if (errors.size > 0 && r.result !== 'failure') {
        r.result = 'error';
        r.reason = [...errors.values()][0] ?? null;
      }
    });
    this.options.onChange(records.get(pipelineId)!);
    this.options.log.info({ pipelineId, result: records.get(pipelineId)!.result }, 'pipeline finished');
    this.waiting.get(pipelineId)?.();
    this.waiting.delete(pipelineId);
  }

  private async recordSigner(pipelineId: string, plan: Plan, jobId: string): Promise<void> {
    const job = plan.jobs.find((j) => j.id === jobId);
    if (job?.stage !== 'sign' || !this.options.signedBy) return;
    const signer = await this.options.signedBy(job.key).catch(() => undefined);
    if (!signer) return;
    await this.options.records.update(
      pipelineId,
      (r) => {
        const record = r.jobs.find((j) => j.id === jobId);
        if (record) record.signedBy = signer;
      },
      [jobId],
    );
  }
}
