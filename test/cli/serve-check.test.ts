import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALBS_BIN, albs, REPO_ROOT } from '../helpers/cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'albs-serve-check-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file in `dir`, mode 600 unless told. */
function write(name: string, text: string, mode = 0o600): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

/** The contract's file, with every secret as a file beside it (relative paths). */
function fullConfig(sub: string): string {
  write(`${sub}/gitea.token`, 'gitea-token');
  write(`${sub}/gitea.secret`, 'gitea-hook');
  write(`${sub}/github-app.pem`, '-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n');
  write(`${sub}/github.secret`, 'github-hook');
  write(`${sub}/submit.tokens`, '# name token\nrelease-team 0123456789abcdef0123\n');
  write(`${sub}/read.tokens`, 'auditor fedcba9876543210fedc');
  return write(
    `${sub}/serve.yml`,
    `listen: 127.0.0.1:8080
public-url: https://albs.example.org
data-dir: data
keys-dir: keys
gitea:
  url: https://git.almalinux.org
  token-file: gitea.token
  webhook-secret-file: gitea.secret
github:
  app-id: 123456
  private-key-file: github-app.pem
  webhook-secret-file: github.secret
  api-url: https://api.github.com
submit-tokens-file: submit.tokens
read-tokens-file: read.tokens
allow:
  - repos: ["almalinux/*"]
    keys: [release]
    publish: ["almalinux-*"]
runner: {labels: [x86_64, noarch], concurrency: 4}
cache: {max-size: 20GiB}
keep: 3
statuses: {max-job-contexts: 64}
`,
    0o644,
  );
}

