import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { cp, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStep } from '../../runner/steps/build.js';
import { testStep } from '../../runner/steps/test.js';
import type { TestStep } from '../../src/plan/types.js';
import { buildJob, makeContext, tempDir, testJob } from '../runner/helpers.js';
import { debianRepo } from './helpers.js';

/**
 * A 3.0 (quilt) source package as Debian ships many: the upstream tarball signed by upstream
 * (tiny_1.0.orig.tar.gz.asc, listed in the .dsc) and upstream's key in debian/upstream/, made by
 * the real dpkg-source -b, which verifies the signature.
 */
async function signedSourcePackage(): Promise<string> {
  const repo = await debianRepo({ format: '3.0 (quilt)' });
  const pool = await tempDir('albs-pool-');
  const tree = join(pool, 'tiny-1.0');
  await cp(repo, tree, { recursive: true });
  const orig = join(pool, 'tiny_1.0.orig.tar.gz');
  await rename(join(tree, 'tiny_1.0.orig.tar.gz'), orig);
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: 'ecc',
    curve: 'ed25519Legacy',
    userIDs: [{ name: 'Tiny Upstream', email: 'upstream@example.org' }],
    format: 'armored',
  });
  const signature = await openpgp.sign({
    message: await openpgp.createMessage({ binary: await readFile(orig) }),
    signingKeys: await openpgp.readPrivateKey({ armoredKey: privateKey }),
    detached: true,
  });
  await writeFile(`${orig}.asc`, signature);
  await mkdir(join(tree, 'debian', 'upstream'));
  await writeFile(join(tree, 'debian', 'upstream', 'signing-key.asc'), publicKey);
  await execa('dpkg-source', ['-b', 'tiny-1.0'], { cwd: pool, stdin: 'ignore' });
  return pool;
}

describe('a source package whose upstream tarball is signed', () => {
  let server: Server;
  let base: string;
  let pool: string;

  beforeAll(async () => {
    pool = await signedSourcePackage();
    server = createServer((req, res) => {
      const name = (req.url ?? '').replace(/^\/pool\//, '');
      readFile(join(pool, name)).then(
        (body) => res.end(body),
        () => res.writeHead(404).end(),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pool`;
  }, 60_000);
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('builds from its .dsc link, keeps the .asc with the .dsc, and passes lintian', async () => {
    const dsc = await readFile(join(pool, 'tiny_1.0-1.dsc'));
    expect(dsc.toString()).toMatch(/ tiny_1\.0\.orig\.tar\.gz\.asc$/m);
    const build = await makeContext({
      job: buildJob({
        builder: 'dpkg',
        dpkg: { sbuild: false, dist: null, options: [] },
        source: { dsc: `${base}/tiny_1.0-1.dsc`, sha256: createHash('sha256').update(dsc).digest('hex') },
      }),
      repoDir: await tempDir(),
    });
    expect(await buildStep(build)).toEqual({ state: 'success' });
    const artifacts = readdirSync(build.artifacts).sort();
    expect(artifacts).toEqual(
      expect.arrayContaining([
        'tiny_1.0-1.dsc',
        'tiny_1.0-1.debian.tar.xz',
        'tiny_1.0.orig.tar.gz',
        'tiny_1.0.orig.tar.gz.asc',
        'tiny_1.0-1_all.deb',
      ]),
    );

    // A test step with the defaults a config gives.
    const lintian = {
      kind: 'lintian',
      name: 'lintian',
      timeout: 300,
      env: {},
      ignore: [],
    } as unknown as TestStep;
    const test = await makeContext({
      job: testJob({ builder: 'dpkg', steps: [lintian] }),
      repoDir: await tempDir(),
      inputs: { 'build.test': artifacts.map((name) => join(build.artifacts, name)) },
    });
    const result = await testStep(test);
    expect(test.log.text()).not.toMatch(/does not exist|^E: /m);
    expect(result).toEqual({ state: 'success' });
  }, 300_000);
});
