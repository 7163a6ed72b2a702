import { constants, open } from 'node:fs/promises';
import { didYouMean } from '../config/nearest.js';
import type { ServerConfig } from './server-config.js';

/** What a farm host's token lets it do: take build jobs (`albs runner`) or sign jobs (`albs signer`). */
export type RunnerRole = 'runner' | 'signer';
export const RUNNER_ROLES: readonly RunnerRole[] = ['runner', 'signer'];

/** Who holds a runner token: the host's NAME, as GET /api/v1/runners and the records show it, and its role. */
export interface RunnerIdentity {
  name: string;
  role: RunnerRole;
}

/** The credentials albs serve works with, read from the files and environment variables its configuration names. */
export interface ServerSecrets {
  giteaToken?: string;
  giteaWebhookSecret?: string;
  /** PEM. */
  githubPrivateKey?: string;
  githubWebhookSecret?: string;
  /** token → NAME, from submit-tokens-file: who may POST /api/v1/builds. */
  submitTokens: Map<string, string>;
  /** token → NAME, from read-tokens-file: who may read records and logs of private repositories. */
  readTokens: Map<string, string>;
  /** token → host, from runner-tokens-file: which `albs runner` and `albs signer` hosts may take and report jobs. */
  runnerTokens: Map<string, RunnerIdentity>;
  /** The client secrets of the OAuth2 applications of `oauth`, by forge. */
  oauthSecrets?: { gitea?: string; github?: string };
  /** From session-secret-file: what signs and encrypts the sign-in cookies. */
  sessionSecret?: string;
}

/**
 * The environment variables that may hold a server secret instead of a *-file. albs takes them out
 * of its environment at start-up (src/cli/signing-env.ts), so that no child process inherits them.
 */
export const SERVER_SECRET_ENV = {
  giteaToken: 'ALBS_GITEA_TOKEN',
  giteaWebhookSecret: 'ALBS_GITEA_WEBHOOK_SECRET',
  githubPrivateKey: 'ALBS_GITHUB_PRIVATE_KEY',
  githubWebhookSecret: 'ALBS_GITHUB_WEBHOOK_SECRET',
} as const;

