/**
 * The farm half of `albs serve` (config `redis:`): pipelines driven in Redis, jobs on BullMQ for
 * `albs runner` and `albs signer` hosts, their results over the runner API, publishing here.
 * The server holds no key: repository metadata is signed by the signer through `sign-metadata`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { type JobSandboxSetup, jobDirs, jobRunner } from '../../runner/job-runner.js';
import { buildStep } from '../../runner/steps/build.js';
import type { KeyRing } from '../../runner/steps/keys.js';
import { publishStep } from '../../runner/steps/publish.js';
import { testStep } from '../../runner/steps/test.js';
import type { HostFacts, Step } from '../../runner/types.js';
import type { Job } from '../plan/types.js';
import { BullmqJobQueue } from '../queue/bullmq/bullmq-job-queue.js';
import { SIGN_QUEUE } from '../queue/bullmq/queue-names.js';
import { checkRedis } from '../queue/bullmq/redis-checks.js';
import { type RedisSetting, redisOptions } from '../queue/bullmq/redis-options.js';
import type { JobResult, QueuedJob } from '../queue/job-queue.js';
import { RedisPipelineStore } from '../scheduler/redis-pipeline-store.js';
import { FarmPipelines } from '../server/farm-pipelines.js';
import { json } from '../server/http-server.js';
import type { PipelineRecord, PipelineRecords } from '../server/pipeline-records.js';
import { RemoteKeyRing, SIGN_METADATA, type SignMetadataRequest } from '../server/remote-signer.js';
import { runnerRoutes } from '../server/runner-api.js';
import { HEARTBEAT_MS, RunnerRegistry } from '../server/runner-registry.js';
import type { ServerConfig } from '../server/server-config.js';
import type { ServerSecrets } from '../server/server-secrets.js';
import { SharedRecords } from '../server/shared-records.js';
import { fetchListed, type LookasideFile } from '../sources/fetch-lookaside.js';
import { writeNewFile } from '../store/atomic-write.js';
import { farmHandler } from './farm-worker.js';
import { RunnerClient } from './runner-client.js';

/** Every key albs itself keeps in Redis starts with this; BullMQ's start with `bull:albs:`. */
export const FARM_PREFIX = 'albs';
/** How long the server waits for the signer to sign repository metadata. */
const SIGN_METADATA_TIMEOUT_MS = 10 * 60 * 1000;

export interface Farm {
  /**
   * The server's own runner (a `runner:` section beside `redis:`): takes jobs from the queues its
   * labels reach like any `albs runner`, and reports through the runner API at `url` with a token
   * of its own. Returns the function that stops it (running jobs finish).
   */
  startRunner(url: string, setup: EmbeddedRunner): () => Promise<void>;
  pipelines: FarmPipelines;
  routes: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
  runners: RunnerRegistry;
  close(): Promise<void>;
}

/** The server's own runner in a farm: its host, sandbox and where its jobs run. */
export interface EmbeddedRunner {
  host: HostFacts;
  sandbox: JobSandboxSetup;
  workDir: string;
}

/** The farm's Redis, checked (version, eviction policy, the same data-dir as the other replicas). */
export interface FarmRedis {
  redis: Redis;
  connection: RedisOptions;
  shared: SharedRecords;
}

