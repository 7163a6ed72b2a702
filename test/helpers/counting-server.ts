import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

/** What a sandboxed step must not reach: a port on this host, and how many connections it accepted. */
export interface CountingServer {
  readonly port: number;
  readonly connections: number;
}

/**
 * A TCP server on `host` (port chosen by the kernel) that counts each connection and drops it. It
 * listens from the enclosing describe's (or file's) beforeAll to its afterAll, so read `port` and
 * `connections` inside tests, not while tests are being declared.
 */
export function countingServer(host: string): CountingServer {
  let server: Server | undefined;
  let port = 0;
  let connections = 0;
  beforeAll(async () => {
    const listening = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    server = listening;
    await new Promise<void>((resolve) => listening.listen(0, host, resolve));
    port = (listening.address() as { port: number }).port;
  });
  afterAll(() => {
    server?.close();
  });
  return {
    get port() {
      return port;
    },
    get connections() {
      return connections;
    },
  };
}
