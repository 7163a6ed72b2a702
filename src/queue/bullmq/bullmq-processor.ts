import type { Job as BullmqJob, Worker } from 'bullmq';
import type { JobHandler, JobResult, Processor, QueuedJob } from '../job-queue.js';

/** Answers a request job (not a pipeline job); what it resolves to goes back to the caller. */
export type RequestHandler = (data: unknown, signal: AbortSignal) => Promise<unknown>;

/** A job this process runs: what cancel() and lock renewal need to reach it. */
export interface RunningJob {
  id: string;
  abort(reason: string): void;
}

/** What a processor needs from its BullmqJobQueue. */
export interface ProcessorHost {
  /** A Worker of queue `name` that fetches only when asked (autorun off), on its own connection. */
  createWorker(name: string): Worker;
  /** The cancel reasons recorded for these BullMQ job ids (null: not cancelled). */
  cancelReasons(ids: string[]): Promise<(string | null)[]>;
  track(job: RunningJob): void;
  untrack(id: string): void;
  report(error: unknown): void;
  lockDurationMs: number;
  pollIntervalMs: number;
}

interface Running extends RunningJob {
  worker: Worker;
  job: BullmqJob;
  token: string;
  controller: AbortController;
  /** Set by close(): the job goes back to its queue instead of finishing. */
  requeue: boolean;
  /** Set when the lock could not be renewed: another runner may have the job now. */
  lost: boolean;
  finishing: boolean;
}

/**
 * One process() call: a Worker per queue it consumes, all fetching by hand (getNextJob without
 * blocking) so that one counter caps the jobs running across every queue. It fetches when told a
 * job may be waiting (wake) and every pollIntervalMs besides.
 */
export class BullmqProcessor implements Processor {
  private readonly workers = new Map<string, Worker>();
  private readonly running = new Map<string, Running>();
  private readonly idle = new Set<() => void>();
  private stopped = false;
  /** The last pump; `busy` while it runs. */
  private pumping: Promise<void> = Promise.resolve();
  private busy = false;
  /** Something may have been added since the pump last looked. */
  private again = false;
  private cursor = 0;
  private tokens = 0;
  private readonly pollTimer: NodeJS.Timeout;
  private readonly lockTimer: NodeJS.Timeout;
  private stopping: Promise<void> | null = null;
  private closing = false;

  constructor(
    private readonly host: ProcessorHost,
    /** Whether this processor consumes the queue of that name. */
    private readonly accepts: (name: string) => boolean,
    private readonly concurrency: number,
    private readonly handler: JobHandler,
    private readonly onStopped: () => void,
    /** Handlers of jobs that are not pipeline jobs, by BullMQ job name (the signer's `sign-metadata`). */
    private readonly requests: Record<string, RequestHandler> = {},
  ) {
    this.pollTimer = setInterval(() => this.tick(), host.pollIntervalMs);
    this.lockTimer = setInterval(() => void this.renewLocks(), host.lockDurationMs / 2);
  }

  /** A queue exists: consume it if this processor takes its jobs. */
  offer(name: string): void {
    if (this.stopped || this.workers.has(name) || !this.accepts(name)) return;
    const worker = this.host.createWorker(name);
    this.workers.set(name, worker);
    // Stalled jobs (their runner died) go back to wait only while someone checks; every processor does.
    worker.startStalledCheckTimer().catch((error: unknown) => this.host.report(error));
    this.wake(name);
  }

