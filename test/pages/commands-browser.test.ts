/**
 * The pipeline page's buttons in chromium, against the real `albs serve`: a user signed in with
 * Gitea who has write access sees Rebuild, Retry failed jobs and Cancel, and Cancel stops a running
 * pipeline; a reader sees no buttons; a form posted from another site is refused.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Farm,
  fakeGitea,
  farmConfig,
  giteaPush,
  latestStatuses,
  NAME,
  OWNER,
  packageRepo,
  type Serve,
  sendGitea,
  startServe,
  waitFor,
} from '../server/farm.js';
import { fakeOAuthGitea, listen, SLOW_SPEC } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CLIENT_ID = 'albs-pages';
const CLIENT_SECRET = 'client-secret-0123456789';

describe('the pipeline page buttons in chromium', () => {
  let front: Server;
  let oauth: Server;
  let gitea: Awaited<ReturnType<typeof fakeGitea>>;
  let farm: Farm;
  let serve: Serve;
  let browser: Browser;
  let user = 'carol';
  let sha: string;

  beforeAll(async () => {
    const repo = packageRepo('version: 1\non: {branches: [main]}\n');
    sha = repo.commit(
      { [`${NAME}.spec`]: SLOW_SPEC.replace('for i in 1 2 3 4 5 6 7 8', 'for i in $(seq 1 120)') },
      'slow',
    );
    repo.push();
    // One Gitea: its OAuth2 pages and user API from the sign-in fake, the rest (git, statuses,
    // permissions, comments) from the server tests' fake.
    gitea = await fakeGitea(repo.base, { carol: 'write', dave: 'read' });
    oauth = fakeOAuthGitea(() => user, CLIENT_ID, CLIENT_SECRET);
    front = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://gitea').pathname;
      const to = path.startsWith('/login/oauth/') || path === '/api/v1/user' ? oauth : gitea.server;
      to.emit('request', req, res);
    });
    const url = await listen(front);
    const dir = mkdtempSync(join(tmpdir(), 'albs-buttons-'));
    const secret = (name: string, text: string) => {
      const file = join(dir, name);
      writeFileSync(file, text);
      chmodSync(file, 0o600);
      return file;
    };
    farm = await farmConfig(
      url,
      `oauth:\n  gitea: {client-id: ${CLIENT_ID}, client-secret-file: ${secret('client.secret', CLIENT_SECRET)}}\n` +
        `session-secret-file: ${secret('session.secret', 'y'.repeat(64))}\n`,
    );
    serve = (await startServe(farm)).child;
    browser = await chromium.launch({ executablePath: CHROMIUM });
    const cloneUrl = `${url}/${OWNER}/${NAME}.git`;
    expect(
      (await sendGitea(farm.publicUrl, 'push', giteaPush(cloneUrl, 'refs/heads/main', sha), 'buttons-1'))
        .status,
    ).toBe(202);
    await waitFor('the slow build to run', () =>
      latestStatuses(gitea.statuses, sha)['albs/build']?.description === 'running' ? true : undefined,
    );
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    serve?.kill('SIGTERM');
    await serve;
    front?.close();
    gitea?.server.close();
  });

  const pipelineId = async () =>
    ((await (await fetch(`${farm.publicUrl}/api/v1/pipelines`)).json()) as { pipelines: { id: string }[] })
      .pipelines[0]!.id;

  it('a reader signed in sees no buttons; a form from another site is refused', async () => {
    user = 'dave';
    const context = await browser.newContext();
    const page = await context.newPage();
    const id = await pipelineId();
    await page.goto(`${farm.publicUrl}/sign-in/gitea?next=/pipelines/${id}`);
    expect(new URL(page.url()).pathname).toBe(`/pipelines/${id}`);
    expect(await page.locator('form.commands').count()).toBe(0);
    await context.close();
    const forged = await fetch(`${farm.publicUrl}/pipelines/${id}/commands`, {
      method: 'POST',
      headers: { origin: 'https://elsewhere.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'command=cancel',
      redirect: 'manual',
    });
    expect(forged.status).toBe(403);
  }, 60_000);

  it('a writer signed in cancels the running pipeline with its button', async () => {
    user = 'carol';
    const context = await browser.newContext();
    const page = await context.newPage();
    const id = await pipelineId();
    await page.goto(`${farm.publicUrl}/sign-in/gitea?next=/pipelines/${id}`);
    expect(await page.locator('form.commands button').allTextContents()).toEqual([
      'Rebuild',
      'Retry failed jobs',
      'Cancel',
    ]);
    await page.click('form.commands button[value="cancel"]');
    expect(new URL(page.url()).pathname).toBe(`/pipelines/${id}`);
    expect(await page.locator('p[role="status"]').textContent()).toContain(`cancelling pipeline [${id}]`);
    const ended = await waitFor('the pipeline to end', () => {
      const albs = latestStatuses(gitea.statuses, sha).albs;
      return albs && albs.state !== 'pending' ? albs : undefined;
    });
    expect(ended.state).toBe('error');
    expect(latestStatuses(gitea.statuses, sha)['albs/build']?.description).toBe(
      'cancelled: cancelled by carol (/albs cancel)',
    );
    // The command answered on the page, not with a comment on the forge.
    expect(gitea.comments).toEqual([]);
    await context.close();
  }, 120_000);
});
