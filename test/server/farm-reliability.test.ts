/**
 * The farm when parts of it die: a runner killed mid-build, a signer that is not there, a server
 * replica killed mid-pipeline, a delivery given to two replicas at once, Redis restarted.
 * Every process is the real CLI; each test has a Redis database (or server) of its own.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, execaSync, type ResultPromise } from 'execa';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { PLAN_VERSION } from '../../src/plan/types.js';
import { BullmqJobQueue } from '../../src/queue/bullmq/bullmq-job-queue.js';
import { signJob } from '../runner/helpers.js';
import {
  connectedRunners,
  type Farm,
  type FarmWorker,
  fakeGitea,
  farmConfig,
  freePort,
  giteaPush,
  latestStatuses,
  NAME,
  OWNER,
  type PackageRepo,
  packageRepo,
  type Serve,
  sendGitea,
  startFarmWorker,
  startServe,
  TINY_SPEC,
  waitFor,
} from './farm.js';

const ALBS_YML = `version: 1
on:
  tags: ["v*"]
sign: {key: release}
publish:
  - repo: tiny
    when: tag
`;

/** The tiny package with a build that takes a while: long enough to kill something during it. */
const SLOW_SPEC = TINY_SPEC.replace('%install', '%build\nsleep 6\n\n%install');

function redisUrl(db: number): string {
  const url = new URL(inject('redisUrl'));
  url.pathname = `/${db}`;
  return url.toString();
}

async function flush(url: string): Promise<void> {
  const client = new Redis(url);
  await client.flushdb();
  client.disconnect();
}

interface Cluster {
  gitea: Awaited<ReturnType<typeof fakeGitea>>;
  repo: PackageRepo;
  farm: Farm;
  serve: Serve;
  workers: Map<string, FarmWorker>;
  cloneUrl: string;
}

const running: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of running.splice(0).reverse()) await stop();
});

/** A package repo, a fake Gitea, `albs serve` on `redis` and the named workers, all connected. */
async function cluster(redis: string, workers: string[], spec = SLOW_SPEC, extra = ''): Promise<Cluster> {
  await flush(redis);
  const repo = packageRepo(ALBS_YML);
  if (spec !== TINY_SPEC) {
    repo.commit({ [`${NAME}.spec`]: spec }, 'the spec of this test');
    repo.push();
  }
  const gitea = await fakeGitea(repo.base);
  const farm = await farmConfig(gitea.url, extra, {
    redis,
    workers: { 'runner-1': 'runner', 'runner-2': 'runner', signer: 'signer' },
  });
  const serve = (await startServe(farm)).child;
  const started = new Map<string, FarmWorker>();
  for (const name of workers) started.set(name, startFarmWorker(farm, redis, name));
  const c: Cluster = {
    gitea,
    repo,
    farm,
    serve,
    workers: started,
    cloneUrl: `${gitea.url}/${OWNER}/${NAME}.git`,
  };
  running.push(async () => {
    for (const w of c.workers.values()) w.kill('SIGKILL');
    c.serve.kill('SIGKILL');
    const all = await Promise.all([...c.workers.values(), c.serve]);
    if (process.env.ALBS_TEST_VERBOSE) for (const r of all) process.stderr.write(`${r.all}\n`);
    gitea.server.close();
    await flush(redis);
  });
  await waitFor('the workers to be connected', async () => {
    const names = (await connectedRunners(farm.publicUrl)).map((r) => r.name);
    return workers.every((w) => names.includes(w)) ? names : undefined;
  });
  return c;
}

/**
 * Tags and pushes; with `release`, a commit first that gives the package that Release: a published
 * package never changes under one name, so a second pipeline that publishes needs its own.
 */
async function push(c: Cluster, tag: string, delivery: string, release?: number): Promise<string> {
  if (release !== undefined) {
    const spec = readFileSync(join(c.repo.work, `${NAME}.spec`), 'utf8');
    c.repo.commit(
      { [`${NAME}.spec`]: spec.replace(/^Release: .*$/m, `Release: ${release}`) },
      `release ${release}`,
    );
  }
  const url = c.farm.publicUrl;
  const sha = c.repo.tag(tag);
  c.repo.push();
  const res = await sendGitea(url, 'push', giteaPush(c.cloneUrl, `refs/tags/${tag}`, sha), delivery);
  expect([200, 202]).toContain(res.status);
  return sha;
}

