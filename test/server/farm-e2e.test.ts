import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dnfInstall } from '../helpers/dnf.js';
import {
  type Farm,
  type FarmWorker,
  fakeGitea,
  farmConfig,
  giteaPush,
  latestStatuses,
  NAME,
  OWNER,
  packageRepo,
  type Serve,
  sendGitea,
  startFarmWorker,
  startServe,
  startWorker,
  waitFor,
} from './farm.js';

const ALBS_YML = `version: 1
on:
  tags: ["v*"]
test: [install]
sign: {key: release}
publish:
  - repo: tiny
    when: tag
`;

/** A database of its own: the farm's keys (albs:*, bull:albs:*) are flushed before and after. */
function redisUrl(db: number): string {
  const url = new URL(inject('redisUrl'));
  url.pathname = `/${db}`;
  return url.toString();
}

describe('a farm: albs serve with Redis, two runners and a signer', () => {
  const redis = redisUrl(3);
  let gitea: Awaited<ReturnType<typeof fakeGitea>>;
  let farm: Farm;
  let serve: Serve;
  let sha: string;
  let cloneUrl: string;
  const workers: FarmWorker[] = [];

  beforeAll(async () => {
    const client = new Redis(redis);
    await client.flushdb();
    client.disconnect();
    const repo = packageRepo(ALBS_YML);
    sha = repo.tag('v1.0');
    repo.push();
    gitea = await fakeGitea(repo.base);
    cloneUrl = `${gitea.url}/${OWNER}/${NAME}.git`;
    farm = await farmConfig(gitea.url, '', {
      redis,
      workers: { 'runner-a': 'runner', 'runner-b': 'runner', signer: 'signer' },
    });
    serve = (await startServe(farm)).child;
    workers.push(
      startWorker(farm, redis, [
        'runner',
        '--name',
        'runner-a',
        '--labels',
        'x86_64',
        '--token-file',
        farm.tokenFiles['runner-a']!,
        '--work-dir',
        join(farm.dir, 'work-a'),
      ]),
      startWorker(farm, redis, [
        'runner',
        '--name',
        'runner-b',
        '--labels',
        'noarch',
        '--token-file',
        farm.tokenFiles['runner-b']!,
        '--work-dir',
        join(farm.dir, 'work-b'),
      ]),
      startFarmWorker(farm, redis, 'signer'),
    );
    await waitFor(
      'two runners and a signer to be connected',
      async () => {
        const { runners } = (await (await fetch(`${farm.publicUrl}/api/v1/runners`)).json()) as {
          runners: { name: string }[];
        };
        return runners.length === 3 ? runners : undefined;
      },
      60_000,
    );
  }, 120_000);

  afterAll(async () => {
    for (const w of workers) w.kill('SIGTERM');
    serve?.kill('SIGTERM');
    const results = await Promise.all([...workers, serve]);
    if (process.env.ALBS_TEST_VERBOSE) for (const r of results) process.stderr.write(`${r.all}\n`);
    gitea?.server.close();
    const client = new Redis(redis);
    await client.flushdb();
    client.disconnect();
  });

  it('a tag push ends with every status success, built by the runners, signed by the signer, installable with dnf', async () => {
    const push = await sendGitea(
      farm.publicUrl,
      'push',
      giteaPush(cloneUrl, 'refs/tags/v1.0', sha),
      'farm-1',
    );
    expect(push.status).toBe(202);
    const final = await waitFor(
      'every status to finish',
      () => {
        const latest = latestStatuses(gitea.statuses, sha);
        return latest.albs && Object.values(latest).every((s) => s.state !== 'pending') ? latest : undefined;
      },
      240_000,
    );
    expect(Object.fromEntries(Object.entries(final).map(([c, s]) => [c, s.state]))).toEqual({
      'albs/build': 'success',
      'albs/test': 'success',
      'albs/sign (tiny)': 'success',
      'albs/publish (tiny)': 'success',
      albs: 'success',
    });
    // The summary links to the pipeline's page; its JSON record is under /api/v1.
    const api = final.albs!.target_url.replace('/pipelines/', '/api/v1/pipelines/');
    // biome-ignore lint/suspicious/noExplicitAny: the JSON record
    const record: any = await (await fetch(api)).json();
    expect(record.result).toBe('success');
    const runnerOf = (id: string) =>
      record.jobs.find((j: { id: string }) => j.id === id).attempts.map((a: { runner: string }) => a.runner);
    expect(runnerOf('build')).toEqual([expect.stringMatching(/^runner-[ab]$/)]);
    expect(runnerOf('test')).toEqual([expect.stringMatching(/^runner-[ab]$/)]);
    expect(runnerOf('sign.tiny')).toEqual(['signer']);
    expect(runnerOf('publish.tiny')).toEqual(['server']);
    const sign = record.jobs.find((j: { id: string }) => j.id === 'sign.tiny');
    const pub = readFileSync(join(farm.dir, 'keygen', 'signing-key.pub.asc'), 'utf8');
    expect(sign.signedBy).toEqual({
      key: 'release',
      fingerprint: expect.stringMatching(/^[0-9A-F]{40,64}$/),
    });
    const { stdout } = await execa('gpg', ['--show-keys', '--with-colons'], { input: pub });
    expect(stdout).toContain(sign.signedBy.fingerprint);
    // The build log came over from the runner.
    const log = await (await fetch(`${api}/jobs/build/log`)).text();
    expect(log).toContain('rpmbuild');
    // The build's status links to its page, which shows that log (a runner's, through the server).
    expect(await (await fetch(final['albs/build']!.target_url)).text()).toContain('rpmbuild');

    const repoFile = await (await fetch(`${farm.publicUrl}/repos/tiny/tiny.repo`)).text();
    const install = await dnfInstall(repoFile, NAME);
    expect(install.output).not.toMatch(/error/i);
    expect(install.installed).toBe(true);

    // No private key anywhere in the server's data-dir.
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        const info = statSync(path, { throwIfNoEntry: false });
        if (info?.isDirectory()) walk(path);
        else if (info?.isFile() && info.size < 4 * 1024 * 1024) files.push(path);
      }
    };
    walk(farm.dataDir);
    expect(files.filter((f) => readFileSync(f, 'latin1').includes('PRIVATE KEY BLOCK'))).toEqual([]);
  }, 300_000);

  it('GET /api/v1/runners lists the runners with their labels, and /metrics counts them', async () => {
    const { runners } = (await (await fetch(`${farm.publicUrl}/api/v1/runners`)).json()) as {
      runners: { name: string; role: string; labels: string[]; running: unknown[]; lastHeartbeat: string }[];
    };
    expect(runners.map((r) => [r.name, r.role])).toEqual([
      ['runner-a', 'runner'],
      ['runner-b', 'runner'],
      ['signer', 'signer'],
    ]);
    expect(runners[0]!.labels).toEqual(expect.arrayContaining(['x86_64', 'noarch']));
    const metrics = await (await fetch(`${farm.publicUrl}/metrics`)).text();
    expect(metrics).toMatch(/albs_runners\{role="runner"\} 2/);
    expect(metrics).toMatch(/albs_runners\{role="signer"\} 1/);
  });

  it('a runner that does not hold a job is refused', async () => {
    const [pipeline] = (
      (await (await fetch(`${farm.publicUrl}/api/v1/pipelines`)).json()) as { pipelines: { id: string }[] }
    ).pipelines;
    const token = readFileSync(farm.tokenFiles['runner-a']!, 'utf8').trim();
    const res = await fetch(`${farm.publicUrl}/api/v1/runner/jobs/${pipeline!.id}/build/result`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'x-albs-lock': 'not-the-lock',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ outcome: { state: 'failure', reason: 'forged' }, artifacts: [] }),
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: string }).error).toContain('does not hold job build');
    const unknown = await fetch(`${farm.publicUrl}/api/v1/runner/heartbeat`, {
      method: 'POST',
      headers: { authorization: 'Bearer nope-nope-nope-nope' },
    });
    expect(unknown.status).toBe(401);
  });
});