/** albs serve with only PATH and `env`: no secret or ALBS_CONFIG of the environment the tests run in. */
async function albsServe(args: string[], env: Record<string, string> = {}) {
  const result = await execa(process.execPath, [ALBS_BIN, 'serve', ...args], {
    cwd: REPO_ROOT,
    reject: false,
    stdin: 'ignore',
    extendEnv: false,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

describe('albs serve --check', () => {
  it('a valid full file: exit 0, "FILE: valid" on stdout, nothing on stderr', async () => {
    const file = fullConfig('full');
    const result = await albsServe(['--config', file, '--check']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`${file}: valid`);
    expect(result.exitCode).toBe(0);
  });

  it('takes the file from ALBS_CONFIG', async () => {
    const file = fullConfig('from-env');
    const result = await albsServe(['--check'], { ALBS_CONFIG: file });
    expect(result.stdout).toBe(`${file}: valid`);
    expect(result.exitCode).toBe(0);
  });

  it('wrong settings: every problem as FILE:LINE:COL: error: MESSAGE, exit 1', async () => {
    const file = write(
      'wrong.yml',
      'listen: 8080x\npublic-url: https://albs.example.org\ndata-dir: /d\nsubmit-tokens-file: /t\nkepe: 3\nkeep: -1\n',
    );
    const result = await albsServe(['--config', file, '--check']);
    expect(result.stderr.split('\n')).toEqual([
      `${file}:1:9: error: listen is "8080x"; it must be HOST:PORT, e.g. 127.0.0.1:8080, 0.0.0.0:8080 or [::1]:8080`,
      `${file}:5:1: error: unknown key "kepe"; did you mean "keep"?`,
      `${file}:6:7: error: keep is -1; it must be at least 1`,
    ]);
    expect(result.stdout).toBe('');
    expect(result.exitCode).toBe(1);
  });

  it('no forge and no submit tokens: exit 1, at 1:1', async () => {
    const file = write('nothing.yml', 'public-url: https://albs.example.org\ndata-dir: /d\n');
    const result = await albsServe(['--config', file, '--check']);
    expect(result.stderr).toBe(
      `${file}:1:1: error: albs serve has nothing to build: set "gitea" (webhooks of a Gitea server), "github" (webhooks of a GitHub App) or "submit-tokens-file" (builds submitted to POST /api/v1/builds), or several of them`,
    );
    expect(result.exitCode).toBe(1);
  });

  it('a world-readable secret file: exit 1, FILE: error: naming the key, the file and chmod 600', async () => {
    const file = fullConfig('open');
    const token = join(dir, 'open', 'gitea.token');
    chmodSync(token, 0o644);
    const result = await albsServe(['--config', file, '--check']);
    expect(result.stderr).toBe(
      `${file}: error: gitea.token-file: ${token} is open to its group or others (mode 0644), and it holds the Gitea API token; run chmod 600 ${token}`,
    );
    expect(result.stdout).toBe('');
    expect(result.exitCode).toBe(1);
  });

  it('secrets from the environment; a forge without its webhook secret names both ways', async () => {
    const file = write(
      'env.yml',
      'public-url: https://albs.example.org\ndata-dir: /d\ngitea: {url: "https://gitea.example.org"}\n',
    );
    const valid = await albsServe(['--config', file, '--check'], {
      ALBS_GITEA_TOKEN: 'gitea-token',
      ALBS_GITEA_WEBHOOK_SECRET: 'gitea-hook',
    });
    expect(valid.stderr).toBe('');
    expect(valid.stdout).toBe(`${file}: valid`);
    const missing = await albsServe(['--config', file, '--check'], { ALBS_GITEA_TOKEN: 'gitea-token' });
    expect(missing.stderr).toBe(
      `${file}: error: gitea is configured but the secret of the Gitea webhooks is not given: set gitea.webhook-secret-file to a file (mode 600) holding it, or the environment variable ALBS_GITEA_WEBHOOK_SECRET`,
    );
    expect(missing.exitCode).toBe(1);
  });

  it('a tokens file with a bad line names its line, never the token', async () => {
    const file = fullConfig('tokens');
    const tokens = write('tokens/submit.tokens', 'ok 0123456789abcdef0123\nsecret-token-without-a-name\n');
    const result = await albsServe(['--config', file, '--check']);
    expect(result.stderr).toBe(
      `${file}: error: submit-tokens-file: ${tokens} line 2 is not "NAME TOKEN" (a name of letters, digits, ".", "_" and "-", a space, then the token); correct or remove that line`,
    );
    expect(result.stderr).not.toContain('secret-token-without-a-name');
    expect(result.exitCode).toBe(1);
  });

  it('exit 2 for a missing file, a directory, or no --config at all', async () => {
    const missing = join(dir, 'missing.yml');
    const gone = await albsServe(['--config', missing, '--check']);
    expect(gone.stderr).toBe(
      `albs: ${missing}: cannot read it (ENOENT); check that it exists and its permissions`,
    );
    expect(gone.exitCode).toBe(2);
    const directory = await albsServe(['--config', dir, '--check']);
    expect(directory.stderr).toBe(
      `albs: ${dir}: a directory, not a regular file; albs reads its configuration from a regular file: give the path of one`,
    );
    expect(directory.exitCode).toBe(2);
    const none = await albsServe(['--check']);
    expect(none.stderr).toBe(
      'albs: albs serve needs its configuration: give --config FILE or set ALBS_CONFIG (the keys are in schemas/albs-server.schema.json)',
    );
    expect(none.exitCode).toBe(2);
  });
});

describe('albs serve without --check', () => {
  it('an invalid file or a bad secret stops it before it serves, with exit 2', async () => {
    const wrong = write('serve-wrong.yml', 'public-url: https://albs.example.org\ndata-dir: /d\n');
    const invalid = await albsServe(['--config', wrong]);
    expect(invalid.stderr).toMatch(/^.*serve-wrong\.yml:1:1: error: albs serve has nothing to build/);
    expect(invalid.exitCode).toBe(2);
    const file = fullConfig('serve-open');
    chmodSync(join(dir, 'serve-open', 'github.secret'), 0o604);
    const open = await albsServe(['--config', file]);
    expect(open.stderr).toMatch(
      /: error: github\.webhook-secret-file: .*github\.secret is open to its group or others \(mode 0604\)/,
    );
    expect(open.exitCode).toBe(2);
  });

  it('is listed in albs --help after run, and its help has examples', async () => {
    const help = await albs(['--help']);
    expect(help.stdout).toMatch(/ run \[options\][^\n]*\n(?:[^\n]*\n)*?\s+serve \[options\]/);
    const own = await albs(['serve', '--help']);
    expect(own.stdout).toContain('--config <file>');
    expect(own.stdout).toContain('albs serve --config /etc/albs/serve.yml --check');
  });
});

describe("the server's secret variables", () => {
  it('are taken out of process.env and blanked in /proc/self/environ at start-up, then handed over once', async () => {
    const module = pathToFileURL(join(REPO_ROOT, 'dist/src/cli/signing-env.js')).href;
    const script = `
      const { readFileSync } = await import('node:fs');
      const { takeSecretEnv, takeServerSecretEnv } = await import(${JSON.stringify(module)});
      takeSecretEnv();
      const environ = readFileSync('/proc/self/environ', 'latin1');
      const handed = takeServerSecretEnv();
      process.stdout.write(JSON.stringify({
        inEnv: Object.keys(process.env).filter((k) => k.startsWith('ALBS_G')),
        inEnviron: ['tok-value-1', 'hook-value-2', 'PRIVATE KEY', 'hook-value-4'].filter((v) => environ.includes(v)),
        handed,
        again: takeServerSecretEnv(),
      }));`;
    const result = await execa(process.execPath, ['--input-type=module', '-e', script], {
      env: {
        ALBS_GITEA_TOKEN: 'tok-value-1',
        ALBS_GITEA_WEBHOOK_SECRET: 'hook-value-2',
        ALBS_GITHUB_PRIVATE_KEY: '-----BEGIN RSA PRIVATE KEY-----',
        ALBS_GITHUB_WEBHOOK_SECRET: 'hook-value-4',
      },
    });
    expect(JSON.parse(result.stdout)).toEqual({
      inEnv: [],
      inEnviron: [],
      handed: {
        ALBS_GITEA_TOKEN: 'tok-value-1',
        ALBS_GITEA_WEBHOOK_SECRET: 'hook-value-2',
        ALBS_GITHUB_PRIVATE_KEY: '-----BEGIN RSA PRIVATE KEY-----',
        ALBS_GITHUB_WEBHOOK_SECRET: 'hook-value-4',
      },
      again: {},
    });
  });
});
