/**
 * Dispatch through the farm: jobs whose step does nothing, through the whole path — the server
 * queues them on BullMQ, a runner claims one, reports its start, fetches the pipeline's source,
 * runs the no-op step, sends its log batch and its result over the runner API, and the server
 * advances the pipeline — against the same number of jobs through a bare BullMQ Queue and Worker on
 * the same Redis at the same total concurrency, what one would otherwise write.
 *
 * albs: `albs serve` (the built CLI, `redis:` in its config, a fake Gitea on loopback) and two
 * runners composed as `albs runner` is (bench/dispatch-worker.ts), each a child process; pipelines
 * come from signed Gitea tag pushes. Bare BullMQ: a Queue here, a Worker with a no-op processor in
 * a child process; run before and after albs, pooled, so that a busy spell of a shared machine
 * shows as a difference between the two.
 *
 * Two passes per side, PIPELINES × JOBS jobs each (BENCH_DISPATCH_PIPELINES, default 10, and
 * BENCH_DISPATCH_JOBS, default 100, per pipeline):
 * - throughput: every pipeline's jobs queued at once, far more than the slots: jobs/s from the
 *   first job queued to the last pipeline finished (bare: the last job completed);
 * - start latency: each pipeline with `max-parallel: 1` (bare: chains that queue their next job
 *   when the last one completed, seen through QueueEvents), so a job never waits for a free slot
 *   and queued → started is the dispatch's own delay. Queued is BullMQ's job.timestamp, claimed
 *   its processedOn, started when the no-op step (bare: the processor) was called, all wall clock
 *   in ms on one machine.
 * Redis database 9 of REDIS_URL (default redis://127.0.0.1:6379), flushed before and after.
 * BENCH_DISPATCH_KEEP=1 keeps the work directory (albs serve's log and data dir);
 * BENCH_DISPATCH_PROFILE=DIR has albs serve and every worker write a CPU profile into DIR.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Job, Queue, QueueEvents } from 'bullmq';
import { execa } from 'execa';
import { Redis } from 'ioredis';
import { parseBullmqJobId } from '../src/queue/bullmq/queue-names.js';
import type { WorkerStart } from './dispatch-worker.js';
import { fakeGitea, freePort, giteaPush, NAME, OWNER, signedDelivery } from './intake-farm.js';

const RUNNERS = 2;
/** Per runner; the bare Worker gets RUNNERS × this. Two slots per pipeline of the latency pass. */
const CONCURRENCY = 10;
const DB = 9;
const SECRET = 'bench-dispatch-webhook-secret';
const ALBS = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
/** The longest a pass may take before the bench gives up on it. */
const PASS_TIMEOUT_MS = 180_000;

/** One job as measured: wall-clock ms. */
interface Timing {
  /** The job's pipeline (bare: its chain). */
  chain: string;
  queued: number;
  claimed: number;
  started: number;
  finished: number;
  /** On an albs runner: when farmHandler was called (before its start report and source fetch). */
  handled?: number;
  /** On an albs runner: its runner-API calls for the job, sent and answered. */
  start?: [number, number];
  log?: [number, number];
  result?: [number, number];
}

type Calls = Record<string, [string, number, number][]>;

interface Pass {
  jobs: Timing[];
  /** First job queued, and the pass's end: the last pipeline finished (albs), the last job completed (bare). */
  from: number;
  to: number;
  /**
   * CPU time (user + system, ms) spent during the pass: albs serve and the runners; the bare
   * Worker's process and this one, which queues the bare jobs. Undefined without /proc.
   */
  cpu: { queueing: number; working: number } | undefined;
  /** Commands Redis ran during the pass, by name (INFO commandstats: every client of that Redis). */
  commands: Record<string, number>;
}

interface Side {
  throughput: Pass;
  latency: Pass;
}

