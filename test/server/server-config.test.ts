import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import serverSchema from '../../schemas/albs-server.schema.json' with { type: 'json' };
import { RedisConfigFileError, readRedisConfigFile } from '../../src/queue/bullmq/redis-setting.js';
import { loadServerConfig, parseListen, type ServerConfig } from '../../src/server/server-config.js';
import {
  parseRunnerTokens,
  parseTokens,
  type RunnerIdentity,
  readServerSecrets,
  ServerConfigError,
  type ServerSecrets,
} from '../../src/server/server-secrets.js';

const FILE = '/etc/albs/serve.yml';

/** The file of the frozen contract, every key set. */
const FULL = `listen: 127.0.0.1:8080
public-url: https://albs.example.org/
data-dir: /var/lib/albs
keys-dir: /etc/albs/keys
gitea:
  url: https://git.almalinux.org
  token-file: /etc/albs/gitea.token
  webhook-secret-file: /etc/albs/gitea.secret
github:
  app-id: 123456
  private-key-file: /etc/albs/github-app.pem
  webhook-secret-file: /etc/albs/github.secret
  api-url: https://api.github.com
submit-tokens-file: /etc/albs/submit.tokens
read-tokens-file: /etc/albs/read.tokens
allow:
  - repos: ["almalinux/*"]
    keys: [release]
    publish: ["almalinux-*"]
runner: {labels: [x86_64, noarch], concurrency: 4}
cache: {max-size: 20GiB}
keep: 3
statuses: {max-job-contexts: 64}
`;

function mustLoad(text: string, file = FILE): ServerConfig {
  const result = loadServerConfig(text, file);
  expect(result.problems).toEqual([]);
  return result.config!;
}

/** Problems as `LINE:COL severity: MESSAGE`. */
function problemsOf(text: string): string[] {
  return loadServerConfig(text, FILE).problems.map((p) => `${p.line}:${p.col} ${p.severity}: ${p.message}`);
}

const MINIMAL =
  'public-url: https://albs.example.org\ndata-dir: /var/lib/albs\nsubmit-tokens-file: /etc/albs/submit.tokens\n';

describe('loadServerConfig: a valid file', () => {
  it('reads every key of the contract', () => {
    expect(mustLoad(FULL)).toEqual({
      file: FILE,
      listen: { host: '127.0.0.1', port: 8080 },
      publicUrl: 'https://albs.example.org',
      dataDir: '/var/lib/albs',
      keysDir: '/etc/albs/keys',
      gitea: {
        url: 'https://git.almalinux.org',
        tokenFile: '/etc/albs/gitea.token',
        webhookSecretFile: '/etc/albs/gitea.secret',
      },
      github: {
        appId: 123456,
        privateKeyFile: '/etc/albs/github-app.pem',
        webhookSecretFile: '/etc/albs/github.secret',
        apiUrl: 'https://api.github.com',
      },
      submitTokensFile: '/etc/albs/submit.tokens',
      readTokensFile: '/etc/albs/read.tokens',
      runnerWaitMs: 3_600_000,
      embeddedRunner: true,
      allow: [{ repos: ['almalinux/*'], keys: ['release'], publish: ['almalinux-*'] }],
      runner: { labels: ['x86_64', 'noarch'], concurrency: 4 },
      cache: { maxSize: 20 * 1024 ** 3 },
      keep: 3,
      statuses: { maxJobContexts: 64 },
    } satisfies ServerConfig);
  });

  it('fills in the defaults: listen, runner, cache, keep, statuses, allow (nothing), api-url', () => {
    const config = mustLoad(`${MINIMAL}github: {app-id: 7}\n`);
    expect(config).toEqual({
      file: FILE,
      listen: { host: '127.0.0.1', port: 8080 },
      publicUrl: 'https://albs.example.org',
      dataDir: '/var/lib/albs',
      github: { appId: 7, apiUrl: 'https://api.github.com' },
      submitTokensFile: '/etc/albs/submit.tokens',
      runnerWaitMs: 3_600_000,
      embeddedRunner: true,
      allow: [],
      runner: { concurrency: 4 },
      cache: { maxSize: 20 * 1024 ** 3 },
      keep: 3,
      statuses: { maxJobContexts: 64 },
    });
  });

  it("resolves relative paths against the configuration file's directory", () => {
    const config = mustLoad(
      'public-url: http://ci.example.org/albs/\ndata-dir: data\nkeys-dir: ./keys\ngitea: {url: "https://gitea.example.org/", token-file: ../secrets/gitea.token}\nsubmit-tokens-file: submit.tokens\n',
      '/srv/albs/conf/serve.yml',
    );
    expect(config.dataDir).toBe('/srv/albs/conf/data');
    expect(config.keysDir).toBe('/srv/albs/conf/keys');
    expect(config.gitea).toEqual({
      url: 'https://gitea.example.org',
      tokenFile: '/srv/albs/secrets/gitea.token',
    });
    expect(config.submitTokensFile).toBe('/srv/albs/conf/submit.tokens');
    expect(config.publicUrl).toBe('http://ci.example.org/albs');
  });

  it('reads IPv6 and host names in listen, and sizes in bytes', () => {
    expect(mustLoad(`${MINIMAL}listen: "[::1]:9000"\ncache: {max-size: 1024}\n`)).toMatchObject({
      listen: { host: '::1', port: 9000 },
      cache: { maxSize: 1024 },
    });
    expect(mustLoad(`${MINIMAL}listen: localhost:80\n`).listen).toEqual({ host: 'localhost', port: 80 });
  });
});