describe('a farm whose server has a runner: section runs build jobs itself', () => {
  const redis = redisUrl(8);
  let gitea: Awaited<ReturnType<typeof fakeGitea>>;
  let serve: Serve;
  let signer: FarmWorker;

  afterAll(async () => {
    signer?.kill('SIGTERM');
    serve?.kill('SIGTERM');
    await Promise.all([signer, serve]);
    gitea?.server.close();
    const client = new Redis(redis);
    await client.flushdb();
    client.disconnect();
  });

  it('builds on the embedded runner and signs on the signer', async () => {
    const client = new Redis(redis);
    await client.flushdb();
    client.disconnect();
    const repo = packageRepo(ALBS_YML);
    const sha = repo.tag('v1.0');
    repo.push();
    gitea = await fakeGitea(repo.base);
    const farm = await farmConfig(gitea.url, 'runner: {concurrency: 2}', {
      redis,
      workers: { signer: 'signer' },
    });
    serve = (await startServe(farm)).child;
    signer = startFarmWorker(farm, redis, 'signer');
    const cloneUrl = `${gitea.url}/${OWNER}/${NAME}.git`;
    const push = await sendGitea(
      farm.publicUrl,
      'push',
      giteaPush(cloneUrl, 'refs/tags/v1.0', sha),
      'embedded-1',
    );
    expect(push.status).toBe(202);
    const final = await waitFor(
      'every status to finish',
      () => {
        const latest = latestStatuses(gitea.statuses, sha);
        return latest.albs && Object.values(latest).every((s) => s.state !== 'pending') ? latest : undefined;
      },
      240_000,
    );
    expect(final.albs!.state).toBe('success');
    // biome-ignore lint/suspicious/noExplicitAny: the JSON record
    const record: any = await (
      await fetch(final.albs!.target_url.replace('/pipelines/', '/api/v1/pipelines/'))
    ).json();
    const build = record.jobs.find((j: { id: string }) => j.id === 'build');
    expect(build.attempts.map((a: { runner: string }) => a.runner)).toEqual([
      expect.stringMatching(/^embedded@/),
    ]);
  }, 300_000);
});
