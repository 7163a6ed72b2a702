/**
 * The worker processes bench/dispatch.ts forks, configured by the first IPC message:
 *
 * - `runner`: `albs runner` as src/cli/farm-commands.ts composes it (BullmqJobQueue.process,
 *   farmHandler, runWorker with its heartbeats and SIGTERM drain), except that the build step does
 *   nothing and there is no sandbox: the job still takes the whole path (claim, start, source
 *   tarball, log batch, result over the runner API).
 * - `bare`: a bare BullMQ Worker with a no-op processor, what one would write without albs.
 *
 * Both answer { ready: true } once they are set up, and "report" with when each job's work began
 * (wall clock, ms), by job: the no-op step's call on a runner, the processor's call on the bare side;
 * a runner also says when farmHandler was called and when each of its runner-API calls was sent and
 * answered. "stop" stops them (a runner through SIGTERM, as
 * systemd stops it: runWorker's drain) and they exit.
 */
import { basename, dirname } from 'node:path';
import { Worker } from 'bullmq';
import { pino } from 'pino';
import { detectHost } from '../runner/host-facts.js';
import type { Step } from '../runner/types.js';
import { farmHandler, runWorker } from '../src/cli/farm-worker.js';
import { RunnerClient } from '../src/cli/runner-client.js';
import { BullmqJobQueue } from '../src/queue/bullmq/bullmq-job-queue.js';
import { redisOptions } from '../src/queue/bullmq/redis-options.js';
import type { JobHandler, QueuedJob } from '../src/queue/job-queue.js';

export type WorkerStart =
  | {
      role: 'runner';
      name: string;
      server: string;
      token: string;
      redis: string;
      concurrency: number;
      workDir: string;
    }
  | { role: 'bare'; redis: string; prefix: string; queue: string; concurrency: number };

/** Per job (`<pipelineId> <jobId>` on a runner, the BullMQ job id on the bare side): when its work began. */
const began: Record<string, number> = {};
/** On a runner: when farmHandler was called, before it reports the start and fetches the source. */
const entered: Record<string, number> = {};
/** On a runner: each runner-API call a job made, by job: [call, sent, answered]. */
const calls: Record<string, [string, number, number][]> = {};

process.once('message', (start: WorkerStart) => {
  const run = start.role === 'runner' ? runner(start) : bare(start);
  run.catch((error: unknown) => {
    process.stderr.write(`dispatch worker: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
});

async function runner(start: Extract<WorkerStart, { role: 'runner' }>): Promise<void> {
  const log = pino({ base: { service: 'albs-runner', runner: start.name } });
  const host = await detectHost();
  const client = new RunnerClient(start.server, start.token);
  // Each job's calls to the server, timed: where a job's time goes between claim and result.
  for (const name of ['start', 'log', 'result'] as const) {
    const call = client[name].bind(client) as (
      pipelineId: string,
      jobId: string,
      ...rest: unknown[]
    ) => Promise<unknown>;
    (client as unknown as Record<string, unknown>)[name] = async (
      pipelineId: string,
      jobId: string,
      ...rest: unknown[]
    ) => {
      const sent = Date.now();
      const answer = await call(pipelineId, jobId, ...rest);
      const key = `${pipelineId} ${jobId}`;
      calls[key] = [...(calls[key] ?? []), [name, sent, Date.now()]];
      return answer;
    };
  }
  const queue = await BullmqJobQueue.create({ connection: await redisOptions(start.redis) });
  // The job's workspace is <workDir>/pipelines/<pipelineId>/work/<jobId>: the step knows its pipeline by it.
  const build: Step = async (ctx) => {
    began[`${basename(dirname(dirname(ctx.workspace)))} ${ctx.job.id}`] = Date.now();
    return { state: 'success' };
  };
  // "stop" is SIGTERM, as systemd stops a runner: runWorker drains and resolves.
  listen(async () => {
    process.kill(process.pid, 'SIGTERM');
  });
  process.send!({ ready: true });
  // Not an object literal in the call: this builds where runWorker does not take `name` yet too.
  const options = {
    name: start.name,
    client,
    queue,
    labels: host.labels,
    log,
    what: 'albs runner',
    start: (handler: JobHandler) => queue.process(host.labels, start.concurrency, handler),
    make: (hardStop: AbortSignal, running: Map<string, QueuedJob>): JobHandler => {
      const handler = farmHandler(
        { client, workDir: start.workDir, host, steps: { build }, sandbox: null, labels: host.labels, log },
        hardStop,
        running,
      );
      return (item, signal, lease) => {
        entered[`${item.pipelineId} ${item.job.id}`] = Date.now();
        return handler(item, signal, lease);
      };
    },
  };
  const code = await runWorker(options);
  process.exit(code);
}

async function bare(start: Extract<WorkerStart, { role: 'bare' }>): Promise<void> {
  const worker = new Worker(
    start.queue,
    async (job) => {
      began[job.id!] = Date.now();
    },
    {
      connection: { url: start.redis, maxRetriesPerRequest: null },
      prefix: start.prefix,
      concurrency: start.concurrency,
      autorun: false,
    },
  );
  worker.on('error', (error) => process.stderr.write(`bare worker: ${error.message}\n`));
  void worker.run();
  await worker.waitUntilReady();
  listen(async () => {
    await worker.close();
    process.exit(0);
  });
  process.send!({ ready: true });
}

function listen(stop: () => Promise<void>): void {
  process.on('message', (command: string) => {
    if (command === 'report') process.send!({ began, entered, calls });
    else if (command === 'stop') void stop();
  });
}