export async function benchDispatch(): Promise<void> {
  const pipelines = envCount('BENCH_DISPATCH_PIPELINES', 10);
  const perPipeline = envCount('BENCH_DISPATCH_JOBS', 100);
  if (pipelines * 2 > RUNNERS * CONCURRENCY)
    throw new Error(
      `BENCH_DISPATCH_PIPELINES=${pipelines}: the latency pass needs two slots per pipeline and there are ${RUNNERS * CONCURRENCY}; give at most ${(RUNNERS * CONCURRENCY) / 2}`,
    );
  const base = new URL(process.env.REDIS_URL || 'redis://127.0.0.1:6379');
  base.pathname = `/${DB}`;
  const url = base.toString();
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    process.stdout.write(
      `dispatch: skipped: no Redis at ${url} (${error instanceof Error ? error.message : String(error)}); start redis-server or set REDIS_URL\n`,
    );
    return;
  }
  const version = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? 'unknown';
  await redis.flushdb();
  const work = await mkdtemp(join(tmpdir(), 'albs-bench-dispatch-'));
  const load = [loadavg()[0]!];
  try {
    const shape = { pipelines, perPipeline };
    const before = await bareSide(url, redis, work, 'before', shape);
    const albs = await albsSide(url, redis, work, shape);
    const after = await bareSide(url, redis, work, 'after', shape);
    load.push(loadavg()[0]!);
    report(shape, version, albs, before, after, load);
  } finally {
    await redis.flushdb().catch(() => {});
    redis.disconnect();
    if (process.env.BENCH_DISPATCH_KEEP) process.stdout.write(`dispatch: kept ${work}\n`);
    else await rm(work, { recursive: true, force: true });
  }
}

interface Shape {
  pipelines: number;
  perPipeline: number;
}

// ---------------------------------------------------------------------------------------------
// albs serve + runners

