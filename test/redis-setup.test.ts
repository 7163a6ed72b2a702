import { createConnection } from 'node:net';
import { describe, expect, inject, it } from 'vitest';

/** What tests that need Redis get: a URL where a Redis answers, whether or not one ran before. */
describe('the test Redis', () => {
  it('answers PING at the URL the test setup provides', async () => {
    const url = new URL(inject('redisUrl'));
    expect(url.protocol).toBe('redis:');
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = createConnection({ host: url.hostname, port: Number(url.port || 6379) });
      socket.once('error', reject);
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString());
      });
    });
    expect(reply).toBe('+PONG\r\n');
  });
});
