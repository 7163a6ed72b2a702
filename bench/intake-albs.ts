/**
 * The child process bench/intake.ts loads: `albs serve` started with startServer, configured by the
 * first message (a ServerConfig and the two Gitea secrets). Its own process, so that its log (pino,
 * written straight to fd 1) goes to a file and not into the bench's output, and so that the
 * sender's work is not on its event loop. Protocol: bench/intake-child.ts, plus "enqueued": when
 * each pipeline's jobs entered the job queue (wall-clock ms, sub-ms), pipeline id → times.
 */
import { startServer } from '../src/cli/serve-server.js';
import { MemoryJobQueue } from '../src/queue/memory/memory-job-queue.js';
import type { ServerConfig } from '../src/server/server-config.js';
import { serveChild } from './intake-child.js';

// The server makes its queue inside startServer: the bench only looks, noting each job as it
// enters the queue and passing it on unchanged.
const enqueued: Record<string, number[]> = {};
const enqueue = MemoryJobQueue.prototype.enqueue;
MemoryJobQueue.prototype.enqueue = function (this: MemoryJobQueue, item) {
  const at = performance.timeOrigin + performance.now();
  const times = enqueued[item.pipelineId] ?? [];
  times.push(at);
  enqueued[item.pipelineId] = times;
  return enqueue.call(this, item);
};

serveChild(
  (start: { config: ServerConfig; giteaToken: string; giteaWebhookSecret: string }) =>
    startServer({
      config: start.config,
      secrets: {
        giteaToken: start.giteaToken,
        giteaWebhookSecret: start.giteaWebhookSecret,
        submitTokens: new Map(),
        readTokens: new Map(),
        runnerTokens: new Map(),
      },
    }),
  { enqueued: () => enqueued },
);