async function albsSide(url: string, redis: Redis, work: string, shape: Shape): Promise<Side> {
  const repo = await packageRepo(join(work, 'git'), shape);
  const gitea = await fakeGitea(repo.root);
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const secret = async (name: string, text: string) => {
    const file = join(work, name);
    await writeFile(file, `${text}\n`, { mode: 0o600 });
    return file;
  };
  const tokens = Array.from({ length: RUNNERS }, (_, i) => ({
    name: `runner-${i + 1}`,
    token: `runner-${i + 1}-${randomBytes(12).toString('hex')}`,
  }));
  const config = join(work, 'server.yml');
  await writeFile(
    config,
    `listen: 127.0.0.1:${port}
public-url: ${publicUrl}
data-dir: ${join(work, 'data')}
redis: ${url}
runner-tokens-file: ${await secret('runner-tokens', tokens.map((t) => `${t.name} ${t.token} runner`).join('\n'))}
gitea:
  url: ${gitea.url}
  token-file: ${await secret('gitea.token', 'bench-dispatch-gitea-token')}
  webhook-secret-file: ${await secret('gitea.secret', SECRET)}
`,
  );
  const logFile = join(work, 'albs-serve.log');
  const serve = serveProcess(config, logFile);
  const workers: Worker[] = [];
  try {
    await waitFor('albs serve to answer /healthz', logFile, async () =>
      (await fetch(`${publicUrl}/healthz`).catch(() => undefined))?.ok ? true : undefined,
    );
    for (const { name, token } of tokens) {
      const runLog = join(work, `${name}.log`);
      workers.push(
        await worker(runLog, {
          role: 'runner',
          name,
          server: publicUrl,
          token,
          redis: url,
          concurrency: CONCURRENCY,
          workDir: join(work, name),
        }),
      );
    }
    await waitFor('both runners to heartbeat', logFile, async () => {
      const answer = await fetch(`${publicUrl}/api/v1/runners`);
      const { runners } = (await answer.json()) as { runners: unknown[] };
      return runners.length === RUNNERS ? true : undefined;
    });
    const hook = `${publicUrl}/api/gitea/webhooks`;
    const cloneUrl = `${gitea.url}/${OWNER}/${NAME}.git`;
    const completed = () => redis.zcard('bull:albs:build:any:completed');
    let done = 0;
    const cpu = () => {
      const server = cpuMs(serve.pid);
      const runners = workers.map((w) => cpuMs(w.pid));
      if (server === undefined || runners.some((r) => r === undefined)) return undefined;
      return { queueing: server, working: runners.reduce((a, b) => a! + b!, 0)! };
    };
    const cpuUsed: Record<string, Pass['cpu']> = {};
    const commandsUsed: Record<string, Pass['commands']> = {};
    const pass = async (tags: string[], sha: string, jobs: number): Promise<string[]> => {
      const cpuBefore = cpu();
      const commandsBefore = await commandStats(redis);
      const deliveries = tags.map((tag) =>
        signedDelivery(
          'gitea',
          'push',
          giteaPush(cloneUrl, `refs/tags/${tag}`, sha),
          `dispatch-${tag}`,
          SECRET,
        ),
      );
      const answers = await Promise.all(
        deliveries.map((d) =>
          fetch(hook, {
            method: 'POST',
            headers: Object.fromEntries(Object.entries(d.headers).filter(([k]) => k !== 'content-length')),
            body: d.body,
          }),
        ),
      );
      const refused = answers.find((a) => a.status !== 202);
      if (refused)
        throw new Error(`albs serve answered a push with ${refused.status}: ${await refused.text()}`);
      done += tags.length * jobs;
      await waitFor(`${done} jobs completed in BullMQ`, logFile, async () => {
        const failed = await redis.zcard('bull:albs:build:any:failed');
        if (failed > 0) throw new Error(`${failed} jobs failed in BullMQ`);
        return (await completed()) >= done ? true : undefined;
      });
      const ids = await waitFor(`the pipelines of ${tags[0]}… to finish`, logFile, async () => {
        const answer = await fetch(`${publicUrl}/api/v1/pipelines?sha=${sha}&limit=1000`);
        const { pipelines } = (await answer.json()) as { pipelines: PipelineSummary[] };
        const ours = pipelines.filter((p) => tags.includes(p.trigger.ref));
        if (ours.length < tags.length || ours.some((p) => p.finishedAt === null)) return undefined;
        const bad = ours.find((p) => p.result !== 'success');
        if (bad) throw new Error(`pipeline ${bad.id} ended ${bad.result}: ${bad.reason}`);
        return ours.map((p) => p.id);
      });
      const cpuAfter = cpu();
      commandsUsed[tags[0]!] = since(commandsBefore, await commandStats(redis));
      cpuUsed[tags[0]!] =
        cpuBefore && cpuAfter
          ? {
              queueing: cpuAfter.queueing - cpuBefore.queueing,
              working: cpuAfter.working - cpuBefore.working,
            }
          : undefined;
      return ids;
    };
    // A warm-up pipeline first (JIT, connections, caches), not measured; the bare side has its own.
    await pass(['warm-0'], repo.throughput, shape.perPipeline);
    const throughputIds = await pass(repo.tags('tp'), repo.throughput, shape.perPipeline);
    const latencyIds = await pass(repo.tags('lat'), repo.latency, shape.perPipeline);

    const reports = await Promise.all(workers.map((w) => w.report()));
    const began = Object.assign({}, ...reports.map((r) => r.began)) as Record<string, number>;
    const entered = Object.assign({}, ...reports.map((r) => r.entered)) as Record<string, number>;
    const calls = Object.assign({}, ...reports.map((r) => r.calls)) as Calls;
    const queue = new Queue('any', { connection: redis, prefix: 'bull:albs:build' });
    const jobs = await queue.getJobs(['completed'], 0, -1);
    await queue.close();
    const records = async (ids: string[]) =>
      Promise.all(
        ids.map(
          async (id) =>
            (await (await fetch(`${publicUrl}/api/v1/pipelines/${id}`)).json()) as PipelineSummary,
        ),
      );
    const measure = async (ids: string[], first: string): Promise<Pass> => {
      const mine = new Set(ids);
      const timings: Timing[] = [];
      for (const job of jobs) {
        const ids = parseBullmqJobId(job.id ?? '');
        if (!ids || !mine.has(ids.pipelineId)) continue;
        const key = `${ids.pipelineId} ${ids.jobId}`;
        timings.push({
          chain: ids.pipelineId,
          queued: job.timestamp,
          claimed: job.processedOn ?? Number.NaN,
          started: began[key] ?? Number.NaN,
          handled: entered[key] ?? Number.NaN,
          ...Object.fromEntries((calls[key] ?? []).map(([call, sent, answered]) => [call, [sent, answered]])),
          finished: job.finishedOn ?? Number.NaN,
        });
      }
      const ends = (await records(ids)).map((r) => Date.parse(r.finishedAt ?? ''));
      return {
        jobs: timings,
        from: Math.min(...timings.map((t) => t.queued)),
        to: Math.max(...ends, ...timings.map((t) => t.finished)),
        cpu: cpuUsed[first],
        commands: commandsUsed[first] ?? {},
      };
    };
    const side = {
      throughput: await measure(throughputIds, repo.tags('tp')[0]!),
      latency: await measure(latencyIds, repo.tags('lat')[0]!),
    };
    await Promise.all(workers.map((w) => w.stop()));
    await serve.stop();
    return side;
  } finally {
    for (const w of workers) w.kill();
    serve.kill();
    gitea.server.closeAllConnections();
    gitea.server.close();
  }
}

