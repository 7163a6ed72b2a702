/**
 * What `albs runner` and `albs signer` share: take jobs from BullMQ, run them with the same job
 * runner as `albs run`, and report everything over the server's runner API (start, log batches,
 * artifacts with their sha256, the result), heartbeating while they live. A first SIGTERM or
 * SIGINT stops taking jobs and lets the running ones finish; a second cancels them.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import type { Logger } from 'pino';
import { type JobSandboxSetup, jobDirs, jobRunner } from '../../runner/job-runner.js';
import type { HostFacts, Step } from '../../runner/types.js';
import type { Stage } from '../plan/types.js';
import { sha256File } from '../publish/repo-dirs.js';
import type { BullmqJobQueue } from '../queue/bullmq/bullmq-job-queue.js';
import type { JobHandler, JobLease, JobResult, Processor, QueuedJob } from '../queue/job-queue.js';
import { ARTIFACT_NAME } from '../server/runner-api.js';
import { HEARTBEAT_MS } from '../server/runner-registry.js';
import { CliError, EXIT } from './exit-codes.js';
import { LostJobError, type RunnerClient } from './runner-client.js';

const PIPELINE_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const INPUT_PATH = /^artifacts\/([a-z0-9][a-z0-9._-]*)\/([^/]+)$/;

export interface FarmWorkerSetup {
  client: RunnerClient;
  workDir: string;
  host: HostFacts;
  steps: Partial<Record<Stage, Step>>;
  sandbox: JobSandboxSetup | null;
  labels: string[];
  log: Logger;
  /** Checks a finished job's artifacts before they are uploaded (the signer verifies its signatures). */
  check?: (item: QueuedJob, artifacts: string[]) => Promise<string | null>;
}

