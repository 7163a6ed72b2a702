/**
 * What a package cannot do to the machine that builds it: a fork bomb and a disk filler fail
 * their own job; network is off unless asked for, and when asked for it never reaches this host's
 * loopback. And what albs does when it cannot make a sandbox at all.
 */
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { ALBS_BIN, albs } from '../helpers/cli.js';
import { countingServer } from '../helpers/counting-server.js';
import { tinyPackage } from '../run/package-repo.js';
import { processesRunning } from '../runner/helpers.js';

const pipelineOf = (out: string) => JSON.parse(readFileSync(join(out, 'pipeline.json'), 'utf8'));
const job = (out: string, id: string) =>
  pipelineOf(out).jobs.find((j: { id: string }) => j.id === id) as { state: string; reason: string | null };

describe('limits: a job that attacks the machine fails, and only it', () => {
  it('a fork bomb hits the task limit and fails its job; the build before it stands', async () => {
    const marker = `bomb${Math.floor(Math.random() * 1e9)}`;
    const dir = tinyPackage({
      albs: `version: 1
build:
  limits: {tasks: 64}
test:
  - name: bomb
    run: ${marker}() { ${marker} | ${marker}; }; ${marker}
    timeout: 20s
`,
    });
    const out = join(dir, '.albs', 'out');
    const result = await albs(['run', dir]);
    expect(result.exitCode).toBe(1);
    expect(job(out, 'build').state).toBe('success');
    expect(job(out, 'test')).toMatchObject({ state: 'failure' });
    // Its forks fail; it fails, or keeps retrying until its step's timeout stops it.
    expect(job(out, 'test').reason).toMatch(/test step "bomb" \(run\) failed|timed out after 20 s/);
    expect(readFileSync(join(out, 'logs', 'test.log'), 'utf8')).toMatch(
      /fork: (retry: )?Resource temporarily unavailable/,
    );
    // Nothing of it outlives albs.
    expect(
      processesRunning([
        'bash',
        '-e',
        '-o',
        'pipefail',
        '-c',
        `${marker}() { ${marker} | ${marker}; }; ${marker}`,
      ]),
    ).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  }, 180_000);

  it('a disk filler fails its job once the workspace passes build.limits.disk', async () => {
    const dir = tinyPackage({
      albs: `version: 1
build:
  limits: {disk: 32MiB}
test:
  - name: fill
    run: i=0; while :; do head -c 1048576 /dev/zero > "$ALBS_WORKSPACE/fill.$i"; i=$((i+1)); sleep 0.01; done
    timeout: 2m
`,
    });
    const out = join(dir, '.albs', 'out');
    const result = await albs(['run', dir]);
    expect(result.exitCode).toBe(1);
    expect(job(out, 'build').state).toBe('success');
    expect(job(out, 'test').reason).toMatch(
      /^the job's workspace grew past its disk limit \(\d+\.\d MiB > 32\.0 MiB\): raise build\.limits\.disk/,
    );
    rmSync(dir, { recursive: true, force: true });
  }, 180_000);

  it('a file bigger than the disk limit cannot even be written', async () => {
    const dir = tinyPackage({
      albs: `version: 1
build:
  limits: {disk: 16MiB}
test:
  - name: big
    run: head -c 33554432 /dev/zero > "$ALBS_WORKSPACE/big"
`,
    });
    const out = join(dir, '.albs', 'out');
    const result = await albs(['run', dir]);
    expect(result.exitCode).toBe(1);
    expect(job(out, 'test').reason).toMatch(/test step "big" \(run\) failed/);
    rmSync(dir, { recursive: true, force: true });
  }, 180_000);
});

describe('network', () => {
  const local = countingServer('0.0.0.0');

  const probe = (name: string, network: boolean) => `  - name: ${name}
    network: ${network}
    run: |
      ip -o link show | sed 's/^/LINK /'
      for host in 127.0.0.1 10.0.2.2; do
        if (exec 3<>/dev/tcp/$host/PORT) 2>/dev/null; then echo "REACHED $host"; else echo "UNREACHED $host"; fi
      done
`;

  it('is off by default; with network: true a tap device is up, yet the host loopback stays out of reach', async () => {
    const dir = tinyPackage({
      albs: `version: 1\non: {branches: [main], pull_requests: false}\ntest:\n${probe('offline', false)}${probe('online', true)}`.replaceAll(
        'PORT',
        String(local.port),
      ),
    });
    const out = join(dir, '.albs', 'out');
    const result = await albs(['run', dir, '--event', 'branch', '--ref', 'main']);
    expect(result.exitCode, result.stdout).toBe(0);
    const log = readFileSync(join(out, 'logs', 'test.log'), 'utf8');
    const [offline = '', online = ''] = log.split('=== step 2/2');
    expect(offline).not.toMatch(/^LINK .*tap0/m);
    expect(online).toMatch(/^LINK .*tap0/m);
    expect(log).not.toMatch(/^REACHED/m);
    expect(log.match(/^UNREACHED/gm)).toHaveLength(4);
    expect(local.connections).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  }, 180_000);
});

