import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { RedisOptions } from 'ioredis';

/**
 * The `redis:` setting: a URL (`redis://[USER:PASSWORD@]HOST[:PORT][/DB]`, `rediss://…` for TLS;
 * REDIS_URL when the setting is absent), or a Sentinel-managed master.
 */
export type RedisSetting =
  | string
  | {
      sentinels: { host: string; port: number }[];
      /** The master's name, as in the Sentinels' `sentinel monitor NAME …`. */
      name: string;
      /** A file holding the master's password (`requirepass`), mode 600. Sentinels are reached without one. */
      passwordFile?: string;
      db?: number;
    };

/** Redis is set up or configured in a way albs refuses: the message names the setting and the fix. */
export class RedisSetupError extends Error {
  override readonly name = 'RedisSetupError';
}

/** Largest password file read: a password, not a data file given by mistake. */
const MAX_PASSWORD_BYTES = 64 * 1024;

/**
 * ioredis options for a `redis:` setting, for one connection each (a Worker and an event reader
 * each open their own). `maxRetriesPerRequest: null`: a command waits for Redis to come back rather
 * than failing after 20 reconnections, which BullMQ requires of a Worker's connection.
 *
 * readSecret reads a password file; the default refuses a file open to group or others (mode &
 * 077), like albs's other secret files, and drops the trailing newline.
 */
export async function redisOptions(
  setting: RedisSetting,
  readSecret: (file: string) => Promise<string> = readPasswordFile,
): Promise<RedisOptions> {
  if (typeof setting === 'string') return redisUrlOptions(setting);
  return sentinelOptions(setting, readSecret);
}

/**
 * ioredis options for a redis:// or rediss:// URL, or a RedisSetupError saying what is wrong with it
 * without its password. Synchronous and reads nothing: configuration checks use it to refuse a bad
 * URL before anything connects.
 */
export function redisUrlOptions(text: string): RedisOptions {
  const shape = 'give redis://[USER:PASSWORD@]HOST[:PORT][/DB] or rediss://… for TLS';
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new RedisSetupError(`redis: ${redact(text)} is not a URL; ${shape}`);
  }
  const shown = describeUrl(url);
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    throw new RedisSetupError(`redis: ${shown} is not a redis:// or rediss:// URL; ${shape}`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === '') throw new RedisSetupError(`redis: ${shown} names no host; ${shape}`);
  if (url.search !== '' || url.hash !== '')
    throw new RedisSetupError(
      `redis: ${shown} has a ${url.search !== '' ? 'query' : 'fragment'}, which albs does not read; ${shape}`,
    );
  const options: RedisOptions = { host, port: url.port === '' ? 6379 : Number(url.port) };
  const path = url.pathname.replace(/^\/|\/$/g, '');
  if (path !== '') options.db = parseDb(path, `redis: ${shown}`);
  if (url.username !== '') options.username = decode(url.username, shown, 'user');
  if (url.password !== '') options.password = decode(url.password, shown, 'password');
  if (url.protocol === 'rediss:') options.tls = {};
  options.maxRetriesPerRequest = null;
  return options;
}

async function sentinelOptions(
  setting: Exclude<RedisSetting, string>,
  readSecret: (file: string) => Promise<string>,
): Promise<RedisOptions> {
  if (!Array.isArray(setting.sentinels) || setting.sentinels.length === 0)
    throw new RedisSetupError('redis.sentinels: list at least one sentinel as {host, port}');
  setting.sentinels.forEach((s, i) => {
    if (typeof s?.host !== 'string' || s.host === '')
      throw new RedisSetupError(`redis.sentinels[${i}]: give the sentinel's host`);
    if (!Number.isInteger(s.port) || s.port < 1 || s.port > 65535)
      throw new RedisSetupError(`redis.sentinels[${i}]: port ${s.port} is not a TCP port (1-65535)`);
  });
  if (typeof setting.name !== 'string' || setting.name === '')
    throw new RedisSetupError(
      'redis.name: give the master name the sentinels monitor (sentinel monitor NAME … in sentinel.conf)',
    );
  const options: RedisOptions = {
    sentinels: setting.sentinels.map(({ host, port }) => ({ host, port })),
    name: setting.name,
  };
  if (setting.db !== undefined) options.db = parseDb(String(setting.db), 'redis.db');
  if (setting.passwordFile !== undefined) {
    const password = trimNewline(await readSecret(setting.passwordFile));
    if (password === '')
      throw new RedisSetupError(
        `redis.password-file: ${setting.passwordFile} is empty; write the Redis password into it`,
      );
    options.password = password;
  }
  options.maxRetriesPerRequest = null;
  return options;
}