/** A job's handler on a runner or signer host. `hardStop` is the second signal: running jobs are cancelled. */
export function farmHandler(
  setup: FarmWorkerSetup,
  hardStop: AbortSignal,
  running: Map<string, QueuedJob>,
): JobHandler {
  const sources = new Map<string, Promise<string>>();
  const refuse: Step = async (ctx) => ({
    state: 'failure',
    reason: `this host does not run ${ctx.job.stage} jobs`,
  });
  const steps: Record<Stage, Step> = {
    build: setup.steps.build ?? refuse,
    test: setup.steps.test ?? refuse,
    sign: setup.steps.sign ?? refuse,
    publish: refuse,
  };
  const source = (pipelineId: string, dir: string): Promise<string> => {
    let done = sources.get(pipelineId);
    if (!done) {
      done = (async () => {
        if (!existsSync(dir)) await setup.client.source(pipelineId, dir);
        return dir;
      })();
      done.catch(() => sources.delete(pipelineId));
      sources.set(pipelineId, done);
    }
    return done;
  };

  let pruned = 0;
  /** A pipeline's files on this host (its source, inputs, failed workspaces) go once untouched for a day. */
  const prune = async (keep: string) => {
    if (Date.now() - pruned < 10 * 60 * 1000) return;
    pruned = Date.now();
    const root = join(setup.workDir, 'pipelines');
    for (const name of await readdir(root).catch(() => [] as string[])) {
      if (name === keep || [...running.values()].some((item) => item.pipelineId === name)) continue;
      const info = await stat(join(root, name)).catch(() => undefined);
      if (info && Date.now() - info.mtimeMs > 24 * 60 * 60 * 1000) {
        sources.delete(name);
        await rm(join(root, name), { recursive: true, force: true });
      }
    }
  };

  return async (item: QueuedJob, queueSignal: AbortSignal, lease?: JobLease): Promise<JobResult> => {
    const { pipelineId } = item;
    const jobId = item.job.id;
    const fail = (reason: string): JobResult => ({
      pipelineId,
      jobId,
      outcome: { state: 'failure', reason },
      artifacts: [],
      durationMs: 0,
    });
    if (!lease) return fail('the queue gave no lock token for the job');
    if (!PIPELINE_ID.test(pipelineId)) return fail(`pipeline id ${pipelineId} is not one the server makes`);
    const key = `${pipelineId}\n${jobId}`;
    running.set(key, item);
    await prune(pipelineId).catch((error: unknown) =>
      setup.log.warn({ err: error }, 'pruning old pipelines'),
    );
    const signal = AbortSignal.any([queueSignal, hardStop]);
    const { client } = setup;
    const lock = { token: lease.token, queue: lease.queue };
    try {
      // The server's word on what the job is, not the queue's payload (anything that can write to
      // Redis could have put that there).
      const started = await client.start(pipelineId, jobId, lock);
      const { attempt } = started;
      const job = started.job;
      if (job?.pipelineId !== pipelineId || job.job?.id !== jobId)
        throw new LostJobError(`the server described another job than ${jobId}`);
      setup.log.info({ pipelineId, jobId, attempt }, 'job started');
      const dir = join(setup.workDir, 'pipelines', pipelineId);
      const dirs = { ...jobDirs(dir), cache: join(setup.workDir, 'cache') };
      const stream = new LogStream((offset, data) =>
        client.log(pipelineId, jobId, lock, attempt, offset, data),
      );
      let prepared: { repoDir: string; inputs: Record<string, string[]> };
      try {
        prepared = await prepare(setup, job, dir, source);
      } catch (error) {
        const reason = `could not fetch what the job needs from the server: ${error instanceof Error ? error.message : String(error)}`;
        stream.push(`${reason}\n`);
        await stream.close();
        await client.result(pipelineId, jobId, lock, {
          outcome: { state: 'failure', reason },
          durationMs: 0,
          artifacts: [],
        });
        return fail(reason);
      }
      const run = jobRunner({
        dirs,
        repoDir: prepared.repoDir,
        host: setup.host,
        steps,
        sandbox: setup.sandbox,
        onLogLine: (_id, line) => stream.push(`${line}\n`),
        // Lookaside files come through the server too: a build host needs no access to the lookaside.
        lookaside: (entry, blob) => client.lookaside(pipelineId, jobId, lock, entry, blob),
      });
      const result = await run({ ...job, inputs: prepared.inputs }, signal);
      if (hardStop.aborted && result.outcome.state === 'cancelled')
        result.outcome = { state: 'cancelled', reason: `the runner was stopped: ${String(hardStop.reason)}` };
      if (result.outcome.state === 'success' && setup.check) {
        const problem = await setup.check(job, result.artifacts);
        if (problem !== null) result.outcome = { state: 'failure', reason: problem };
      }
      // Artifacts go up after a failure too: what a failed build made is kept for inspection.
      const artifacts: { name: string; sha256: string }[] = [];
      const own = join(dirs.artifacts, jobId);
      for (const file of result.artifacts) {
        const name = relative(own, file);
        if (!ARTIFACT_NAME.test(name)) {
          stream.push(`not uploaded: ${basename(file)} (not a package file name)\n`);
          continue;
        }
        const sha256 = await sha256File(file);
        await client.upload(pipelineId, jobId, lock, name, file, sha256);
        artifacts.push({ name, sha256 });
      }
      await stream.close();
      await client.result(pipelineId, jobId, lock, {
        outcome: result.outcome,
        durationMs: result.durationMs,
        artifacts,
      });
      setup.log.info({ pipelineId, jobId, outcome: result.outcome.state }, 'job finished');
      // The server has the job's files now; the inputs of later jobs come from there too.
      await rm(own, { recursive: true, force: true });
      await rm(join(dir, 'inputs', jobId), { recursive: true, force: true });
      return { ...result, artifacts: artifacts.map((a) => `artifacts/${jobId}/${a.name}`) };
    } catch (error) {
      if (error instanceof LostJobError) setup.log.warn({ pipelineId, jobId, err: error }, 'job lost');
      throw error;
    } finally {
      running.delete(key);
    }
  };
}

