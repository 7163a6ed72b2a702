/**
 * Sign-in in chromium against the real `albs serve` configured with oauth.gitea: a private
 * repository's pipeline page sends the browser to /sign-in, "Sign in with Gitea" goes through the
 * (fake) Gitea's OAuth2 pages and back, and the page shows the pipeline to a user Gitea lets read it.
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Farm,
  farmConfig,
  giteaPush,
  type Serve,
  sendGitea,
  startServe,
  waitFor,
} from '../server/farm.js';
import { fakeOAuthGitea, listen } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CLIENT_ID = 'albs-pages';
const CLIENT_SECRET = 'client-secret-0123456789';

describe('sign-in with Gitea in chromium, against albs serve', () => {
  let gitea: Server;
  let farm: Farm;
  let serve: Serve;
  let browser: Browser;
  let user = 'alice';

  beforeAll(async () => {
    gitea = fakeOAuthGitea(() => user, CLIENT_ID, CLIENT_SECRET);
    const giteaUrl = await listen(gitea);
    const dir = mkdtempSync(join(tmpdir(), 'albs-oauth-'));
    const secret = (name: string, text: string) => {
      const file = join(dir, name);
      writeFileSync(file, text);
      chmodSync(file, 0o600);
      return file;
    };
    farm = await farmConfig(
      giteaUrl,
      `oauth:\n  gitea: {client-id: ${CLIENT_ID}, client-secret-file: ${secret('client.secret', CLIENT_SECRET)}}\n` +
        `session-secret-file: ${secret('session.secret', 'x'.repeat(64))}\n`,
    );
    serve = (await startServe(farm)).child;
    browser = await chromium.launch({ executablePath: CHROMIUM });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    serve?.kill('SIGTERM');
    await serve;
    gitea?.close();
  });

  it('a reader signs in at Gitea and lands on the private pipeline; someone else is told it is not there', async () => {
    const payload = giteaPush('http://127.0.0.1:9/acme/secret.git', 'refs/heads/main', 'd'.repeat(40));
    payload.repository.name = 'secret';
    payload.repository.full_name = 'acme/secret';
    payload.repository.private = true;
    expect((await sendGitea(farm.publicUrl, 'push', payload, 'oauth-1')).status).toBe(202);
    const dir = join(farm.dataDir, 'pipelines');
    const id = await waitFor('the private record', () =>
      readdirSync(dir).find((d) => {
        try {
          return JSON.parse(readFileSync(join(dir, d, 'record.json'), 'utf8')).source.private === true;
        } catch {
          return false;
        }
      }),
    );
    const alice = await browser.newContext();
    const page = await alice.newPage();
    await page.goto(`${farm.publicUrl}/pipelines/${id}`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.click('text=Sign in with Gitea');
    expect(new URL(page.url()).pathname).toBe(`/pipelines/${id}`);
    expect(await page.locator('h1').textContent()).toContain('acme/secret');
    await page.goto(`${farm.publicUrl}/pipelines`);
    expect(await page.locator('main').textContent()).toContain('acme/secret');
    await alice.close();

    user = 'bob';
    const bob = await browser.newContext();
    const other = await bob.newPage();
    await other.goto(`${farm.publicUrl}/sign-in/gitea?next=/pipelines/${id}`);
    expect(await other.locator('h1').textContent()).toBe('Not found');
    expect(await other.locator('main').textContent()).not.toContain('acme/secret');
    await bob.close();
  }, 60_000);
});
