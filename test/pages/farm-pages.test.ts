/**
 * The pipeline pages of a farm: two `albs serve` replicas on one Redis and one data-dir. Replica A
 * takes the push and runs the build on its own runner; a browser watching the pipeline on
 * replica B sees the states change and the log grow, which reach B only through Redis (the
 * records' pub/sub) and the shared data-dir (the log).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type Farm,
  fakeGitea,
  farmConfig,
  freePort,
  giteaPush,
  NAME,
  OWNER,
  packageRepo,
  type Serve,
  sendGitea,
  startServe,
  waitFor,
} from '../server/farm.js';
import { SLOW_SPEC } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ALBS_YML = 'version: 1\non:\n  branches: [main]\n';

describe('the pipeline pages of a farm with two replicas', () => {
  const url = new URL(inject('redisUrl'));
  url.pathname = '/13';
  const redis = url.toString();
  let gitea: Awaited<ReturnType<typeof fakeGitea>>;
  let farm: Farm;
  let a: Serve;
  let b: Serve;
  let urlB: string;
  let browser: Browser;
  let sha: string;

  beforeAll(async () => {
    const client = new Redis(redis);
    await client.flushdb();
    client.disconnect();
    const repo = packageRepo(ALBS_YML);
    sha = repo.commit({ [`${NAME}.spec`]: SLOW_SPEC }, 'a slow build');
    repo.push();
    gitea = await fakeGitea(repo.base);
    // A runs builds itself (runner: section); B runs none, so all B knows comes through Redis.
    farm = await farmConfig(gitea.url, 'runner: {concurrency: 1}', { redis, workers: { unused: 'runner' } });
    a = (await startServe(farm)).child;
    const portB = await freePort();
    urlB = `http://127.0.0.1:${portB}`;
    const configB = join(farm.dir, 'server-b.yml');
    writeFileSync(
      configB,
      readFileSync(farm.configFile, 'utf8')
        .replace(/^listen: .*$/m, `listen: 127.0.0.1:${portB}`)
        .replace(/^public-url: .*$/m, `public-url: ${urlB}`)
        .replace(/^runner: .*$/m, ''),
    );
    b = (await startServe({ ...farm, configFile: configB, port: portB, publicUrl: urlB })).child;
    browser = await chromium.launch({ executablePath: CHROMIUM });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    a?.kill('SIGTERM');
    b?.kill('SIGTERM');
    await Promise.all([a, b]);
    gitea?.server.close();
    const client = new Redis(redis);
    await client.flushdb();
    client.disconnect();
  });

  it("a page on replica B follows the pipeline replica A runs: the cell's state and the log, live", async () => {
    const push = giteaPush(`${gitea.url}/${OWNER}/${NAME}.git`, 'refs/heads/main', sha);
    expect((await sendGitea(farm.publicUrl, 'push', push, 'farm-pages-1')).status).toBe(202);
    const id = await waitFor('the build to run', async () => {
      const { pipelines } = (await (await fetch(`${urlB}/api/v1/pipelines`)).json()) as {
        pipelines: { id: string; jobs: { id: string; state: string }[] }[];
      };
      const [p] = pipelines;
      return p?.jobs.find((j) => j.id === 'build')?.state === 'running' ? p.id : undefined;
    });
    const page = await browser.newPage();
    await page.goto(`${urlB}/pipelines/${id}`);
    await page.evaluate('window.stayed = true');
    expect(await page.locator('table.grid [data-job="build"] .state').textContent()).toBe('running');
    const job = await browser.newPage();
    await job.goto(`${urlB}/pipelines/${id}/jobs/build`);
    expect(await job.locator('pre.log[data-live]').textContent()).not.toContain('build done');
    await job.locator('pre.log').filter({ hasText: 'build done' }).waitFor({ timeout: 120_000 });
    await page
      .locator('table.grid [data-job="build"] .state')
      .filter({ hasText: /^success$/ })
      .waitFor({ timeout: 120_000 });
    await page
      .locator('[data-result]')
      .filter({ hasText: /^success$/ })
      .waitFor({ timeout: 120_000 });
    expect(await page.evaluate('window.stayed')).toBe(true);
  }, 180_000);
});
