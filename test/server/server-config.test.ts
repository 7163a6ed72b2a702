import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServerConfig, parseListen, type ServerConfig } from '../../src/server/server-config.js';
import {
  parseTokens,
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
});