// biome-ignore lint/suspicious/noExplicitAny: JSON records
async function record(url: string, sha: string): Promise<any> {
  const { pipelines } = (await (await fetch(`${url}/api/v1/pipelines`)).json()) as {
    pipelines: { id: string; source: { sha: string } }[];
  };
  const found = pipelines.find((p) => p.source.sha === sha);
  return found ? (await fetch(`${url}/api/v1/pipelines/${found.id}`)).json() : undefined;
}

async function finished(c: Cluster, sha: string, ms = 150_000) {
  return waitFor(
    'every status to finish',
    () => {
      const latest = latestStatuses(c.gitea.statuses, sha);
      return latest.albs && Object.values(latest).every((s) => s.state !== 'pending') ? latest : undefined;
    },
    ms,
  );
}

const states = (latest: Record<string, { state: string }>) =>
  Object.fromEntries(Object.entries(latest).map(([context, s]) => [context, s.state]));

const ALL_SUCCESS = {
  'albs/build': 'success',
  'albs/sign (tiny)': 'success',
  'albs/publish (tiny)': 'success',
  albs: 'success',
};

describe('the farm when parts of it die', () => {
  it('a runner killed with SIGKILL mid-build: its job goes back to the queue, the other runner completes it, nothing is published twice', async () => {
    const c = await cluster(redisUrl(4), ['runner-1', 'runner-2', 'signer']);
    const sha = await push(c, 'v1.0', 'kill-runner');
    const holder = await waitFor('the build to start', async () => {
      const build = (await record(c.farm.publicUrl, sha))?.jobs.find((j: { id: string }) => j.id === 'build');
      return build?.attempts[0]?.runner as string | undefined;
    });
    c.workers.get(holder)!.kill('SIGKILL');
    const latest = await finished(c, sha);
    expect(states(latest)).toEqual(ALL_SUCCESS);
    const r = await record(c.farm.publicUrl, sha);
    const build = r.jobs.find((j: { id: string }) => j.id === 'build');
    const other = holder === 'runner-1' ? 'runner-2' : 'runner-1';
    expect(build.attempts.map((a: { runner: string; outcome: string }) => [a.runner, a.outcome])).toEqual([
      [holder, 'error'],
      [other, 'success'],
    ]);
    const publish = r.jobs.find((j: { id: string }) => j.id === 'publish.tiny');
    expect(publish.attempts).toHaveLength(1);
    const packages = readdirSync(join(c.farm.dataDir, 'repos', 'tiny'), { recursive: true }).filter((f) =>
      String(f).endsWith('.noarch.rpm'),
    );
    expect(packages).toHaveLength(1);
  }, 240_000);

  it('a runner told SIGTERM finishes its build and exits; told twice, it cancels the build and says so', async () => {
    const c = await cluster(redisUrl(10), ['runner-1', 'signer']);
    const sha = await push(c, 'v1.0', 'drain');
    await waitFor('the build to start', async () => {
      const build = (await record(c.farm.publicUrl, sha))?.jobs.find((j: { id: string }) => j.id === 'build');
      return build?.state === 'running' ? true : undefined;
    });
    const runner = c.workers.get('runner-1')!;
    runner.kill('SIGTERM');
    expect(states(await finished(c, sha))).toEqual(ALL_SUCCESS);
    const drained = await runner;
    expect(drained.exitCode).toBe(0);
    expect(drained.all).toContain('no new jobs');
    const build = (await record(c.farm.publicUrl, sha)).jobs.find((j: { id: string }) => j.id === 'build');
    expect(build.attempts.map((a: { runner: string; outcome: string }) => [a.runner, a.outcome])).toEqual([
      ['runner-1', 'success'],
    ]);

    c.workers.set('runner-1', startFarmWorker(c.farm, redisUrl(10), 'runner-1'));
    const next = await push(c, 'v2.0', 'cancel', 2);
    await waitFor('the build to start', async () => {
      const job = (await record(c.farm.publicUrl, next))?.jobs.find((j: { id: string }) => j.id === 'build');
      return job?.state === 'running' ? true : undefined;
    });
    const again = c.workers.get('runner-1')!;
    again.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    again.kill('SIGTERM');
    const latest = await finished(c, next);
    expect(latest['albs/build']!.state).toBe('error');
    expect(latest['albs/build']!.description).toMatch(/^cancelled: the runner was stopped/);
    expect((await again).exitCode).toBe(0);
  }, 180_000);

  it("concurrency.cancel-in-progress: the older pipeline's build running on a runner is stopped, the newer one succeeds", async () => {
    const c = await cluster(redisUrl(11), ['runner-1', 'runner-2', 'signer'], TINY_SPEC);
    const yml = `version: 1
on: {branches: [feature]}
concurrency: {cancel-in-progress: true}
`;
    execaSync('git', ['checkout', '-q', '-b', 'feature', 'main'], { cwd: c.repo.work });
    const slow = c.repo.commit(
      { '.albs.yml': yml, [`${NAME}.spec`]: TINY_SPEC.replace('%install', '%build\nsleep 60\n\n%install') },
      'slow',
    );
    execaSync('git', ['push', '-q', 'origin', 'feature'], { cwd: c.repo.work });
    await sendGitea(c.farm.publicUrl, 'push', giteaPush(c.cloneUrl, 'refs/heads/feature', slow), 'c-1');
    await waitFor('the slow build to run', () =>
      latestStatuses(c.gitea.statuses, slow)['albs/build']?.description === 'running' ? true : undefined,
    );
    const fast = c.repo.commit({ [`${NAME}.spec`]: TINY_SPEC }, 'fast');
    execaSync('git', ['push', '-q', 'origin', 'feature'], { cwd: c.repo.work });
    await sendGitea(c.farm.publicUrl, 'push', giteaPush(c.cloneUrl, 'refs/heads/feature', fast, slow), 'c-2');
    const older = await finished(c, slow);
    expect(older['albs/build']?.description).toMatch(/superseded by pipeline/);
    const build = (await record(c.farm.publicUrl, slow)).jobs.find((j: { id: string }) => j.id === 'build');
    // The runner stopped the build: its attempt ended cancelled, not after the 60 s it would take.
    expect(build.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['cancelled']);
    expect((await finished(c, fast)).albs?.state).toBe('success');
  }, 180_000);

  it('a sign job put on albs:sign by someone else than the server (a runner can write to Redis) signs nothing', async () => {
    const redis = redisUrl(12);
    const c = await cluster(redis, ['runner-1', 'signer']);
    const sha = await push(c, 'v1.0', 'forged-sign');
    const running = await waitFor('the build to start', async () => {
      const r = await record(c.farm.publicUrl, sha);
      return r?.jobs.find((j: { id: string }) => j.id === 'build')?.state === 'running' ? r : undefined;
    });
    // Before the server queues the real sign job, a forged one takes its id, with a payload of its own.
    const queue = await BullmqJobQueue.create({ connection: redis });
    try {
      await queue.enqueue({
        planVersion: PLAN_VERSION,
        pipelineId: running.id,
        trigger: { event: 'tag', ref: 'v1.0' },
        job: signJob({ id: 'sign.tiny', key: 'release', repo: 'tiny', builds: ['build'] }),
        inputs: {},
        digests: {},
      });
    } finally {
      await queue.close();
    }
    const latest = await finished(c, sha);
    expect(latest['albs/sign (tiny)']!.state).toBe('failure');
    expect(latest['albs/publish (tiny)']!.state).not.toBe('success');
    const signed = (await record(c.farm.publicUrl, sha)).jobs.find(
      (j: { id: string }) => j.id === 'sign.tiny',
    );
    expect(signed.reason).toContain('is not one this server hands out now');
    expect(signed.artifacts).toEqual([]);
  }, 180_000);

  it('no signer: sign jobs wait and their status says so; a signer that comes finishes them, and signs nothing for anyone but the server', async () => {
    const c = await cluster(redisUrl(5), ['runner-1'], TINY_SPEC);
    const sha = await push(c, 'v1.0', 'no-signer');
    const waiting = await waitFor('the sign status to say it waits', () => {
      const sign = latestStatuses(c.gitea.statuses, sha)['albs/sign (tiny)'];
      return sign?.description.includes('waiting for a signer') ? sign : undefined;
    });
    expect(waiting.state).toBe('pending');
    c.workers.set('signer', startFarmWorker(c.farm, redisUrl(5), 'signer'));
    expect(states(await finished(c, sha))).toEqual(ALL_SUCCESS);

    // Whoever else can write to Redis (a runner: BullMQ needs it) gets nothing signed: the signer
    // takes only the server's requests, which carry a MAC by its token.
    const queue = await BullmqJobQueue.create({ connection: redisUrl(5) });
    try {
      const forged = queue.request(
        'albs:sign',
        'sign-metadata',
        { key: 'release', op: 'detached', data: Buffer.from('a forged repomd.xml').toString('base64') },
        30_000,
      );
      await expect(forged).rejects.toThrow(/signs only requests of the farm's server/);
    } finally {
      await queue.close();
    }
  }, 180_000);

  it('a job that no connected runner can take ends in error after runner-wait, and nothing is published', async () => {
    const c = await cluster(redisUrl(6), ['signer'], TINY_SPEC, 'runner-wait: 3s');
    const sha = await push(c, 'v1.0', 'no-runner');
    const latest = await finished(c, sha, 60_000);
    expect(latest['albs/build']!.state).toBe('error');
    expect(latest['albs/build']!.description).toMatch(/runner-wait/);
    expect(latest['albs/publish (tiny)']!.state).not.toBe('success');
    expect(latest.albs!.state).not.toBe('success');
  }, 120_000);

  it('two replicas: one delivery given to both makes one pipeline; killing the one that took it mid-pipeline loses nothing', async () => {
    const redis = redisUrl(7);
    const a = await cluster(redis, []);
    // Replica B: the same data-dir and Redis, another port; the runners and the signer report to it.
    const portB = await freePort();
    const configB = join(a.farm.dir, 'server-b.yml');
    const text = readFileSync(a.farm.configFile, 'utf8');
    writeFileSync(
      configB,
      text
        .replace(/^listen: .*$/m, `listen: 127.0.0.1:${portB}`)
        .replace(/^public-url: .*$/m, `public-url: http://127.0.0.1:${portB}`),
    );
    const urlB = `http://127.0.0.1:${portB}`;
    const b = (await startServe({ ...a.farm, configFile: configB, port: portB, publicUrl: urlB })).child;
    running.push(async () => {
      b.kill('SIGKILL');
      await b;
    });
    for (const name of ['runner-1', 'runner-2', 'signer'])
      a.workers.set(name, startFarmWorker(a.farm, redis, name, urlB));
    await waitFor('the workers to be connected', async () =>
      (await connectedRunners(urlB)).length === 3 ? true : undefined,
    );
    const sha = a.repo.tag('v1.0');
    a.repo.push();
    const payload = giteaPush(a.cloneUrl, 'refs/tags/v1.0', sha);
    const answers = await Promise.all([
      sendGitea(a.farm.publicUrl, 'push', payload, 'twice'),
      sendGitea(urlB, 'push', payload, 'twice'),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 202]);
    expect(states(await finished(a, sha))).toEqual(ALL_SUCCESS);
    const { pipelines } = (await (await fetch(`${urlB}/api/v1/pipelines`)).json()) as {
      pipelines: { source: { sha: string } }[];
    };
    expect(pipelines.filter((p) => p.source.sha === sha)).toHaveLength(1);

    // A takes the next delivery and starts its pipeline; it dies while the build runs; B carries on.
    const next = await push(a, 'v2.0', 'to-a-only', 2);
    await waitFor('the build to start', async () => {
      const build = (await record(urlB, next))?.jobs.find((j: { id: string }) => j.id === 'build');
      return build?.state === 'running' ? true : undefined;
    });
    a.serve.kill('SIGKILL');
    expect(states(await finished(a, next))).toEqual(ALL_SUCCESS);
    const done = await record(urlB, next);
    expect(done.result).toBe('success');
  }, 240_000);

  it('Redis restarted mid-pipeline (appendonly yes): every pipeline completes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'albs-redis-'));
    const port = await freePort();
    const startRedis = (): ResultPromise =>
      execa(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''],
        {
          reject: false,
        },
      );
    let server = startRedis();
    running.push(async () => {
      server.kill('SIGKILL');
      await server;
    });
    const url = `redis://127.0.0.1:${port}/0`;
    await waitFor('redis to answer', async () => {
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => {});
      const ok = await probe.connect().then(
        () => probe.ping(),
        () => undefined,
      );
      probe.disconnect();
      return ok;
    });
    const c = await cluster(url, ['runner-1', 'runner-2', 'signer']);
    const first = await push(c, 'v1.0', 'redis-1');
    const second = await push(c, 'v2.0', 'redis-2', 2);
    await waitFor('a build to start', async () => {
      const build = (await record(c.farm.publicUrl, first))?.jobs.find(
        (j: { id: string }) => j.id === 'build',
      );
      return build?.state === 'running' ? true : undefined;
    });
    await execa('redis-cli', ['-p', String(port), 'shutdown']);
    await server;
    server = startRedis();
    for (const sha of [first, second]) expect(states(await finished(c, sha))).toEqual(ALL_SUCCESS);
  }, 300_000);
});
