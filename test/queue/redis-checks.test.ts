import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis, ReplyError } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  checkRedis,
  compareVersions,
  parseInfo,
  RedisSetupError,
} from '../../src/queue/bullmq/redis-checks.js';
import { freePort } from '../support/free-port.js';

/**
 * The checks run against Redis servers of this file's own (never the shared test Redis, whose
 * configuration other tests rely on), each started with the setting under test and stopped after.
 */
const servers: ChildProcess[] = [];
const clients: Redis[] = [];
const dir = mkdtempSync(join(tmpdir(), 'albs-redis-checks-'));

afterEach(() => {
  for (const client of clients.splice(0)) client.disconnect();
});
afterAll(async () => {
  await Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          if (server.exitCode !== null || server.signalCode !== null) return resolve();
          server.once('exit', () => resolve());
          server.kill('SIGTERM');
        }),
    ),
  );
  rmSync(dir, { recursive: true, force: true });
});

/** Whether a Redis answers PING on the port. */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/** A redis-server of its own on a free port with `args` added; a client for it (RESP3, the default). */
async function startRedis(...args: string[]): Promise<Redis> {
  const port = await freePort();
  const server = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, ...args],
    { stdio: 'ignore' },
  );
  servers.push(server);
  for (let i = 0; !(await answers(port)); i++) {
    if (i >= 50 || server.exitCode !== null) throw new Error(`redis-server ${args.join(' ')} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const client = new Redis({ host: '127.0.0.1', port });
  clients.push(client);
  return client;
}

function collect(): { warn: (message: string) => void; warnings: string[] } {
  const warnings: string[] = [];
  return { warn: (message) => warnings.push(message), warnings };
}

it('redis-server is installed (scripts/setup installs it)', () => {
  expect(execFileSync('redis-server', ['--version']).toString()).toMatch(/^Redis server v=/);
});

describe('checkRedis on a Redis of its own', () => {
  it('refuses an evicting Redis, naming the setting, its value and the fix; accepts it after CONFIG SET', async () => {
    const client = await startRedis('--appendonly', 'no', '--maxmemory-policy', 'allkeys-lru');
    const { warn, warnings } = collect();
    const refusal = await checkRedis(client, warn).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(RedisSetupError);
    const message = (refusal as Error).message;
    expect(message).toContain('maxmemory-policy allkeys-lru');
    expect(message).toContain('CONFIG SET maxmemory-policy noeviction');
    expect(message).toContain('"maxmemory-policy noeviction" in redis.conf');
    expect(message).toMatch(/^Redis at redis:\/\/127\.0\.0\.1:\d+\/0 /);
    expect(warnings).toEqual([]);

    await client.config('SET', 'maxmemory-policy', 'noeviction');
    await checkRedis(client, warn);
    expect(warnings).toHaveLength(1);
  });

  it('warns once when appendonly is off: the setting, the risk, the fix', async () => {
    const client = await startRedis('--appendonly', 'no', '--maxmemory-policy', 'noeviction');
    const { warn, warnings } = collect();
    await checkRedis(client, warn);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('appendonly no');
    expect(warnings[0]).toContain('a Redis restart loses');
    expect(warnings[0]).toContain('CONFIG SET appendonly yes');
    expect(warnings[0]).toContain('"appendonly yes" in redis.conf');
  });

  it('says nothing of a Redis set up as albs asks (noeviction, appendonly yes)', async () => {
    const client = await startRedis('--appendonly', 'yes', '--maxmemory-policy', 'noeviction');
    const { warn, warnings } = collect();
    await checkRedis(client, warn);
    expect(warnings).toEqual([]);
  });

  it('reads INFO when CONFIG is disabled, as on a managed Redis', async () => {
    const client = await startRedis(
      '--rename-command',
      'CONFIG',
      '',
      '--appendonly',
      'no',
      '--maxmemory-policy',
      'volatile-lru',
    );
    await expect(client.config('GET', 'maxmemory-policy')).rejects.toThrow(/unknown command/i);
    const { warn, warnings } = collect();
    await expect(checkRedis(client, warn)).rejects.toThrow(
      /has maxmemory-policy volatile-lru: .*CONFIG SET maxmemory-policy noeviction/,
    );

    const fine = await startRedis(
      '--rename-command',
      'CONFIG',
      '',
      '--appendonly',
      'no',
      '--maxmemory-policy',
      'noeviction',
    );
    await checkRedis(fine, warn);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('has appendonly no');

    const aof = await startRedis(
      '--rename-command',
      'CONFIG',
      '',
      '--appendonly',
      'yes',
      '--maxmemory-policy',
      'noeviction',
    );
    await checkRedis(aof, warn);
    expect(warnings).toHaveLength(1);
  });

  it('works over RESP2 as well', async () => {
    const client = await startRedis('--appendonly', 'no', '--maxmemory-policy', 'allkeys-random');
    const resp2 = new Redis({ host: '127.0.0.1', port: client.options.port, protocol: 2 });
    clients.push(resp2);
    await expect(checkRedis(resp2, () => {})).rejects.toThrow('maxmemory-policy allkeys-random');
  });
});

/** A stand-in client for what no installed redis-server can show: an old version, odd replies. */
function fakeClient(info: string, config: (name: string) => unknown): Redis {
  return {
    options: { host: 'redis.example', port: 6380, db: 2, password: 'hunter2' },
    info: async () => info,
    call: async (_command: string, _get: string, name: string) => config(name),
  } as unknown as Redis;
}

const INFO = (version: string, policy = 'noeviction', aof = 1) =>
  `# Server\r\nredis_version:${version}\r\nredis_mode:standalone\r\n\r\n# Memory\r\nmaxmemory_policy:${policy}\r\n\r\n# Persistence\r\naof_enabled:${aof}\r\n`;

describe('checkRedis with a stand-in client', () => {
  it('refuses a Redis older than 6.2, BullMQ minimum, and never shows the password', async () => {
    const client = fakeClient(INFO('6.0.16'), (name) => [name, name === 'appendonly' ? 'yes' : 'noeviction']);
    const error = await checkRedis(client, () => {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisSetupError);
    expect((error as Error).message).toBe(
      "Redis at redis://redis.example:6380/2 (with a password) is version 6.0.16; albs needs Redis 6.2.0 or later (BullMQ's minimum): upgrade it",
    );
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('accepts 6.2 and later', async () => {
    for (const version of ['6.2.0', '6.2.14', '7.0.15', '10.0.0']) {
      const { warn, warnings } = collect();
      await checkRedis(
        fakeClient(INFO(version), (name) => [name, name === 'appendonly' ? 'yes' : 'noeviction']),
        warn,
      );
      expect(warnings).toEqual([]);
    }
  });

  it('reads a RESP3 map reply', async () => {
    const client = fakeClient(INFO('7.2.4'), (name) => ({
      [name]: name === 'appendonly' ? 'no' : 'allkeys-lfu',
    }));
    await expect(checkRedis(client, () => {})).rejects.toThrow('maxmemory-policy allkeys-lfu');
  });

  it('falls back to INFO on any reply error (NOPERM), and warns when neither tells', async () => {
    const denied = () => {
      throw new ReplyError("NOPERM User albs has no permissions to run the 'config|get' command");
    };
    await expect(checkRedis(fakeClient(INFO('7.0.0', 'allkeys-lru'), denied), () => {})).rejects.toThrow(
      'maxmemory-policy allkeys-lru',
    );
    const { warn, warnings } = collect();
    await checkRedis(fakeClient('# Server\r\nredis_version:7.0.0\r\n', denied), warn);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      /cannot read maxmemory-policy \(CONFIG GET maxmemory-policy: NOPERM .*INFO does not say\)/,
    );
    expect(warnings[1]).toContain('cannot read appendonly');
  });

  it('throws an error of the connection as it is', async () => {
    const lost = new Error('Connection is closed.');
    const client = fakeClient(INFO('7.0.0'), () => {
      throw lost;
    });
    await expect(checkRedis(client, () => {})).rejects.toBe(lost);
  });
});

describe('parseInfo and compareVersions', () => {
  it('parse INFO lines and compare dotted versions', () => {
    const info = parseInfo(INFO('7.0.15'));
    expect(info.get('redis_version')).toBe('7.0.15');
    expect(info.get('aof_enabled')).toBe('1');
    expect(info.has('# Server')).toBe(false);
    expect(compareVersions('6.2', '6.2.0')).toBe(0);
    expect(compareVersions('6.0.16', '6.2.0')).toBe(-1);
    expect(compareVersions('6.10.0', '6.2.0')).toBe(1);
    expect(compareVersions('7.0.0-rc1', '6.2.0')).toBe(1);
  });
});
