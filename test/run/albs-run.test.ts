import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALBS_BIN, albs, REPO_ROOT } from '../helpers/cli.js';
import { dnfInstall } from '../helpers/dnf.js';
import { processesRunning } from '../runner/helpers.js';
import { copyExample, tinyPackage } from './package-repo.js';

const pipelineOf = (out: string) => JSON.parse(readFileSync(join(out, 'pipeline.json'), 'utf8'));
const stateOf = (out: string) =>
  Object.fromEntries(pipelineOf(out).jobs.map((j: { id: string; state: string }) => [j.id, j.state]));

describe('albs run on the noarch example', () => {
  let dir: string;
  let out: string;
  let result: Awaited<ReturnType<typeof albs>>;
  beforeAll(async () => {
    dir = copyExample('hello-noarch');
    out = join(dir, '.albs', 'out');
    result = await albs(['run', dir]);
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs every job and exits 0, warning about the throwaway key', () => {
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/THROWAWAY key/);
    expect(stateOf(out)).toEqual({
      'build.almalinux-9': 'success',
      'test.almalinux-9': 'success',
      'sign.almalinux-9-testing': 'success',
      'publish.almalinux-9-testing': 'success',
    });
    expect(result.stdout).toMatch(/install from it: .*almalinux-9-testing\.repo/);
    expect(existsSync(join(out, 'keys', 'release', 'signing-key.asc'))).toBe(true);
  });

  it('keeps logs and artifacts per job', () => {
    expect(readdirSync(join(out, 'artifacts', 'build.almalinux-9')).sort()).toEqual([
      'hello-noarch-1.0.0-1.noarch.rpm',
      'hello-noarch-1.0.0-1.src.rpm',
    ]);
    const testLog = readFileSync(join(out, 'logs', 'test.almalinux-9.log'), 'utf8');
    expect(testLog).toMatch(/rpmlint/);
    expect(testLog).toMatch(/rpm --root .* --nodeps|dnf --installroot/);
  });

  it('dnf installs the package from the published repo with gpgcheck and repo_gpgcheck on, and it runs', async () => {
    const repoDir = join(out, 'repos', 'almalinux-9-testing');
    expect(readdirSync(repoDir).sort()).toEqual(
      ['Packages', 'RPM-GPG-KEY-release', 'almalinux-9-testing.repo', 'repodata'].sort(),
    );
    expect(existsSync(join(repoDir, 'repodata', 'repomd.xml.asc'))).toBe(true);
    const install = await dnfInstall(
      readFileSync(join(repoDir, 'almalinux-9-testing.repo'), 'utf8'),
      'hello-noarch',
    );
    expect(install.output).not.toMatch(/error/i);
    expect(install.exitCode).toBe(0);
    const hello = await execa(join(install.root, 'usr', 'bin', 'hello-noarch'));
    expect(hello.stdout).toMatch(/Hello from albs-ci!/);
  });
});

describe('albs run on the C example', () => {
  it('builds for the host arch and lists the other arches as skipped with the reason', async () => {
    const dir = copyExample('hello-c');
    const out = join(dir, '.albs', 'out');
    const result = await albs(['run', dir, '--event', 'pull_request', '--ref', 'fix']);
    expect(result.exitCode).toBe(0);
    const jobs = pipelineOf(out).jobs as { id: string; state: string; reason: string | null }[];
    const x86 = jobs.filter((j) => j.id.startsWith('build.x86_64'));
    expect(x86.length).toBeGreaterThan(0);
    for (const job of x86) expect(job.state).toBe('success');
    const aarch = jobs.find((j) => j.id === 'build.aarch64.almalinux-8');
    expect(aarch).toMatchObject({ state: 'skipped', reason: 'no runner with labels [aarch64]' });
    expect(result.stdout).toMatch(/no runner here with labels \[aarch64\]: skipped build\.aarch64/);
    expect(readdirSync(join(out, 'artifacts', x86[0]!.id)).some((f) => f.endsWith('.x86_64.rpm'))).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  }, 180_000);
});

