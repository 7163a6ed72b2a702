import { cpSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execaSync } from 'execa';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { NAME as DG_NAME, distGitPackage, lookasideServer } from '../sources/dist-git.js';
import {
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
  waitFor,
} from './farm.js';

function redisUrl(db: number): string {
  const url = new URL(inject('redisUrl'));
  url.pathname = `/${db}`;
  return url.toString();
}

describe('a farm builds a dist-git package whose sources are in a lookaside cache', () => {
  const lookaside = lookasideServer();
  const redis = redisUrl(13);
  let gitea: Awaited<ReturnType<typeof fakeGitea>>;
  let serve: Serve;
  const workers: FarmWorker[] = [];

  afterAll(async () => {
    for (const w of workers) w.kill('SIGTERM');
    serve?.kill('SIGTERM');
    await Promise.all([...workers, serve]);
    gitea?.server.close();
    const client = new Redis(redis);
    await client.flushdb();
    client.disconnect();
  });

  it('the runner gets the lookaside files through the server, which fetches each once', async () => {
    const client = new Redis(redis);
    await client.flushdb();
    client.disconnect();
    const albsYml = `version: 1
on: {tags: ["v*"]}
source:
  lookaside: {url: "${lookaside.base}/pkgs/{name}/{filename}/{hashtype}/{hash}/{filename}"}
`;
    // Fedora's layout: the spec, a patch and a `sources` list at the top; the tarball only in the lookaside.
    const pkg = distGitPackage('sources-sha512', albsYml);
    const tarball = `${DG_NAME}-1.0.tar.gz`;
    const path = `/pkgs/${DG_NAME}/${tarball}/sha512/${pkg.sha512}/${tarball}`;
    lookaside.files.set(path, pkg.tarball);
    const repo = packageRepo(albsYml);
    execaSync('git', ['rm', '-q', `${NAME}.spec`], { cwd: repo.work });
    for (const name of readdirSync(pkg.dir))
      cpSync(join(pkg.dir, name), join(repo.work, name), { recursive: true });
    repo.commit({}, 'a dist-git package');
    const sha = repo.tag('v1.0');
    repo.push();
    gitea = await fakeGitea(repo.base);
    const farm = await farmConfig(gitea.url, '', { redis, workers: { 'runner-1': 'runner' } });
    serve = (await startServe(farm)).child;
    workers.push(startFarmWorker(farm, redis, 'runner-1'));
    const cloneUrl = `${gitea.url}/${OWNER}/${NAME}.git`;
    await sendGitea(farm.publicUrl, 'push', giteaPush(cloneUrl, 'refs/tags/v1.0', sha), 'lookaside-1');
    const final = await waitFor(
      'the build to finish',
      () => {
        const build = latestStatuses(gitea.statuses, sha)['albs/build'];
        return build && build.state !== 'pending' ? build : undefined;
      },
      180_000,
    );
    const api = `${farm.publicUrl}/api/v1/pipelines/${final.target_url.split('/pipelines/')[1]!.split('/')[0]}`;
    const log = await (await fetch(`${api}/jobs/build/log`)).text();
    expect(final.state, log).toBe('success');
    expect(log).toContain('through the albs server');
    // The server fetched the tarball once, into its own cache; the runner's copy came from the server.
    expect(lookaside.hits.get(path)).toBe(1);
    expect(existsSync(join(farm.dataDir, 'cache', 'lookaside', 'sha512', pkg.sha512))).toBe(true);
    expect(existsSync(join(farm.dir, 'work-runner-1', 'cache', 'lookaside', 'sha512', pkg.sha512))).toBe(
      true,
    );
  }, 240_000);
});