/** The job's source tree (build and test jobs) and its inputs, downloaded and checked. */
async function prepare(
  setup: FarmWorkerSetup,
  item: QueuedJob,
  dir: string,
  source: (pipelineId: string, dir: string) => Promise<string>,
): Promise<{ repoDir: string; inputs: Record<string, string[]> }> {
  const needsSource = item.job.stage === 'build' || item.job.stage === 'test';
  const repoDir = join(dir, 'src');
  if (needsSource) await source(item.pipelineId, repoDir);
  else await mkdir(join(dir, 'empty'), { recursive: true });
  const inputs: Record<string, string[]> = {};
  for (const [from, paths] of Object.entries(item.inputs)) {
    inputs[from] = [];
    for (const path of paths) {
      const match = INPUT_PATH.exec(path);
      const sha256 = item.digests?.[path];
      if (!match || !ARTIFACT_NAME.test(match[2]!) || sha256 === undefined)
        throw new Error(`input ${path} is not an artifact path the server gives`);
      const dest = join(dir, 'inputs', item.job.id, match[1]!, match[2]!);
      await setup.client.download(item.pipelineId, path, dest, sha256);
      inputs[from].push(dest);
    }
  }
  return { repoDir: needsSource ? repoDir : join(dir, 'empty'), inputs };
}

/**
 * A job's log on its way to the server: lines gathered into batches (every 250 ms, or 64 KiB),
 * sent one at a time in order, each at the byte offset it starts at, so the server appends each
 * once however often it is sent.
 */
export class LogStream {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private offset = 0;
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();

  constructor(private readonly send: (offset: number, data: Buffer) => Promise<number>) {}

  push(text: string): void {
    const chunk = Buffer.from(text);
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= 64 * 1024) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), 250);
  }

  async close(): Promise<void> {
    this.flush();
    await this.sending;
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pendingBytes === 0) return;
    const data = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    this.sending = this.sending.then(async () => {
      try {
        const size = await this.send(this.offset, data);
        this.offset = Math.max(this.offset + data.length, size);
      } catch {
        // The log is kept on the runner too (OUT/logs); a batch the server never took is not retried forever.
        this.offset += data.length;
      }
    });
  }
}

/**
 * Runs a worker until stopped: heartbeats every 10 s with its labels and running jobs, and on the
 * first stop signal stops taking jobs (running ones finish), on the second cancels them.
 * Resolves with the process's exit code.
 */
export async function runWorker(options: {
  name: string;
  client: RunnerClient;
  queue: BullmqJobQueue;
  labels: string[];
  log: Logger;
  what: string;
  start: (handler: JobHandler) => Processor;
  make: (hardStop: AbortSignal, running: Map<string, QueuedJob>) => JobHandler;
}): Promise<number> {
  const { client, queue, log } = options;
  const hard = new AbortController();
  const running = new Map<string, QueuedJob>();
  const beat = async () => {
    const jobs = [...running.values()].map((item) => ({ pipeline: item.pipelineId, job: item.job.id }));
    await client
      .heartbeat({ name: options.name, labels: options.labels, running: jobs })
      .catch((error: unknown) => {
        log.warn({ err: error }, 'heartbeat not taken');
      });
  };
  // The first heartbeat says whether the server takes this host at all (its token, its name).
  await client
    .heartbeat({ name: options.name, labels: options.labels, running: [] })
    .catch(async (error: unknown) => {
      await queue.close();
      throw new CliError(
        `${options.what} cannot join the farm: ${error instanceof Error ? error.message : String(error)}`,
        EXIT.usage,
      );
    });
  const timer = setInterval(() => void beat(), HEARTBEAT_MS);
  const processor = options.start(options.make(hard.signal, running));
  log.info({ labels: options.labels }, `${options.what} is up`);
  let signals = 0;
  const stopped = new Promise<void>((resolve) => {
    const onSignal = (name: NodeJS.Signals) => {
      signals++;
      if (signals === 1) {
        log.info(
          { signal: name, running: running.size },
          'stopping: no new jobs; the running ones finish (signal again to cancel them)',
        );
        void client
          .heartbeat({ name: options.name, labels: options.labels, running: [], leaving: true })
          .catch(() => {});
        void processor.stop().then(resolve);
      } else {
        log.warn({ signal: name }, 'cancelling the running jobs');
        hard.abort(`${name} while stopping`);
      }
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  await stopped;
  clearInterval(timer);
  await client
    .heartbeat({ name: options.name, labels: options.labels, running: [], leaving: true })
    .catch(() => {});
  await queue.close();
  return 0;
}