/** Shorter tokens can be guessed by anyone who may send requests: they are refused. */
export const MIN_TOKEN_LENGTH = 16;
/** A secret or a tokens file is a few KB; more is a wrong path (a log, a disk image). */
const MAX_SECRET_BYTES = 1024 * 1024;
const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The configuration names secrets that cannot be used; every problem is one line of `problems`. */
export class ServerConfigError extends Error {
  override name = 'ServerConfigError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/**
 * Every secret the configuration names, each from its *-file or its environment variable in `env`.
 * Throws ServerConfigError listing every problem at once: a file that cannot be read, is not a
 * regular file, is open to its group or others, or is empty; a tokens file line that is not
 * "NAME TOKEN" ("NAME TOKEN ROLE" in runner-tokens-file); a token given twice, or a host's name; a
 * runner's token that is also a submitter's or a reader's; an unusable redis.password-file; a
 * configured forge without its credentials. No message shows a secret.
 */
export async function readServerSecrets(
  config: ServerConfig,
  env: NodeJS.ProcessEnv,
): Promise<ServerSecrets> {
  const problems: string[] = [];
  const secrets: ServerSecrets = { submitTokens: new Map(), readTokens: new Map(), runnerTokens: new Map() };

  /** A secret from `key` (a file) or `envName`, whichever is given: exactly one must be. */
  const secret = async (key: string, file: string | undefined, envName: string, what: string) => {
    const fromEnv = env[envName];
    if (file !== undefined && fromEnv !== undefined) {
      problems.push(
        `${key} is set and so is the environment variable ${envName}; give ${what} one way only: remove ${key} or unset ${envName}`,
      );
      return undefined;
    }
    if (file !== undefined) {
      const text = await readSecretFile(key, file, what, problems);
      return text === undefined ? undefined : trimNewlines(text);
    }
    if (fromEnv === undefined) {
      const section = key.slice(0, key.indexOf('.'));
      problems.push(
        `${section} is configured but ${what} is not given: set ${key} to a file (mode 600) holding it, or the environment variable ${envName}`,
      );
      return undefined;
    }
    const value = trimNewlines(fromEnv);
    if (value === '') {
      problems.push(`the environment variable ${envName} is empty; set it to ${what}, or set ${key} instead`);
      return undefined;
    }
    return value;
  };

  if (config.gitea) {
    const { tokenFile, webhookSecretFile } = config.gitea;
    const token = await secret(
      'gitea.token-file',
      tokenFile,
      SERVER_SECRET_ENV.giteaToken,
      'the Gitea API token',
    );
    const hook = await secret(
      'gitea.webhook-secret-file',
      webhookSecretFile,
      SERVER_SECRET_ENV.giteaWebhookSecret,
      'the secret of the Gitea webhooks',
    );
    if (token !== undefined) secrets.giteaToken = token;
    if (hook !== undefined) secrets.giteaWebhookSecret = hook;
  }
  if (config.github) {
    const { privateKeyFile, webhookSecretFile } = config.github;
    let key = await secret(
      'github.private-key-file',
      privateKeyFile,
      SERVER_SECRET_ENV.githubPrivateKey,
      "the GitHub App's private key",
    );
    // A PEM put into one environment line often has its newlines written as \n.
    if (key !== undefined && privateKeyFile === undefined && !key.includes('\n'))
      key = key.replace(/\\n/g, '\n');
    if (key !== undefined && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key)) {
      const from = privateKeyFile ?? `the environment variable ${SERVER_SECRET_ENV.githubPrivateKey}`;
      problems.push(
        `github.private-key-file: ${from} holds no PEM private key (-----BEGIN RSA PRIVATE KEY-----); give the .pem file GitHub made for the App`,
      );
      key = undefined;
    }
    const hook = await secret(
      'github.webhook-secret-file',
      webhookSecretFile,
      SERVER_SECRET_ENV.githubWebhookSecret,
      "the GitHub App's webhook secret",
    );
    if (key !== undefined) secrets.githubPrivateKey = key;
    if (hook !== undefined) secrets.githubWebhookSecret = hook;
  }
  if (config.submitTokensFile !== undefined) {
    secrets.submitTokens = await readTokens('submit-tokens-file', config.submitTokensFile, problems);
  }
  if (config.readTokensFile !== undefined) {
    secrets.readTokens = await readTokens('read-tokens-file', config.readTokensFile, problems);
  }
  if (config.runnerTokensFile !== undefined) {
    const key = 'runner-tokens-file';
    const file = config.runnerTokensFile;
    const text = await readSecretFile(key, file, 'lines "NAME TOKEN ROLE"', problems);
    if (text !== undefined) {
      problems.push(...parseRunnerTokens(text, secrets.runnerTokens).map((p) => `${key}: ${file} ${p}`));
    }
    // A token shared with a submitter or a reader would let each act as the other: a build host could
    // submit builds, a submitter could report jobs.
    for (const [token, { name }] of secrets.runnerTokens) {
      for (const [other, tokens] of [
        ['submit-tokens-file', secrets.submitTokens],
        ['read-tokens-file', secrets.readTokens],
      ] as const) {
        const holder = tokens.get(token);
        if (holder !== undefined) {
          problems.push(
            `${key}: ${file}: the token of ${name} is also the token of ${holder} in ${other}; a host's token must be its own: give one of them another, e.g. from openssl rand -hex 32`,
          );
        }
      }
    }
  }
  for (const forge of ['gitea', 'github'] as const) {
    const app = config.oauth?.[forge];
    if (app === undefined) continue;
    const text = await readSecretFile(
      `oauth.${forge}.client-secret-file`,
      app.clientSecretFile,
      `the client secret of the ${forge} OAuth2 application`,
      problems,
    );
    if (text !== undefined) secrets.oauthSecrets = { ...secrets.oauthSecrets, [forge]: text.trim() };
  }
  if (config.sessionSecretFile !== undefined) {
    const key = 'session-secret-file';
    const text = await readSecretFile(
      key,
      config.sessionSecretFile,
      'the secret of the sign-in cookies',
      problems,
    );
    if (text !== undefined && text.trim().length < 32) {
      problems.push(
        `${key}: ${config.sessionSecretFile} holds ${text.trim().length} characters; a session secret needs 32 or more: write one from openssl rand -hex 32`,
      );
    } else if (text !== undefined) secrets.sessionSecret = text.trim();
  }
  // Checked here so that albs serve --check finds it; the password is read again where Redis is connected to.
  if (config.redis !== undefined && typeof config.redis !== 'string' && config.redis.passwordFile) {
    await readSecretFile('redis.password-file', config.redis.passwordFile, 'the Redis password', problems);
  }
  if (problems.length > 0) throw new ServerConfigError(problems);
  return secrets;
}