export async function connectFarm(setting: RedisSetting, dataDir: string, log: Logger): Promise<FarmRedis> {
  const connection = await redisOptions(setting);
  const redis = new Redis({ ...connection, maxRetriesPerRequest: null, lazyConnect: true });
  redis.on('error', (error) => log.warn({ err: error }, 'redis'));
  await redis.connect();
  try {
    await checkRedis(redis, (message) => log.warn(message));
    await sameDataDir(redis, dataDir);
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  return { redis, connection, shared: new SharedRecords(redis, FARM_PREFIX) };
}

export async function startFarm(options: {
  config: ServerConfig;
  secrets: ServerSecrets;
  farmRedis: FarmRedis;
  records: PipelineRecords;
  dataDir: string;
  reposDir: string;
  host: HostFacts;
  /** The pipeline's commit, checked out once into its directory. */
  source: (record: PipelineRecord) => Promise<string>;
  /** Why a pipeline may not have a sign or publish job run, or null. */
  refused: (record: PipelineRecord, job: Job) => string | null;
  /** The step as the allow rules let this pipeline run it. */
  allowed: (record: PipelineRecord, what: 'publish', step: Step) => Step;
  onChange: (record: PipelineRecord, jobId?: string) => void;
  repoUrl: (repo: string) => string;
  log: Logger;
}): Promise<Farm> {
  const { config, log } = options;
  const { redis, connection } = options.farmRedis;
  const queue = await BullmqJobQueue.create({
    connection,
    onError: (error) => log.warn({ err: error }, 'queue'),
  });
  // A runner that dies with the only labels of its job: its job still goes back to the queue.
  queue.checkStalledEverywhere();
  const store = new RedisPipelineStore(redis, FARM_PREFIX);
  const runners = new RunnerRegistry(redis, FARM_PREFIX);
  const keys = new RemoteKeyRing(
    redis,
    FARM_PREFIX,
    (data: SignMetadataRequest) => queue.request(SIGN_QUEUE, SIGN_METADATA, data, SIGN_METADATA_TIMEOUT_MS),
    () =>
      [...options.secrets.runnerTokens]
        .filter(([, who]) => who.role === 'signer')
        .map(([token, who]) => ({ name: who.name, token })),
  );
  const keyRing: KeyRing = { signer: (name) => keys.signer(name), publicKey: (name) => keys.publicKey(name) };
  const publish = (record: PipelineRecord, item: QueuedJob, signal: AbortSignal): Promise<JobResult> => {
    const dir = options.records.pipelineDir(record.id);
    const step = options.allowed(
      record,
      'publish',
      publishStep({ reposDir: options.reposDir, keep: config.keep, keys: keyRing, baseUrl: options.repoUrl }),
    );
    const run = jobRunner({
      dirs: { ...jobDirs(dir), cache: join(options.dataDir, 'cache') },
      repoDir: join(dir, 'src'),
      host: options.host,
      steps: { build: refuse, test: refuse, sign: refuse, publish: repoLocked(redis, item, step) },
      // Publishing runs no code of the package: createrepo_c and the signer's signatures only.
      sandbox: null,
    });
    return run(item, signal);
  };
  const pipelines = new FarmPipelines({
    records: options.records,
    store,
    queue,
    redis,
    prefix: FARM_PREFIX,
    runners,
    runnerWaitMs: config.runnerWaitMs,
    publish,
    refused: options.refused,
    onChange: options.onChange,
    repoUrl: options.repoUrl,
    signedBy: async (name) => {
      const info = await keys.info(name);
      return { key: name, fingerprint: info.fingerprint };
    },
    log,
  });
  // The lookaside files of each pipeline's commit, fetched once into data-dir/cache for its runners.
  const lookasideFiles = new Map<string, Promise<LookasideFile[]>>();
  const api = runnerRoutes({
    records: options.records,
    farm: pipelines,
    runners,
    tokens: options.secrets.runnerTokens,
    holdsLock: (pipelineId, jobId, token, name, attempt) =>
      queue.holdsLock(pipelineId, jobId, token, name, attempt),
    source: options.source,
    lookaside: (record, job) => {
      let files = lookasideFiles.get(record.id);
      if (!files) {
        files = options.source(record).then((repo) =>
          fetchListed({
            repo,
            source: job.source,
            cache: join(options.dataDir, 'cache', 'lookaside'),
            log: (line) => log.info({ pipelineId: record.id }, line),
          }),
        );
        // A failure is not kept: the next runner's request tries again.
        files.catch(() => lookasideFiles.delete(record.id));
        lookasideFiles.set(record.id, files);
        // Kept while the pipeline's builds may ask; a day is far more than that.
        setTimeout(() => lookasideFiles.delete(record.id), 24 * 3600 * 1000).unref();
      }
      return files;
    },
    onKeys: (published) => keys.publish(published),
    log,
  });
  const routes = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    if (url.pathname === '/api/v1/runners' && (req.method === 'GET' || req.method === 'HEAD')) {
      json(res, 200, { runners: await runners.list() });
      return true;
    }
    return api(req, res, url);
  };
  const startRunner = (url: string, setup: EmbeddedRunner) => {
    const token = randomBytes(24).toString('hex');
    const name = `embedded@${hostname()}`;
    options.secrets.runnerTokens.set(token, { name, role: 'runner' });
    const client = new RunnerClient(url, token);
    const running = new Map<string, QueuedJob>();
    const hardStop = new AbortController();
    const beat = () =>
      void client
        .heartbeat({
          name,
          labels: setup.host.labels,
          running: [...running.values()].map((item) => ({ pipeline: item.pipelineId, job: item.job.id })),
        })
        .catch((error: unknown) => log.warn({ err: error }, 'embedded runner heartbeat'));
    beat();
    const timer = setInterval(beat, HEARTBEAT_MS);
    const processor = queue.process(
      setup.host.labels,
      config.runner.concurrency,
      farmHandler(
        {
          client,
          workDir: setup.workDir,
          host: setup.host,
          steps: { build: buildStep, test: testStep },
          sandbox: setup.sandbox,
          labels: setup.host.labels,
          log,
        },
        hardStop.signal,
        running,
      ),
    );
    return async () => {
      clearInterval(timer);
      await processor.stop();
      await runners.leave(name);
    };
  };
  return {
    startRunner,
    pipelines,
    routes,
    runners,
    close: async () => {
      await pipelines.stop();
      await queue.close();
      await store.close();
      options.farmRedis.shared.close();
      redis.disconnect();
    },
  };
}

