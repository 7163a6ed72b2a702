import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { describeRedis, RedisSetupError, redisOptions } from '../../src/queue/bullmq/redis-options.js';
import { freePort } from '../support/free-port.js';

const dir = mkdtempSync(join(tmpdir(), 'albs-redis-options-'));
const servers: ChildProcess[] = [];

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

function secretFile(name: string, text: string, mode: number): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  chmodSync(file, mode);
  return file;
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RedisSetupError);
  return (error as Error).message;
}

describe('redisOptions from a URL', () => {
  it('host, port and db 0 from redis://HOST:6379/0, with maxRetriesPerRequest null', async () => {
    expect(await redisOptions('redis://redis.internal:6379/0')).toEqual({
      host: 'redis.internal',
      port: 6379,
      db: 0,
      maxRetriesPerRequest: null,
    });
  });

  it('default port and db, an IPv6 host', async () => {
    expect(await redisOptions('redis://redis.internal')).toEqual({
      host: 'redis.internal',
      port: 6379,
      maxRetriesPerRequest: null,
    });
    expect(await redisOptions('redis://[::1]:7000/3')).toMatchObject({ host: '::1', port: 7000, db: 3 });
  });

  it('user and password, percent-decoded; a password alone', async () => {
    expect(await redisOptions('redis://albs:p%40ss%3Aw0rd@redis.internal:6380/4')).toEqual({
      host: 'redis.internal',
      port: 6380,
      db: 4,
      username: 'albs',
      password: 'p@ss:w0rd',
      maxRetriesPerRequest: null,
    });
    const options = await redisOptions('redis://:secret@redis.internal/1');
    expect(options.password).toBe('secret');
    expect(options.username).toBeUndefined();
  });

  it('rediss:// turns TLS on', async () => {
    expect(await redisOptions('rediss://redis.example.com:6380/2')).toEqual({
      host: 'redis.example.com',
      port: 6380,
      db: 2,
      tls: {},
      maxRetriesPerRequest: null,
    });
    expect((await redisOptions('redis://redis.example.com')).tls).toBeUndefined();
  });

  it('refuses what is not a redis URL, never repeating a password', async () => {
    expect(await refusal(redisOptions('http://redis.internal:6379'))).toMatch(
      /not a redis:\/\/ or rediss:\/\/ URL; give redis:\/\/\[USER:PASSWORD@\]HOST/,
    );
    expect(await refusal(redisOptions('redis.internal:6379'))).toContain('not a redis:// or rediss:// URL');
    expect(await refusal(redisOptions('not a url'))).toContain('is not a URL');
    const db = await refusal(redisOptions('redis://u:hunter2@redis.internal/zero'));
    expect(db).toContain('database zero is not a number');
    expect(db).not.toContain('hunter2');
    const query = await refusal(redisOptions('redis://:hunter2@redis.internal/0?family=6'));
    expect(query).toContain('has a query');
    expect(query).not.toContain('hunter2');
    expect(await refusal(redisOptions('redis://:hunter2@ bad host/0'))).not.toContain('hunter2');
  });

  it('the test Redis URL, with a db path, connects to that database', async () => {
    const url = new URL(inject('redisUrl'));
    url.pathname = '/5';
    const client = new Redis(await redisOptions(url.href));
    try {
      expect(await client.ping()).toBe('PONG');
      expect(String(await client.client('INFO'))).toMatch(/\bdb=5\b/);
    } finally {
      client.disconnect();
    }
  });
});

