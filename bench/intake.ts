/**
 * Webhook intake under load: N signed pushes at a set rate (BENCH_INTAKE_N, default 300;
 * BENCH_INTAKE_RATE per second, default 100) against `albs serve`, and the same load against the
 * bare Probot app a GitHub App would otherwise start from (createNodeMiddleware, a push handler
 * that does nothing), each server in a child process of its own, the sender open loop in this one.
 *
 * albs serve runs with a fake Gitea on loopback (git over smart HTTP, statuses noted as they
 * arrive). Every delivery pushes a new tag of one repository whose commits are all in the git cache
 * already (a push of main, sent first, fetched them), each tag on its own commit, since statuses are
 * per commit. Its .albs.yml makes four build jobs with no needs. The jobs are queued, not run: the
 * runner has one slot, which the first job of main's pipeline takes and keeps (its build prints a
 * marker and sleeps; the bench waits for the marker, so no build uses CPU while it measures).
 *
 * Measured per delivery: the answer (request sent to response received, the delivery journal's
 * fsync included); from the 202 until the fake Gitea has a pending status for each build job and
 * the summary `albs` of the tag's commit; from the 202 until the four jobs are in the job queue
 * (noted in the server's process as they enter it, wall clock); and the later of the two.
 * BENCH_INTAKE_KEEP=1 keeps the work directory (the servers' logs, albs serve's data dir).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readFile, rm, statfs, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerConfig } from '../src/server/server-config.js';
import type { LoopDelay } from './intake-child.js';
import {
  type Answer,
  CONTEXTS,
  type Delivery,
  type FakeGitea,
  fakeGitea,
  freePort,
  giteaPush,
  HOLDING,
  NAME,
  OWNER,
  packageRepo,
  sendAtRate,
  signedDelivery,
} from './intake-farm.js';

/** The build jobs of each pipeline: every context but the summary. */
const JOBS = CONTEXTS.length - 1;
/** Deliveries sent to each server before the measured ones: JIT, connections, caches. */
const WARM = 10;
const SECRET = 'bench-intake-webhook-secret';
const GITEA_TOKEN = 'bench-intake-gitea-token';
/**
 * Longest wait for the measured pipelines' statuses after the last answer: what is not there by then
 * counts as later than that. It keeps the bench near a minute where intake falls far behind.
 */
const SETTLE_MS = 30_000;

interface Side {
  answers: Answer[];
  /** The server's event-loop delay while the measured deliveries came in. */
  loop: LoopDelay;
}

/** Per measured delivery, ms from its 202; undefined: not within SETTLE_MS. */
interface AlbsSide extends Side {
  /** Until the forge has a pending status for every context of the tag's commit. */
  pending: (number | undefined)[];
  /** Until every job of its pipeline is in the job queue. */
  queued: (number | undefined)[];
  /** Measured pipelines whose four jobs were all still queued at the end. */
  stillQueued: number;
}