describe('albs run when things go wrong', () => {
  it('a failing build exits 1, keeps its log and partial artifacts, and publishes nothing', async () => {
    const dir = tinyPackage({
      albs: 'version: 1\npublish: [{repo: tiny}]\n',
      build: 'echo "compiling tiny"; echo "error: something broke" >&2; exit 3',
    });
    const out = join(dir, '.albs', 'out');
    const result = await albs(['run', dir]);
    expect(result.exitCode).toBe(1);
    expect(stateOf(out)).toEqual({ build: 'failure', 'sign.tiny': 'cancelled', 'publish.tiny': 'cancelled' });
    expect(readFileSync(join(out, 'logs', 'build.log'), 'utf8')).toMatch(/error: something broke/);
    expect(readdirSync(join(out, 'artifacts', 'build'))).toEqual(['tiny-1.0-1.src.rpm']);
    expect(existsSync(join(out, 'repos', 'tiny'))).toBe(false);
    expect(result.stdout).toMatch(/build failed: .*; log: .*logs\/build\.log/);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('an invalid config exits 2 with positioned problems and runs nothing', async () => {
    const dir = tinyPackage({ albs: 'version: 1\ntest: [rpmlnt]\n' });
    const result = await albs(['run', dir]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/\.albs\.yml:2:8: error: test\[0\] is "rpmlnt"/);
    expect(existsSync(join(dir, '.albs'))).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a key that cannot be read stops the run before anything is built (exit 2)', async () => {
    const dir = tinyPackage({ albs: 'version: 1\npublish: [{repo: tiny}]\n' });
    const result = await albs(['run', dir, '--key', join(dir, 'missing.asc')]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/missing\.asc: cannot read the signing key \(ENOENT\); check --key/);
    expect(existsSync(join(dir, '.albs', 'out', 'artifacts'))).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });

  it('--arch refuses an arch the host cannot run natively', async () => {
    const result = await albs(['run', join(REPO_ROOT, 'examples', 'hello-c'), '--arch', 'ppc64le']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/never cross-builds/);
  });
});

describe('albs run with a src.rpm link', () => {
  let server: Server;
  let base: string;
  const srpm = readFileSync(join(REPO_ROOT, 'examples', 'hello-srpm', 'hello-srpm-1.0.0-1.src.rpm'));
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/hello-srpm-1.0.0-1.src.rpm') res.end(srpm);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const withServer = (dir: string, sha?: string) => {
    const file = join(dir, '.albs.yml');
    let text = readFileSync(file, 'utf8').replace(/http:\/\/127\.0\.0\.1:\d+/, base);
    if (sha) text = text.replace(/sha256: "?[0-9a-f]{64}"?/, `sha256: "${sha}"`);
    writeFileSync(file, text);
  };

  it('downloads, checks and builds it', async () => {
    const dir = copyExample('hello-srpm');
    withServer(dir);
    const result = await albs(['run', dir, '--event', 'tag', '--ref', 'v1.0.0']);
    expect(result.exitCode).toBe(0);
    const out = join(dir, '.albs', 'out');
    expect(stateOf(out)['publish.almalinux-9']).toBe('success');
    expect(readdirSync(join(out, 'repos', 'almalinux-9', 'Packages'))).toEqual([
      'hello-srpm-1.0.0-1.noarch.rpm',
    ]);
    rmSync(dir, { recursive: true, force: true });
  }, 180_000);

  it('a wrong sha256 fails before anything is built', async () => {
    const dir = copyExample('hello-srpm');
    withServer(dir, 'f'.repeat(64));
    const result = await albs(['run', dir, '--event', 'tag', '--ref', 'v1.0.0']);
    expect(result.exitCode).toBe(1);
    const out = join(dir, '.albs', 'out');
    const log = readFileSync(join(out, 'logs', 'build.almalinux-8.log'), 'utf8');
    expect(log).toMatch(/sha256/i);
    expect(log).not.toMatch(/rpmbuild --rebuild|Executing\(%build\)/);
    expect(readdirSync(join(out, 'artifacts', 'build.almalinux-8'))).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});

describe('stopping', () => {
  // A test step whose grandchild ignores SIGTERM and would outlive a careless kill. It runs in the
  // sandbox's own pid namespace, so it is found here by its command line: a sleep of its own length.
  const stubborn = (seconds: string) => `#!/bin/bash
bash -c 'trap "" TERM; touch "$ALBS_WORKSPACE/started"; exec sleep ${seconds}' &
wait
`;
  const albsYml = (timeout: string) => `version: 1
test:
  - run: ./stubborn.sh
    timeout: ${timeout}
publish: [{repo: tiny}]
`;
  const unique = () => String(300 + Math.floor(Math.random() * 10_000));
  const waitFor = async (file: string) => {
    for (let i = 0; i < 300 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 100));
    return existsSync(file);
  };

  it('a step timeout kills the whole process tree and fails the job', async () => {
    const seconds = unique();
    const dir = tinyPackage({ albs: albsYml('3s'), files: { 'stubborn.sh': stubborn(seconds) } });
    const out = join(dir, '.albs', 'out');
    const result = await albs(['run', dir]);
    expect(result.exitCode).toBe(1);
    expect(existsSync(join(out, 'work', 'test', 'started'))).toBe(true);
    expect(processesRunning(['sleep', seconds])).toEqual([]);
    expect(pipelineOf(out).jobs.find((j: { id: string }) => j.id === 'test')?.reason).toMatch(/timed out/);
    expect(existsSync(join(out, 'repos', 'tiny'))).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('Ctrl-C stops every process, leaves no half-written repository, and exits 130', async () => {
    const seconds = unique();
    const dir = tinyPackage({ albs: albsYml('10m'), files: { 'stubborn.sh': stubborn(seconds) } });
    const out = join(dir, '.albs', 'out');
    const child = execa(process.execPath, [ALBS_BIN, 'run', dir], { reject: false });
    expect(await waitFor(join(out, 'work', 'test', 'started'))).toBe(true);
    expect(processesRunning(['sleep', seconds])).toHaveLength(1);
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(processesRunning(['sleep', seconds])).toEqual([]);
    expect(stateOf(out)).toMatchObject({ build: 'success', test: 'cancelled', 'publish.tiny': 'cancelled' });
    expect(existsSync(join(out, 'repos', 'tiny'))).toBe(false);
    const versions = join(out, 'repos', '.repos');
    expect(existsSync(versions) ? readdirSync(versions) : []).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});

describe('progress a person can follow', () => {
  const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

  it('on a terminal: a live table of job, state, duration and last log line, redrawn in place', async () => {
    const dir = tinyPackage({
      albs: 'version: 1\ntest:\n  - run: echo checking tiny\npublish: [{repo: tiny}]\n',
    });
    // util-linux `script` gives the command a pseudo-terminal, as a person's shell would.
    const command = [process.execPath, ALBS_BIN, 'run', dir].map(quote).join(' ');
    const result = await execa('script', ['-qfec', command, '/dev/null'], {
      reject: false,
      env: { COLUMNS: '120' },
    });
    // Escape sequences made visible, so the assertions read as what the terminal was told.
    const screen = String(result.stdout).replaceAll('\u001b', '<ESC>');
    expect(result.exitCode).toBe(0);
    expect(screen).toMatch(/<ESC>\[\d+A/); // the cursor moves up to redraw the table
    expect(screen).toMatch(/build\s+<ESC>\[32msuccess\s*<ESC>\[0m\s+\d+\.\d s/);
    expect(screen).toMatch(/publish\.tiny\s+<ESC>\[32msuccess/);
    // The last column: the job's latest log line (after it finished, albs's own closing line).
    expect(screen).toMatch(/\ntest\s+<ESC>\[32msuccess\s*<ESC>\[0m\s+\d+\.\d s\s+\[albs\] test: success/);
    expect(screen).toMatch(/pipeline success: 4 success/);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('elsewhere: one line per state change; --verbose adds the log lines; --log-format json gives pino records', async () => {
    const dir = tinyPackage({ albs: 'version: 1\ntest:\n  - run: echo checking tiny\n' });
    const plain = await albs(['run', dir]);
    expect(plain.stdout).toMatch(/^build: running$/m);
    expect(plain.stdout).toMatch(/^test: success in \d+\.\d s$/m);
    expect(plain.stdout).not.toMatch(/checking tiny/);
    const verbose = await albs(['run', dir, '--verbose']);
    expect(verbose.stdout).toMatch(/^test \| checking tiny$/m);
    const json = await albs(['run', dir, '--log-format', 'json']);
    const records = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records).toContainEqual(expect.objectContaining({ job: 'test', state: 'success', level: 30 }));
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});

describe('albs run with real keys', () => {
  const readAll = (dir: string): string =>
    readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && /\.(log|json)$/.test(e.name))
      .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
      .join('\n');

  it('--key with --passphrase-file and --out: signed with that key, and no key material in any log', async () => {
    const dir = tinyPackage({ albs: 'version: 1\nsign: {key: release}\npublish: [{repo: tiny}]\n' });
    const keys = join(dir, 'keys');
    writeFileSync(join(dir, 'pass'), 'correct horse\n');
    const keygen = await albs([
      'keygen',
      '--name',
      'Tiny Release',
      '--email',
      'r@example.org',
      '--type',
      'ed25519',
      '--passphrase-file',
      join(dir, 'pass'),
      '--out',
      keys,
    ]);
    expect(keygen.exitCode).toBe(0);
    const out = join(dir, 'elsewhere');
    const result = await albs([
      'run',
      dir,
      '--out',
      out,
      '--key',
      join(keys, 'signing-key.asc'),
      '--passphrase-file',
      join(dir, 'pass'),
    ]);
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).not.toMatch(/THROWAWAY/);
    expect(readFileSync(join(out, 'repos', 'tiny', 'RPM-GPG-KEY-release'), 'utf8')).toBe(
      readFileSync(join(keys, 'signing-key.pub.asc'), 'utf8'),
    );
    const verify = await albs([
      'verify',
      'rpm',
      '--key',
      join(keys, 'signing-key.pub.asc'),
      join(out, 'repos', 'tiny', 'Packages', 'tiny-1.0-1.noarch.rpm'),
    ]);
    expect(verify.exitCode).toBe(0);
    // The private key block's body lines, and the passphrase, appear nowhere albs wrote or printed.
    const secret = readFileSync(join(keys, 'signing-key.asc'), 'utf8')
      .split('\n')
      .filter((l) => l.length > 40);
    const written = `${readAll(out)}\n${result.stdout}\n${result.stderr}`;
    for (const line of secret) expect(written).not.toContain(line);
    expect(written).not.toContain('correct horse');
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('sign.key NAME resolves to NAME.asc in ALBS_KEYS_DIR; a missing one stops the run with exit 2', async () => {
    const dir = tinyPackage({ albs: 'version: 1\nsign: {key: release}\npublish: [{repo: tiny}]\n' });
    const made = join(dir, 'made');
    expect(
      (
        await albs([
          'keygen',
          '--name',
          'Keys Dir',
          '--email',
          'k@example.org',
          '--type',
          'ed25519',
          '--out',
          made,
        ])
      ).exitCode,
    ).toBe(0);
    const keysDir = join(dir, 'keys.d');
    mkdirSync(keysDir);
    writeFileSync(join(keysDir, 'release.asc'), readFileSync(join(made, 'signing-key.asc')));
    const ok = await albs(['run', dir], { env: { ALBS_KEYS_DIR: keysDir } });
    expect(ok.exitCode).toBe(0);
    expect(readFileSync(join(dir, '.albs', 'out', 'repos', 'tiny', 'RPM-GPG-KEY-release'), 'utf8')).toBe(
      readFileSync(join(made, 'signing-key.pub.asc'), 'utf8'),
    );
    const missing = await albs(['run', dir], { env: { ALBS_KEYS_DIR: join(dir, 'nowhere') } });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(
      /sign\.key "release" resolves to .*nowhere\/release\.asc \(ALBS_KEYS_DIR\), which does not exist/,
    );
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});