describe('redisOptions for Sentinel', () => {
  it('sentinels, master name, db and the password from a mode 600 file', async () => {
    const passwordFile = secretFile('ok', 's3cret\n', 0o600);
    expect(
      await redisOptions({
        sentinels: [
          { host: 'sentinel-1', port: 26379 },
          { host: 'sentinel-2', port: 26380 },
        ],
        name: 'mymaster',
        passwordFile,
        db: 0,
      }),
    ).toEqual({
      sentinels: [
        { host: 'sentinel-1', port: 26379 },
        { host: 'sentinel-2', port: 26380 },
      ],
      name: 'mymaster',
      db: 0,
      password: 's3cret',
      maxRetriesPerRequest: null,
    });
  });

  it('refuses a password file open to group or others, naming it and chmod 600', async () => {
    const passwordFile = secretFile('open', 's3cret\n', 0o644);
    const message = await refusal(
      redisOptions({ sentinels: [{ host: 'sentinel-1', port: 26379 }], name: 'mymaster', passwordFile }),
    );
    expect(message).toBe(
      `redis.password-file: ${passwordFile} is open to its group or others (mode 0644), and it holds the Redis password; run chmod 600 ${passwordFile}`,
    );
    expect(message).not.toContain('s3cret');
    const group = secretFile('group', 's3cret\n', 0o640);
    expect(
      await refusal(
        redisOptions({
          sentinels: [{ host: 'sentinel-1', port: 26379 }],
          name: 'mymaster',
          passwordFile: group,
        }),
      ),
    ).toContain(`run chmod 600 ${group}`);
  });

  it('names a missing or empty password file', async () => {
    const missing = join(dir, 'missing');
    expect(
      await refusal(
        redisOptions({ sentinels: [{ host: 's', port: 26379 }], name: 'm', passwordFile: missing }),
      ),
    ).toContain(`cannot read ${missing} (ENOENT)`);
    const empty = secretFile('empty', '\n', 0o600);
    expect(
      await refusal(
        redisOptions({ sentinels: [{ host: 's', port: 26379 }], name: 'm', passwordFile: empty }),
      ),
    ).toContain(`${empty} is empty`);
  });

  it('uses the readSecret it is given', async () => {
    const read: string[] = [];
    const options = await redisOptions(
      { sentinels: [{ host: 's', port: 26379 }], name: 'm', passwordFile: '/run/secrets/redis' },
      async (file) => {
        read.push(file);
        return 'from-vault';
      },
    );
    expect(read).toEqual(['/run/secrets/redis']);
    expect(options.password).toBe('from-vault');
  });

  it('refuses no sentinels, a bad port, no master name, a bad db', async () => {
    expect(await refusal(redisOptions({ sentinels: [], name: 'm' }))).toContain('list at least one sentinel');
    expect(await refusal(redisOptions({ sentinels: [{ host: 's', port: 0 }], name: 'm' }))).toContain(
      'redis.sentinels[0]: port 0 is not a TCP port',
    );
    expect(await refusal(redisOptions({ sentinels: [{ host: 's', port: 26379 }], name: '' }))).toContain(
      'redis.name',
    );
    expect(
      await refusal(redisOptions({ sentinels: [{ host: 's', port: 26379 }], name: 'm', db: -1 })),
    ).toContain('redis.db: database -1 is not a number');
  });

  it('connects through a real Sentinel to a master that wants the password', async () => {
    const password = 'sentinel-test-password';
    const masterPort = await freePort();
    servers.push(
      spawn(
        'redis-server',
        [
          '--port',
          String(masterPort),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          dir,
          '--requirepass',
          password,
        ],
        { stdio: 'ignore' },
      ),
    );
    const sentinelPort = await freePort();
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(
      conf,
      [
        `port ${sentinelPort}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor mymaster 127.0.0.1 ${masterPort} 1`,
        `sentinel auth-pass mymaster ${password}`,
        '',
      ].join('\n'),
    );
    servers.push(spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' }));
    await waitFor(masterPort);
    await waitFor(sentinelPort);

    const options = await redisOptions({
      sentinels: [{ host: '127.0.0.1', port: sentinelPort }],
      name: 'mymaster',
      passwordFile: secretFile('sentinel-master', `${password}\n`, 0o600),
      db: 2,
    });
    const client = new Redis(options);
    try {
      expect(await client.ping()).toBe('PONG');
      expect(String(await client.client('INFO'))).toMatch(/\bdb=2\b/);
      expect(describeRedis(options)).toBe(
        `sentinels 127.0.0.1:${sentinelPort} master mymaster db 2 (with a password)`,
      );
    } finally {
      client.disconnect();
    }
  });
});

describe('describeRedis', () => {
  it('says where, and that there is a password, never what it is', async () => {
    expect(describeRedis(await redisOptions('redis://albs:hunter2@redis.internal:6380/4'))).toBe(
      'redis://albs@redis.internal:6380/4 (with a password)',
    );
    expect(describeRedis(await redisOptions('rediss://:hunter2@redis.example.com'))).toBe(
      'rediss://redis.example.com:6379/0 (with a password)',
    );
    expect(describeRedis(await redisOptions('redis://[::1]:7000'))).toBe('redis://[::1]:7000/0');
    const sentinel = await redisOptions(
      {
        sentinels: [
          { host: 'sentinel-1', port: 26379 },
          { host: 'sentinel-2', port: 26380 },
        ],
        name: 'mymaster',
        passwordFile: '/run/secrets/redis',
      },
      async () => 'hunter2',
    );
    expect(describeRedis(sentinel)).toBe(
      'sentinels sentinel-1:26379,sentinel-2:26380 master mymaster db 0 (with a password)',
    );
    expect(describeRedis({})).toBe('redis://localhost:6379/0');
  });
});

/** Waits until a Redis (or Sentinel) on the port replies to PING, with PONG or NOAUTH. */
async function waitFor(port: number): Promise<void> {
  const answers = () =>
    new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(1000, () => done(false));
      socket.once('error', () => done(false));
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', () => done(true));
    });
  for (let i = 0; !(await answers()); i++) {
    if (i >= 50) throw new Error(`nothing answers on 127.0.0.1:${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