describe('loadServerConfig: problems at their line and column', () => {
  it('listen: 8080x at 1:9', () => {
    expect(problemsOf(`listen: 8080x\n${MINIMAL}`)).toEqual([
      '1:9 error: listen is "8080x"; it must be HOST:PORT, e.g. 127.0.0.1:8080, 0.0.0.0:8080 or [::1]:8080',
    ]);
  });

  it('a port out of range, an IPv6 address that is not one, a dotted IPv4 address that is not one', () => {
    expect(problemsOf(`listen: 127.0.0.1:70000\n${MINIMAL}`)).toEqual([
      '1:9 error: listen is "127.0.0.1:70000"; the port 70000 is not one of 1 to 65535, e.g. 127.0.0.1:8080, 0.0.0.0:8080 (every interface) or [::1]:8080',
    ]);
    expect(problemsOf(`${MINIMAL}listen: "[fe80::zz]:80"\n`)).toEqual([
      '4:9 error: listen is "[fe80::zz]:80"; it must be HOST:PORT, e.g. 127.0.0.1:8080, 0.0.0.0:8080 or [::1]:8080',
    ]);
    expect(problemsOf(`${MINIMAL}listen: "[1:2]:80"\n`)[0]).toMatch(
      /^4:9 error: listen is "\[1:2\]:80"; "1:2" in brackets is not an IPv6 address/,
    );
    expect(problemsOf(`${MINIMAL}listen: 999.0.0.1:80\n`)[0]).toMatch(
      /^4:9 error: listen is "999.0.0.1:80"; "999.0.0.1" is not an IPv4 address/,
    );
  });

  it('an unknown key, with "did you mean"', () => {
    expect(problemsOf(`${MINIMAL}gitea:\n  url: https://git.almalinux.org\n  tokn-file: /x\n`)).toEqual([
      '6:3 error: unknown key "tokn-file" in gitea; did you mean "token-file"?',
    ]);
    expect(problemsOf(`${MINIMAL}kepe: 3\n`)).toEqual([
      '4:1 error: unknown key "kepe"; did you mean "keep"?',
    ]);
  });

  it('keep: -1, a size without its unit, a runner concurrency of 0', () => {
    expect(problemsOf(`${MINIMAL}keep: -1\ncache: {max-size: 20G}\nrunner: {concurrency: 0}\n`)).toEqual([
      '4:7 error: keep is -1; it must be at least 1',
      '5:19 error: cache.max-size is "20G"; it must be a size like 512MiB, 8GiB or 1TiB (units KiB, MiB, GiB, TiB), or a number of bytes; did you mean "20GiB"?',
      '6:23 error: runner.concurrency is 0; it must be at least 1',
    ]);
  });

  it('no forge and no submit tokens: one problem at the top', () => {
    expect(problemsOf('public-url: https://albs.example.org\ndata-dir: /var/lib/albs\n')).toEqual([
      '1:1 error: albs serve has nothing to build: set "gitea" (webhooks of a Gitea server), "github" (webhooks of a GitHub App) or "submit-tokens-file" (builds submitted to POST /api/v1/builds), or several of them',
    ]);
  });

  it('missing public-url and data-dir say what they are for', () => {
    expect(problemsOf('submit-tokens-file: /x\n')).toEqual([
      '1:1 error: missing "public-url": the URL users and forges reach this server at, e.g. "public-url: https://albs.example.org"',
      '1:1 error: missing "data-dir": the directory albs serve keeps its caches, logs and repositories in, e.g. "data-dir: /var/lib/albs"',
    ]);
    expect(problemsOf(`${MINIMAL}gitea: {token-file: /x}\n`)).toEqual([
      '4:8 error: missing "url" in gitea: the Gitea server\'s URL, e.g. "url: https://git.almalinux.org"',
    ]);
  });

  it('public-url: http(s) only, no query, fragment or credentials', () => {
    const at = (url: string) =>
      problemsOf(`public-url: "${url}"\ndata-dir: /d\nsubmit-tokens-file: /t\n`).join('\n');
    expect(at('ftp://albs.example.org')).toBe(
      '1:13 error: public-url is "ftp://albs.example.org"; it must be an http:// or https:// URL, e.g. https://albs.example.org',
    );
    expect(at('https://albs.example.org/?a=1')).toBe(
      '1:13 error: public-url is "https://albs.example.org/?a=1", which has a query (?a=1); give the base URL alone, like https://albs.example.org',
    );
    expect(at('https://albs.example.org/#top')).toMatch(
      /which has a fragment \(#top\); give the base URL alone/,
    );
    expect(at('https://me:pw@albs.example.org')).toMatch(/which holds a user name or password/);
  });

  it('allow: patterns of its lists; grants nothing can use are warnings', () => {
    expect(
      problemsOf(`${MINIMAL}allow:\n  - repos: [almalinux]\n    keys: ["a b"]\n    publish: ["x/y"]\n`),
    ).toEqual([
      '5:13 error: allow[0].repos[0] is "almalinux"; it must be an OWNER/NAME glob of forge repositories like almalinux/*, or submit:NAME for a name in submit-tokens-file',
      '6:12 error: allow[0].keys[0] is "a b"; it must be a key name of letters, digits, ".", "_" and "-"',
      '7:15 error: allow[0].publish[0] is "x/y"; it must be a glob of repository names: letters, digits, ".", "_", "-" and the glob characters * ? [ ] { } , !',
    ]);
    const result = loadServerConfig(
      'public-url: https://a.example\ndata-dir: /d\ngithub: {app-id: 1}\nallow: [{repos: ["submit:ci"], keys: [release]}]\n',
      FILE,
    );
    expect(result.config).not.toBeNull();
    expect(result.problems.map((p) => `${p.line}:${p.col} ${p.severity}: ${p.message}`)).toEqual([
      '4:18 warning: allow[0].repos[0] is "submit:ci", but there is no "submit-tokens-file", so nothing is ever submitted as ci; add submit-tokens-file or remove the entry',
      '4:38 warning: allow[0].keys names signing keys, but there is no "keys-dir" to find them in; set keys-dir to the directory of NAME.asc files',
    ]);
  });

  it('an empty file, and a file that is no mapping', () => {
    expect(problemsOf('')).toEqual([
      '1:1 error: the file is empty; albs serve needs at least "public-url", "data-dir", and "gitea", "github" or "submit-tokens-file"',
    ]);
    expect(problemsOf('- a\n')).toEqual([
      '1:1 error: the file must be a mapping (key: value lines), not a list',
    ]);
  });
});

describe('parseListen', () => {
  it('splits HOST:PORT and [IPV6]:PORT', () => {
    const fail = (message: string) => {
      throw new Error(message);
    };
    expect(parseListen('0.0.0.0:443', fail)).toEqual({ host: '0.0.0.0', port: 443 });
    expect(parseListen('[::]:8080', fail)).toEqual({ host: '::', port: 8080 });
    expect(() => parseListen('127.0.0.1:0', fail)).toThrow(/the port 0 is not one of 1 to 65535/);
  });
});

describe('parseTokens', () => {
  it('reads NAME TOKEN lines, skipping blank lines and comments', () => {
    const tokens = new Map<string, string>();
    const problems = parseTokens(
      '# who may submit\n\nrelease-team 0123456789abcdef0123\r\n  nightly\t\tfedcba9876543210fedc  \n',
      tokens,
    );
    expect(problems).toEqual([]);
    expect(tokens).toEqual(
      new Map([
        ['0123456789abcdef0123', 'release-team'],
        ['fedcba9876543210fedc', 'nightly'],
      ]),
    );
  });

  it('names bad lines by number and never shows a token', () => {
    const tokens = new Map<string, string>();
    const problems = parseTokens(
      'alice aaaaaaaaaaaaaaaaaaaa\nsecret-without-name\nbob aaaaaaaaaaaaaaaaaaaa\ncarol short1\n-dash bbbbbbbbbbbbbbbbbbbb\nd a b\n',
      tokens,
    );
    expect(problems).toEqual([
      'line 2 is not "NAME TOKEN" (a name of letters, digits, ".", "_" and "-", a space, then the token); correct or remove that line',
      'lines 1 and 3 have the same token; give each its own, e.g. from openssl rand -hex 32',
      'line 4 (carol) has a token of 6 characters; use at least 16 random ones, e.g. from openssl rand -hex 32',
      'line 5 is not "NAME TOKEN" (a name of letters, digits, ".", "_" and "-", a space, then the token); correct or remove that line',
      'line 6 is not "NAME TOKEN" (a name of letters, digits, ".", "_" and "-", a space, then the token); correct or remove that line',
    ]);
    expect(problems.join('\n')).not.toMatch(/aaaa|short1|secret-without-name|bbbb/);
  });

  it('a file of comments only has no token', () => {
    expect(parseTokens('# nobody yet\n', new Map())).toEqual([
      'has no "NAME TOKEN" line; add one line per user: a name, a space, and a token (e.g. from openssl rand -hex 32)',
    ]);
  });
});

describe('readServerSecrets', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'albs-secrets-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const secretFile = (name: string, text: string, mode = 0o600) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    chmodSync(path, mode);
    return path;
  };
  const base = (extra: Partial<ServerConfig>): ServerConfig => ({
    ...mustLoad(MINIMAL.replace('submit-tokens-file: /etc/albs/submit.tokens\n', 'github: {app-id: 1}\n')),
    github: undefined,
    ...extra,
  });
  const problemsOf = async (config: ServerConfig, env: NodeJS.ProcessEnv = {}): Promise<string[]> => {
    const error = await readServerSecrets(config, env).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ServerConfigError);
    expect((error as Error).name).toBe('ServerConfigError');
    return (error as ServerConfigError).problems;
  };
  const PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----';

  it('reads every secret from its file, without the trailing newlines', async () => {
    const config = base({
      gitea: {
        url: 'https://git.almalinux.org',
        tokenFile: secretFile('gitea.token', 'gitea-token\n\n'),
        webhookSecretFile: secretFile('gitea.secret', 'gitea-hook\r\n'),
      },
      github: {
        appId: 1,
        apiUrl: 'https://api.github.com',
        privateKeyFile: secretFile('github.pem', `${PEM}\n`),
        webhookSecretFile: secretFile('github.secret', 'github-hook'),
      },
      submitTokensFile: secretFile('submit.tokens', 'ci 0123456789abcdef0123\n'),
      readTokensFile: secretFile('read.tokens', 'auditor fedcba9876543210fedc\n'),
    });
    expect(await readServerSecrets(config, {})).toEqual({
      giteaToken: 'gitea-token',
      giteaWebhookSecret: 'gitea-hook',
      githubPrivateKey: PEM,
      githubWebhookSecret: 'github-hook',
      submitTokens: new Map([['0123456789abcdef0123', 'ci']]),
      readTokens: new Map([['fedcba9876543210fedc', 'auditor']]),
      runnerTokens: new Map(),
    } satisfies ServerSecrets);
  });

  it('reads secrets from the environment; a key on one line with \\n is made a PEM again', async () => {
    const config = base({
      gitea: { url: 'https://git.almalinux.org' },
      github: { appId: 1, apiUrl: 'https://api.github.com' },
    });
    const secrets = await readServerSecrets(config, {
      ALBS_GITEA_TOKEN: 't',
      ALBS_GITEA_WEBHOOK_SECRET: 'h\n',
      ALBS_GITHUB_PRIVATE_KEY: PEM.replace(/\n/g, '\\n'),
      ALBS_GITHUB_WEBHOOK_SECRET: 'g',
    });
    expect(secrets).toEqual({
      giteaToken: 't',
      giteaWebhookSecret: 'h',
      githubPrivateKey: PEM,
      githubWebhookSecret: 'g',
      submitTokens: new Map(),
      readTokens: new Map(),
      runnerTokens: new Map(),
    });
  });

  it('refuses a secret file readable by group or others, naming the key, the file and chmod 600', async () => {
    const open = secretFile('open.token', 'x\n', 0o644);
    const group = secretFile('group.secret', 'x\n', 0o640);
    expect(
      await problemsOf(
        base({ gitea: { url: 'https://g.example', tokenFile: open, webhookSecretFile: group } }),
      ),
    ).toEqual([
      `gitea.token-file: ${open} is open to its group or others (mode 0644), and it holds the Gitea API token; run chmod 600 ${open}`,
      `gitea.webhook-secret-file: ${group} is open to its group or others (mode 0640), and it holds the secret of the Gitea webhooks; run chmod 600 ${group}`,
    ]);
  });

  it('a forge without its webhook secret names both ways to give it', async () => {
    expect(
      await problemsOf(base({ github: { appId: 1, apiUrl: 'https://api.github.com' } }), {
        ALBS_GITHUB_PRIVATE_KEY: PEM,
      }),
    ).toEqual([
      "github is configured but the GitHub App's webhook secret is not given: set github.webhook-secret-file to a file (mode 600) holding it, or the environment variable ALBS_GITHUB_WEBHOOK_SECRET",
    ]);
  });

  it('a missing file, an empty one, a directory, an empty variable, a secret given twice, a key that is no PEM', async () => {
    const missing = join(dir, 'missing.token');
    const empty = secretFile('empty.secret', '\n');
    const notPem = secretFile('not.pem', 'ssh-rsa AAAA\n');
    const problems = await problemsOf(
      base({
        gitea: { url: 'https://g.example', tokenFile: missing, webhookSecretFile: empty },
        github: {
          appId: 1,
          apiUrl: 'https://api.github.com',
          privateKeyFile: notPem,
          webhookSecretFile: dir,
        },
        submitTokensFile: secretFile('dup.tokens', 'a 0123456789abcdef0123\nb 0123456789abcdef0123\n'),
      }),
      { ALBS_GITEA_WEBHOOK_SECRET: 'also', ALBS_GITHUB_WEBHOOK_SECRET: '' },
    );
    expect(problems).toEqual([
      `gitea.token-file: cannot read ${missing} (ENOENT); write the Gitea API token into it (mode 600), or correct gitea.token-file`,
      'gitea.webhook-secret-file is set and so is the environment variable ALBS_GITEA_WEBHOOK_SECRET; give the secret of the Gitea webhooks one way only: remove gitea.webhook-secret-file or unset ALBS_GITEA_WEBHOOK_SECRET',
      `github.private-key-file: ${notPem} holds no PEM private key (-----BEGIN RSA PRIVATE KEY-----); give the .pem file GitHub made for the App`,
      "github.webhook-secret-file is set and so is the environment variable ALBS_GITHUB_WEBHOOK_SECRET; give the GitHub App's webhook secret one way only: remove github.webhook-secret-file or unset ALBS_GITHUB_WEBHOOK_SECRET",
      `submit-tokens-file: ${join(dir, 'dup.tokens')} lines 1 and 2 have the same token; give each its own, e.g. from openssl rand -hex 32`,
    ]);
    expect(
      await problemsOf(base({ gitea: { url: 'https://g.example', webhookSecretFile: empty } }), {
        ALBS_GITEA_TOKEN: '',
      }),
    ).toEqual([
      'the environment variable ALBS_GITEA_TOKEN is empty; set it to the Gitea API token, or set gitea.token-file instead',
      `gitea.webhook-secret-file: ${empty} is empty; write the secret of the Gitea webhooks into it`,
    ]);
    expect(
      await problemsOf(base({ gitea: { url: 'https://g.example', webhookSecretFile: dir } }), {
        ALBS_GITEA_TOKEN: 't',
      }),
    ).toEqual([
      `gitea.webhook-secret-file: ${dir} is not a regular file; give the path of the file holding the secret of the Gitea webhooks`,
    ]);
  });

  it('a tokens file line that is not NAME TOKEN is named by its file and line, without the token', async () => {
    const file = secretFile('bad.tokens', 'ci 0123456789abcdef0123\nonlyatoken-0123456789abcdef\n');
    const problems = await problemsOf(base({ readTokensFile: file }));
    expect(problems).toEqual([
      `read-tokens-file: ${file} line 2 is not "NAME TOKEN" (a name of letters, digits, ".", "_" and "-", a space, then the token); correct or remove that line`,
    ]);
  });

  it('reads runner-tokens-file into token → {name, role}', async () => {
    const config = base({
      runnerTokensFile: secretFile(
        'runner.tokens',
        '# the farm\nx86-1 0123456789abcdef0123 runner\n\naarch64-1\t1111111111111111aaaa\trunner\nsigner 2222222222222222bbbb signer\n',
      ),
    });
    expect((await readServerSecrets(config, {})).runnerTokens).toEqual(
      new Map([
        ['0123456789abcdef0123', { name: 'x86-1', role: 'runner' }],
        ['1111111111111111aaaa', { name: 'aarch64-1', role: 'runner' }],
        ['2222222222222222bbbb', { name: 'signer', role: 'signer' }],
      ]),
    );
  });

  it('runner-tokens-file: the same checks as the other tokens files, one problem a line', async () => {
    const open = secretFile('open-runner.tokens', 'x86-1 0123456789abcdef0123 runner\n', 0o644);
    expect(await problemsOf(base({ runnerTokensFile: open }))).toEqual([
      `runner-tokens-file: ${open} is open to its group or others (mode 0644), and it holds lines "NAME TOKEN ROLE"; run chmod 600 ${open}`,
    ]);
    const bad = secretFile(
      'bad-runner.tokens',
      'x86-1 0123456789abcdef0123\nx86-2 0123456789abcdef0124 builder\n',
    );
    expect(await problemsOf(base({ runnerTokensFile: bad }))).toEqual([
      `runner-tokens-file: ${bad} line 1 is not "NAME TOKEN ROLE" (a name of letters, digits, ".", "_" and "-", a space, the token, a space, then runner or signer); correct or remove that line`,
      `runner-tokens-file: ${bad} line 2 (x86-2) has the role "builder"; the role is runner (a build host, albs runner) or signer (the signing host, albs signer)`,
    ]);
    expect(await problemsOf(base({ runnerTokensFile: dir }))).toEqual([
      `runner-tokens-file: ${dir} is not a regular file; give the path of the file holding lines "NAME TOKEN ROLE"`,
    ]);
  });

  it("a runner's token that is also a submitter's or a reader's is refused, without the token", async () => {
    const problems = await problemsOf(
      base({
        submitTokensFile: secretFile('shared-submit.tokens', 'ci 0123456789abcdef0123\n'),
        readTokensFile: secretFile('shared-read.tokens', 'auditor 1111111111111111aaaa\n'),
        runnerTokensFile: secretFile(
          'shared-runner.tokens',
          'x86-1 0123456789abcdef0123 runner\nsigner 1111111111111111aaaa signer\n',
        ),
      }),
    );
    const file = join(dir, 'shared-runner.tokens');
    expect(problems).toEqual([
      `runner-tokens-file: ${file}: the token of x86-1 is also the token of ci in submit-tokens-file; a host's token must be its own: give one of them another, e.g. from openssl rand -hex 32`,
      `runner-tokens-file: ${file}: the token of signer is also the token of auditor in read-tokens-file; a host's token must be its own: give one of them another, e.g. from openssl rand -hex 32`,
    ]);
    expect(problems.join('\n')).not.toMatch(/0123456789|1111111111/);
  });

  it('redis.password-file gets the secret file checks, so albs serve --check finds it', async () => {
    const open = secretFile('redis.password', 's3cret\n', 0o644);
    const redis = { sentinels: [{ host: 's', port: 26379 }], name: 'mymaster', passwordFile: open };
    expect(
      await problemsOf(
        base({ redis, runnerTokensFile: secretFile('r.tokens', 'r 0123456789abcdef0123 runner\n') }),
      ),
    ).toEqual([
      `redis.password-file: ${open} is open to its group or others (mode 0644), and it holds the Redis password; run chmod 600 ${open}`,
    ]);
  });
});