  /** A job may be waiting in queue `name` (or in any queue, without a name). */
  wake(name?: string): void {
    if (this.stopped || (name !== undefined && !this.workers.has(name))) return;
    this.again = true;
    if (this.busy) return;
    this.busy = true;
    this.pumping = this.pump();
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  /**
   * For close(): running jobs are aborted and go back to their queue, for another runner. Waits
   * at most `timeoutMs` for their handlers; a handler that ignores the abort keeps its job active
   * without lock renewal, so the job stalls and goes back to its queue when the lock expires.
   */
  async close(timeoutMs: number): Promise<void> {
    this.closing = true;
    for (const job of this.running.values()) this.requeue(job);
    let timer: NodeJS.Timeout | undefined;
    const inTime = await Promise.race([
      this.stop().then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (inTime) return;
    clearInterval(this.lockTimer);
    await Promise.all([...this.workers.values()].map((worker) => worker.close(true)));
  }

  private requeue(job: Running): void {
    job.requeue = true;
    job.controller.abort(new Error('the queue was closed'));
  }

  private async shutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pollTimer);
    // A job fetched while stop() was called has been taken: it runs (close() sends it back).
    await this.pumping;
    if (this.running.size > 0) await new Promise<void>((resolve) => this.idle.add(resolve));
    clearInterval(this.lockTimer);
    await Promise.all([...this.workers.values()].map((worker) => worker.close()));
    this.onStopped();
  }

  private tick(): void {
    this.wake();
    if (this.running.size === 0) return;
    const jobs = [...this.running.values()];
    this.host
      .cancelReasons(jobs.map((job) => job.id))
      .then((reasons) => {
        reasons.forEach((reason, i) => {
          if (reason !== null) jobs[i]!.abort(reason);
        });
      })
      .catch((error: unknown) => this.host.report(error));
  }

  private async pump(): Promise<void> {
    try {
      while (this.again && !this.stopped) {
        this.again = false;
        while (!this.stopped && this.running.size < this.concurrency) {
          const taken = await this.takeOne();
          if (!taken) break;
          this.start(taken.worker, taken.job, taken.token);
        }
      }
    } catch (error) {
      this.host.report(error);
    } finally {
      // Cleared before the promise settles: a wake from here on starts another pump.
      this.busy = false;
    }
  }

  /** The next job of any of this processor's queues, taking turns between them. */
  private async takeOne(): Promise<{ worker: Worker; job: BullmqJob; token: string } | null> {
    const workers = [...this.workers.values()];
    for (let i = 0; i < workers.length; i++) {
      const at = (this.cursor + i) % workers.length;
      const worker = workers[at]!;
      const token = `${worker.id}:${this.tokens++}`;
      const job = await worker.getNextJob(token, { block: false });
      if (job) {
        this.cursor = at + 1;
        return { worker, job, token };
      }
    }
    return null;
  }

  private start(worker: Worker, job: BullmqJob, token: string): void {
    const id = job.id!;
    const controller = new AbortController();
    const running: Running = {
      id,
      worker,
      job,
      token,
      controller,
      requeue: false,
      lost: false,
      finishing: false,
      abort: (reason) => controller.abort(new Error(reason)),
    };
    this.running.set(id, running);
    this.host.track(running);
    if (this.closing) this.requeue(running);
    this.runJob(running)
      .catch((error: unknown) => this.host.report(error))
      .finally(() => {
        this.running.delete(id);
        this.host.untrack(id);
        if (this.running.size === 0) {
          for (const resolve of this.idle) resolve();
          this.idle.clear();
        }
        this.wake();
      });
  }

  private async runJob(running: Running): Promise<void> {
    const { job, token, controller } = running;
    const request = Object.hasOwn(this.requests, job.name) ? this.requests[job.name] : undefined;
    if (request) {
      // A request's answer, or its error in words: the caller waits for either.
      const reply = await request(job.data, controller.signal).then(
        (value) => ({ ok: true, value }),
        (error: unknown) => ({ ok: false, error: errorMessage(error) }),
      );
      running.finishing = true;
      if (running.requeue) await job.moveToWait(token);
      else if (!running.lost) await job.moveToCompleted(reply, token, false);
      return;
    }
    const item = job.data as QueuedJob;
    // A cancel that came between the fetch and now found no running job to abort: it left its reason.
    const [reason] = await this.host.cancelReasons([running.id]).catch((error: unknown) => {
      this.host.report(error);
      return [null];
    });
    if (reason) running.abort(reason);
    const started = performance.now();
    const result: JobResult = controller.signal.aborted
      ? {
          pipelineId: item.pipelineId,
          jobId: item.job.id,
          outcome: { state: 'cancelled', reason: errorMessage(controller.signal.reason) },
          artifacts: [],
          durationMs: 0,
        }
      : await Promise.resolve()
          .then(() =>
            this.handler(item, controller.signal, {
              token,
              attempt: job.attemptsStarted,
              queue: this.nameOf(running.worker),
            }),
          )
          .catch(
            (error: unknown): JobResult => ({
              pipelineId: item.pipelineId,
              jobId: item.job.id,
              outcome: { state: 'failure', reason: `the runner failed: ${errorMessage(error)}` },
              artifacts: [],
              durationMs: performance.now() - started,
            }),
          );
    running.finishing = true;
    if (running.requeue) await job.moveToWait(token);
    else if (!running.lost) await job.moveToCompleted(result, token, false);
  }

  /** The queue name a worker of this processor consumes. */
  private nameOf(worker: Worker): string {
    for (const [name, w] of this.workers) if (w === worker) return name;
    return '';
  }

  private async renewLocks(): Promise<void> {
    const byWorker = new Map<Worker, Running[]>();
    for (const job of this.running.values()) {
      if (job.finishing || job.lost) continue;
      byWorker.set(job.worker, [...(byWorker.get(job.worker) ?? []), job]);
    }
    for (const [worker, jobs] of byWorker) {
      try {
        const failed = await worker.extendJobLocks(
          jobs.map((job) => job.id),
          jobs.map((job) => job.token),
          this.host.lockDurationMs,
        );
        for (const job of jobs) {
          if (!failed.includes(job.id) || job.finishing) continue;
          job.lost = true;
          job.controller.abort(
            new Error('the runner lost the job: its lock expired, so another runner may run it'),
          );
        }
      } catch (error) {
        this.host.report(error);
      }
    }
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
