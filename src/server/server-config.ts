import { isIP } from 'node:net';
import { dirname, resolve } from 'node:path';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { MAX_TIMEOUT } from '../config/check-config.js';
import { parseDuration, parseSize } from '../config/normalise.js';
import { type FileKind, type ParsedYaml, parseYaml, type YamlPath } from '../config/parse-yaml.js';
import { describePath, type Problem, sortProblems } from '../config/problem.js';
import { type SchemaWording, schemaProblems, show, sizeMessage } from '../config/schema-problems.js';
import type { RedisSetting } from '../queue/bullmq/redis-options.js';
import { normaliseRedisSetting, redisRequiredMessage } from '../queue/bullmq/redis-setting.js';
import { validate as compiled } from './server-schema-validator.generated.js';

/** The configuration of `albs serve`, with every default filled in and every path absolute. */
export interface ServerConfig {
  /** The configuration file as the user named it, for messages. */
  file: string;
  listen: { host: string; port: number };
  /** http(s), without a trailing slash, query or fragment. */
  publicUrl: string;
  dataDir: string;
  keysDir?: string;
  gitea?: { url: string; tokenFile?: string; webhookSecretFile?: string };
  github?: { appId: number; privateKeyFile?: string; webhookSecretFile?: string; apiUrl: string };
  submitTokensFile?: string;
  readTokensFile?: string;
  /** Sign-in to the pipeline pages with a forge's OAuth2 application: the forge's own section says where it is. */
  oauth?: { gitea?: OAuthApp; github?: OAuthApp };
  /** The secret of the sign-in cookies; set whenever oauth is. */
  sessionSecretFile?: string;
  /**
   * A farm: jobs go through BullMQ on this Redis to `albs runner` and `albs signer` hosts. Never set
   * together with keysDir (the signer holds the keys); always with runnerTokensFile.
   */
  redis?: RedisSetting;
  /** Lines `NAME TOKEN ROLE`: the runner and signer hosts that may take jobs and report them. */
  runnerTokensFile?: string;
  /** How long a job whose labels no connected runner has waits before it ends `error` (farm only). */
  runnerWaitMs: number;
  /**
   * The server runs jobs itself, with `runner`'s labels and concurrency: always without redis; with
   * redis only when the file has a `runner:` section.
   */
  embeddedRunner: boolean;
  allow: { repos: string[]; keys: string[]; publish: string[] }[];
  /** labels undefined: the host's own labels, decided where the runner starts. */
  runner: { labels?: string[]; concurrency: number };
  cache: { maxSize: number };
  keep: number;
  statuses: { maxJobContexts: number };
}

export interface OAuthApp {
  clientId: string;
  clientSecretFile: string;
}

export const DEFAULT_LISTEN = '127.0.0.1:8080';
export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';
export const DEFAULT_RUNNER_CONCURRENCY = 4;
export const DEFAULT_CACHE_MAX_SIZE = 20 * 1024 ** 3;
export const DEFAULT_KEEP = 3;
export const DEFAULT_MAX_JOB_CONTEXTS = 64;
export const DEFAULT_RUNNER_WAIT_MS = 60 * 60 * 1000;

/** The albs serve configuration file, for whole-file problems. */
export const SERVER_CONFIG_FILE: FileKind = {
  noun: 'an albs serve configuration file',
  contents: 'its configuration',
  smaller: 'a configuration needs a few KB: move data out of it',
};

/** Compiled ahead of time by scripts/compile-schema.mjs, like the .albs.yml schema. */
const validate = compiled as unknown as ValidateFunction;

/**
 * Read an albs serve configuration from its text. Never throws: every problem comes back with FILE,
 * LINE and COL, all at once. `config` is null when any problem is an error. Reads no file: the
 * secrets the configuration names are read by readServerSecrets.
 */
export function loadServerConfig(
  text: string,
  file: string,
): { config: ServerConfig | null; problems: Problem[] } {
  const result = parseYaml(text, file, SERVER_CONFIG_FILE);
  if (!result.ok) return { config: null, problems: sortProblems(result.problems) };
  const parsed = result.parsed;
  const schema = schemaProblems(validate, SERVER_WORDING, parsed, file);
  if (parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
    return { config: null, problems: sortProblems(schema) };
  }
  const deeper: Problem[] = [];
  const report = (path: YamlPath, message: string, severity: Problem['severity'] = 'error') =>
    deeper.push({ severity, file, ...parsed.locate(path), path, message });
  const config = normalise(parsed, file, report);
  // A check's finding about a place the schema already faulted would only say it again.
  const faulted = schema.map((p) => p.path.join('.'));
  const overlaps = (p: Problem) => {
    const at = p.path.join('.');
    if (at === '') return false;
    return faulted.some((f) => f === '' || f === at || at.startsWith(`${f}.`) || f.startsWith(`${at}.`));
  };
  const problems = sortProblems([...schema, ...deeper.filter((p) => !overlaps(p))]);
  return { config: problems.some((p) => p.severity === 'error') ? null : config, problems };
}