/** A farm's server: Redis, the runner and signer hosts' tokens; no keys-dir. */
const FARM = `${MINIMAL}redis: redis://redis.internal:6379/0\nrunner-tokens-file: /etc/albs/runner.tokens\n`;

describe('loadServerConfig: a farm (redis, runner-tokens-file, runner-wait)', () => {
  it('reads a redis URL, the runner tokens file and runner-wait; the server runs no job itself', () => {
    expect(mustLoad(`${FARM}runner-wait: 2h30m\n`)).toMatchObject({
      redis: 'redis://redis.internal:6379/0',
      runnerTokensFile: '/etc/albs/runner.tokens',
      runnerWaitMs: 9_000_000,
      embeddedRunner: false,
    } satisfies Partial<ServerConfig>);
    expect(mustLoad(FARM).runnerWaitMs).toBe(3_600_000);
    expect(mustLoad(`${FARM}runner-wait: 30s\n`).runnerWaitMs).toBe(30_000);
    expect(mustLoad(`${FARM}runner-wait: 10m\n`).runnerWaitMs).toBe(600_000);
    expect(mustLoad(`${FARM}runner-wait: 1h\n`).runnerWaitMs).toBe(3_600_000);
    expect(mustLoad(`${FARM}runner-wait: 90\n`).runnerWaitMs).toBe(90_000);
    expect(mustLoad(FARM.replace('redis://', 'rediss://')).redis).toBe('rediss://redis.internal:6379/0');
  });

  it('reads a Sentinel mapping, its password-file relative to the configuration file', () => {
    const config = mustLoad(
      'public-url: https://albs.example.org\ndata-dir: data\nsubmit-tokens-file: submit.tokens\nrunner-tokens-file: runner.tokens\nredis:\n  sentinels:\n    - {host: sentinel-1.internal, port: 26379}\n    - {host: sentinel-2.internal, port: 26380}\n  name: mymaster\n  password-file: secrets/redis.password\n  db: 2\n',
      '/srv/albs/conf/serve.yml',
    );
    expect(config.redis).toEqual({
      sentinels: [
        { host: 'sentinel-1.internal', port: 26379 },
        { host: 'sentinel-2.internal', port: 26380 },
      ],
      name: 'mymaster',
      passwordFile: '/srv/albs/conf/secrets/redis.password',
      db: 2,
    });
    expect(config.runnerTokensFile).toBe('/srv/albs/conf/runner.tokens');
  });

  it('embeddedRunner: always without redis; with redis only when the file has a runner section', () => {
    expect(mustLoad(MINIMAL).embeddedRunner).toBe(true);
    expect(mustLoad(`${MINIMAL}runner: {concurrency: 2}\n`).embeddedRunner).toBe(true);
    expect(mustLoad(FARM).embeddedRunner).toBe(false);
    const both = mustLoad(`${FARM}runner: {labels: [x86_64, noarch], concurrency: 2}\n`);
    expect(both.embeddedRunner).toBe(true);
    expect(both.runner).toEqual({ labels: ['x86_64', 'noarch'], concurrency: 2 });
  });

  it('a redis URL that is not redis:// or rediss://, or whose database is no number, without its password', () => {
    const http = problemsOf(
      `${FARM.replace('redis://redis.internal:6379/0', 'http://albs:hunter2@redis.internal:6379')}`,
    );
    expect(http).toEqual([
      '4:8 error: redis: http://albs@redis.internal:6379/ is not a redis:// or rediss:// URL; give redis://[USER:PASSWORD@]HOST[:PORT][/DB] or rediss://… for TLS',
    ]);
    expect(problemsOf(FARM.replace('/0', '/zero').replace('redis://', 'redis://:hunter2@'))).toEqual([
      '4:8 error: redis: redis://redis.internal:6379/zero: database zero is not a number; give a Redis database index, e.g. 0',
    ]);
    expect(problemsOf(FARM.replace('redis://redis.internal:6379/0', '6379'))).toEqual([
      '4:8 error: redis must be a mapping (key: value lines) or a string, not 6379',
    ]);
    expect(problemsOf(FARM.replace('redis://redis.internal:6379/0', '""'))).toEqual([
      '4:8 error: redis is empty; give a value or remove the key',
    ]);
  });

  it('a Sentinel mapping: unknown keys, missing name and port, a port and a db out of range, no sentinels', () => {
    const farm = (redis: string) => `${MINIMAL}runner-tokens-file: /r\nredis:\n${redis}`;
    expect(problemsOf(farm('  sentinel: [{host: s, port: 26379}]\n  name: mymaster\n'))).toEqual([
      '5:1 error: missing "sentinels" in redis: the Sentinels that know the master, e.g. "sentinels: [{host: sentinel-1.internal, port: 26379}]"; or give a redis:// URL instead of a mapping',
      '6:3 error: unknown key "sentinel" in redis; did you mean "sentinels"?',
    ]);
    expect(
      problemsOf(farm('  sentinels: [{host: a, port: 70000}, {host: b}]\n  db: -1\n  pasword-file: /p\n')),
    ).toEqual([
      '5:1 error: missing "name" in redis: the master name the Sentinels monitor (sentinel monitor NAME … in sentinel.conf), e.g. "name: mymaster"',
      '6:31 error: redis.sentinels[0].port is 70000; it must be at most 65535',
      '6:39 error: missing "port" in redis.sentinels[1]: the Sentinel\'s TCP port, usually 26379',
      '7:7 error: redis.db is -1; it must be at least 0',
      '8:3 error: unknown key "pasword-file" in redis; did you mean "password-file"?',
    ]);
    expect(problemsOf(farm('  sentinels: []\n  name: m\n'))).toEqual([
      '6:14 error: redis.sentinels is an empty list; give at least 1 value or remove the key',
    ]);
  });

  it('runner-wait: a duration of at most 7 days', () => {
    expect(problemsOf(`${FARM}runner-wait: 1d\n`)).toEqual([
      '6:14 error: runner-wait is "1d"; it must be a duration like 1h, 30m, 90s or 2h30m, or a number of seconds',
    ]);
    expect(problemsOf(`${FARM}runner-wait: 0\n`)).toEqual([
      '6:14 error: runner-wait is 0; it must be a duration like 1h, 30m, 90s or 2h30m, or a number of seconds',
    ]);
    expect(problemsOf(`${FARM}runner-wait: 200h\n`)).toEqual([
      '6:14 error: runner-wait is 720000 s, over the 604800 s (7 days) albs allows; give a shorter wait, e.g. 1h',
    ]);
  });

  it('keys-dir together with redis is an error: the signer holds the keys', () => {
    expect(loadServerConfig(`${FARM}keys-dir: /etc/albs/keys\n`, FILE)).toMatchObject({ config: null });
    expect(problemsOf(`${FARM}keys-dir: /etc/albs/keys\n`)).toEqual([
      '6:11 error: keys-dir and redis are both set: with redis the signer (albs signer --keys-dir DIR) holds the keys and the server holds none; remove keys-dir from /etc/albs/serve.yml',
    ]);
  });

  it('redis without runner-tokens-file is an error: no runner could ever report', () => {
    expect(problemsOf(`${MINIMAL}redis: redis://redis.internal:6379/0\n`)).toEqual([
      '4:8 error: redis is set but "runner-tokens-file" is not, so no runner or signer could ever take a job or report its result; set runner-tokens-file to a file (mode 600) of lines "NAME TOKEN ROLE", one per albs runner (ROLE runner) and albs signer (ROLE signer) host',
    ]);
  });

  it('runner-tokens-file or runner-wait without redis: warnings, nothing uses them', () => {
    const result = loadServerConfig(
      `${MINIMAL}runner-tokens-file: /etc/albs/runner.tokens\nrunner-wait: 10m\n`,
      FILE,
    );
    expect(result.config).toMatchObject({
      runnerTokensFile: '/etc/albs/runner.tokens',
      runnerWaitMs: 600_000,
    });
    expect(result.problems.map((p) => `${p.line}:${p.col} ${p.severity}: ${p.message}`)).toEqual([
      '4:21 warning: runner-tokens-file is set but "redis" is not, so no runner or signer host ever connects and nothing uses the file; add redis (the farm\'s Redis) or remove runner-tokens-file',
      '5:14 warning: runner-wait is set but "redis" is not: the embedded runner skips a job whose labels it lacks at once, as albs run does, and nothing waits; add redis (the farm\'s Redis) or remove runner-wait',
    ]);
  });

  it('allow[].keys without keys-dir is no warning in a farm: the keys are on the signer', () => {
    const allow = 'allow: [{repos: ["almalinux/*"], keys: [release]}]\n';
    expect(problemsOf(`${FARM}${allow}`)).toEqual([]);
    expect(problemsOf(`${MINIMAL}${allow}`)).toEqual([
      '4:40 warning: allow[0].keys names signing keys, but there is no "keys-dir" to find them in; set keys-dir to the directory of NAME.asc files',
    ]);
  });

  it("every example of the schema is a valid configuration, the farm's among them", () => {
    const examples = (serverSchema as { examples: unknown[] }).examples;
    expect(examples.some((e) => typeof e === 'object' && e !== null && 'redis' in e)).toBe(true);
    for (const example of examples) expect(problemsOf(stringify(example))).toEqual([]);
  });
});

