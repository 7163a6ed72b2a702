import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DigestMismatchError,
  SrpmDownloadError,
  SrpmTooLargeError,
  SrpmUrlError,
} from '../../src/sources/errors.js';
import { fetchSrpm, srpmFileName } from '../../src/sources/fetch-srpm.js';
import { tempDir } from './helpers.js';

const BODY = Buffer.from('not really an rpm, but bytes with a known digest\n'.repeat(100));
const SHA = createHash('sha256').update(BODY).digest('hex');
const WRONG = 'f'.repeat(64);
/** BODY gzipped: served with Content-Encoding: gzip, as many servers send a .gz file. */
const GZIPPED = gzipSync(BODY);
const GZIPPED_SHA = createHash('sha256').update(GZIPPED).digest('hex');
/** The Accept-Encoding of each request for /gzipped.src.rpm. */
const acceptEncodings: (string | undefined)[] = [];

let server: Server;
let base: string;
const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/pkg-1.0-1.src.rpm': (_req, res) => res.end(BODY),
  '/redirect-once': (_req, res) => res.writeHead(302, { location: '/pkg-1.0-1.src.rpm' }).end(),
  '/loop': (_req, res) => res.writeHead(302, { location: '/loop' }).end(),
  '/to-file': (_req, res) => res.writeHead(301, { location: 'file:///etc/passwd' }).end(),
  '/to-ftp': (_req, res) => res.writeHead(307, { location: 'ftp://127.0.0.1/x.src.rpm' }).end(),
  '/missing.src.rpm': (_req, res) => res.writeHead(404).end('no'),
  // Sends no Content-Length: the cap must hold while streaming.
  '/chunked.src.rpm': (_req, res) => {
    res.writeHead(200, { 'transfer-encoding': 'chunked' });
    res.write(BODY);
    res.end(BODY);
  },
  '/..%2F..%2Fetc': (_req, res) => res.end(BODY),
  '/gzipped.src.rpm': (req, res) => {
    acceptEncodings.push(req.headers['accept-encoding']);
    res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': GZIPPED.length }).end(GZIPPED);
  },
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const route = routes[req.url ?? ''];
    if (route) route(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function dest(): Promise<string> {
  return join(await tempDir('albs-fetch-'), 'srpm');
}

describe('fetchSrpm', () => {
  it('downloads a src.rpm whose sha256 matches, into the destination directory', async () => {
    const destDir = await dest();
    const lines: string[] = [];
    const got = await fetchSrpm({
      url: `${base}/pkg-1.0-1.src.rpm`,
      sha256: SHA,
      destDir,
      log: (l) => lines.push(l),
    });
    expect(got.path).toBe(join(destDir, 'pkg-1.0-1.src.rpm'));
    expect(await readFile(got.path)).toEqual(BODY);
    expect(got).toMatchObject({ bytes: BODY.length, sha256: SHA });
    expect(await readdir(destDir)).toEqual(['pkg-1.0-1.src.rpm']);
    expect(lines.join('\n')).toContain('as expected');
  });

  it('keeps the bytes as served under Content-Encoding: gzip, and asks for them unencoded', async () => {
    const destDir = await dest();
    acceptEncodings.length = 0;
    const lines: string[] = [];
    const got = await fetchSrpm({
      url: `${base}/gzipped.src.rpm`,
      sha256: GZIPPED_SHA,
      destDir,
      log: (l) => lines.push(l),
    });
    expect(await readFile(got.path)).toEqual(GZIPPED);
    expect(lines).toContain(
      'the server labels it Content-Encoding: gzip; it is kept and checked as served, not decoded',
    );
    expect(got).toMatchObject({ bytes: GZIPPED.length, sha256: GZIPPED_SHA });
    expect(acceptEncodings).toEqual(['identity']);
    // The decoded body's digest is not the file's: it is refused.
    await expect(fetchSrpm({ url: `${base}/gzipped.src.rpm`, sha256: SHA, destDir })).rejects.toThrow(
      `has SHA-256 ${GZIPPED_SHA}, but source.sha256 in .albs.yml says ${SHA}`,
    );
  });

  it('accepts the digest in upper case', async () => {
    const got = await fetchSrpm({
      url: `${base}/pkg-1.0-1.src.rpm`,
      sha256: SHA.toUpperCase(),
      destDir: await dest(),
    });
    expect(got.sha256).toBe(SHA);
  });

  it('follows a redirect, keeping the name of the link the user wrote', async () => {
    const destDir = await dest();
    const got = await fetchSrpm({ url: `${base}/redirect-once`, sha256: SHA, destDir });
    expect(got.finalUrl).toBe(`${base}/pkg-1.0-1.src.rpm`);
    expect(await readFile(got.path)).toEqual(BODY);
  });

  it('refuses a wrong sha256, deletes the download and names the URL and both digests', async () => {
    const destDir = await dest();
    const url = `${base}/pkg-1.0-1.src.rpm`;
    const failure = fetchSrpm({ url, sha256: WRONG, destDir });
    await expect(failure).rejects.toBeInstanceOf(DigestMismatchError);
    await expect(failure).rejects.toThrow(url);
    await expect(failure).rejects.toThrow(WRONG);
    await expect(failure).rejects.toThrow(SHA);
    expect(await readdir(destDir)).toEqual([]);
  });

  it('refuses a download over the size cap, by Content-Length and while streaming', async () => {
    for (const path of ['/pkg-1.0-1.src.rpm', '/chunked.src.rpm']) {
      const destDir = await dest();
      const failure = fetchSrpm({ url: `${base}${path}`, sha256: SHA, destDir, maxBytes: 1000 });
      await expect(failure).rejects.toBeInstanceOf(SrpmTooLargeError);
      await expect(failure).rejects.toThrow('1000-byte cap');
      expect(existsSync(destDir) ? await readdir(destDir) : []).toEqual([]);
    }
  });

  it('stops after 5 redirects', async () => {
    const failure = fetchSrpm({ url: `${base}/loop`, sha256: SHA, destDir: await dest() });
    await expect(failure).rejects.toBeInstanceOf(SrpmUrlError);
    await expect(failure).rejects.toThrow('redirects more than 5 times');
  });

  it('refuses a redirect to file:// or ftp://', async () => {
    await expect(fetchSrpm({ url: `${base}/to-file`, sha256: SHA, destDir: await dest() })).rejects.toThrow(
      /redirects to "file:\/\/\/etc\/passwd", which is a file link: only http and https/,
    );
    await expect(fetchSrpm({ url: `${base}/to-ftp`, sha256: SHA, destDir: await dest() })).rejects.toThrow(
      /is a ftp link: only http and https/,
    );
  });

  it('refuses a link that is not http(s) before connecting anywhere', async () => {
    await expect(
      fetchSrpm({ url: 'file:///etc/passwd', sha256: SHA, destDir: await dest() }),
    ).rejects.toThrow('source.srpm "file:///etc/passwd" is a file link');
  });

  it('names the URL and the status of a failed download', async () => {
    const failure = fetchSrpm({ url: `${base}/missing.src.rpm`, sha256: SHA, destDir: await dest() });
    await expect(failure).rejects.toBeInstanceOf(SrpmDownloadError);
    await expect(failure).rejects.toThrow(`${base}/missing.src.rpm: HTTP 404`);
  });

  it('refuses a sha256 that is not 64 hex digits', async () => {
    await expect(
      fetchSrpm({ url: `${base}/pkg-1.0-1.src.rpm`, sha256: 'abc', destDir: await dest() }),
    ).rejects.toThrow('source.sha256 "abc" is not a SHA-256');
  });

  it('cannot be made to write outside the destination by an encoded ../ in the link', async () => {
    const parent = await tempDir('albs-fetch-');
    const destDir = join(parent, 'a', 'b', 'srpm');
    await mkdir(destDir, { recursive: true });
    const got = await fetchSrpm({ url: `${base}/..%2F..%2Fetc`, sha256: SHA, destDir });
    expect(dirname(got.path)).toBe(destDir);
    expect(await readdir(destDir)).toEqual(['etc.src.rpm']);
    expect(existsSync(join(parent, 'a', 'etc'))).toBe(false);
    expect(existsSync(join(destDir, '..', '..', 'etc'))).toBe(false);
  });
});

describe('srpmFileName', () => {
  it.each([
    ['https://example.org/pub/hello-1.0-1.src.rpm', 'hello-1.0-1.src.rpm'],
    ['https://example.org/dl/..%2F..%2Fetc%2Fpasswd', 'passwd.src.rpm'],
    ['https://example.org/dl/%2E%2E', 'download.src.rpm'],
    ['https://example.org/', 'download.src.rpm'],
    ['https://example.org/a%5C..%5Cb.src.rpm', 'b.src.rpm'],
    ['https://example.org/.hidden.src.rpm', 'hidden.src.rpm'],
    ['https://example.org/x%00y.src.rpm?z=1', 'x_y.src.rpm'],
  ])('%s -> %s', (url, name) => {
    expect(srpmFileName(new URL(url))).toBe(name);
  });
});