function trimNewlines(text: string): string {
  return text.replace(/[\r\n]+$/, '');
}

/**
 * The text of a secret file, or undefined with a problem. Symbolic links are followed (secret
 * mounts are links), and what is checked is what was opened: the path may be replaced meanwhile.
 */
async function readSecretFile(
  key: string,
  file: string,
  what: string,
  problems: string[],
): Promise<string | undefined> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY).catch(
    (error: NodeJS.ErrnoException) => {
      const fix =
        error.code === 'ENOENT'
          ? `write ${what} into it (mode 600), or correct ${key}`
          : `make it readable by the user albs serve runs as (uid ${process.getuid?.() ?? '?'}), mode 600`;
      problems.push(`${key}: cannot read ${file} (${error.code ?? error.message}); ${fix}`);
      return undefined;
    },
  );
  if (handle === undefined) return undefined;
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      problems.push(`${key}: ${file} is not a regular file; give the path of the file holding ${what}`);
      return undefined;
    }
    if ((info.mode & 0o077) !== 0) {
      const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
      problems.push(
        `${key}: ${file} is open to its group or others (mode ${mode}), and it holds ${what}; run chmod 600 ${file}`,
      );
      return undefined;
    }
    if (info.size > MAX_SECRET_BYTES) {
      problems.push(
        `${key}: ${file} is ${info.size} bytes, over the ${MAX_SECRET_BYTES}-byte limit for a secret; is it the right file?`,
      );
      return undefined;
    }
    const text = (await handle.readFile()).toString('utf8');
    if (trimNewlines(text).trim() === '') {
      problems.push(`${key}: ${file} is empty; write ${what} into it`);
      return undefined;
    }
    return text;
  } finally {
    await handle.close();
  }
}

/** The tokens of a `NAME TOKEN` file, token → NAME; problems name lines by number, never show a token. */
async function readTokens(key: string, file: string, problems: string[]): Promise<Map<string, string>> {
  const tokens = new Map<string, string>();
  const text = await readSecretFile(key, file, 'lines "NAME TOKEN"', problems);
  if (text === undefined) return tokens;
  const problem = parseTokens(text, tokens);
  problems.push(...problem.map((p) => `${key}: ${file} ${p}`));
  return tokens;
}

/**
 * Fills `tokens` (token → NAME) from the lines of a tokens file and returns what is wrong with it,
 * each problem worded to follow the file's name. Blank lines and # comments are skipped.
 */
export function parseTokens(text: string, tokens: Map<string, string>): string[] {
  const problems = tokenLines(text, TWO_FIELDS, ({ name, token }) => {
    tokens.set(token, name);
    return undefined;
  });
  if (tokens.size === 0 && problems.length === 0) {
    problems.push(
      'has no "NAME TOKEN" line; add one line per user: a name, a space, and a token (e.g. from openssl rand -hex 32)',
    );
  }
  return problems;
}

/**
 * Fills `tokens` (token → {name, role}) from the `NAME TOKEN ROLE` lines of runner-tokens-file and
 * returns what is wrong with it, each problem worded to follow the file's name. Unlike a submitter,
 * a host has one name and one token: a name given twice is a problem.
 */
