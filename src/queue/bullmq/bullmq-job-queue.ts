import { randomUUID } from 'node:crypto';
import { type ConnectionOptions, Queue, QueueEvents, Worker } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import type { JobHandler, JobQueue, JobResult, Processor, QueuedJob } from '../job-queue.js';
import {
  BullmqProcessor,
  type ProcessorHost,
  type RequestHandler,
  type RunningJob,
} from './bullmq-processor.js';
import {
  ANY_BUILD_QUEUE,
  buildQueueLabels,
  bullmqJobId,
  bullmqQueueOf,
  CANCEL_CHANNEL,
  CANCELLED_KEY_PREFIX,
  parseBullmqJobId,
  QUEUE_ADDED_CHANNEL,
  queueNameFor,
  REGISTRY_KEY,
  SIGN_QUEUE,
} from './queue-names.js';

export interface BullmqJobQueueOptions {
  /** A redis:// URL or ioredis options. Every Worker and event reader opens its own connection from it. */
  connection: RedisOptions | string;
  /** The first part of every key and channel (BullMQ's `prefix`). Default `bull`. */
  prefix?: string;
  /**
   * How long a finished or cancelled job is kept, in seconds: enqueue is idempotent for this long
   * after the job ended. Default 7 days.
   */
  retentionSeconds?: number;
  /** A running job's lock; renewed at half. Default 30 000 ms. */
  lockDurationMs?: number;
  /** How often a processor looks for jobs whose runner stopped renewing their lock. Default 30 000 ms. */
  stalledIntervalMs?: number;
  /**
   * How often the registry is read for new queues, and a processor looks for jobs and cancel
   * marks of its running jobs besides the notifications it gets. Default 1000 ms.
   */
  pollIntervalMs?: number;
  /** How long close() waits for aborted handlers before it leaves their jobs to stall. Default 10 000 ms. */
  closeTimeoutMs?: number;
  /** Errors no call can return (a lost connection, a failed lock renewal). Default: written to stderr. */
  onError?: (error: Error) => void;
}

/** Jobs a processor consumes: not `process`'s labels but a queue by name. */
export type QueueFilter = (name: string) => boolean;

/** States, and a removed job's previous state, after which a job has had its result (or never had a job). */
const ENDED = new Set(['completed', 'failed', 'unknown']);

/**
 * The JobQueue of a farm on one Redis: `albs serve` replicas enqueue, `albs runner` hosts process
 * build queues, `albs signer` the sign queue. Queue names: see queue-names.ts.
 *
 * - Enqueue adds a BullMQ job with id `<pipelineId>:<jobId>:1`; BullMQ ignores an id it has, so a
 *   job is queued once while it is kept (retentionSeconds after it ended). A job cancelled before
 *   it ran leaves a mark that keeps it from being queued again.
 * - Starts and results are read from the queues' BullMQ event streams, which BullMQ's scripts
 *   write in the same step as the state change ('active', 'completed', 'failed', 'removed'): every
 *   BullmqJobQueue instance reads every registered queue's stream once, so each listener on any
 *   host sees each start and result once. Listeners see what happens after create() resolved.
 * - A processor runs jobs by hand (Worker.getNextJob without blocking) so one count caps its
 *   jobs across all the queues its labels reach; it fetches when a queue's stream says a job is
 *   waiting, and every pollIntervalMs.
 * - Cancel: a waiting job is removed (its 'removed' event becomes the `cancelled` result, with the
 *   reason kept under `albs:cancelled:<id>`); a running one gets that mark and a message on
 *   `albs:cancel`, which every instance subscribes to; a processor also checks the marks of its
 *   running jobs every pollIntervalMs, so the abort arrives within about that even without the
 *   message.
 * - Unlike the memory queue, close() drops nothing: waiting jobs stay for other runners, and the
 *   jobs this instance was running go back to their queue (their handlers are aborted first).
 * - A runner that dies leaves its jobs active until their lock expires; another processor's
 *   stalled check then puts them back (BullMQ's maxStalledCount 1; a second stall fails the job).
 *   Such a job starts twice; it still has one result.
 */