describe('key material in the environment', () => {
  it('ALBS_SIGNING_KEY and ALBS_KEY_PASSPHRASE are not in /proc/PID/environ of albs while it runs', async () => {
    const keys = mkdtempSync(join(tmpdir(), 'albs-envkey-'));
    writeFileSync(join(keys, 'pass'), 'hunter2 env\n');
    const made = await albs([
      'keygen',
      '--name',
      'Env Key',
      '--email',
      'e@example.org',
      '--type',
      'ed25519',
      '--passphrase-file',
      join(keys, 'pass'),
      '--out',
      keys,
    ]);
    expect(made.exitCode).toBe(0);
    const secret = readFileSync(join(keys, 'signing-key.asc'), 'utf8');
    const dir = tinyPackage({
      albs: 'version: 1\ntest:\n  - run: touch "$ALBS_WORKSPACE/started"; sleep 3\nsign: {key: release}\npublish: [{repo: tiny}]\n',
    });
    const out = join(dir, '.albs', 'out');
    const child = execa(process.execPath, [ALBS_BIN, 'run', dir], {
      env: { ALBS_SIGNING_KEY: secret, ALBS_KEY_PASSPHRASE: 'hunter2 env' },
      reject: false,
    });
    const started = join(out, 'work', 'test', 'started');
    for (let i = 0; i < 300 && !existsSync(started); i++) await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(started)).toBe(true);
    const environ = readFileSync(`/proc/${child.pid}/environ`, 'latin1');
    expect(environ).toContain('PATH=');
    expect(environ).not.toContain('PRIVATE KEY');
    expect(environ).not.toContain('hunter2 env');
    const result = await child;
    // The key was still there to sign with.
    expect(result.exitCode, String(result.stdout)).toBe(0);
    expect(String(result.stdout)).not.toMatch(/THROWAWAY/);
    rmSync(dir, { recursive: true, force: true });
    rmSync(keys, { recursive: true, force: true });
  }, 180_000);
});

describe('without a sandbox', () => {
  /** A PATH with every program of /usr/bin and /bin but bwrap. */
  function pathWithoutBwrap(): string {
    const bin = mkdtempSync(join(tmpdir(), 'albs-nobwrap-'));
    for (const dir of ['/usr/sbin', '/usr/bin']) {
      for (const name of readdirSync(dir)) {
        if (name === 'bwrap' || existsSync(join(bin, name))) continue;
        symlinkSync(join(dir, name), join(bin, name));
      }
    }
    return bin;
  }

  it('albs run stops before any job with exit 2 and says how to get bubblewrap; --no-sandbox warns and runs', async () => {
    const bin = pathWithoutBwrap();
    const dir = tinyPackage({ albs: 'version: 1\ntest:\n  - run: echo unsandboxed\n' });
    const out = join(dir, '.albs', 'out');
    const refused = await albs(['run', dir], { env: { PATH: bin } });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(
      /bwrap \(bubblewrap\) is not on PATH.*install bubblewrap \(scripts\/setup does/,
    );
    expect(existsSync(join(out, 'logs'))).toBe(false);

    const unsandboxed = await albs(['run', dir, '--no-sandbox'], { env: { PATH: bin } });
    expect(unsandboxed.exitCode, unsandboxed.stdout).toBe(0);
    expect(unsandboxed.stdout).toMatch(
      /--no-sandbox: builds and tests run unsandboxed.*can read the signing keys/,
    );
    expect(readFileSync(join(out, 'logs', 'test.log'), 'utf8')).toContain(
      'running unsandboxed (--no-sandbox)',
    );
    rmSync(dir, { recursive: true, force: true });
    rmSync(bin, { recursive: true, force: true });
  }, 180_000);
});