describe('readRedisConfigFile: the value of redis: in a file of its own', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'albs-redis-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const refusal = async (path: string) => {
    const error = await readRedisConfigFile(path).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RedisConfigFileError);
    expect((error as Error).name).toBe('RedisConfigFileError');
    return error as RedisConfigFileError;
  };

  it('a URL', async () => {
    expect(await readRedisConfigFile(file('url.yml', '# the farm\nredis://redis.internal:6379/0\n'))).toBe(
      'redis://redis.internal:6379/0',
    );
  });

  it('a Sentinel mapping, its password-file relative to the file', async () => {
    const path = file(
      'sentinel.yml',
      'sentinels:\n  - {host: sentinel-1.internal, port: 26379}\nname: mymaster\npassword-file: redis.password\ndb: 1\n',
    );
    expect(await readRedisConfigFile(path)).toEqual({
      sentinels: [{ host: 'sentinel-1.internal', port: 26379 }],
      name: 'mymaster',
      passwordFile: join(dir, 'redis.password'),
      db: 1,
    });
  });

  it('a broken file: every problem as FILE:LINE:COL, the password never shown', async () => {
    const path = file('broken.yml', 'sentinels:\n  - {host: s, prot: 26379}\nnmae: mymaster\n');
    const error = await refusal(path);
    expect(error.message.split('\n')).toEqual([
      `${path}:1:1: error: missing "name" in redis: the master name the Sentinels monitor (sentinel monitor NAME … in sentinel.conf), e.g. "name: mymaster"`,
      `${path}:2:5: error: missing "port" in redis.sentinels[0]: the Sentinel's TCP port, usually 26379`,
      `${path}:2:15: error: unknown key "prot" in redis.sentinels[0]; did you mean "port"?`,
      `${path}:3:1: error: unknown key "nmae" in redis; did you mean "name"?`,
    ]);
    expect(error.problems.map((p) => p.path)).toEqual([
      [],
      ['sentinels', 0],
      ['sentinels', 0, 'prot'],
      ['nmae'],
    ]);
    const http = await refusal(file('http.yml', 'http://albs:hunter2@redis.internal:6379\n'));
    expect(http.message).toBe(
      `${join(dir, 'http.yml')}:1:1: error: redis: http://albs@redis.internal:6379/ is not a redis:// or rediss:// URL; give redis://[USER:PASSWORD@]HOST[:PORT][/DB] or rediss://… for TLS`,
    );
    expect((await refusal(file('list.yml', '- redis://a\n'))).message).toBe(
      `${join(dir, 'list.yml')}:1:1: error: redis must be a mapping (key: value lines) or a string, not a list`,
    );
    expect((await refusal(file('yaml.yml', 'name: [a\n'))).problems).toHaveLength(1);
  });

  it('an empty file, a missing one, a directory', async () => {
    const empty = file('empty.yml', '# nothing yet\n');
    expect((await refusal(empty)).message).toBe(
      `${empty}:1:1: error: the file is empty; it holds what the redis: key of the albs serve configuration holds: a redis:// URL like redis://redis.internal:6379/0 (rediss:// for TLS), or a mapping of sentinels, name, password-file and db`,
    );
    const missing = join(dir, 'missing.yml');
    expect((await refusal(missing)).message).toBe(
      `${missing}: cannot read the Redis configuration file (ENOENT); check that it exists and that the user albs runs as may read it`,
    );
    expect((await refusal(dir)).message).toMatch(
      /: not a regular file; give the YAML file holding a redis:\/\/ URL/,
    );
  });
});

