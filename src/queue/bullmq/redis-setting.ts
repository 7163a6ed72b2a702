import type { Stats } from 'node:fs';
import { constants, open } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import {
  type FileKind,
  MAX_CONFIG_BYTES,
  type ParsedYaml,
  parseYaml,
  type YamlPath,
} from '../../config/parse-yaml.js';
import { formatProblem, type Problem, sortProblems } from '../../config/problem.js';
import { type SchemaWording, schemaProblems } from '../../config/schema-problems.js';
// The server's schema holds the one definition of the `redis:` value; this module may not import
// server-config.ts (which imports this one), so it takes the compiled schema itself.
import { validate as compiled } from '../../server/server-schema-validator.generated.js';
import { type RedisSetting, RedisSetupError, redisUrlOptions } from './redis-options.js';

/** A Redis configuration file, `albs runner --redis-config FILE` / `albs signer --redis-config FILE`. */
export const REDIS_CONFIG_FILE: FileKind = {
  noun: 'a Redis configuration file',
  contents: 'the Redis setting',
  smaller: 'it holds one URL or a sentinels mapping of a few lines',
};

const validate = compiled as unknown as ValidateFunction;

/** Where a problem with the `redis:` value is; the severity is always error. */
export type RedisReport = (path: YamlPath, message: string) => void;

/**
 * The RedisSetting of a `redis:` value, found at `path` of a parsed file: paths made absolute against
 * `base` (the file's directory), and the checks the schema cannot make (a URL that is no redis:// or
 * rediss:// URL, a database that is not a number), reported without a password. Lenient with values
 * the schema refused: those are reported there. The server configuration and a Redis configuration
 * file both come through here.
 */
export function normaliseRedisSetting(
  value: unknown,
  path: YamlPath,
  base: string,
  report: RedisReport,
): RedisSetting {
  if (typeof value === 'string') {
    if (value !== '') {
      try {
        redisUrlOptions(value);
      } catch (error) {
        if (!(error instanceof RedisSetupError)) throw error;
        report(path, error.message);
      }
    }
    return value;
  }
  const raw = record(value);
  const setting: Exclude<RedisSetting, string> = {
    sentinels: (Array.isArray(raw.sentinels) ? raw.sentinels : []).map((s) => {
      const sentinel = record(s);
      return {
        host: typeof sentinel.host === 'string' ? sentinel.host : '',
        port: typeof sentinel.port === 'number' ? sentinel.port : 0,
      };
    }),
    name: typeof raw.name === 'string' ? raw.name : '',
  };
  if (typeof raw['password-file'] === 'string' && raw['password-file'] !== '')
    setting.passwordFile = resolve(base, raw['password-file']);
  if (typeof raw.db === 'number') setting.db = raw.db;
  return setting;
}

/** What a missing key of the `redis:` mapping is for, when `where` is in it; else undefined. */
export function redisRequiredMessage(key: string, where: string): string | undefined {
  if (where === 'redis' && key === 'sentinels')
    return 'missing "sentinels" in redis: the Sentinels that know the master, e.g. "sentinels: [{host: sentinel-1.internal, port: 26379}]"; or give a redis:// URL instead of a mapping';
  if (where === 'redis' && key === 'name')
    return 'missing "name" in redis: the master name the Sentinels monitor (sentinel monitor NAME … in sentinel.conf), e.g. "name: mymaster"';
  if (/^redis\.sentinels\[\d+\]$/.test(where) && key === 'host')
    return `missing "host" in ${where}: the Sentinel's host name or address`;
  if (/^redis\.sentinels\[\d+\]$/.test(where) && key === 'port')
    return `missing "port" in ${where}: the Sentinel's TCP port, usually 26379`;
  return undefined;
}

const SHAPE =
  'a redis:// URL like redis://redis.internal:6379/0 (rediss:// for TLS), or a mapping of sentinels, name, password-file and db';

const REDIS_FILE_WORDING: SchemaWording = {
  empty: `the file is empty; it holds what the redis: key of the albs serve configuration holds: ${SHAPE}`,
  patternHint: () => 'has an unexpected form',
  required: redisRequiredMessage,
};