const refuse: Step = async (ctx) => ({
  state: 'failure',
  reason: `${ctx.job.stage} jobs run on runners and the signer, never on the server`,
});

/**
 * One repo is switched by one replica at a time: a lock in Redis around the publish step (which
 * takes its own per-repo lock on the data-dir as well), renewed while it runs.
 */
function repoLocked(redis: Redis, item: QueuedJob, step: Step): Step {
  return async (ctx) => {
    if (item.job.stage !== 'publish') return step(ctx);
    const key = `${FARM_PREFIX}:publish-lock:${item.job.repo}`;
    const token = randomUUID();
    const ttlMs = 60_000;
    for (;;) {
      if ((await redis.set(key, token, 'PX', ttlMs, 'NX')) === 'OK') break;
      if (ctx.signal.aborted)
        return { state: 'failure', reason: `cancelled while waiting for repo ${item.job.repo} to be free` };
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const renew = setInterval(() => {
      void redis.eval(RENEW, 1, key, token, ttlMs).catch(() => {});
    }, ttlMs / 3);
    try {
      return await step(ctx);
    } finally {
      clearInterval(renew);
      await redis.eval(RELEASE, 1, key, token).catch(() => {});
    }
  };
}

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

/**
 * Every replica must see the same data-dir (a shared filesystem): the first one writes a farm id
 * into data-dir/farm-id and Redis; the others find both and compare. A replica whose data-dir
 * lacks the id Redis has, or holds another one, refuses to start.
 */
async function sameDataDir(redis: Redis, dataDir: string): Promise<void> {
  const file = join(dataDir, 'farm-id');
  const key = `${FARM_PREFIX}:farm-id`;
  await mkdir(dataDir, { recursive: true });
  let onDisk = existsSync(file) ? (await readFile(file, 'utf8')).trim() : undefined;
  if (onDisk === undefined) {
    const fresh = randomBytes(16).toString('hex');
    await writeNewFile(file, `${fresh}\n`, 0o644);
    onDisk = (await readFile(file, 'utf8')).trim();
  }
  await redis.set(key, onDisk, 'NX');
  const inRedis = await redis.get(key);
  if (inRedis !== onDisk) {
    throw new Error(
      `data-dir ${dataDir} is not the one the other replicas of this farm use: its farm-id is ${onDisk}, Redis says ${inRedis}; ` +
        'mount the shared data-dir on every replica (or, for a new farm, delete the key albs:farm-id in Redis)',
    );
  }
}