export class BullmqJobQueue implements JobQueue {
  /** A queue whose connections are up and whose registry has been read. */
  static async create(options: BullmqJobQueueOptions): Promise<BullmqJobQueue> {
    const queue = new BullmqJobQueue(options);
    try {
      await queue.ready;
    } catch (error) {
      await queue.close();
      throw error;
    }
    return queue;
  }

  private readonly prefix: string;
  private readonly connection: RedisOptions | string;
  private readonly retentionSeconds: number;
  private readonly lockDurationMs: number;
  private readonly stalledIntervalMs: number;
  private readonly pollIntervalMs: number;
  private readonly closeTimeoutMs: number;
  private readonly onError: (error: Error) => void;
  private readonly redis: Redis;
  private readonly subscriber: Redis;
  private readonly ready: Promise<void>;
  private readonly queues = new Map<string, Queue>();
  /** Queue names known to be in the registry. */
  private readonly registered = new Set<string>();
  /** Queues whose event streams this instance reads. */
  private readonly watched = new Map<string, QueueEvents>();
  private readonly processors = new Set<BullmqProcessor>();
  private readonly running = new Map<string, RunningJob>();
  private readonly startListeners = new Set<(pipelineId: string, jobId: string) => void>();
  private readonly resultListeners = new Set<(result: JobResult) => void>();
  private readonly host: ProcessorHost;
  /** Workers that only look for stalled jobs (checkStalledEverywhere), by queue. */
  private readonly stalledWorkers = new Map<string, Worker>();
  private checkingStalled = false;
  /** Requests waiting for their answer, by BullMQ job id. */
  private readonly requests = new Map<
    string,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private registryTimer: NodeJS.Timeout | undefined;
  private started = false;
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(options: BullmqJobQueueOptions) {
    this.prefix = options.prefix ?? 'bull';
    if (this.prefix === '') throw new Error('BullmqJobQueue: prefix is empty; leave it out for `bull`');
    this.connection = options.connection;
    this.retentionSeconds = positive('retentionSeconds', options.retentionSeconds, 7 * 86_400);
    this.lockDurationMs = positive('lockDurationMs', options.lockDurationMs, 30_000);
    this.stalledIntervalMs = positive('stalledIntervalMs', options.stalledIntervalMs, 30_000);
    this.pollIntervalMs = positive('pollIntervalMs', options.pollIntervalMs, 1000);
    this.closeTimeoutMs = positive('closeTimeoutMs', options.closeTimeoutMs, 10_000);
    this.onError =
      options.onError ?? ((error) => process.stderr.write(`albs: BullmqJobQueue: ${error.message}\n`));
    const redisOptions = { maxRetriesPerRequest: null };
    this.redis =
      typeof this.connection === 'string'
        ? new Redis(this.connection, redisOptions)
        : new Redis({ ...this.connection, ...redisOptions });
    this.subscriber = this.redis.duplicate();
    // Until create() resolves, a connection error is its rejection, not a report.
    for (const client of [this.redis, this.subscriber])
      client.on('error', (error) => {
        if (this.started) this.report(error);
      });
    this.host = {
      createWorker: (name) => this.createWorker(name),
      cancelReasons: async (ids) =>
        ids.length === 0 ? [] : this.redis.mget(ids.map((id) => this.key(CANCELLED_KEY_PREFIX + id))),
      track: (job) => this.running.set(job.id, job),
      untrack: (id) => this.running.delete(id),
      report: (error) => this.report(error),
      lockDurationMs: this.lockDurationMs,
      pollIntervalMs: this.pollIntervalMs,
    };
    this.ready = this.init();
    this.ready.catch(() => {});
  }

