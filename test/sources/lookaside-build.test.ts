import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildStep } from '../../runner/steps/build.js';
import { DEFAULT_LIMITS } from '../../src/config/normalise.js';
import type { LookasideConfig } from '../../src/config/types.js';
import { buildJob, makeContext, tempDir, testSandbox } from '../runner/helpers.js';
import { distGitPackage, lookasideServer, NAME, TARBALL, upstreamTarball } from './dist-git.js';

const server = lookasideServer();
const GIB = 1024 ** 3;

/** A build job of the package with lookaside files fetched from the test server, and the dist tag. */
function job(lookaside: Partial<LookasideConfig> = {}, dist = '.el9') {
  return buildJob({
    source: { lookaside: { url: `${server.base}/{hash}`, maxSize: GIB, ...lookaside } },
    macros: { dist },
  });
}

const built = (dir: string) => readdirSync(dir).sort();

describe('building a dist-git repository whose tarball is only in the lookaside', () => {
  it('.NAME.metadata with SHA-256: fetched, checked, patched and built with the dist tag', async () => {
    const pkg = distGitPackage('metadata-sha256', '');
    server.files.set(`/${pkg.sha256}`, pkg.tarball);
    const context = await makeContext({ job: job(), repoDir: pkg.dir });
    expect(await buildStep(context)).toEqual({ state: 'success' });
    expect(built(context.artifacts)).toEqual([`${NAME}-1.0-1.el9.noarch.rpm`, `${NAME}-1.0-1.el9.src.rpm`]);
    expect(context.log.text()).toContain(
      `downloaded SOURCES/${TARBALL}: ${pkg.tarball.length} bytes, SHA-256 ${pkg.sha256} as expected`,
    );
    expect(context.log.text()).toContain('dist tag: ".el9" (build.macros.dist)');
    // The cache holds the blob under its digest; the repository was only read.
    expect(readFileSync(join(context.cache, 'lookaside', 'sha256', pkg.sha256))).toEqual(pkg.tarball);
    expect(readdirSync(join(pkg.dir, 'SOURCES'))).toEqual(['greeting.patch']);
    expect(server.headers?.['user-agent']).toMatch(/^albs-ci\//);
    expect(server.headers?.['accept-encoding']).toBe('identity');
  });

  it('.NAME.metadata with SHA-1 (an el8 branch), and the flat layout with a Fedora sources file (SHA512)', async () => {
    const el8 = distGitPackage('metadata-sha1', '');
    server.files.set(`/${el8.sha1}`, el8.tarball);
    const old = await makeContext({ job: job({}, '.el8'), repoDir: el8.dir });
    expect(await buildStep(old)).toEqual({ state: 'success' });
    expect(built(old.artifacts)).toContain(`${NAME}-1.0-1.el8.noarch.rpm`);

    const fedora = distGitPackage('sources-sha512', '');
    server.files.set(`/pkgs/${NAME}/${TARBALL}/sha512/${fedora.sha512}/${TARBALL}`, fedora.tarball);
    const context = await makeContext({
      job: job({ url: `${server.base}/pkgs/{name}/{filename}/{hashtype}/{hash}/{filename}` }, '.fc41'),
      repoDir: fedora.dir,
    });
    expect(await buildStep(context)).toEqual({ state: 'success' });
    expect(built(context.artifacts)).toContain(`${NAME}-1.0-1.fc41.noarch.rpm`);
  });

  it('two jobs of one host share one download', async () => {
    const pkg = distGitPackage('metadata-sha256', '');
    const path = `/${pkg.sha256}`;
    server.files.set(path, pkg.tarball);
    server.hits.delete(path);
    const cache = await tempDir();
    const [a, b] = await Promise.all([
      makeContext({ job: job({}, '.el9'), repoDir: pkg.dir, cache }),
      makeContext({ job: job({}, '.el10'), repoDir: pkg.dir, cache }),
    ]);
    // A fresh cache: the blob is not there before either starts.
    expect(existsSync(join(cache, 'lookaside'))).toBe(false);
    const results = await Promise.all([buildStep(a), buildStep(b)]);
    expect(results).toEqual([{ state: 'success' }, { state: 'success' }]);
    expect(server.hits.get(path)).toBe(1);
  });

  it('a file the repository already holds with the listed digest is used as it is, with no request', async () => {
    const pkg = distGitPackage('metadata-sha256', '');
    writeFileSync(join(pkg.dir, 'SOURCES', TARBALL), upstreamTarball());
    const path = `/${pkg.sha256}`;
    server.files.delete(path);
    server.hits.delete(path);
    const context = await makeContext({ job: job(), repoDir: pkg.dir });
    expect(await buildStep(context)).toEqual({ state: 'success' });
    expect(server.hits.get(path)).toBeUndefined();
    expect(context.log.text()).toContain(
      `SOURCES/${TARBALL}: in the repository with the listed sha256 digest`,
    );
  });
});

describe('lookaside files that must not be built', () => {
  it('a listed file in a place the sandbox hides (OUT, a key) is never read from there', async () => {
    const pkg = distGitPackage('metadata-sha256', '');
    const secret = join(pkg.dir, '.albs', 'out', 'keys');
    mkdirSync(secret, { recursive: true });
    // The key file holds exactly what the list names: were it read, it would go into the build.
    writeFileSync(join(secret, 'signing-key.asc'), pkg.tarball);
    writeFileSync(join(pkg.dir, `.${NAME}.metadata`), `${pkg.sha256} .albs/out/keys/signing-key.asc\n`);
    server.files.delete(`/${pkg.sha256}`);
    const workspace = await tempDir();
    const context = await makeContext({
      job: job(),
      repoDir: pkg.dir,
      workspace,
      sandbox: testSandbox(workspace, [pkg.dir], DEFAULT_LIMITS, [join(pkg.dir, '.albs', 'out')]),
    });
    const result = await buildStep(context);
    expect(result).toMatchObject({ state: 'failure', reason: expect.stringMatching(/HTTP 404/) });
    expect(context.log.text()).not.toContain('in the repository with the listed');
  });

  const failure = async (pkgDir: string, lookaside: Partial<LookasideConfig> = {}) => {
    const context = await makeContext({ job: job(lookaside), repoDir: pkgDir });
    const result = await buildStep(context);
    expect(result.state).toBe('failure');
    // Nothing reached rpmbuild.
    expect(context.log.text()).not.toMatch(/\$ rpmbuild/);
    expect(built(context.artifacts)).toEqual([]);
    return { reason: 'reason' in result ? result.reason : '', context };
  };

  it('a file whose content does not match: names the file, the URL and both digests, caches nothing', async () => {
    const pkg = distGitPackage('metadata-sha256', '');
    const other = Buffer.from('not the tarball');
    server.files.set(`/${pkg.sha256}`, other);
    const { reason, context } = await failure(pkg.dir);
    const actual = (await import('node:crypto')).createHash('sha256').update(other).digest('hex');
    expect(reason).toContain(`SOURCES/${TARBALL} downloaded from ${server.base}/${pkg.sha256}`);
    expect(reason).toContain(actual);
    expect(reason).toContain(`.${NAME}.metadata:1 says ${pkg.sha256}`);
    expect(existsSync(join(context.cache, 'lookaside', 'sha256', pkg.sha256))).toBe(false);
    server.files.set(`/${pkg.sha256}`, pkg.tarball);
  });

  it('a 404 names the file and the URL', async () => {
    const pkg = distGitPackage('metadata-sha256', '');
    server.files.delete(`/${pkg.sha256}`);
    const { reason } = await failure(pkg.dir);
    expect(reason).toMatch(
      new RegExp(`could not download the SOURCES/${TARBALL} ${server.base}/${pkg.sha256}: HTTP 404`),
    );
  });

  it('a server claiming 2 GiB is refused before a byte is kept', async () => {
    const pkg = distGitPackage('metadata-sha256', '');
    server.files.set(`/${pkg.sha256}`, (res) => {
      res.writeHead(200, { 'content-length': String(2 * GIB) });
      res.write('x'.repeat(1000));
    });
    const { reason } = await failure(pkg.dir);
    expect(reason).toMatch(/is 2147483648 bytes \(Content-Length\), over the 1073741824-byte cap/);
    expect(reason).toContain('source.lookaside.max-size');
    server.files.set(`/${pkg.sha256}`, pkg.tarball);
  });

  it('a 503 is tried again, then the file is built', async () => {
    const pkg = distGitPackage('metadata-sha1', '');
    let calls = 0;
    server.files.set(`/${pkg.sha1}`, (res) => {
      calls++;
      if (calls === 1) res.writeHead(503).end('busy');
      else res.writeHead(200).end(pkg.tarball);
    });
    const context = await makeContext({ job: job({}, '.el8'), repoDir: pkg.dir });
    expect(await buildStep(context)).toEqual({ state: 'success' });
    expect(calls).toBe(2);
    expect(context.log.text()).toMatch(/HTTP 503.*trying again/);
  });

  it('a path that leaves the package source, and a SOURCES that is a symlink out of it', async () => {
    const pkg = distGitPackage('metadata-sha256', '');
    writeFileSync(join(pkg.dir, `.${NAME}.metadata`), `${pkg.sha256} ../outside.tar.gz\n`);
    expect((await failure(pkg.dir)).reason).toMatch(
      /\.metadata:1: the path "\.\.\/outside\.tar\.gz" goes up/,
    );

    const linked = distGitPackage('metadata-sha256', '');
    rmSync(join(linked.dir, 'SOURCES'), { recursive: true });
    symlinkSync('/etc', join(linked.dir, 'SOURCES'));
    expect((await failure(linked.dir)).reason).toMatch(/goes through the symlink SOURCES/);
  });

  it('lookaside set but no list: says what was looked for', async () => {
    const pkg = distGitPackage('metadata-sha256', '');
    rmSync(join(pkg.dir, `.${NAME}.metadata`));
    expect((await failure(pkg.dir)).reason).toMatch(/source\.lookaside is set but .* has no lookaside list/);
  });
});