type Raw = Record<string, unknown>;

function obj(value: unknown): Raw {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : {};
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

type Report = (path: YamlPath, message: string, severity?: Problem['severity']) => void;

/**
 * Defaults filled in, paths made absolute, and the checks the schema cannot express. Lenient with
 * values the schema already refused: those are reported there.
 */
function normalise(parsed: ParsedYaml, file: string, report: Report): ServerConfig {
  const doc = obj(parsed.value);
  // Paths in the file are relative to the file, not to wherever albs serve was started from.
  const base = dirname(resolve(file));
  const path = (value: unknown) => {
    const given = optionalString(value);
    return given === undefined ? undefined : resolve(base, given);
  };

  if (doc.gitea === undefined && doc.github === undefined && doc['submit-tokens-file'] === undefined) {
    report(
      [],
      'albs serve has nothing to build: set "gitea" (webhooks of a Gitea server), "github" (webhooks of a GitHub App) or "submit-tokens-file" (builds submitted to POST /api/v1/builds), or several of them',
    );
  }

  const config: ServerConfig = {
    file,
    listen: parseListen(typeof doc.listen === 'string' ? doc.listen : DEFAULT_LISTEN, (message) =>
      report(['listen'], message),
    ),
    publicUrl: baseUrl(doc['public-url'], ['public-url'], 'https://albs.example.org', report),
    dataDir: path(doc['data-dir']) ?? '',
    runnerWaitMs: DEFAULT_RUNNER_WAIT_MS,
    embeddedRunner: true,
    allow: [],
    runner: { concurrency: DEFAULT_RUNNER_CONCURRENCY },
    cache: { maxSize: DEFAULT_CACHE_MAX_SIZE },
    keep: typeof doc.keep === 'number' ? doc.keep : DEFAULT_KEEP,
    statuses: { maxJobContexts: DEFAULT_MAX_JOB_CONTEXTS },
  };
  const keysDir = path(doc['keys-dir']);
  if (keysDir !== undefined) config.keysDir = keysDir;
  const farm = doc.redis !== undefined;
  if (farm) {
    config.redis = normaliseRedisSetting(doc.redis, ['redis'], base, report);
    config.embeddedRunner = doc.runner !== undefined;
    if (keysDir !== undefined) {
      report(
        ['keys-dir'],
        `keys-dir and redis are both set: with redis the signer (albs signer --keys-dir DIR) holds the keys and the server holds none; remove keys-dir from ${file}`,
      );
    }
  }

  if (doc.gitea !== undefined) {
    const gitea = obj(doc.gitea);
    config.gitea = { url: baseUrl(gitea.url, ['gitea', 'url'], 'https://git.almalinux.org', report) };
    const tokenFile = path(gitea['token-file']);
    const webhookSecretFile = path(gitea['webhook-secret-file']);
    if (tokenFile !== undefined) config.gitea.tokenFile = tokenFile;
    if (webhookSecretFile !== undefined) config.gitea.webhookSecretFile = webhookSecretFile;
  }
  if (doc.github !== undefined) {
    const github = obj(doc.github);
    config.github = {
      appId: typeof github['app-id'] === 'number' ? github['app-id'] : 0,
      apiUrl:
        github['api-url'] === undefined
          ? DEFAULT_GITHUB_API_URL
          : baseUrl(github['api-url'], ['github', 'api-url'], DEFAULT_GITHUB_API_URL, report),
    };
    const privateKeyFile = path(github['private-key-file']);
    const webhookSecretFile = path(github['webhook-secret-file']);
    if (privateKeyFile !== undefined) config.github.privateKeyFile = privateKeyFile;
    if (webhookSecretFile !== undefined) config.github.webhookSecretFile = webhookSecretFile;
  }
  const submitTokensFile = path(doc['submit-tokens-file']);
  const readTokensFile = path(doc['read-tokens-file']);
  if (submitTokensFile !== undefined) config.submitTokensFile = submitTokensFile;
  if (readTokensFile !== undefined) config.readTokensFile = readTokensFile;
  const sessionSecretFile = path(doc['session-secret-file']);
  if (sessionSecretFile !== undefined) config.sessionSecretFile = sessionSecretFile;
  if (doc.oauth !== undefined) {
    const oauth = obj(doc.oauth);
    config.oauth = {};
    for (const forge of ['gitea', 'github'] as const) {
      if (oauth[forge] === undefined) continue;
      const app = obj(oauth[forge]);
      config.oauth[forge] = {
        clientId: optionalString(app['client-id']) ?? '',
        clientSecretFile: path(app['client-secret-file']) ?? '',
      };
      if (doc[forge] === undefined) {
        report(
          ['oauth', forge],
          `oauth.${forge} is set but there is no "${forge}" section, which says where that forge is; add ${forge}: {url: …} (github: {app-id: …}) or remove oauth.${forge}`,
        );
      }
    }
    if (sessionSecretFile === undefined) {
      report(
        ['oauth'],
        'oauth is set but "session-secret-file" is not, so no sign-in could be kept; set session-secret-file to a file (mode 600) holding 32 characters or more, e.g. from openssl rand -hex 32',
      );
    }
  } else if (sessionSecretFile !== undefined) {
    report(
      ['session-secret-file'],
      'session-secret-file is set but "oauth" is not, so nobody signs in and nothing uses it; add oauth or remove session-secret-file',
      'warning',
    );
  }
  const runnerTokensFile = path(doc['runner-tokens-file']);
  if (runnerTokensFile !== undefined) config.runnerTokensFile = runnerTokensFile;
  if (farm && doc['runner-tokens-file'] === undefined) {
    report(
      ['redis'],
      'redis is set but "runner-tokens-file" is not, so no runner or signer could ever take a job or report its result; set runner-tokens-file to a file (mode 600) of lines "NAME TOKEN ROLE", one per albs runner (ROLE runner) and albs signer (ROLE signer) host',
    );
  }
  // Not errors: each is consistent, but a setting nothing reads is most likely an oversight.
  if (!farm && doc['runner-tokens-file'] !== undefined) {
    report(
      ['runner-tokens-file'],
      'runner-tokens-file is set but "redis" is not, so no runner or signer host ever connects and nothing uses the file; add redis (the farm\'s Redis) or remove runner-tokens-file',
      'warning',
    );
  }
  if (doc['runner-wait'] !== undefined) {
    const seconds = parseDuration(doc['runner-wait'], DEFAULT_RUNNER_WAIT_MS / 1000);
    if (seconds > MAX_TIMEOUT) {
      report(
        ['runner-wait'],
        `runner-wait is ${seconds} s, over the ${MAX_TIMEOUT} s (7 days) albs allows; give a shorter wait, e.g. 1h`,
      );
    }
    config.runnerWaitMs = seconds * 1000;
    if (!farm) {
      report(
        ['runner-wait'],
        'runner-wait is set but "redis" is not: the embedded runner skips a job whose labels it lacks at once, as albs run does, and nothing waits; add redis (the farm\'s Redis) or remove runner-wait',
        'warning',
      );
    }
  }

  config.allow = (Array.isArray(doc.allow) ? doc.allow : []).map((entry) => {
    const e = obj(entry);
    return { repos: strings(e.repos), keys: strings(e.keys), publish: strings(e.publish) };
  });
  config.allow.forEach((entry, i) => {
    // Not errors: the file is consistent, but a grant nothing can use is most likely an oversight.
    entry.repos.forEach((repo, j) => {
      if (repo.startsWith('submit:') && submitTokensFile === undefined) {
        report(
          ['allow', i, 'repos', j],
          `allow[${i}].repos[${j}] is ${show(repo)}, but there is no "submit-tokens-file", so nothing is ever submitted as ${repo.slice('submit:'.length)}; add submit-tokens-file or remove the entry`,
          'warning',
        );
      }
    });
    // In a farm the keys are the signer's, and the server has no keys-dir by design.
    if (entry.keys.length > 0 && keysDir === undefined && !farm) {
      report(
        ['allow', i, 'keys'],
        `allow[${i}].keys names signing keys, but there is no "keys-dir" to find them in; set keys-dir to the directory of NAME.asc files`,
        'warning',
      );
    }
  });

  const runner = obj(doc.runner);
  if (Array.isArray(runner.labels)) config.runner.labels = strings(runner.labels);
  if (typeof runner.concurrency === 'number') config.runner.concurrency = runner.concurrency;
  config.cache.maxSize = parseSize(obj(doc.cache)['max-size'], DEFAULT_CACHE_MAX_SIZE);
  const maxJobContexts = obj(doc.statuses)['max-job-contexts'];
  if (typeof maxJobContexts === 'number') config.statuses.maxJobContexts = maxJobContexts;
  return config;
}

/**
 * HOST:PORT, [IPV6]:PORT. The schema has checked the rough form; here the parts: a port of 1 to
 * 65535 (0 would be a port the kernel picks, which no forge webhook could be pointed at) and
 * addresses that are addresses.
 */
export function parseListen(value: string, fail: (message: string) => void): { host: string; port: number } {
  const fallback = { host: '127.0.0.1', port: 8080 };
  const match = /^(?:\[([^\]]*)\]|([^:[\]]+)):(\d+)$/.exec(value);
  const example = 'e.g. 127.0.0.1:8080, 0.0.0.0:8080 (every interface) or [::1]:8080';
  if (!match) {
    fail(`listen is ${show(value)}; it must be HOST:PORT, ${example}`);
    return fallback;
  }
  const [, v6, name, digits] = match;
  const port = Number(digits);
  if (port < 1 || port > 65535) {
    fail(`listen is ${show(value)}; the port ${digits} is not one of 1 to 65535, ${example}`);
    return fallback;
  }
  if (v6 !== undefined) {
    if (isIP(v6) !== 6) {
      fail(`listen is ${show(value)}; ${show(v6)} in brackets is not an IPv6 address, ${example}`);
      return fallback;
    }
    return { host: v6, port };
  }
  const host = name ?? '';
  // Only digits and dots is meant as an IPv4 address, and 999.1.1.1 would otherwise be looked up by name.
  if (/^[\d.]+$/.test(host) && isIP(host) !== 4) {
    fail(`listen is ${show(value)}; ${show(host)} is not an IPv4 address, ${example}`);
    return fallback;
  }
  return { host, port };
}

