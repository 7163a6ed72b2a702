/**
 * The pipeline pages in a real browser: `albs serve` (the built CLI) builds a package whose %build
 * takes a few seconds and writes a coloured line and a line holding a <script> tag; Debian's
 * chromium, driven by playwright-core, watches its pages. The screenshot of the grid is kept in
 * test-output/pipeline-pages/ (gitignored), as the test's artifact.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';
import {
  type Farm,
  fakeGitea,
  farmConfig,
  giteaPush,
  latestStatuses,
  NAME,
  OWNER,
  type PackageRepo,
  packageRepo,
  type Serve,
  sendGitea,
  startServe,
  waitFor,
} from '../server/farm.js';
import { SLOW_SPEC } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOTS = join(REPO_ROOT, 'test-output', 'pipeline-pages');

const ALBS_YML = `version: 1
on:
  branches: [main]
test:
  - run: echo tested
`;

interface Job {
  id: string;
  state: string;
}

describe('the pipeline pages in chromium', () => {
  let gitea: Awaited<ReturnType<typeof fakeGitea>>;
  let repo: PackageRepo;
  let farm: Farm;
  let serve: Serve;
  let browser: Browser;
  let sha: string;
  let pipelineId: string;
  const violations: string[] = [];

  const record = async () =>
    (await (await fetch(`${farm.publicUrl}/api/v1/pipelines/${pipelineId}`)).json()) as {
      result: string;
      jobs: Job[];
    };

  beforeAll(async () => {
    repo = packageRepo(ALBS_YML);
    sha = repo.commit({ [`${NAME}.spec`]: SLOW_SPEC }, 'a slow build');
    repo.push();
    gitea = await fakeGitea(repo.base);
    farm = await farmConfig(gitea.url);
    serve = (await startServe(farm)).child;
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `no chromium at ${CHROMIUM}: run scripts/setup (Debian package chromium), or set CHROMIUM`,
      );
    }
    browser = await chromium.launch({ executablePath: CHROMIUM });
    mkdirSync(SCREENSHOTS, { recursive: true });
    const push = giteaPush(`${gitea.url}/${OWNER}/${NAME}.git`, 'refs/heads/main', sha);
    expect((await sendGitea(farm.publicUrl, 'push', push, 'pages-1')).status).toBe(202);
    pipelineId = await waitFor('the pipeline record', async () => {
      const list = (await (await fetch(`${farm.publicUrl}/api/v1/pipelines`)).json()) as {
        pipelines: { id: string }[];
      };
      return list.pipelines[0]?.id;
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    serve?.kill('SIGTERM');
    await serve;
    gitea?.server.close();
  });

  const open = async (path: string): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    page.on('console', (m) => {
      if (/Content.Security.Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    const response = await page.goto(`${farm.publicUrl}${path}`);
    expect(response?.status()).toBe(200);
    // A flag the page keeps only while it is not reloaded.
    await page.evaluate('window.stayed = true');
    return page;
  };

  const stayed = (page: Page) => page.evaluate('window.stayed === true');
  /** Waits, as long as a build may take, until `selector` shows `text` (the CSP forbids eval: no waitForFunction). */
  const until = (page: Page, selector: string, text: string | RegExp) =>
    page.locator(selector).filter({ hasText: text }).first().waitFor({ timeout: 120_000 });

  it('the statuses link to the pages: each job to its own, the summary to the pipeline', async () => {
    const statuses = await waitFor('the pending statuses', () => {
      const latest = latestStatuses(gitea.statuses, sha);
      return latest.albs && latest['albs/build'] ? latest : undefined;
    });
    expect(statuses.albs!.target_url).toBe(`${farm.publicUrl}/pipelines/${pipelineId}`);
    expect(statuses['albs/build']!.target_url).toBe(`${farm.publicUrl}/pipelines/${pipelineId}/jobs/build`);
  });

  it('a job log that grows is followed live; a <script> line is text; ANSI colours are spans', async () => {
    await waitFor('the build to start', async () =>
      (await record()).jobs.find((j) => j.id === 'build')?.state === 'running' ? true : undefined,
    );
    const page = await open(`/pipelines/${pipelineId}/jobs/build`);
    const log = page.locator('pre.log[data-live]');
    // Rendered while the build runs (it sleeps 8 s after its first lines): the end is still to come.
    expect(await log.textContent()).not.toContain('build done');
    // The follow toggle appears with the script (nothing to toggle without it), on.
    expect(await page.locator('#follow').isVisible()).toBe(true);
    expect(await page.locator('#follow').isChecked()).toBe(true);
    // Lines the build writes after the page was rendered arrive without a reload.
    await until(page, 'pre.log', 'build done');
    expect(await stayed(page)).toBe(true);
    const text = (await log.textContent()) ?? '';
    expect(text).toContain('<script>window.pwned = true</script><img src=x onerror="window.pwned = true">');
    expect(text.indexOf('tick 1')).toBeLessThan(text.indexOf('tick 8'));
    expect(await page.evaluate('window.pwned')).toBeUndefined();
    expect(await log.locator('script, img').count()).toBe(0);
    expect(await log.locator('span.ansi-fg-2').first().textContent()).toBe('green light');
    // The job's state on the page follows too.
    await until(page, 'h1 .state', /^success$/);
    await page.close();
  }, 180_000);

  it('the grid cell turns from running to success without a reload; the screenshot is kept', async () => {
    // A new pipeline for the same commit would be a duplicate: a second commit makes one.
    sha = repo.commit({ NOTES: 'again' }, 'a second slow build');
    repo.push();
    const push = giteaPush(`${gitea.url}/${OWNER}/${NAME}.git`, 'refs/heads/main', sha);
    expect((await sendGitea(farm.publicUrl, 'push', push, 'pages-2')).status).toBe(202);
    pipelineId = await waitFor('the second pipeline', async () => {
      const list = (await (await fetch(`${farm.publicUrl}/api/v1/pipelines`)).json()) as {
        pipelines: { id: string }[];
      };
      return list.pipelines[0]?.id !== pipelineId ? list.pipelines[0]?.id : undefined;
    });
    await waitFor('the build to start', async () =>
      (await record()).jobs.find((j) => j.id === 'build')?.state === 'running' ? true : undefined,
    );
    const page = await open(`/pipelines/${pipelineId}`);
    const build = page.locator('table.grid [data-job="build"] .state');
    expect(await build.textContent()).toBe('running');
    await page.screenshot({ path: join(SCREENSHOTS, 'grid-running.png'), fullPage: true });
    await until(page, 'table.grid [data-job="build"] .state', /^success$/);
    await until(page, '[data-result]', /^success$/);
    expect(await stayed(page)).toBe(true);
    expect(await page.locator('table.grid [data-job="test"] .state').textContent()).toBe('success');
    expect(await page.locator('table.grid [data-job="build"] .took').textContent()).toMatch(/\d s$/);
    await page.screenshot({ path: join(SCREENSHOTS, 'grid-success.png'), fullPage: true });
    await page.close();
  }, 180_000);

  it('on a phone the pages fit the screen; a dark system scheme gets the dark colours', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 }, colorScheme });
      for (const path of [`/pipelines/${pipelineId}`, `/pipelines/${pipelineId}/jobs/build`, '/pipelines']) {
        await page.goto(`${farm.publicUrl}${path}`);
        // Nothing wider than the screen but what scrolls inside its own box (the grid, a log line).
        expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), path).toBe(
          true,
        );
        expect(await page.evaluate('getComputedStyle(document.body).backgroundColor'), path).toBe(
          colorScheme === 'dark' ? 'rgb(13, 17, 23)' : 'rgb(255, 255, 255)',
        );
      }
      await page.goto(`${farm.publicUrl}/pipelines/${pipelineId}`);
      await page.screenshot({ path: join(SCREENSHOTS, `phone-${colorScheme}.png`), fullPage: true });
      await page.close();
    }
  });

  it('the list shows the pipelines newest first, filterable by state', async () => {
    const page = await open('/pipelines');
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.first().locator('a').first().getAttribute('href')).toBe(`/pipelines/${pipelineId}`);
    await page.selectOption('select[name=state]', 'failure');
    await page.click('button[type=submit]');
    expect(await page.locator('.notice').textContent()).toMatch(/No pipelines match this filter/);
    await page.close();
  });

  it('a private repository page redirects to sign in and shows nothing of the pipeline', async () => {
    const payload = giteaPush(`${gitea.url}/acme/secret.git`, 'refs/heads/main', 'c'.repeat(40));
    payload.repository.name = 'secret';
    payload.repository.full_name = 'acme/secret';
    payload.repository.private = true;
    expect((await sendGitea(farm.publicUrl, 'push', payload, 'private-1')).status).toBe(202);
    const dir = join(farm.dataDir, 'pipelines');
    const { readdirSync, readFileSync } = await import('node:fs');
    const id = await waitFor('the private record', () =>
      readdirSync(dir).find((d) => {
        try {
          return JSON.parse(readFileSync(join(dir, d, 'record.json'), 'utf8')).source.private === true;
        } catch {
          return false;
        }
      }),
    );
    const page = await browser.newPage();
    await page.goto(`${farm.publicUrl}/pipelines/${id}`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    const body = (await page.locator('main').textContent()) ?? '';
    expect(body).toMatch(/sign-in is not configured/);
    expect(body).not.toContain('c'.repeat(10));
    await page.goto(`${farm.publicUrl}/pipelines/${id}/jobs/build`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.goto(`${farm.publicUrl}/pipelines`);
    expect(await page.locator('main').textContent()).not.toContain('acme/secret');
    await page.close();
  }, 60_000);

  it('every page comes with a Content-Security-Policy without unsafe-inline, and none was violated', async () => {
    const paths = [
      '/pipelines',
      `/pipelines/${pipelineId}`,
      `/pipelines/${pipelineId}/jobs/build`,
      '/sign-in',
      '/pipelines/01JAAAAAAAAAAAAAAAAAAAAAAA',
    ];
    for (const path of paths) {
      const response = await fetch(`${farm.publicUrl}${path}`);
      expect(response.headers.get('content-type'), path).toMatch(/^text\/html/);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp, path).toMatch(/script-src 'self'/);
      expect(csp, path).not.toMatch(/unsafe-inline|unsafe-eval/);
      const html = await response.text();
      // No inline script or style: a script element has a src, no tag has style= or on…= attributes.
      expect(html, path).not.toMatch(/<script(?![^>]*\ssrc=)|<style|<[a-z][^>]*\s(style|on[a-z]+)=/i);
    }
    expect(violations).toEqual([]);
  });

  it('albs serve stops on SIGTERM while a page of a running pipeline listens to its events', async () => {
    sha = repo.commit({ NOTES: 'a third time' }, 'a third slow build');
    repo.push();
    const push = giteaPush(`${gitea.url}/${OWNER}/${NAME}.git`, 'refs/heads/main', sha);
    expect((await sendGitea(farm.publicUrl, 'push', push, 'pages-3')).status).toBe(202);
    const previous = pipelineId;
    pipelineId = await waitFor('the third pipeline', async () => {
      const list = (await (
        await fetch(`${farm.publicUrl}/api/v1/pipelines?repo=${OWNER}/${NAME}`)
      ).json()) as {
        pipelines: { id: string }[];
      };
      return list.pipelines[0]?.id !== previous ? list.pipelines[0]?.id : undefined;
    });
    const page = await open(`/pipelines/${pipelineId}`);
    expect(await page.locator('body').getAttribute('data-events')).toBe(`/pipelines/${pipelineId}/events`);
    serve.kill('SIGTERM');
    const result = await serve;
    expect(result.exitCode, result.all).toBe(0);
    await page.close();
  }, 120_000);
});
