/**
 * The runner API against someone who holds a token but not a job, or no token at all: every
 * request that could read what it should not, write outside a pipeline's directory, or report on a
 * job it does not hold is refused, and nothing lands on the server's disk.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type Farm,
  fakeGitea,
  farmConfig,
  giteaPush,
  NAME,
  OWNER,
  packageRepo,
  type Serve,
  sendGitea,
  startServe,
  waitFor,
} from './farm.js';

describe('the runner API refuses what a runner may not do', () => {
  const url = new URL(inject('redisUrl'));
  url.pathname = '/15';
  const redis = url.toString();
  let gitea: Awaited<ReturnType<typeof fakeGitea>>;
  let farm: Farm;
  let serve: Serve;
  let id: string;
  const token = (name: string) => `Bearer ${name}-token`;
  let runnerToken: string;
  let signerToken: string;

  beforeAll(async () => {
    const client = new Redis(redis);
    await client.flushdb();
    client.disconnect();
    const repo = packageRepo(
      'version: 1\non: {tags: ["v*"]}\nsign: {key: release}\npublish: [{repo: tiny, when: tag}]\n',
    );
    const sha = repo.tag('v1.0');
    repo.push();
    gitea = await fakeGitea(repo.base);
    farm = await farmConfig(gitea.url, '', { redis, workers: { 'runner-1': 'runner', signer: 'signer' } });
    serve = (await startServe(farm)).child;
    const { readFileSync } = await import('node:fs');
    runnerToken = `Bearer ${readFileSync(farm.tokenFiles['runner-1']!, 'utf8').trim()}`;
    signerToken = `Bearer ${readFileSync(farm.tokenFiles.signer!, 'utf8').trim()}`;
    // No runner is connected: the build waits in its queue, and nobody holds it.
    const cloneUrl = `${gitea.url}/${OWNER}/${NAME}.git`;
    await sendGitea(farm.publicUrl, 'push', giteaPush(cloneUrl, 'refs/tags/v1.0', sha), 'hostile-1');
    id = await waitFor('the pipeline', async () => {
      const { pipelines } = (await (await fetch(`${farm.publicUrl}/api/v1/pipelines`)).json()) as {
        pipelines: { id: string }[];
      };
      return pipelines[0]?.id;
    });
  }, 60_000);

  afterAll(async () => {
    serve?.kill('SIGTERM');
    await serve;
    gitea?.server.close();
    const client = new Redis(redis);
    await client.flushdb();
    client.disconnect();
  });

  const call = (path: string, init: RequestInit & { auth?: string } = {}) =>
    fetch(`${farm.publicUrl}/api/v1/runner${path}`, {
      ...init,
      headers: {
        ...(init.auth ? { authorization: init.auth } : {}),
        ...(init.headers as Record<string, string>),
      },
    });

  it('no token, or one runner-tokens-file does not hold: 401', async () => {
    expect((await call(`/pipelines/${id}/source.tar`)).status).toBe(401);
    expect((await call(`/pipelines/${id}/source.tar`, { auth: token('guess') })).status).toBe(401);
  });

  it('a host that calls itself by another name than its token says: refused', async () => {
    const res = await call('/heartbeat', {
      method: 'POST',
      auth: runnerToken,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'signer', labels: ['x86_64'], running: [] }),
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: string }).error).toContain('give --name runner-1');
  });

  it('a runner gets no sign job, and a signer no build job', async () => {
    expect((await call(`/jobs/${id}/sign.tiny/start`, { method: 'POST', auth: runnerToken })).status).toBe(
      403,
    );
    expect((await call(`/jobs/${id}/build/start`, { method: 'POST', auth: signerToken })).status).toBe(403);
    expect((await call('/keys', { method: 'POST', auth: runnerToken, body: '{"keys": []}' })).status).toBe(
      403,
    );
  });

  it('nothing about a job it does not hold: start, log, artifact, result are refused and nothing is written', async () => {
    const lock = { 'x-albs-lock': 'a-made-up-lock', 'x-albs-queue': 'albs:build:any' };
    const refused = [
      await call(`/jobs/${id}/build/start`, { method: 'POST', auth: runnerToken, headers: lock }),
      await call(`/jobs/${id}/build/log?attempt=1&offset=0`, {
        method: 'POST',
        auth: runnerToken,
        headers: lock,
        body: 'forged\n',
      }),
      await call(`/jobs/${id}/build/artifacts/tiny-1.0-1.noarch.rpm`, {
        method: 'PUT',
        auth: runnerToken,
        headers: { ...lock, 'x-albs-sha256': '0'.repeat(64) },
        body: 'not a package',
      }),
      await call(`/jobs/${id}/build/result`, {
        method: 'POST',
        auth: runnerToken,
        headers: { ...lock, 'content-type': 'application/json' },
        body: JSON.stringify({ outcome: { state: 'success' }, artifacts: [] }),
      }),
    ];
    expect(refused.map((r) => r.status)).toEqual([409, 409, 409, 409]);
    const dir = join(farm.dataDir, 'pipelines', id);
    expect(existsSync(join(dir, 'artifacts', 'build'))).toBe(false);
    expect(existsSync(join(dir, 'logs')) ? readdirSync(join(dir, 'logs')) : []).toEqual([]);
    const record = (await (await fetch(`${farm.publicUrl}/api/v1/pipelines/${id}`)).json()) as {
      jobs: { id: string; state: string }[];
    };
    expect(record.jobs.find((j) => j.id === 'build')!.state).toBe('queued');
  });

  it('no path out of a pipeline: encoded dots, another pipeline id, a job it lacks', async () => {
    for (const path of [
      `/pipelines/${id}/files/artifacts/build/..%2F..%2Frecord.json`,
      `/pipelines/${id}/files/artifacts/..%2F..%2F..%2Ffarm-id/x`,
      `/pipelines/..%2F..%2Ffarm-id/source.tar`,
      `/pipelines/${id}/files/artifacts/build/.hidden`,
    ]) {
      const res = await call(path, { auth: runnerToken });
      expect([400, 404], path).toContain(res.status);
    }
    expect((await call(`/jobs/${id}/no-such-job/start`, { method: 'POST', auth: runnerToken })).status).toBe(
      404,
    );
  });
});
