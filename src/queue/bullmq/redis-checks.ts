import { type Redis, ReplyError } from 'ioredis';
import { describeRedis, RedisSetupError } from './redis-options.js';

export { RedisSetupError } from './redis-options.js';

/** BullMQ's minimum Redis version. */
export const MIN_REDIS_VERSION = '6.2.0';

/**
 * Refuses a Redis albs cannot keep its records on, before anything is queued there:
 *
 * - a version below 6.2 (BullMQ's minimum), read from INFO server;
 * - `maxmemory-policy` other than `noeviction`: an evicting Redis drops queued jobs, locks and
 *   marks silently when it fills up. Read with CONFIG GET, or from INFO memory when CONFIG is
 *   renamed or denied (managed Redis).
 *
 * and warns (once per finding) when `appendonly` is off (CONFIG GET, or INFO persistence's
 * `aof_enabled`): the records live in Redis, and without the append-only file a Redis restart loses
 * what was written since the last snapshot. It also warns when either setting cannot be read.
 *
 * Throws RedisSetupError naming the setting, its value and the fix. Errors of the connection
 * itself (not a reply from Redis) are thrown as they are.
 */
export async function checkRedis(client: Redis, warn: (message: string) => void): Promise<void> {
  const where = `Redis at ${describeRedis(client.options)}`;
  const info = parseInfo(String(await client.info()));

  const version = info.get('redis_version');
  if (version === undefined) {
    warn(
      `${where}: INFO server gives no redis_version; albs needs Redis ${MIN_REDIS_VERSION} or later (BullMQ's minimum)`,
    );
  } else if (compareVersions(version, MIN_REDIS_VERSION) < 0) {
    throw new RedisSetupError(
      `${where} is version ${version}; albs needs Redis ${MIN_REDIS_VERSION} or later (BullMQ's minimum): upgrade it`,
    );
  }

  const policy = await setting(client, 'maxmemory-policy', info.get('maxmemory_policy'));
  if (policy.value === undefined) {
    warn(
      `${where}: cannot read maxmemory-policy (${policy.why}); make sure it is noeviction, or Redis may drop albs's queued jobs when its memory is full`,
    );
  } else if (policy.value !== 'noeviction') {
    throw new RedisSetupError(
      `${where} has maxmemory-policy ${policy.value}: when its memory fills up it evicts keys, and albs keeps its queued jobs and their state there. ` +
        `Set maxmemory-policy to noeviction: run CONFIG SET maxmemory-policy noeviction (then CONFIG REWRITE to keep it), ` +
        `or put "maxmemory-policy noeviction" in redis.conf (on a managed Redis, in its parameter group)`,
    );
  }

  const aof = info.get('aof_enabled');
  const appendonly = await setting(
    client,
    'appendonly',
    aof === '1' ? 'yes' : aof === '0' ? 'no' : undefined,
  );
  if (appendonly.value === undefined) {
    warn(
      `${where}: cannot read appendonly (${appendonly.why}); unless it is yes, albs's queued jobs and their state are lost when Redis restarts`,
    );
  } else if (appendonly.value !== 'yes') {
    warn(
      `${where} has appendonly ${appendonly.value}: albs's queued jobs and their state live in Redis, and a Redis restart loses all written since its last snapshot (everything, without one). ` +
        `Turn it on: run CONFIG SET appendonly yes (then CONFIG REWRITE to keep it), or put "appendonly yes" in redis.conf`,
    );
  }
}

/**
 * A configuration setting by CONFIG GET, else what INFO said (`fromInfo`); undefined with the
 * reason when neither told.
 */
async function setting(
  client: Redis,
  name: string,
  fromInfo: string | undefined,
): Promise<{ value: string; why?: undefined } | { value?: undefined; why: string }> {
  let why: string;
  try {
    const value = configValue(await client.call('CONFIG', 'GET', name), name);
    if (value !== undefined) return { value: value.toLowerCase() };
    why = `CONFIG GET ${name} gave nothing`;
  } catch (error) {
    if (!isReplyError(error)) throw error;
    why = `CONFIG GET ${name}: ${(error as Error).message}`;
  }
  if (fromInfo !== undefined) return { value: fromInfo.toLowerCase() };
  return { why: `${why}, and INFO does not say` };
}

/** The value in a CONFIG GET reply: `[name, value]` (RESP2, or RESP3 in legacy mapping) or `{name: value}`. */
function configValue(reply: unknown, name: string): string | undefined {
  if (Array.isArray(reply)) {
    for (let i = 0; i + 1 < reply.length; i += 2)
      if (String(reply[i]).toLowerCase() === name) return String(reply[i + 1]);
    return undefined;
  }
  if (reply instanceof Map) {
    const value = reply.get(name);
    return value === undefined ? undefined : String(value);
  }
  if (reply !== null && typeof reply === 'object') {
    const value = (reply as Record<string, unknown>)[name];
    return value === undefined ? undefined : String(value);
  }
  return undefined;
}

/** An error Redis replied with (unknown command, NOPERM…), as opposed to one of the connection. */
function isReplyError(error: unknown): boolean {
  return error instanceof ReplyError;
}

/** INFO's `key:value` lines; section headers and blank lines skipped. */
export function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return fields;
}

/** Compares dotted numeric versions (`7.0.15`, `6.2`); a part that is not a number counts as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((p) => Number.parseInt(p, 10) || 0);
  const pb = b.split('.').map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}