/** The Redis configuration file is unusable: `problems` are its FILE:LINE:COL findings, empty when it cannot be read. */
export class RedisConfigFileError extends Error {
  override readonly name = 'RedisConfigFileError';
  constructor(
    message: string,
    readonly problems: Problem[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The RedisSetting of a YAML file holding, at its top level, exactly what the `redis:` key of the
 * albs serve configuration holds: a redis:// or rediss:// URL, or the sentinels mapping (a relative
 * password-file is relative to the file's directory). The password file itself is read later, by
 * redisOptions. Throws RedisConfigFileError: every problem as FILE:LINE:COL: error: MESSAGE, one a
 * line; or the file cannot be read.
 */
export async function readRedisConfigFile(file: string): Promise<RedisSetting> {
  const text = await readText(file);
  const { setting, problems } = loadRedisConfig(text, file);
  if (setting === null) throw new RedisConfigFileError(problems.map(formatProblem).join('\n'), problems);
  return setting;
}

/** readRedisConfigFile on a text already read: never throws, `setting` is null when there is a problem. */
export function loadRedisConfig(
  text: string,
  file: string,
): { setting: RedisSetting | null; problems: Problem[] } {
  const result = parseYaml(text, file, REDIS_CONFIG_FILE);
  if (!result.ok) return { setting: null, problems: sortProblems(result.problems) };
  const parsed = result.parsed;
  if (parsed.value === null || parsed.value === undefined) {
    return {
      setting: null,
      problems: [{ severity: 'error', file, line: 1, col: 1, path: [], message: REDIS_FILE_WORDING.empty }],
    };
  }
  // The file's value is the `redis:` of a server configuration: validated as that, by the same schema,
  // so the messages name it "redis" as the server's do. Problems of the rest of that (absent)
  // configuration are not this file's.
  const asServer: ParsedYaml = {
    value: { redis: parsed.value },
    locate: (path) => parsed.locate(path.slice(1)),
    locateKey: (path) => (path.length <= 1 ? { line: 1, col: 1 } : parsed.locateKey(path.slice(1))),
    locateInString: (path, needle) => parsed.locateInString(path.slice(1), needle),
  };
  const schema = schemaProblems(validate, REDIS_FILE_WORDING, asServer, file).filter(
    (p) => p.path[0] === 'redis',
  );
  const deeper: Problem[] = [];
  const setting = normaliseRedisSetting(parsed.value, ['redis'], dirname(resolve(file)), (path, message) =>
    deeper.push({ severity: 'error', file, ...asServer.locate(path), path, message }),
  );
  // A check at a place the schema already faulted would only say it again.
  const faulted = new Set(schema.map((p) => p.path.join('.')));
  const problems = sortProblems([...schema, ...deeper.filter((p) => !faulted.has(p.path.join('.')))]).map(
    (p) => ({ ...p, path: p.path.slice(1) }),
  );
  return { setting: problems.length > 0 ? null : setting, problems };
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/**
 * The file's text: a regular file of at most MAX_CONFIG_BYTES of UTF-8, checked through the open
 * descriptor (the path may be replaced meanwhile), opened without blocking on a FIFO.
 */
async function readText(file: string): Promise<string> {
  const refuse = (what: string, fix: string, cause?: unknown): never => {
    throw new RedisConfigFileError(`${file}: ${what}; ${fix}`, [], { cause });
  };
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY).catch(
    (error: NodeJS.ErrnoException) =>
      refuse(
        `cannot read the Redis configuration file (${error.code ?? error.message})`,
        'check that it exists and that the user albs runs as may read it',
        error,
      ),
  );
  try {
    const info: Stats = await handle.stat();
    if (!info.isFile())
      refuse('not a regular file', `give the YAML file holding ${SHAPE}, or --redis URL instead`);
    if (info.size > MAX_CONFIG_BYTES)
      refuse(
        `${info.size} bytes, over the ${MAX_CONFIG_BYTES}-byte limit for ${REDIS_CONFIG_FILE.noun}`,
        'is it the right file?',
      );
    const bytes = await handle.readFile();
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch (error) {
      return refuse('not valid UTF-8', 'save it as UTF-8', error);
    }
  } finally {
    await handle.close();
  }
}
