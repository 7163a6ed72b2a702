import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { albs } from '../helpers/cli.js';
import { dnfInstall } from '../helpers/dnf.js';
import { type DistGitPackage, distGitPackage, lookasideServer, NAME, TARBALL } from './dist-git.js';

const server = lookasideServer();

/** The .albs.yml of git.almalinux.org's rpms/NAME, with the lookaside on the test server. */
const albsYml = () => `version: 1
source:
  lookaside:
    url: "${server.base}/{hash}"
matrix:
  version: [9]
build:
  macros:
    dist: ".el\${{ matrix.version }}"
test: [install]
publish:
  - repo: "almalinux-\${{ matrix.version }}"
`;

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Every file of a src.rpm but the spec, by name, with its SHA-256. */
async function srpmSources(srpm: string): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'albs-srpm-'));
  await execa('sh', ['-c', 'rpm2cpio "$1" | cpio -idm --quiet', 'sh', srpm], { cwd: dir });
  return treeDigests(dir, (name) => !name.endsWith('.spec'));
}

function treeDigests(dir: string, keep: (name: string) => boolean = () => true): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .filter(keep)
      .sort()
      .map((name) => [name, sha256(readFileSync(join(dir, name)))]),
  );
}

describe('albs run on a repository laid out as git.almalinux.org rpms/NAME', () => {
  let pkg: DistGitPackage;
  let out: string;
  let result: Awaited<ReturnType<typeof albs>>;
  beforeAll(async () => {
    pkg = distGitPackage('metadata-sha256', albsYml());
    server.files.set(`/${pkg.sha256}`, pkg.tarball);
    out = join(pkg.dir, '.albs', 'out');
    result = await albs(['run', pkg.dir]);
  }, 180_000);
  afterAll(() => rmSync(pkg.dir, { recursive: true, force: true }));

  it('builds, tests, signs and publishes packages that carry the dist tag', () => {
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(readdirSync(join(out, 'repos', 'almalinux-9', 'Packages'))).toEqual([
      `${NAME}-1.0-1.el9.noarch.rpm`,
    ]);
    expect(readdirSync(join(out, 'artifacts', 'build.9')).sort()).toEqual([
      `${NAME}-1.0-1.el9.noarch.rpm`,
      `${NAME}-1.0-1.el9.src.rpm`,
    ]);
    expect(existsSync(join(out, 'cache', 'lookaside', 'sha256', pkg.sha256))).toBe(true);
    // The repository is as it was: the tarball went to the cache and the job's own source directory.
    expect(readdirSync(join(pkg.dir, 'SOURCES'))).toEqual(['greeting.patch']);
  });

  it('dnf installs it from the signed repository, with the repository patch applied', async () => {
    const repo = join(out, 'repos', 'almalinux-9');
    const install = await dnfInstall(readFileSync(join(repo, 'almalinux-9.repo'), 'utf8'), NAME);
    expect(install.installed).toBe(true);
    expect(readFileSync(join(install.root, 'usr', 'bin', NAME), 'utf8')).toContain('hello from dist-git');
    const query = await execa('rpm', ['--root', install.root, '-q', NAME]);
    expect(query.stdout).toBe(`${NAME}-1.0-1.el9.noarch`);
  }, 120_000);

  it('albs sources --out makes the tree the src.rpm was made from', async () => {
    const tree = mkdtempSync(join(tmpdir(), 'albs-sources-out-'));
    const got = await albs(['sources', pkg.dir, '--out', tree]);
    expect(got.stderr).toBe('');
    expect(got.exitCode).toBe(0);
    expect(got.stdout).toContain(`1 fetched, 0 already in place: sources are in ${tree}`);
    const srpm = join(out, 'artifacts', 'build.9', `${NAME}-1.0-1.el9.src.rpm`);
    expect(treeDigests(tree)).toEqual(await srpmSources(srpm));
    expect(Object.keys(treeDigests(tree))).toEqual(['greeting.patch', TARBALL]);
  });

  it('albs plan --json shows the rendered macros of each build job', async () => {
    const plan = await albs(['plan', pkg.dir, '--json']);
    const build = JSON.parse(plan.stdout).jobs.find((j: { stage: string }) => j.stage === 'build');
    expect(build.macros).toEqual({ dist: '.el9' });
  });
});

describe('albs run with a lookaside file that does not match its digest', () => {
  it('fails the build before rpmbuild runs, naming the file and both digests', async () => {
    const pkg = distGitPackage('metadata-sha256', albsYml());
    const other = Buffer.from('a different tarball\n');
    server.files.set(`/${pkg.sha256}`, other);
    const result = await albs(['run', pkg.dir]);
    expect(result.exitCode).toBe(1);
    const out = join(pkg.dir, '.albs', 'out');
    const log = readFileSync(join(out, 'logs', 'build.9.log'), 'utf8');
    expect(log).toContain(
      `SOURCES/${TARBALL} downloaded from ${server.base}/${pkg.sha256} has SHA-256 ${sha256(other)}`,
    );
    expect(log).toContain(`.${NAME}.metadata:1 says ${pkg.sha256}`);
    expect(log).not.toMatch(/\$ rpmbuild/);
    expect(existsSync(join(out, 'repos', 'almalinux-9'))).toBe(false);
    rmSync(pkg.dir, { recursive: true, force: true });
  }, 120_000);
});

describe('albs sources in a dist-git checkout', () => {
  it('fetches into SOURCES/, keeps what is in place, and never replaces a file with other content', async () => {
    const pkg = distGitPackage('metadata-sha1', 'version: 1\n');
    server.files.set(`/${pkg.sha1}`, pkg.tarball);
    // No source.lookaside in .albs.yml: albs sources finds the list and its default form anyway,
    // with the URL given here through a config that names it.
    writeFileSync(
      join(pkg.dir, '.albs.yml'),
      `version: 1\nsource:\n  lookaside:\n    url: "${server.base}/{hash}"\n`,
    );
    const first = await albs(['sources', pkg.dir]);
    expect(first.exitCode).toBe(0);
    expect(readFileSync(join(pkg.dir, 'SOURCES', TARBALL))).toEqual(pkg.tarball);
    expect(readdirSync(pkg.dir).filter((f) => f.startsWith('.albs-sources'))).toEqual([]);

    const again = await albs(['sources', pkg.dir]);
    expect(again.stdout).toContain('0 fetched, 1 already in place');

    writeFileSync(join(pkg.dir, 'SOURCES', TARBALL), 'my own work\n');
    const refused = await albs(['sources', pkg.dir]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(
      new RegExp(
        `SOURCES/${TARBALL} is in the repository with other content than .${NAME}.metadata:1 lists .*move it away`,
      ),
    );
    expect(readFileSync(join(pkg.dir, 'SOURCES', TARBALL), 'utf8')).toBe('my own work\n');
    rmSync(pkg.dir, { recursive: true, force: true });
  });

  it('a repository without a list exits 1 saying there is nothing to fetch', async () => {
    const pkg = distGitPackage('metadata-sha1', 'version: 1\n');
    rmSync(join(pkg.dir, `.${NAME}.metadata`));
    const result = await albs(['sources', pkg.dir]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/has no lookaside list .*nothing to fetch/);
  });
});
