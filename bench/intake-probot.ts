/**
 * The child process bench/intake.ts loads for comparison: the bare Probot app a GitHub App starts
 * from, `createNodeMiddleware` with a push handler that does nothing, on node:http, with Probot's
 * defaults otherwise. Its own process, as albs serve's is. Protocol: bench/intake-child.ts.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import { createNodeMiddleware, Probot } from 'probot';
import { serveChild } from './intake-child.js';

serveChild(async (start: { secret: string }) => {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const probot = new Probot({ appId: 1, privateKey, secret: start.secret });
  const middleware = await createNodeMiddleware(
    (app) => {
      app.on('push', async () => {});
    },
    { probot },
  );
  const server = createServer((req, res) => {
    void middleware(req, res, () => {
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
});