export async function benchIntake(): Promise<void> {
  const n = envCount('BENCH_INTAKE_N', 300);
  const rate = envCount('BENCH_INTAKE_RATE', 100);
  const work = await mkdtemp(join(tmpdir(), 'albs-bench-intake-'));
  const loadBefore = loadavg()[0]!;
  try {
    const run = randomUUID().slice(0, 8);
    const warmTags = Array.from({ length: WARM }, (_, i) => `v0.${i}`);
    const tags = Array.from({ length: n }, (_, i) => `v1.${i}`);
    const repo = await packageRepo(join(work, 'git'), [...warmTags, ...tags]);
    const gitea = await fakeGitea(repo.root);
    try {
      const cloneUrl = `${gitea.url}/${OWNER}/${NAME}.git`;
      const push = (as: 'gitea' | 'github', tag: string, sha: string, id: string): Delivery => {
        const payload = giteaPush(cloneUrl, `refs/tags/${tag}`, sha);
        // A GitHub App's deliveries name the installation; Probot makes its Octokit from it.
        return signedDelivery(
          as,
          'push',
          as === 'github' ? { ...payload, installation: { id: 1 } } : payload,
          id,
          SECRET,
        );
      };
      const deliveries = (as: 'gitea' | 'github', side: string, list: { tag: string; sha: string }[]) =>
        list.map(({ tag, sha }) => push(as, tag, sha, `${run}-${side}-${tag}`));
      const warm = repo.tags.slice(0, WARM);
      const measured = repo.tags.slice(WARM);

      // The reference on both sides of albs: a busy spell of a shared machine shows as a difference.
      const before = await probotSide(work, 'before', rate, [
        deliveries('github', 'probot-before', warm),
        deliveries('github', 'probot-before', measured),
      ]);
      const albs = await albsSide(work, gitea, cloneUrl, repo.main, rate, run, [
        deliveries('gitea', 'albs', warm),
        deliveries('gitea', 'albs', measured),
      ]);
      const after = await probotSide(work, 'after', rate, [
        deliveries('github', 'probot-after', warm),
        deliveries('github', 'probot-after', measured),
      ]);
      await report(work, n, rate, albs, before, after, [loadBefore, loadavg()[0]!]);
    } finally {
      gitea.server.closeAllConnections();
      gitea.server.close();
    }
  } finally {
    if (process.env.BENCH_INTAKE_KEEP) process.stdout.write(`intake: kept ${work}\n`);
    else await rm(work, { recursive: true, force: true });
  }
}