export function parseRunnerTokens(text: string, tokens: Map<string, RunnerIdentity>): string[] {
  const nameLine = new Map<string, number>();
  const problems = tokenLines(text, THREE_FIELDS, ({ line, name, token, rest }) => {
    const role = rest[0] ?? '';
    if (!(RUNNER_ROLES as readonly string[]).includes(role)) {
      // NAME ROLE TOKEN puts the token third: never show what may be one.
      const roles =
        'the role is runner (a build host, albs runner) or signer (the signing host, albs signer)';
      return role.length >= MIN_TOKEN_LENGTH
        ? `line ${line} (${name}) has a third field of ${role.length} characters, which looks like a token (the order is NAME TOKEN ROLE); ${roles}`
        : `line ${line} (${name}) has the role "${role}"; ${roles}${didYouMean(role, RUNNER_ROLES)}`;
    }
    const first = nameLine.get(name);
    if (first !== undefined) {
      return `lines ${first} and ${line} both name the host ${name}; give each host its own name, which GET /api/v1/runners and the pipeline records show`;
    }
    nameLine.set(name, line);
    tokens.set(token, { name, role: role as RunnerRole });
    return undefined;
  });
  if (tokens.size === 0 && problems.length === 0) {
    problems.push(
      'has no "NAME TOKEN ROLE" line; add one line per farm host: a name, a space, a token (e.g. from openssl rand -hex 32), a space, and runner (an albs runner) or signer (an albs signer)',
    );
  }
  return problems;
}

/** The form of a tokens file's lines, as its problems describe it. */
interface LineForm {
  fields: number;
  /** "NAME TOKEN (a name of …)": what a line must be. */
  shape: string;
  /** A line whose fields are there but in another order, as the fix for it; checked before the token's length. */
  misordered?(fields: string[]): string | undefined;
}

const TWO_FIELDS: LineForm = {
  fields: 2,
  shape: '"NAME TOKEN" (a name of letters, digits, ".", "_" and "-", a space, then the token)',
};
const THREE_FIELDS: LineForm = {
  fields: 3,
  shape:
    '"NAME TOKEN ROLE" (a name of letters, digits, ".", "_" and "-", a space, the token, a space, then runner or signer)',
  misordered: ([name, second = '']) =>
    (RUNNER_ROLES as readonly string[]).includes(second)
      ? `has the role before the token; the order is NAME TOKEN ROLE: write "${name} TOKEN ${second}"`
      : undefined,
};

/**
 * The lines of a tokens file that have the form, a name, a token long enough and not seen on an
 * earlier line, each given to `take`, which may refuse it with a problem. Returns every problem, in
 * line order; none shows a token.
 */
function tokenLines(
  text: string,
  form: LineForm,
  take: (line: { line: number; name: string; token: string; rest: string[] }) => string | undefined,
): string[] {
  const problems: string[] = [];
  const lineOf = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const fields = trimmed.split(/\s+/);
    const [name = '', token = '', ...rest] = fields;
    if (fields.length !== form.fields || !TOKEN_NAME.test(name)) {
      problems.push(`line ${line} is not ${form.shape}; correct or remove that line`);
      return;
    }
    const misordered = form.misordered?.(fields);
    if (misordered !== undefined) {
      problems.push(`line ${line} (${name}) ${misordered}`);
      return;
    }
    if (token.length < MIN_TOKEN_LENGTH) {
      problems.push(
        `line ${line} (${name}) has a token of ${token.length} characters; use at least ${MIN_TOKEN_LENGTH} random ones, e.g. from openssl rand -hex 32`,
      );
      return;
    }
    const first = lineOf.get(token);
    if (first !== undefined) {
      problems.push(
        `lines ${first} and ${line} have the same token; give each its own, e.g. from openssl rand -hex 32`,
      );
      return;
    }
    const refused = take({ line, name, token, rest });
    if (refused !== undefined) {
      problems.push(refused);
      return;
    }
    lineOf.set(token, line);
  });
  return problems;
}