function parseDb(text: string, where: string): number {
  if (!/^\d{1,5}$/.test(text))
    throw new RedisSetupError(
      `${where}: database ${text} is not a number; give a Redis database index, e.g. 0`,
    );
  return Number(text);
}

function decode(part: string, shown: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new RedisSetupError(`redis: ${shown}: the ${what} is not valid percent-encoding`);
  }
}

function trimNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}

/**
 * A secret file's text (the Redis password; a runner's token), refused when group or others may
 * read it. `key` names the setting or flag in messages, `what` the secret.
 */
export async function readPasswordFile(
  file: string,
  key = 'redis.password-file',
  what = 'the Redis password',
): Promise<string> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY).catch(
    (error: NodeJS.ErrnoException) => {
      const fix =
        error.code === 'ENOENT'
          ? `write ${what} into it (mode 600), or correct ${key}`
          : `make it readable by the user albs runs as (uid ${process.getuid?.() ?? '?'}), mode 600`;
      throw new RedisSetupError(`${key}: cannot read ${file} (${error.code ?? error.message}); ${fix}`);
    },
  );
  try {
    const info = await handle.stat();
    if (!info.isFile())
      throw new RedisSetupError(`${key}: ${file} is not a regular file; give the file holding ${what}`);
    if ((info.mode & 0o077) !== 0) {
      const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
      throw new RedisSetupError(
        `${key}: ${file} is open to its group or others (mode ${mode}), and it holds ${what}; run chmod 600 ${file}`,
      );
    }
    if (info.size > MAX_PASSWORD_BYTES)
      throw new RedisSetupError(
        `${key}: ${file} is ${info.size} bytes, over the ${MAX_PASSWORD_BYTES}-byte limit for ${what}; is it the right file?`,
      );
    return (await handle.readFile()).toString('utf8');
  } finally {
    await handle.close();
  }
}

/**
 * Where options lead, for messages: `redis://HOST:PORT/DB` (`rediss://` with TLS, `USER@` with a
 * user), or `sentinels H:P,H:P master NAME db N`; a password is only ever said to be there.
 */
export function describeRedis(options: RedisOptions): string {
  const secret = options.password ? ' (with a password)' : '';
  const db = options.db ?? 0;
  if (options.sentinels && options.sentinels.length > 0) {
    const sentinels = options.sentinels.map((s) => hostPort(s.host ?? 'localhost', s.port ?? 26379));
    return `sentinels ${sentinels.join(',')} master ${options.name ?? 'mymaster'} db ${db}${secret}`;
  }
  if (options.path) return `unix:${options.path} db ${db}${secret}`;
  const user = options.username ? `${encodeURIComponent(options.username)}@` : '';
  const scheme = options.tls ? 'rediss' : 'redis';
  return `${scheme}://${user}${hostPort(options.host ?? 'localhost', options.port ?? 6379)}/${db}${secret}`;
}

function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** A parsed URL without its password. */
function describeUrl(url: URL): string {
  const copy = new URL(url.href);
  copy.password = '';
  return copy.href;
}

/** A string that may not parse as a URL, with anything between :// and @ hidden. */
function redact(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1***@');
}