interface PipelineSummary {
  id: string;
  trigger: { ref: string };
  result: string;
  reason: string | null;
  finishedAt: string | null;
}

interface Repo {
  root: string;
  /** The commit whose .albs.yml queues every job at once, and the one with max-parallel: 1. */
  throughput: string;
  latency: string;
  tags(kind: 'tp' | 'lat'): string[];
}

/**
 * OWNER/NAME with two commits: .albs.yml a matrix of `perPipeline` values (one build job each, no
 * test, sign or publish), then the same with max-parallel: 1. Tags warm-0 and tp-N on the first,
 * lat-N on the second.
 */
async function packageRepo(root: string, shape: Shape): Promise<Repo> {
  const work = join(root, 'work');
  const bare = join(root, OWNER, `${NAME}.git`);
  await mkdir(work, { recursive: true });
  const env = { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', HOME: root };
  const git = async (...args: string[]) =>
    (
      await execa(
        'git',
        [
          '-c',
          'user.name=Bench',
          '-c',
          'user.email=bench@example.org',
          '-c',
          'commit.gpgsign=false',
          ...args,
        ],
        { cwd: work, env },
      )
    ).stdout;
  const kinds = { tp: 'throughput', lat: 'latency' } as const;
  const tags = (kind: 'tp' | 'lat') => Array.from({ length: shape.pipelines }, (_, i) => `${kind}-${i}`);
  const yml = (extra: string) =>
    `version: 1\non:\n  tags: ["*"]\n${extra}matrix:\n  n: [${Array.from({ length: shape.perPipeline }, (_, i) => i).join(', ')}]\n`;
  await git('init', '-q', '-b', 'main');
  await writeFile(
    join(work, `${NAME}.spec`),
    `Name: ${NAME}\nVersion: 1.0\nRelease: 1\nSummary: never built\nLicense: MIT\nBuildArch: noarch\n%description\nnever built\n%files\n`,
  );
  const shas: Partial<Record<(typeof kinds)[keyof typeof kinds], string>> = {};
  for (const [kind, name] of Object.entries(kinds) as ['tp' | 'lat', keyof typeof shas][]) {
    await writeFile(join(work, '.albs.yml'), yml(kind === 'lat' ? 'max-parallel: 1\n' : ''));
    await git('add', '-A');
    await git('commit', '-q', '-m', name);
    for (const tag of [...tags(kind), ...(kind === 'tp' ? ['warm-0'] : [])]) await git('tag', tag);
    shas[name] = await git('rev-parse', 'HEAD');
  }
  await execa('git', ['clone', '-q', '--bare', work, bare], { env });
  return { root, throughput: shas.throughput!, latency: shas.latency!, tags };
}

// ---------------------------------------------------------------------------------------------
// bare BullMQ

async function bareSide(url: string, redis: Redis, work: string, label: string, shape: Shape): Promise<Side> {
  const prefix = 'bench-bare';
  const name = `dispatch-${label}`;
  const w = await worker(join(work, `bare-${label}.log`), {
    role: 'bare',
    redis: url,
    prefix,
    queue: name,
    concurrency: RUNNERS * CONCURRENCY,
  });
  const queue = new Queue(name, { connection: { url }, prefix });
  const events = new QueueEvents(name, {
    connection: { url, maxRetriesPerRequest: null },
    prefix,
  });
  try {
    await events.waitUntilReady();
    let done = 0;
    const completed = async (count: number) => {
      done += count;
      await waitFor(`${done} bare jobs completed`, null, async () =>
        (await redis.zcard(`${prefix}:${name}:completed`)) >= done ? true : undefined,
      );
    };
    // As a pipeline queues its jobs: one add after another, the pipelines side by side.
    const addAll = (kind: string, chains: number, jobs: number) =>
      Promise.all(
        Array.from({ length: chains }, async (_, c) => {
          for (let i = 0; i < jobs; i++)
            await queue.add('noop', { chain: c, index: i }, { jobId: `${kind}-${c}-${i}` });
        }),
      );
    await addAll('warm', 1, shape.perPipeline);
    await completed(shape.perPipeline);
    const cpu = () => {
      const working = cpuMs(w.pid);
      const own = process.cpuUsage();
      return working === undefined ? undefined : { queueing: (own.user + own.system) / 1000, working };
    };
    const used = (from: ReturnType<typeof cpu>) => {
      const to = cpu();
      return from && to
        ? { queueing: to.queueing - from.queueing, working: to.working - from.working }
        : undefined;
    };
    let cpuBefore = cpu();
    let commandsBefore = await commandStats(redis);
    await addAll('tp', shape.pipelines, shape.perPipeline);
    await completed(shape.pipelines * shape.perPipeline);
    const throughputCpu = used(cpuBefore);
    const throughputCommands = since(commandsBefore, await commandStats(redis));
    cpuBefore = cpu();
    commandsBefore = await commandStats(redis);
    // Chains: each job's completion, seen through QueueEvents, queues the next of its chain.
    events.on('completed', ({ jobId }) => {
      const match = /^lat-(\d+)-(\d+)$/.exec(jobId);
      if (!match) return;
      const next = Number(match[2]) + 1;
      if (next < shape.perPipeline)
        void queue.add(
          'noop',
          { chain: Number(match[1]), index: next },
          { jobId: `lat-${match[1]}-${next}` },
        );
    });
    await Promise.all(
      Array.from({ length: shape.pipelines }, (_, c) =>
        queue.add('noop', { chain: c, index: 0 }, { jobId: `lat-${c}-0` }),
      ),
    );
    await completed(shape.pipelines * shape.perPipeline);
    const latencyCpu = used(cpuBefore);
    const latencyCommands = since(commandsBefore, await commandStats(redis));

    const { began } = await w.report();
    const jobs = await queue.getJobs(['completed'], 0, -1);
    const measure = (kind: string, cpu: Pass['cpu'], commands: Pass['commands']): Pass => {
      const timings: Timing[] = [];
      for (const job of jobs as Job[]) {
        const match = new RegExp(`^${kind}-(\\d+)-(\\d+)$`).exec(job.id ?? '');
        if (!match) continue;
        timings.push({
          chain: match[1]!,
          queued: job.timestamp,
          claimed: job.processedOn ?? Number.NaN,
          started: began[job.id!] ?? Number.NaN,
          finished: job.finishedOn ?? Number.NaN,
        });
      }
      return {
        jobs: timings,
        from: Math.min(...timings.map((t) => t.queued)),
        to: Math.max(...timings.map((t) => t.finished)),
        cpu,
        commands,
      };
    };
    await w.stop();
    return {
      throughput: measure('tp', throughputCpu, throughputCommands),
      latency: measure('lat', latencyCpu, latencyCommands),
    };
  } finally {
    w.kill();
    await events.close();
    await queue.close();
  }
}

// ---------------------------------------------------------------------------------------------
// processes

interface Worker {
  pid: number | undefined;
  report(): Promise<{ began: Record<string, number>; entered: Record<string, number>; calls: Calls }>;
  stop(): Promise<void>;
  kill(): void;
}

/** A bench/dispatch-worker.js child, its output in `logFile`; resolves once it is ready. */
async function worker(logFile: string, start: WorkerStart): Promise<Worker> {
  const fd = openSync(logFile, 'a');
  let proc: ChildProcess;
  try {
    proc = fork(fileURLToPath(new URL('./dispatch-worker.js', import.meta.url)), [], {
      stdio: ['ignore', fd, fd, 'ipc'],
      execArgv: profileArgs(),
    });
  } finally {
    closeSync(fd);
  }
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const tail = async () => `; its log ends:\n${await logTail(logFile)}`;
  proc.send(start);
  await Promise.race([
    new Promise((resolve) => proc.once('message', resolve)),
    exited.then(async (code) => {
      throw new Error(`the ${start.role} worker exited with ${code} before it was ready${await tail()}`);
    }),
  ]);
  return {
    pid: proc.pid,
    report: () => {
      const answer = new Promise((resolve) => proc.once('message', resolve));
      proc.send('report');
      return answer as ReturnType<Worker['report']>;
    },
    stop: async () => {
      if (proc.exitCode !== null) return;
      proc.send('stop');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
      const code = await exited;
      clearTimeout(timer);
      if (code !== 0)
        throw new Error(`the ${start.role} worker exited with ${code} when stopped${await tail()}`);
    },
    kill: () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    },
  };
}

