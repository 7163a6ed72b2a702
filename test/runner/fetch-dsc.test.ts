import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchDsc } from '../../src/sources/fetch-dsc.js';
import { tempDir } from './helpers.js';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

// A .tar.gz is gzip already: a server configured with `AddEncoding gzip .gz` (Apache's old default)
// labels it Content-Encoding: gzip, and a client that decodes it gets the bare tar.
const ORIG = gzipSync(Buffer.from('upstream sources, not really a tar\n'.repeat(50)));
const DEBIAN = gzipSync(Buffer.from('debian/ packaging\n'.repeat(20)));
const DSC = [
  'Format: 3.0 (quilt)',
  'Source: tiny',
  'Version: 1.0-1',
  'Checksums-Sha256:',
  ` ${sha256(ORIG)} ${ORIG.length} tiny_1.0.orig.tar.gz`,
  ` ${sha256(DEBIAN)} ${DEBIAN.length} tiny_1.0-1.debian.tar.gz`,
  '',
].join('\n');
const FILES: Record<string, Buffer> = {
  '/pool/tiny_1.0-1.dsc': Buffer.from(DSC),
  '/pool/tiny_1.0.orig.tar.gz': ORIG,
  '/pool/tiny_1.0-1.debian.tar.gz': DEBIAN,
};

let server: Server;
let base: string;
const acceptEncodings: (string | undefined)[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const body = FILES[req.url ?? ''];
    if (!body) return void res.writeHead(404).end();
    acceptEncodings.push(req.headers['accept-encoding']);
    const gz = req.url?.endsWith('.gz') ? { 'content-encoding': 'gzip' } : {};
    res.writeHead(200, { ...gz, 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('fetchDsc', () => {
  it('keeps tarballs served with Content-Encoding: gzip as the .dsc lists them, asking for no encoding', async () => {
    const destDir = join(await tempDir('albs-fetch-'), 'build');
    acceptEncodings.length = 0;
    const got = await fetchDsc({ url: `${base}/pool/tiny_1.0-1.dsc`, sha256: sha256(DSC), destDir });
    expect(got.files.map((f) => f.slice(destDir.length + 1))).toEqual([
      'tiny_1.0.orig.tar.gz',
      'tiny_1.0-1.debian.tar.gz',
    ]);
    expect(await readFile(join(destDir, 'tiny_1.0.orig.tar.gz'))).toEqual(ORIG);
    expect(await readFile(join(destDir, 'tiny_1.0-1.debian.tar.gz'))).toEqual(DEBIAN);
    expect((await readdir(destDir)).sort()).toEqual([
      'tiny_1.0-1.debian.tar.gz',
      'tiny_1.0-1.dsc',
      'tiny_1.0.orig.tar.gz',
    ]);
    expect(acceptEncodings).toEqual(['identity', 'identity', 'identity']);
  });
});