describe('parseRunnerTokens', () => {
  it('reads NAME TOKEN ROLE lines, skipping blank lines and comments', () => {
    const tokens = new Map<string, RunnerIdentity>();
    expect(
      parseRunnerTokens(
        '# build hosts\nx86_64-1 0123456789abcdef0123 runner\r\n\n  signing.host  fedcba9876543210fedc  signer \n',
        tokens,
      ),
    ).toEqual([]);
    expect(tokens).toEqual(
      new Map<string, RunnerIdentity>([
        ['0123456789abcdef0123', { name: 'x86_64-1', role: 'runner' }],
        ['fedcba9876543210fedc', { name: 'signing.host', role: 'signer' }],
      ]),
    );
  });

  it('names every bad line by number, with the fix, and never shows a token', () => {
    const tokens = new Map<string, RunnerIdentity>();
    const problems = parseRunnerTokens(
      [
        'a 0123456789abcdef0123 runner',
        'b 0123456789abcdef0123 runner',
        'c short1 runner',
        'd 1111111111111111aaaa runer',
        'e runner 2222222222222222bbbb',
        'a 3333333333333333cccc signer',
        '-x 4444444444444444dddd runner',
        'f 5555555555555555eeee',
        'g 6666666666666666ffff signer extra',
      ].join('\n'),
      tokens,
    );
    const shape =
      'is not "NAME TOKEN ROLE" (a name of letters, digits, ".", "_" and "-", a space, the token, a space, then runner or signer); correct or remove that line';
    expect(problems).toEqual([
      'lines 1 and 2 have the same token; give each its own, e.g. from openssl rand -hex 32',
      'line 3 (c) has a token of 6 characters; use at least 16 random ones, e.g. from openssl rand -hex 32',
      'line 4 (d) has the role "runer"; the role is runner (a build host, albs runner) or signer (the signing host, albs signer); did you mean "runner"?',
      'line 5 (e) has the role before the token; the order is NAME TOKEN ROLE: write "e TOKEN runner"',
      'lines 1 and 6 both name the host a; give each host its own name, which GET /api/v1/runners and the pipeline records show',
      `line 7 ${shape}`,
      `line 8 ${shape}`,
      `line 9 ${shape}`,
    ]);
    expect(problems.join('\n')).not.toMatch(/0123456789|1111|2222|3333|4444|5555|6666|short1/);
    expect([...tokens.values()]).toEqual([{ name: 'a', role: 'runner' }]);
  });

  it('a token written third is not shown as a role', () => {
    expect(parseRunnerTokens('e 0123456789abcdef0123 2222222222222222bbbb\n', new Map())).toEqual([
      'line 1 (e) has a third field of 20 characters, which looks like a token (the order is NAME TOKEN ROLE); the role is runner (a build host, albs runner) or signer (the signing host, albs signer)',
    ]);
  });

  it('a file of comments only has no host', () => {
    expect(parseRunnerTokens('# no hosts yet\n', new Map())).toEqual([
      'has no "NAME TOKEN ROLE" line; add one line per farm host: a name, a space, a token (e.g. from openssl rand -hex 32), a space, and runner (an albs runner) or signer (an albs signer)',
    ]);
  });
});
