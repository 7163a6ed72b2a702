import { type ChildProcess, spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import type { TestProject } from 'vitest/node';
import { freePort } from '../support/free-port.js';

/**
 * Tests that need Redis read REDIS_URL. When it is unset, 127.0.0.1:6379 is used if a Redis answers
 * there; otherwise a private `redis-server` is started on a free port for the run and stopped after.
 */
let server: ChildProcess | undefined;

function ping(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
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

export async function setup(project: TestProject): Promise<void> {
  let url = process.env.REDIS_URL;
  if (!url) {
    if (await ping('127.0.0.1', 6379)) {
      url = 'redis://127.0.0.1:6379';
    } else {
      const port = await freePort();
      server = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        {
          stdio: 'ignore',
        },
      );
      for (let i = 0; i < 50 && !(await ping('127.0.0.1', port)); i++)
        await new Promise((r) => setTimeout(r, 100));
      if (!(await ping('127.0.0.1', port)))
        throw new Error(
          `redis-server did not answer on 127.0.0.1:${port}; is redis-server installed (scripts/setup)?`,
        );
      url = `redis://127.0.0.1:${port}`;
    }
  }
  process.env.REDIS_URL = url;
  project.provide('redisUrl', url);
}

export async function teardown(): Promise<void> {
  server?.kill('SIGTERM');
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}