/**
 * An http(s) base URL without a trailing slash: links are made by appending "/path" to it. A query,
 * a fragment or credentials in it would end up in every link albs posts.
 */
function baseUrl(value: unknown, path: YamlPath, example: string, report: Report): string {
  if (typeof value !== 'string') return example;
  const where = describePath(path);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    report(
      path,
      `${where} is ${show(value)}, which is not a URL; give an http:// or https:// URL like ${example}`,
    );
    return example;
  }
  const fault =
    url.protocol !== 'http:' && url.protocol !== 'https:'
      ? `is not an http:// or https:// URL`
      : url.username || url.password
        ? 'holds a user name or password, which every link would show; give credentials in their *-file keys'
        : url.search
          ? `has a query (${url.search})`
          : url.hash
            ? `has a fragment (${url.hash})`
            : undefined;
  if (fault !== undefined) {
    report(path, `${where} is ${show(value)}, which ${fault}; give the base URL alone, like ${example}`);
    return example;
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function patternHint(path: YamlPath): string {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (last === 'listen') return 'must be HOST:PORT, e.g. 127.0.0.1:8080, 0.0.0.0:8080 or [::1]:8080';
  if (last === 'public-url') return 'must be an http:// or https:// URL, e.g. https://albs.example.org';
  if (last === 'url') return 'must be an http:// or https:// URL, e.g. https://git.almalinux.org';
  if (last === 'api-url')
    return 'must be an http:// or https:// URL: https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server';
  if (parent === 'repos')
    return 'must be an OWNER/NAME glob of forge repositories like almalinux/*, or submit:NAME for a name in submit-tokens-file';
  if (parent === 'keys') return 'must be a key name of letters, digits, ".", "_" and "-"';
  if (parent === 'publish')
    return 'must be a glob of repository names: letters, digits, ".", "_", "-" and the glob characters * ? [ ] { } , !';
  if (parent === 'labels') return 'must be a label without spaces';
  return 'has an unexpected form';
}

const SERVER_WORDING: SchemaWording = {
  empty:
    'the file is empty; albs serve needs at least "public-url", "data-dir", and "gitea", "github" or "submit-tokens-file"',
  patternHint,
  anyOf: (path, value, where) => {
    const last = path[path.length - 1];
    if (last === 'max-size') return sizeMessage(where, value);
    if (last === 'runner-wait')
      return `${where} is ${show(value)}; it must be a duration like 1h, 30m, 90s or 2h30m, or a number of seconds`;
    return undefined;
  },
  required: (key, where) => {
    if (key === 'public-url')
      return 'missing "public-url": the URL users and forges reach this server at, e.g. "public-url: https://albs.example.org"';
    if (key === 'data-dir')
      return 'missing "data-dir": the directory albs serve keeps its caches, logs and repositories in, e.g. "data-dir: /var/lib/albs"';
    if (key === 'url' && where === 'gitea')
      return 'missing "url" in gitea: the Gitea server\'s URL, e.g. "url: https://git.almalinux.org"';
    if (key === 'app-id' && where === 'github')
      return 'missing "app-id" in github: the GitHub App\'s ID from its settings page, e.g. "app-id: 123456"';
    return redisRequiredMessage(key, where);
  },
};