  async enqueue(item: QueuedJob): Promise<void> {
    await this.ready;
    if (this.closed) return;
    const name = queueNameFor(item.job);
    const id = bullmqJobId(item.pipelineId, item.job.id, item.attempt ?? 1);
    // Cancelled while queued (the job is gone, its mark is not), or queued under other labels.
    const pipeline = this.redis.pipeline().exists(this.key(CANCELLED_KEY_PREFIX + id));
    for (const other of this.registered) if (other !== name) pipeline.exists(this.key(`${other}:${id}`));
    if ((await pipeline.exec())?.some(([, found]) => found === 1)) return;
    await this.register(name);
    await this.queue(name).add(item.job.stage, item, {
      jobId: id,
      removeOnComplete: { age: this.retentionSeconds },
      removeOnFail: { age: this.retentionSeconds },
    });
    for (const processor of this.processors) processor.wake(name);
  }

  /** Build, test and publish jobs whose runs-on is a subset of `labels`; never sign jobs (see processSign). */
  process(labels: readonly string[], concurrency: number, handler: JobHandler): Processor {
    const own = [...labels];
    return this.startProcessor(
      (name) => buildQueueLabels(name)?.every((label) => own.includes(label)) ?? false,
      ANY_BUILD_QUEUE,
      concurrency,
      handler,
    );
  }

  /**
   * Sign jobs, from `albs:sign`: for the signer, the one process that holds the keys. `requests`
   * answers the other jobs of that queue by name (`sign-metadata`, see request()).
   */
  processSign(
    concurrency: number,
    handler: JobHandler,
    requests: Record<string, RequestHandler> = {},
  ): Processor {
    return this.startProcessor((name) => name === SIGN_QUEUE, SIGN_QUEUE, concurrency, handler, requests);
  }

