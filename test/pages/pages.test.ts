/**
 * The page routes over real HTTP, with records on disk: escaping, the log's pages and its live
 * tail, artifacts and what may not be downloaded, private records, the security headers.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnsiRenderer } from '../../src/server/pages/ansi.js';
import { LOG_PAGE_BYTES, pageRoutes } from '../../src/server/pages/page-routes.js';
import { PipelineRecords } from '../../src/server/pipeline-records.js';
import { recordOf } from './helpers.js';

const ID = '01JAAAAAAAAAAAAAAAAAAAAAAB';
const PRIVATE_ID = '01JAAAAAAAAAAAAAAAAAAAAAAC';
const READ_TOKEN = 'read-token-0123456789';
const EVIL = '<script>window.pwned=1</script>';

describe('the pipeline pages over HTTP', () => {
  let records: PipelineRecords;
  let server: Server;
  let base: string;
  let rpm: Buffer;
  let logFile: string;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'albs-pages-'));
    records = await PipelineRecords.open(join(dir, 'pipelines'));
    const record = recordOf('version: 1\ntest: [rpmlint]\n', { build: 'running' });
    record.id = ID;
    record.trigger.ref = `main${EVIL}`;
    record.source.sender = EVIL;
    record.jobs[0]!.artifacts = ['artifacts/build/tiny-1.0-1.noarch.rpm', 'artifacts/build/leak.txt'];
    await records.create(record);
    const pipelineDir = records.pipelineDir(ID);
    mkdirSync(join(pipelineDir, 'artifacts', 'build'), { recursive: true });
    mkdirSync(join(pipelineDir, 'logs'));
    rpm = Buffer.from('not really an rpm, but bytes all the same\n');
    writeFileSync(join(pipelineDir, 'artifacts', 'build', 'tiny-1.0-1.noarch.rpm'), rpm);
    // Listed, but a link out of the pipeline's directory: never served.
    symlinkSync('/etc/passwd', join(pipelineDir, 'artifacts', 'build', 'leak.txt'));
    writeFileSync(join(pipelineDir, 'record.json.secret'), 'do not serve');
    logFile = join(pipelineDir, 'logs', 'build.log');
    const lines = Array.from({ length: 4000 }, (_, i) => `line ${i} ${'x'.repeat(40)}`);
    writeFileSync(logFile, `${EVIL}\n\x1b[1;31mred and bold\x1b[0m plain\n${lines.join('\n')}\n`);
    const secret = recordOf('version: 1\n');
    secret.id = PRIVATE_ID;
    secret.source.repository = 'acme/secret';
    secret.source.private = true;
    await records.create(secret);
    const routes = pageRoutes({ records, readTokens: new Map([[READ_TOKEN, 'ci']]) });
    server = createServer((req, res) => {
      void routes(req, res, new URL(req.url ?? '/', 'http://x')).then((done) => {
        if (!done) res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(() => {
    server?.closeAllConnections();
    server?.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { headers, redirect: 'manual' });

  it('a branch name, a sender and a log line holding <script> are text, on every page', async () => {
    for (const path of ['/pipelines', `/pipelines/${ID}`, `/pipelines/${ID}/jobs/build?from=0`]) {
      const html = await (await get(path)).text();
      expect(html, path).toContain('&lt;script&gt;window.pwned=1&lt;/script&gt;');
      expect(html, path).not.toContain(EVIL);
    }
  });

  it('a long log shows its end, starting at a whole line, with a link to what came before and to the raw text', async () => {
    const html = await (await get(`/pipelines/${ID}/jobs/build`)).text();
    expect(html).toContain('line 3999 ');
    expect(html).not.toContain('line 0 ');
    const shown = /<pre class="log"[^>]*>([\s\S]*?)<\/pre>/.exec(html)![1]!;
    expect(shown.length).toBeLessThanOrEqual(LOG_PAGE_BYTES);
    expect(shown).toMatch(/^line \d+ x/);
    expect(html).toContain(`href="/api/v1/pipelines/${ID}/jobs/build/log">raw text`);
    const earlier = /href="([^"]+)">earlier output/.exec(html)![1]!;
    const before = await (await get(earlier.replace(/&amp;/g, '&'))).text();
    expect(before).toMatch(/later output/);
    expect(before).not.toContain('line 3999 ');
    const first = await (await get(`/pipelines/${ID}/jobs/build?from=0`)).text();
    expect(first).toContain('<span class="ansi-bold ansi-fg-1">red and bold</span> plain');
  });

  it('the live tail sends what the log gains, escaped, and ends when the job has', async () => {
    const { size } = await import('node:fs').then((fs) => fs.statSync(logFile));
    const response = await fetch(`${base}/pipelines/${ID}/jobs/build/events?offset=${size}`);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    let text = '';
    const readUntil = async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the stream ended before ${pattern}: ${text}`);
        text += Buffer.from(value).toString('utf8');
      }
    };
    await readUntil(/event: record/);
    appendFileSync(logFile, `more ${EVIL}\n`);
    await readUntil(/event: log\ndata: .*more &lt;script&gt;/);
    expect(text).not.toContain('line 3999');
    await records.update(ID, (r) => {
      r.jobs[0]!.state = 'success';
    });
    await readUntil(/event: end/);
    expect(text).toMatch(/"state":"success"/);
  });

  it('an artifact listed for the job downloads with the sha256 the page shows; nothing else does', async () => {
    const page = await (await get(`/pipelines/${ID}/jobs/build`)).text();
    const sha256 = createHash('sha256').update(rpm).digest('hex');
    expect(page).toContain(sha256);
    expect(page).toContain(`${rpm.length} B`);
    const download = await get(`/pipelines/${ID}/jobs/build/artifacts/tiny-1.0-1.noarch.rpm`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="tiny-1.0-1.noarch.rpm"');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(rpm);
    for (const name of [
      'leak.txt',
      '..%2F..%2Frecord.json',
      '..%2Frecord.json.secret',
      'passwd',
      '%E0%A4%A',
    ]) {
      const refused = await get(`/pipelines/${ID}/jobs/build/artifacts/${name}`);
      expect(refused.status, name).toBe(404);
      expect(await refused.text(), name).not.toMatch(/root:|do not serve/);
    }
  });

  it('a private repository: pages, events and artifacts redirect to sign-in; the list leaves it out; a read token reads it', async () => {
    for (const path of [
      `/pipelines/${PRIVATE_ID}`,
      `/pipelines/${PRIVATE_ID}/events`,
      `/pipelines/${PRIVATE_ID}/jobs/build`,
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(302);
      expect(response.headers.get('location'), path).toBe(`/sign-in?next=${encodeURIComponent(path)}`);
    }
    const signIn = await (await get(`/sign-in?next=/pipelines/${PRIVATE_ID}`)).text();
    expect(signIn).toMatch(/sign-in is not configured/);
    expect(signIn).not.toContain('acme/secret');
    expect(await (await get('/pipelines')).text()).not.toContain('acme/secret');
    const withToken = await get(`/pipelines/${PRIVATE_ID}`, { authorization: `Bearer ${READ_TOKEN}` });
    expect(withToken.status).toBe(200);
    expect(await withToken.text()).toContain('acme/secret');
  });

  it('sign-in sends back only to a page of this server', async () => {
    const html = await (await get('/sign-in?next=//evil.example/x')).text();
    expect(html).not.toContain('evil.example');
  });

  it('every page and asset carries the Content-Security-Policy; none allows inline script or style', async () => {
    for (const path of [
      '/pipelines',
      `/pipelines/${ID}`,
      `/pipelines/${ID}/jobs/build`,
      '/sign-in',
      '/pipelines/nope',
      '/assets/albs.css',
      '/assets/pipeline.js',
    ]) {
      const response = await get(path);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp, path).toMatch(/default-src 'none'/);
      expect(csp, path).toMatch(/script-src 'self'/);
      expect(csp, path).not.toMatch(/unsafe/);
    }
    expect((await get('/pipelines/nope')).status).toBe(404);
    expect((await get(`/pipelines/${ID}/jobs/nope`)).status).toBe(404);
  });
});

describe('ANSI colours in a log', () => {
  it('become spans with classes; other escapes vanish; a colour left open spans the next piece', () => {
    const renderer = new AnsiRenderer();
    expect(renderer.render('\x1b[32mok <b>\x1b[0m \x1b[2Kdone')).toBe(
      '<span class="ansi-fg-2">ok &lt;b&gt;</span> done',
    );
    expect(renderer.render('\x1b[1;94mbright')).toBe('<span class="ansi-bold ansi-fg-12">bright</span>');
    expect(renderer.render(' still\x1b[')).toBe('<span class="ansi-bold ansi-fg-12"> still</span>');
    expect(renderer.render('0m plain')).toBe('<span class="ansi-bold ansi-fg-12"></span> plain');
  });
});