async function albsSide(
  work: string,
  gitea: FakeGitea,
  cloneUrl: string,
  main: string,
  rate: number,
  run: string,
  [warm, measured]: [Delivery[], Delivery[]],
): Promise<AlbsSide> {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const file = join(work, 'server.yml');
  // The sandbox hides the config file from builds: it has to exist. The config itself is below.
  await writeFile(file, '# bench/intake.ts gives albs serve its ServerConfig in code.\n');
  const config: ServerConfig = {
    file,
    listen: { host: '127.0.0.1', port },
    publicUrl,
    dataDir: join(work, 'albs-data'),
    gitea: { url: gitea.url },
    runnerWaitMs: 60 * 60 * 1000,
    embeddedRunner: true,
    allow: [],
    runner: { concurrency: 1 },
    cache: { maxSize: 1024 ** 3 },
    keep: 3,
    statuses: { maxJobContexts: 64 },
  };
  const logFile = join(work, 'albs-serve.log');
  const server = await child('./intake-albs.js', logFile, {
    config,
    giteaToken: GITEA_TOKEN,
    giteaWebhookSecret: SECRET,
  });
  try {
    if (server.port !== port) throw new Error(`albs serve listens on ${server.port}, not ${port}`);
    const hook = `${publicUrl}/api/gitea/webhooks`;
    // main first: its fetch brings every tagged commit into the git cache, its first job takes the
    // runner's one slot and holds it.
    const mainDelivery = signedDelivery(
      'gitea',
      'push',
      giteaPush(cloneUrl, 'refs/heads/main', main),
      `${run}-albs-main`,
      SECRET,
    );
    expectAccepted('albs serve', await sendAtRate(hook, [mainDelivery], rate), 202);
    await waitForHolder(publicUrl, main, logFile);
    await settle(gitea, [main], 'main');

    const shaOf = (d: Delivery) => (JSON.parse(d.body.toString('utf8')) as { after: string }).after;
    const warmShas = warm.map(shaOf);
    const warmDone = warmShas.map((sha) => gitea.whenPending(sha));
    expectAccepted('albs serve', await sendAtRate(hook, warm, rate), 202);
    await settle(gitea, warmShas, 'the warm-up', warmDone);

    const shas = measured.map(shaOf);
    const done = shas.map((sha) => gitea.whenPending(sha));
    server.measure();
    const answers = await sendAtRate(hook, measured, rate);
    const loop = await server.stats();
    expectAccepted('albs serve', answers, 202);
    const deadline = performance.now() + SETTLE_MS;
    const arrived = await within(done, SETTLE_MS);
    const pending = arrived.map((at, i) => (at === undefined ? undefined : at - answers[i]!.answeredAt));

    // Then until every measured pipeline's jobs are in the queue, within the same deadline.
    let pipelines: PipelineSummary[] = [];
    let enqueued: Record<string, number[]> = {};
    for (;;) {
      pipelines = await listPipelines(publicUrl);
      enqueued = (await server.report('enqueued')) as Record<string, number[]>;
      const ids = new Map(pipelines.map((p) => [p.source.sha, p.id]));
      const all = shas.every((sha) => (enqueued[ids.get(sha) ?? '']?.length ?? 0) >= JOBS);
      if (all || performance.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const bySha = new Map(pipelines.map((p) => [p.source.sha, p]));
    const queued = shas.map((sha, i) => {
      const times = enqueued[bySha.get(sha)?.id ?? ''] ?? [];
      if (times.length < JOBS) return undefined;
      return Math.max(...times) - (performance.timeOrigin + answers[i]!.answeredAt);
    });
    const stillQueued = shas.filter((sha) => {
      const jobs = bySha.get(sha)?.jobs ?? [];
      return jobs.length === JOBS && jobs.every((j) => j.state === 'queued');
    }).length;
    await server.close();
    return { answers, loop, pending, queued, stillQueued };
  } finally {
    server.kill();
  }
}

async function probotSide(
  work: string,
  label: string,
  rate: number,
  [warm, measured]: [Delivery[], Delivery[]],
): Promise<Side> {
  const server = await child('./intake-probot.js', join(work, `probot-${label}.log`), { secret: SECRET });
  try {
    const hook = `http://127.0.0.1:${server.port}/api/github/webhooks`;
    expectAccepted('the Probot app', await sendAtRate(hook, warm, rate), 200);
    server.measure();
    const answers = await sendAtRate(hook, measured, rate);
    const loop = await server.stats();
    expectAccepted('the Probot app', answers, 200);
    await server.close();
    return { answers, loop };
  } finally {
    server.kill();
  }
}

interface PipelineSummary {
  id: string;
  source: { sha: string };
  jobs: { state: string }[];
}

/** Every pipeline (the API returns at most 1000, which BENCH_INTAKE_N up to 989 stays within). */
async function listPipelines(publicUrl: string): Promise<PipelineSummary[]> {
  const answer = await fetch(`${publicUrl}/api/v1/pipelines?limit=1000`);
  return ((await answer.json()) as { pipelines: PipelineSummary[] }).pipelines;
}

/** The job holding the runner's slot has printed its marker: from now on it only sleeps. */
async function waitForHolder(publicUrl: string, sha: string, logFile: string): Promise<void> {
  const end = Date.now() + 120_000;
  let last = 'no pipeline yet';
  while (Date.now() < end) {
    const { pipelines } = (await (await fetch(`${publicUrl}/api/v1/pipelines?sha=${sha}`)).json()) as {
      pipelines: {
        id: string;
        result: string;
        reason: string | null;
        jobs: { id: string; state: string }[];
      }[];
    };
    const pipeline = pipelines[0];
    if (pipeline) {
      last = `pipeline ${pipeline.result}${pipeline.reason ? `: ${pipeline.reason}` : ''}, jobs ${pipeline.jobs.map((j) => j.state).join(' ')}`;
      if (pipeline.result !== 'queued' && pipeline.result !== 'running') break;
      const running = pipeline.jobs.find((j) => j.state === 'running');
      if (running) {
        const log = await fetch(`${publicUrl}/api/v1/pipelines/${pipeline.id}/jobs/${running.id}/log`);
        if (log.ok && (await log.text()).includes(HOLDING)) return;
      }
      if (pipeline.jobs.some((j) => !['queued', 'running', 'pending'].includes(j.state))) break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const tail = (await readFile(logFile, 'utf8').catch(() => '')).trim().split('\n').slice(-5).join('\n');
  throw new Error(
    `the build that holds the runner's slot never started its sleep (${last}); albs serve's log ends:\n${tail}`,
  );
}

/** Waits until every sha in `shas` has its pending statuses: the server is quiet before measuring. */
async function settle(
  gitea: FakeGitea,
  shas: string[],
  what: string,
  done = shas.map((s) => gitea.whenPending(s)),
) {
  const arrived = await within(done, SETTLE_MS);
  const missing = arrived.filter((a) => a === undefined).length;
  if (missing > 0)
    throw new Error(`${missing} pipelines of ${what} never had all their pending statuses posted`);
}

/** Each promise's value, or undefined for those not settled within `ms`. */
async function within<T>(promises: Promise<T>[], ms: number): Promise<(T | undefined)[]> {
  const values: (T | undefined)[] = promises.map(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(
      promises.map((p, i) =>
        p.then((v) => {
          values[i] = v;
        }),
      ),
    ),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
  return values;
}

interface Child {
  port: number;
  /** Starts the child's event-loop delay histogram afresh. */
  measure(): void;
  stats(): Promise<LoopDelay>;
  /** One of the child's own reports (bench/intake-albs.ts: "enqueued"). */
  report(name: string): Promise<unknown>;
  /** Asks the child to close its server and waits for it to exit (killing it after a minute). */
  close(): Promise<void>;
  kill(): void;
}

/** A bench/intake-*.js child with its output in `logFile`, started with `start`; resolves once it listens. */
async function child(script: string, logFile: string, start: unknown): Promise<Child> {
  const fd = openSync(logFile, 'a');
  let proc: ChildProcess;
  try {
    proc = fork(fileURLToPath(new URL(script, import.meta.url)), [], {
      stdio: ['ignore', fd, fd, 'ipc'],
      execArgv: [],
    });
  } finally {
    closeSync(fd);
  }
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const logTail = async () =>
    (await readFile(logFile, 'utf8').catch(() => '')).trim().split('\n').slice(-10).join('\n');
  proc.send(start as object);
  const port = await Promise.race([
    new Promise<number>((resolve) => proc.once('message', (m: { port: number }) => resolve(m.port))),
    exited.then(async (code) => {
      throw new Error(`${script} exited with ${code} before it listened; its log ends:\n${await logTail()}`);
    }),
  ]);
  const ask = (command: string) => {
    const answer = new Promise<unknown>((resolve) => proc.once('message', resolve));
    proc.send(command);
    return answer;
  };
  return {
    port,
    measure: () => proc.send('measure'),
    stats: () => ask('stats') as Promise<LoopDelay>,
    report: ask,
    close: async () => {
      if (proc.exitCode !== null) return;
      proc.send('close');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 60_000);
      const code = await exited;
      clearTimeout(timer);
      if (code !== 0)
        throw new Error(`${script} exited with ${code} on close; its log ends:\n${await logTail()}`);
    },
    kill: () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    },
  };
}

function expectAccepted(what: string, answers: Answer[], status: number): void {
  const bad = answers.filter((a) => a.status !== status);
  if (bad.length > 0) {
    throw new Error(
      `${what} answered ${bad.length} of ${answers.length} deliveries with other than ${status}, e.g. ${bad[0]!.status} ${bad[0]!.body.trim()}`,
    );
  }
}

async function report(
  work: string,
  n: number,
  rate: number,
  albs: AlbsSide,
  before: Side,
  after: Side,
  load: [number, number],
): Promise<void> {
  const answer = (s: Side) => s.answers.map((a) => a.answeredAt - a.sentAt);
  const a = percentiles(answer(albs));
  const b = percentiles(answer(before));
  const c = percentiles(answer(after));
  const probot = percentiles([...answer(before), ...answer(after)]);
  const both = albs.pending.map((p, i) => {
    const q = albs.queued[i];
    return p === undefined || q === undefined ? undefined : Math.max(p, q);
  });
  const all = percentiles(both);
  const pending = percentiles(albs.pending);
  const queued = percentiles(albs.queued);
  const late = Math.max(...[albs, before, after].flatMap((s) => s.answers.map((x) => x.lateMs)));
  const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : `over ${SETTLE_MS / 1000} s`);
  const ratio = (x: number, y: number) => `${(x / y).toFixed(1)}x`;
  const loop = (l: LoopDelay) => `p50 ${ms(l.p50)}, p99 ${ms(l.p99)}, max ${ms(l.max)}`;
  const fs = await fsName(work);
  const unfinished = (values: (number | undefined)[]) => {
    const missing = values.filter((v) => v === undefined).length;
    return missing > 0 ? ` (${missing} of ${n} not within ${SETTLE_MS / 1000} s of the last answer)` : '';
  };
  const out = [
    `intake: ${n} signed pushes at ${rate}/s per server after ${WARM} warm-up ones, open loop over keep-alive loopback, each server a child process;` +
      ` ${availableParallelism()} cores, load average ${load[0].toFixed(1)} before and ${load[1].toFixed(1)} after; data dir on ${fs}` +
      (fs === 'tmpfs' ? ' (where fsync costs nothing: the answers are faster than on a disk)' : ''),
    `intake answer (request sent to response received): albs serve p50 ${ms(a.p50)}, p99 ${ms(a.p99)} (202 once verified and journalled with fsync);` +
      ` bare Probot p50 ${ms(probot.p50)}, p99 ${ms(probot.p99)} (200 after its no-op push handler; run before albs p99 ${ms(b.p99)}, after ${ms(c.p99)});` +
      ` albs/Probot p50 ${ratio(a.p50, probot.p50)}, p99 ${ratio(a.p99, probot.p99)}`,
    `intake event-loop delay while the deliveries came in: albs serve ${loop(albs.loop)}; Probot ${loop(before.loop)} before, ${loop(after.loop)} after`,
    `intake until every job is queued and every pending status posted (from the 202; ${JOBS} build jobs and the summary per pipeline): p50 ${ms(all.p50)}, p99 ${ms(all.p99)}${unfinished(both)};` +
      ` the pending statuses at the fake Gitea p50 ${ms(pending.p50)}, p99 ${ms(pending.p99)}${unfinished(albs.pending)};` +
      ` the jobs in the queue p50 ${ms(queued.p50)}, p99 ${ms(queued.p99)}${unfinished(albs.queued)} (noted in the server process, wall clock)`,
    `intake: ${albs.stillQueued} of ${n} measured pipelines had every job still queued at the end (the runner's one slot is held by a sleeping build, so none ran); the sender left at most ${ms(late)} after a request's slot`,
    `intake goals at ${rate}/s: answer p99 <= 20 ms ${verdict(a.p99 <= 20)} (${ms(a.p99)}); answer p99 <= 3x bare Probot ${verdict(a.p99 <= 3 * probot.p99)} (${ratio(a.p99, probot.p99)}); all pending statuses posted p99 < 50 ms ${verdict(pending.p99 < 50)} (${ms(pending.p99)}; with every job queued too ${ms(all.p99)})`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

function verdict(met: boolean): string {
  return met ? 'met' : 'NOT met';
}

/** Nearest-rank percentiles; undefined is a value past every other (it never came: Infinity). */
function percentiles(values: (number | undefined)[]): { p50: number; p99: number } {
  if (values.length === 0) return { p50: Number.NaN, p99: Number.NaN };
  const sorted = values.map((v) => v ?? Number.POSITIVE_INFINITY).sort((x, y) => x - y);
  const at = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
  return { p50: at(50), p99: at(99) };
}

const FS_TYPES: Record<number, string> = {
  16914836: 'tmpfs',
  61267: 'ext4',
  1481003842: 'xfs',
  2435016766: 'btrfs',
  2035054128: 'overlayfs',
  801189825: 'zfs',
};

async function fsName(dir: string): Promise<string> {
  const { type } = await statfs(dir);
  return FS_TYPES[type] ?? `a filesystem of type 0x${type.toString(16)}`;
}

function envCount(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name}=${text} is not a whole number above 0`);
  return value;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchIntake();