  /**
   * Ask whoever processes queue `queue` to answer a request job `name` (no pipeline job: the server
   * asking the signer to sign repository metadata). Resolves with the answer; rejects with the
   * processor's error, or after `timeoutMs` (the job is then withdrawn if nobody took it).
   */
  async request(queue: string, name: string, data: unknown, timeoutMs: number): Promise<unknown> {
    await this.ready;
    if (this.closed) throw new Error('BullmqJobQueue is closed');
    await this.register(queue);
    const id = `request-${randomUUID()}`;
    const reply = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.requests.delete(id);
        void this.queue(queue)
          .remove(id)
          .catch(() => {});
        reject(new Error(`no answer to ${name} from ${queue} within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      this.requests.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
    await this.queue(queue).add(name, data, {
      jobId: id,
      removeOnComplete: { age: 3600 },
      removeOnFail: { age: 3600 },
    });
    for (const processor of this.processors) processor.wake(queue);
    return reply;
  }

  /**
   * Look for stalled jobs in every queue, not only in those this instance takes jobs from: the
   * server does, so that the job of a runner that died goes back to its queue even when no other
   * runner with its labels is running (it then waits there for one).
   */
  checkStalledEverywhere(): void {
    if (this.checkingStalled || this.closed) return;
    this.checkingStalled = true;
    for (const name of this.watched.keys()) this.checkStalled(name);
  }

  private checkStalled(name: string): void {
    if (this.stalledWorkers.has(name) || this.closed) return;
    const worker = this.createWorker(name);
    this.stalledWorkers.set(name, worker);
    worker.startStalledCheckTimer().catch((error: unknown) => this.report(error));
  }

  /** True while the holder of `token` has the lock of the pipeline job: it may report on the job. */
  async holdsLock(
    pipelineId: string,
    jobId: string,
    token: string,
    queue?: string,
    attempt = 1,
  ): Promise<boolean> {
    await this.ready;
    const id = bullmqJobId(pipelineId, jobId, attempt);
    // The queue the holder names is only where to look: the lock there must still be its token.
    if (queue !== undefined && (queue === SIGN_QUEUE || buildQueueLabels(queue) !== null))
      return (await this.redis.get(this.key(`${queue}:${id}:lock`))) === token;
    let name = await this.findQueue(id);
    if (name === null) {
      await this.readRegistry();
      name = await this.findQueue(id);
    }
    if (name === null) return false;
    return (await this.redis.get(this.key(`${name}:${id}:lock`))) === token;
  }

  onStart(listener: (pipelineId: string, jobId: string) => void): () => void {
    this.startListeners.add(listener);
    return () => this.startListeners.delete(listener);
  }

  onResult(listener: (result: JobResult) => void): () => void {
    this.resultListeners.add(listener);
    return () => this.resultListeners.delete(listener);
  }

  async cancel(pipelineId: string, jobId: string, reason: string, attempt = 1): Promise<void> {
    await this.ready;
    if (this.closed) return;
    const id = bullmqJobId(pipelineId, jobId, attempt);
    let name = await this.findQueue(id);
    if (name === null) {
      await this.readRegistry();
      name = await this.findQueue(id);
    }
    if (name === null) return;
    const queue = this.queue(name);
    const state = await queue.getJobState(id);
    if (ENDED.has(state)) return;
    // The mark comes first: a runner that takes the job from now on finds it before the handler starts.
    const marked = await this.redis.set(
      this.key(CANCELLED_KEY_PREFIX + id),
      reason,
      'EX',
      this.retentionSeconds,
      'NX',
    );
    if (marked === null) return; // cancelled before: the first reason stands
    if (state !== 'active' && (await queue.remove(id)) === 1) return;
    await this.redis.publish(this.key(CANCEL_CHANNEL), JSON.stringify({ id, reason }));
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    clearInterval(this.registryTimer);
    for (const request of this.requests.values()) request.reject(new Error('BullmqJobQueue is closed'));
    this.requests.clear();
    await this.ready.catch(() => {});
    await Promise.all([...this.processors].map((processor) => processor.close(this.closeTimeoutMs)));
    await Promise.all([...this.stalledWorkers.values()].map((worker) => worker.close()));
    await Promise.all([...this.watched.values()].map((events) => events.close()));
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    this.subscriber.disconnect();
    this.redis.disconnect();
  }

  private async init(): Promise<void> {
    await Promise.all([this.connected(this.redis), this.connected(this.subscriber)]);
    this.subscriber.on('message', (channel: string, message: string) => this.message(channel, message));
    await this.subscriber.subscribe(this.key(CANCEL_CHANNEL), this.key(QUEUE_ADDED_CHANNEL));
    // Queues known now are read from their stream's end; a queue that appears later from its start.
    // The queue of jobs any runner takes is read from the start whether or not it exists yet, so that
    // its first job's start is not held up by opening a connection.
    const registered = await this.redis.smembers(this.key(REGISTRY_KEY));
    for (const name of registered) this.registered.add(name);
    const names = [...new Set([...registered, ANY_BUILD_QUEUE])];
    const pipeline = this.redis.pipeline();
    for (const name of names) pipeline.xrevrange(this.key(`${name}:events`), '+', '-', 'COUNT', 1);
    const replies = (await pipeline.exec()) ?? [];
    names.forEach((name, i) => {
      const entries = replies[i]?.[1] as [string, string[]][] | undefined;
      this.watch(name, entries?.[0]?.[0] ?? '0-0');
    });
    this.started = true;
    if (!this.closed) {
      this.registryTimer = setInterval(() => {
        this.readRegistry().catch((error: unknown) => this.report(error));
      }, this.pollIntervalMs);
    }
  }

  /** Resolves once `client` is ready; rejects on its first error, naming where it tried. */
  private connected(client: Redis): Promise<void> {
    if (client.status === 'ready') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onReady = () => {
        client.off('error', onError);
        resolve();
      };
      const onError = (error: Error) => {
        client.off('ready', onReady);
        reject(
          new Error(
            `BullmqJobQueue cannot reach Redis at ${this.where()}: ${error.message}; check the connection (REDIS_URL)`,
            { cause: error },
          ),
        );
      };
      client.once('ready', onReady);
      client.once('error', onError);
    });
  }

  private where(): string {
    if (typeof this.connection !== 'string')
      return `${this.connection.host ?? '127.0.0.1'}:${this.connection.port ?? 6379}`;
    try {
      const url = new URL(this.connection);
      return `${url.protocol}//${url.host}${url.pathname}`;
    } catch {
      return 'the given URL';
    }
  }

  private async readRegistry(): Promise<void> {
    const names = await this.redis.smembers(this.key(REGISTRY_KEY));
    for (const name of names) {
      this.registered.add(name);
      this.watch(name, '0-0');
    }
  }

  private async register(name: string): Promise<void> {
    if (this.registered.has(name)) return;
    if ((await this.redis.sadd(this.key(REGISTRY_KEY), name)) === 1)
      await this.redis.publish(this.key(QUEUE_ADDED_CHANNEL), name);
    this.registered.add(name);
    this.watch(name, '0-0');
  }

  private message(channel: string, message: string): void {
    if (channel === this.key(QUEUE_ADDED_CHANNEL)) {
      this.registered.add(message);
      this.watch(message, '0-0');
      return;
    }
    if (channel !== this.key(CANCEL_CHANNEL)) return;
    try {
      const { id, reason } = JSON.parse(message) as { id: unknown; reason: unknown };
      if (typeof id === 'string' && typeof reason === 'string') this.running.get(id)?.abort(reason);
    } catch (error) {
      this.report(new Error(`a malformed message on ${channel}: ${message}`, { cause: error }));
    }
  }

  /** Read queue `name`'s event stream after `from`: starts and results for the listeners, wake-ups for processors. */
  private watch(name: string, from: string): void {
    if (this.closed || this.watched.has(name)) return;
    const { prefix, name: short } = bullmqQueueOf(this.prefix, name);
    const events = new QueueEvents(short, { connection: this.bullmqConnection(), prefix, lastEventId: from });
    this.watched.set(name, events);
    events.on('error', (error) => this.report(error));
    events.on('active', ({ jobId }) => {
      const ids = parseBullmqJobId(jobId);
      if (ids) this.emitStart(ids.pipelineId, ids.jobId);
    });
    events.on('completed', ({ jobId, returnvalue }) => {
      const request = this.requests.get(jobId);
      if (request) {
        this.requests.delete(jobId);
        const reply = (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as {
          ok?: boolean;
          value?: unknown;
          error?: string;
        } | null;
        if (reply?.ok) request.resolve(reply.value);
        else request.reject(new Error(reply?.error ?? 'the request was answered without a value'));
        return;
      }
      if (jobId.startsWith('request-')) return;
      const attempt = parseBullmqJobId(jobId)?.attempt ?? 1;
      if (isJobResult(returnvalue)) this.emitResult({ ...returnvalue, attempt });
      else this.emitFailure(jobId, 'the runner returned no result');
    });
    events.on('failed', ({ jobId, failedReason }) => {
      const request = this.requests.get(jobId);
      if (request) {
        this.requests.delete(jobId);
        request.reject(new Error(failedReason));
        return;
      }
      this.emitFailure(jobId, `the queue failed it: ${failedReason}`);
    });
    events.on('removed', ({ jobId, prev }) => {
      if (!ENDED.has(prev)) void this.emitRemoved(jobId);
    });
    events.on('waiting', () => {
      for (const processor of this.processors) processor.wake(name);
    });
    for (const processor of this.processors) processor.offer(name);
    if (this.checkingStalled) this.checkStalled(name);
  }

  private startProcessor(
    accepts: QueueFilter,
    first: string,
    concurrency: number,
    handler: JobHandler,
    requests: Record<string, RequestHandler> = {},
  ): Processor {
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new RangeError(
        `BullmqJobQueue: concurrency is ${concurrency}; it must be a whole number of 1 or more`,
      );
    if (this.closed) return { stop: async () => {} };
    const processor: BullmqProcessor = new BullmqProcessor(
      this.host,
      accepts,
      concurrency,
      handler,
      () => this.processors.delete(processor),
      requests,
    );
    this.processors.add(processor);
    this.ready.then(
      () => {
        // `first` is consumed before any job made its queue: an empty runs-on reaches every runner.
        processor.offer(first);
        for (const name of this.watched.keys()) processor.offer(name);
      },
      () => {},
    );
    return processor;
  }

  private createWorker(name: string): Worker {
    const { prefix, name: short } = bullmqQueueOf(this.prefix, name);
    const worker = new Worker(short, null, {
      connection: this.bullmqConnection(),
      prefix,
      autorun: false,
      lockDuration: this.lockDurationMs,
      stalledInterval: this.stalledIntervalMs,
      maxStalledCount: 1,
    });
    worker.on('error', (error) => this.report(error));
    return worker;
  }

  /** For enqueue and cancel: one per queue, all on the instance's command connection. */
  private queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      const { prefix, name: short } = bullmqQueueOf(this.prefix, name);
      queue = new Queue(short, { connection: this.redis, prefix });
      queue.on('error', (error) => this.report(error));
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** The registered queue that holds BullMQ job `id`, or null. */
  private async findQueue(id: string): Promise<string | null> {
    const names = [...this.watched.keys()];
    if (names.length === 0) return null;
    const pipeline = this.redis.pipeline();
    for (const name of names) pipeline.exists(this.key(`${name}:${id}`));
    const replies = (await pipeline.exec()) ?? [];
    return names.find((_, i) => replies[i]?.[1] === 1) ?? null;
  }

  /** Options for a connection of its own (Workers, event readers): BullMQ opens it. */
  private bullmqConnection(): ConnectionOptions {
    return typeof this.connection === 'string'
      ? { url: this.connection, maxRetriesPerRequest: null }
      : // ioredis 6 also allows `retryStrategy: null`, which BullMQ's copy of the type does not list.
        ({ ...this.connection, maxRetriesPerRequest: null } as ConnectionOptions);
  }

  private key(name: string): string {
    return `${this.prefix}:${name}`;
  }

  private emitStart(pipelineId: string, jobId: string): void {
    if (this.closed) return;
    for (const listener of [...this.startListeners]) {
      try {
        listener(pipelineId, jobId);
      } catch (error) {
        this.report(error);
      }
    }
  }

  private emitResult(result: JobResult): void {
    if (this.closed) return;
    for (const listener of [...this.resultListeners]) {
      try {
        listener(result);
      } catch (error) {
        this.report(error);
      }
    }
  }

  private emitFailure(bullmqId: string, reason: string): void {
    const ids = parseBullmqJobId(bullmqId);
    if (!ids) return;
    const { pipelineId, jobId, attempt } = ids;
    this.emitResult({
      pipelineId,
      jobId,
      attempt,
      outcome: { state: 'failure', reason },
      artifacts: [],
      durationMs: 0,
    });
  }

  /** A job removed before it finished: cancelled, with the reason cancel() left. */
  private async emitRemoved(bullmqId: string): Promise<void> {
    const ids = parseBullmqJobId(bullmqId);
    if (!ids) return;
    let reason: string | null = null;
    try {
      reason = await this.redis.get(this.key(CANCELLED_KEY_PREFIX + bullmqId));
    } catch (error) {
      this.report(error);
    }
    this.emitResult({
      pipelineId: ids.pipelineId,
      jobId: ids.jobId,
      attempt: ids.attempt,
      outcome: { state: 'cancelled', reason: reason ?? 'the job was removed from its queue' },
      artifacts: [],
      durationMs: 0,
    });
  }

  private report(error: unknown): void {
    if (this.closed) return; // connections going away say so
    this.onError(error instanceof Error ? error : new Error(String(error)));
  }
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0)
    throw new RangeError(`BullmqJobQueue: ${name} is ${value}; it must be a number above 0`);
  return value;
}

function isJobResult(value: unknown): value is JobResult {
  if (typeof value !== 'object' || value === null) return false;
  const result = value as Partial<JobResult>;
  return (
    typeof result.pipelineId === 'string' &&
    typeof result.jobId === 'string' &&
    typeof result.outcome === 'object' &&
    result.outcome !== null &&
    Array.isArray(result.artifacts)
  );
}
