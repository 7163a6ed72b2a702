/**
 * The protocol of bench/intake.ts's server children, over the IPC channel of fork(): the first
 * message starts the server (the child answers { port }); then "measure" starts the event-loop
 * delay histogram afresh, "stats" is answered with its figures in ms, a name of `reports` with
 * what that function returns, "close" closes the server (waiting at most CLOSE_GRACE_MS: albs
 * serve's close waits for intake's backlog) and exits.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

const CLOSE_GRACE_MS = 5000;

export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
}

export function serveChild<T>(
  start: (message: T) => Promise<{ port: number; close(): Promise<void> }>,
  reports: Record<string, () => unknown> = {},
): void {
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  process.once('message', (message: T) => {
    void start(message)
      .then((server) => {
        process.send!({ port: server.port });
        process.on('message', (command: string) => {
          const reported = reports[command];
          if (reported) process.send!(reported() as object);
          else if (command === 'measure') loop.reset();
          else if (command === 'stats') {
            const ms = (ns: number) => ns / 1e6;
            process.send!({
              p50: ms(loop.percentile(50)),
              p99: ms(loop.percentile(99)),
              max: ms(loop.max),
            } satisfies LoopDelay);
          } else if (command === 'close') {
            void Promise.race([server.close(), new Promise((r) => setTimeout(r, CLOSE_GRACE_MS))]).then(() =>
              process.exit(0),
            );
          }
        });
      })
      .catch((error: unknown) => {
        process.stderr.write(
          `the server did not start: ${error instanceof Error ? error.stack : String(error)}\n`,
        );
        process.exit(1);
      });
  });
}
