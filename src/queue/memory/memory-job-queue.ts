import {
  canTake,
  type JobHandler,
  type JobQueue,
  type JobResult,
  type Processor,
  type QueuedJob,
} from '../job-queue.js';

interface Runner {
  labels: readonly string[];
  concurrency: number;
  running: number;
  handler: JobHandler;
  stopped: boolean;
  idle: Set<() => void>;
}

/** The JobQueue of one process: `albs run` uses it; its tests are the conformance suite's baseline. */
export class MemoryJobQueue implements JobQueue {
  private readonly pending: QueuedJob[] = [];
  private readonly seen = new Set<string>();
  private readonly running = new Map<string, AbortController>();
  private readonly runners: Runner[] = [];
  private readonly listeners = new Set<(result: JobResult) => void>();
  private readonly startListeners = new Set<(pipelineId: string, jobId: string) => void>();
  private closed = false;

  async enqueue(item: QueuedJob): Promise<void> {
    const key = `${item.pipelineId}\0${item.job.id}\0${item.attempt ?? 1}`;
    if (this.closed || this.seen.has(key)) return;
    this.seen.add(key);
    this.pending.push(item);
    this.dispatch();
  }

  process(labels: readonly string[], concurrency: number, handler: JobHandler): Processor {
    const runner: Runner = { labels, concurrency, running: 0, handler, stopped: false, idle: new Set() };
    this.runners.push(runner);
    this.dispatch();
    return {
      stop: async () => {
        runner.stopped = true;
        if (runner.running > 0) await new Promise<void>((resolve) => runner.idle.add(resolve));
      },
    };
  }

  onStart(listener: (pipelineId: string, jobId: string) => void): () => void {
    this.startListeners.add(listener);
    return () => this.startListeners.delete(listener);
  }

  onResult(listener: (result: JobResult) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async cancel(pipelineId: string, jobId: string, reason: string): Promise<void> {
    const index = this.pending.findIndex((p) => p.pipelineId === pipelineId && p.job.id === jobId);
    if (index >= 0) {
      this.pending.splice(index, 1);
      const result: JobResult = {
        pipelineId,
        jobId,
        outcome: { state: 'cancelled', reason },
        artifacts: [],
        durationMs: 0,
      };
      for (const listener of this.listeners) listener(result);
      return;
    }
    this.running.get(`${pipelineId}\0${jobId}`)?.abort(new Error(reason));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.pending.length = 0;
    for (const controller of this.running.values()) controller.abort(new Error('the queue was closed'));
  }

  /** Hand pending jobs, in queue order, to runners with room whose labels fit. */
  private dispatch(): void {
    for (let i = 0; i < this.pending.length; ) {
      const item = this.pending[i]!;
      const runner = this.runners.find(
        (r) => !r.stopped && r.running < r.concurrency && canTake(r.labels, item.job),
      );
      if (!runner) {
        i++;
        continue;
      }
      this.pending.splice(i, 1);
      this.start(runner, item);
    }
  }

  private start(runner: Runner, item: QueuedJob): void {
    const key = `${item.pipelineId}\0${item.job.id}`;
    const controller = new AbortController();
    this.running.set(key, controller);
    runner.running++;
    for (const listener of this.startListeners) listener(item.pipelineId, item.job.id);
    const started = performance.now();
    runner
      .handler(item, controller.signal)
      .catch(
        (error: unknown): JobResult => ({
          pipelineId: item.pipelineId,
          jobId: item.job.id,
          outcome: {
            state: 'failure',
            reason: `the runner failed: ${error instanceof Error ? error.message : String(error)}`,
          },
          artifacts: [],
          durationMs: performance.now() - started,
        }),
      )
      .then((result) => {
        this.running.delete(key);
        runner.running--;
        if (runner.running === 0) {
          for (const resolve of runner.idle) resolve();
          runner.idle.clear();
        }
        for (const listener of this.listeners) listener(result);
        this.dispatch();
      });
  }
}