/** `albs serve`, the built CLI, its output appended to `logFile`; stop() is SIGTERM and waits for the exit. */
function serveProcess(
  config: string,
  logFile: string,
): { pid: number | undefined; stop(): Promise<void>; kill(): void } {
  const fd = openSync(logFile, 'a');
  let proc: ChildProcess;
  try {
    proc = spawn(process.execPath, [...profileArgs(), ALBS, 'serve', '--config', config], {
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return {
    pid: proc.pid,
    stop: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
    kill: () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    },
  };
}

/** BENCH_DISPATCH_PROFILE=DIR: every child writes a CPU profile there (node --cpu-prof), to see where the time goes. */
function profileArgs(): string[] {
  const dir = process.env.BENCH_DISPATCH_PROFILE;
  return dir ? ['--cpu-prof', '--cpu-prof-dir', dir] : [];
}

/** INFO commandstats: calls per command since Redis started (or CONFIG RESETSTAT). */
async function commandStats(redis: Redis): Promise<Record<string, number>> {
  const calls: Record<string, number> = {};
  for (const match of (await redis.info('commandstats')).matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm))
    calls[match[1]!] = Number(match[2]);
  return calls;
}

function since(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const calls: Record<string, number> = {};
  for (const [name, count] of Object.entries(after)) {
    const more = count - (before[name] ?? 0);
    if (more > 0) calls[name] = more;
  }
  return calls;
}

/** CPU time (user + system) process `pid` has used, in ms, from /proc; undefined where there is none. */
function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command's closing parenthesis: state is the 3rd field, utime the 14th, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // In clock ticks of USER_HZ, which Linux fixes at 100 for user space.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

async function logTail(file: string): Promise<string> {
  return (await readFile(file, 'utf8').catch(() => '')).trim().split('\n').slice(-10).join('\n');
}

/** Polls `check` until it returns a value; throws after PASS_TIMEOUT_MS, with the log's tail. */
async function waitFor<T>(
  what: string,
  logFile: string | null,
  check: () => Promise<T | undefined>,
): Promise<T> {
  const end = Date.now() + PASS_TIMEOUT_MS;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end)
      throw new Error(
        `dispatch: gave up waiting for ${what} after ${PASS_TIMEOUT_MS / 1000} s${logFile ? `; ${logFile} ends:\n${await logTail(logFile)}` : ''}`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

// ---------------------------------------------------------------------------------------------
// figures

function report(shape: Shape, version: string, albs: Side, before: Side, after: Side, load: number[]): void {
  const n = shape.pipelines * shape.perPipeline;
  const rate = (p: Pass) => p.jobs.length / ((p.to - p.from) / 1000);
  const pooledRate = (a: Pass, b: Pass) =>
    (a.jobs.length + b.jobs.length) / ((a.to - a.from + b.to - b.from) / 1000);
  const albsRate = rate(albs.throughput);
  const bareRate = pooledRate(before.throughput, after.throughput);
  const spans = (passes: Pass[], span: (t: Timing) => number) =>
    percentiles(passes.flatMap((p) => p.jobs.map(span)));
  const bare = [before.latency, after.latency];
  const albsStart = spans([albs.latency], (t) => t.started - t.queued);
  const bareStart = spans(bare, (t) => t.started - t.queued);
  const albsClaim = spans([albs.latency], (t) => t.claimed - t.queued);
  const bareClaim = spans(bare, (t) => t.claimed - t.queued);
  const handled = spans([albs.latency], (t) => t.handled! - t.claimed);
  const startCall = spans([albs.latency], (t) => t.start![1] - t.start![0]);
  const setUp = spans([albs.latency], (t) => t.started - t.start![1]);
  // A job's step (processor) called → its successor queued: log, result, pipeline advance.
  const handoff = (passes: Pass[], span: (prev: Timing, next: Timing) => number) =>
    percentiles(passes.flatMap((p) => successors(p).map(([prev, next]) => span(prev, next))));
  const albsAdvance = handoff([albs.latency], (prev, next) => next.queued - prev.started);
  const bareAdvance = handoff(bare, (prev, next) => next.queued - prev.started);
  const toLog = spans([albs.latency], (t) => t.log![0] - t.started);
  const logCall = spans([albs.latency], (t) => t.log![1] - t.log![0]);
  const resultCall = spans([albs.latency], (t) => t.result![1] - t.result![0]);
  const toNext = handoff([albs.latency], (prev, next) => next.queued - prev.result![0]);
  // Whole ms: BullMQ's timestamps and the workers' notes are Date.now().
  const ms = (v: number) => `${v.toFixed(0)} ms`;
  const x = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
  const pair = (p: { p50: number; p99: number }) => `p50 ${ms(p.p50)}, p99 ${ms(p.p99)}`;
  const verdict = (met: boolean) => (met ? 'met' : 'NOT met');
  const out = [
    `dispatch: ${n} no-op jobs per pass (${shape.pipelines} pipelines of ${shape.perPipeline}), albs serve (redis:) + ${RUNNERS} albs runners (concurrency ${CONCURRENCY} each, the build step a no-op, no sandbox) against a bare BullMQ Queue + Worker (concurrency ${RUNNERS * CONCURRENCY}, no-op processor), each worker and server a child process, Redis ${version} db ${DB};` +
      ` bare BullMQ run before and after albs and pooled; ${availableParallelism()} cores, load average ${load[0]!.toFixed(1)} before, ${load[1]!.toFixed(1)} after`,
    `dispatch throughput (every job queued at once; first queued to last pipeline finished): albs ${albsRate.toFixed(0)} jobs/s (${((albs.throughput.to - albs.throughput.from) / 1000).toFixed(2)} s),` +
      ` bare BullMQ ${bareRate.toFixed(0)} jobs/s (before ${rate(before.throughput).toFixed(0)}, after ${rate(after.throughput).toFixed(0)}): albs is ${x(albsRate, bareRate)} bare BullMQ`,
    `dispatch start latency (pipelines with max-parallel: 1, so every job finds a free slot; queued -> step called, 1 ms resolution): albs ${pair(albsStart)}; bare BullMQ (queued -> processor called) ${pair(bareStart)}: albs/bare p50 ${x(albsStart.p50, bareStart.p50)}, p99 ${x(albsStart.p99, bareStart.p99)}`,
    `dispatch albs start latency by part: queued -> claimed (BullMQ processedOn) ${pair(albsClaim)} (bare ${pair(bareClaim)}); claimed -> runner's handler called ${pair(handled)}; POST start, sent -> answered ${pair(startCall)}; answered -> step called (source, workspace, log file) ${pair(setUp)}`,
    `dispatch pipeline advance (a job's step called -> the next job of its pipeline queued): albs ${pair(albsAdvance)}; bare BullMQ (processor called -> next added from QueueEvents) ${pair(bareAdvance)}: albs/bare p50 ${x(albsAdvance.p50, bareAdvance.p50)}`,
    `dispatch albs advance by part: step called -> log batch sent ${pair(toLog)}; POST log, sent -> answered ${pair(logCall)}; POST result, sent -> answered ${pair(resultCall)}; result sent -> next job queued ${pair(toNext)}`,
    `dispatch CPU per job in the throughput pass (user + system): ${cpuLine(albs.throughput, [before.throughput, after.throughput])}`,
    `dispatch Redis commands per job in the throughput pass (INFO commandstats, every client of that Redis): ${commandsLine(albs.throughput, [before.throughput, after.throughput])}`,
    `dispatch goals: throughput >= 0.5x bare BullMQ ${verdict(albsRate >= 0.5 * bareRate)} (${x(albsRate, bareRate)}); start latency p50 < 10 ms ${verdict(albsStart.p50 < 10)} (${ms(albsStart.p50)}); p99 < 50 ms ${verdict(albsStart.p99 < 50)} (${ms(albsStart.p99)})`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

function cpuLine(albs: Pass, bare: Pass[]): string {
  if (!albs.cpu || bare.some((p) => !p.cpu)) return 'not measured (no /proc)';
  const per = (ms: number, jobs: number) => ms / jobs;
  const jobs = bare.reduce((n, p) => n + p.jobs.length, 0);
  const serve = per(albs.cpu.queueing, albs.jobs.length);
  const runners = per(albs.cpu.working, albs.jobs.length);
  const worker = per(
    bare.reduce((t, p) => t + p.cpu!.working, 0),
    jobs,
  );
  const queueing = per(
    bare.reduce((t, p) => t + p.cpu!.queueing, 0),
    jobs,
  );
  const f = (ms: number) => `${ms.toFixed(2)} ms`;
  return (
    `albs serve ${f(serve)} + the runners ${f(runners)} = ${f(serve + runners)};` +
    ` bare BullMQ worker ${f(worker)} + the process queueing its jobs ${f(queueing)} = ${f(worker + queueing)}: albs/bare ${((serve + runners) / (worker + queueing)).toFixed(1)}x (Redis's own CPU not counted)`
  );
}

function commandsLine(albs: Pass, bare: Pass[]): string {
  const perJob = (passes: Pass[]) => {
    const jobs = passes.reduce((n, p) => n + p.jobs.length, 0);
    const calls: Record<string, number> = {};
    for (const p of passes)
      for (const [name, n] of Object.entries(p.commands)) calls[name] = (calls[name] ?? 0) + n;
    const total = Object.values(calls).reduce((a, b) => a + b, 0) / jobs;
    const top = Object.entries(calls)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([name, n]) => `${name} ${(n / jobs).toFixed(1)}`)
      .join(', ');
    return { total, text: `${total.toFixed(1)} (${top})` };
  };
  const a = perJob([albs]);
  const b = perJob(bare);
  return `albs ${a.text}; bare BullMQ ${b.text}: albs/bare ${(a.total / b.total).toFixed(1)}x`;
}

/** In each chain (pipeline), every job with the one queued after it. */
function successors(pass: Pass): [Timing, Timing][] {
  const chains = new Map<string, Timing[]>();
  for (const t of pass.jobs) chains.set(t.chain, [...(chains.get(t.chain) ?? []), t]);
  const pairs: [Timing, Timing][] = [];
  for (const jobs of chains.values()) {
    jobs.sort((a, b) => a.queued - b.queued || a.started - b.started);
    for (let i = 1; i < jobs.length; i++) pairs.push([jobs[i - 1]!, jobs[i]!]);
  }
  return pairs;
}

/** Nearest-rank percentiles; NaN (a time never seen) counts as past every other. */
function percentiles(values: number[]): { p50: number; p99: number } {
  if (values.length === 0) return { p50: Number.NaN, p99: Number.NaN };
  const sorted = values.map((v) => (Number.isNaN(v) ? Number.POSITIVE_INFINITY : v)).sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
  return { p50: at(50), p99: at(99) };
}

function envCount(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name}=${text} is not a whole number above 0`);
  return value;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchDispatch();
