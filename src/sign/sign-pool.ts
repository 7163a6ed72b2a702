/**
 * Signs many RPMs on several cores: worker threads (sign-worker.ts) and, beside them, the calling
 * thread. Each worker unlocks its own copy of the key from the armored text handed over in memory.
 * Packages go to whichever signer is free, so one large package does not hold up the rest.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { restoreSignError, type SerializedSignError, SignError } from './errors.js';
import type { KeyMaterial } from './load-key.js';
import type { SignRpmResult } from './sign-rpm.js';
import type { SignRpmOutcome } from './signer.js';

export interface WorkerRequest {
  readonly id: number;
  readonly path: string;
}

export type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly error: SerializedSignError }
  | { readonly type: 'signed'; readonly id: number; readonly result: SignRpmResult }
  | { readonly type: 'refused'; readonly id: number; readonly error: SerializedSignError };

type SignOne = (path: string) => Promise<SignRpmResult>;

/**
 * Packages each thread works on at once. The calling thread's signatures and file operations all run
 * on libuv's thread pool (four threads), one package's steps one after another: enough packages in
 * flight keep the pool from ever waiting for this thread. Measured on 2 cores, `albs sign rpm` of 100
 * RSA-4096 packages: 0.86 s with 4 in flight, 0.71 s with 8, 0.67 s with 16 (200: 1.14, 0.98, 0.99 s).
 */
export const IN_FLIGHT_PER_THREAD = 16;

/** The compiled worker beside this file; tests running the TypeScript sources point at the built one. */
export const DEFAULT_WORKER_URL = new URL('./sign-worker.js', import.meta.url);

class PoolWorker {
  readonly ready: Promise<void>;
  private readonly worker: Worker;
  private readonly pending = new Map<
    number,
    { resolve: (r: SignRpmResult) => void; reject: (e: Error) => void }
  >();
  private nextId = 0;
  private runs = 0;
  private dead: Error | undefined;

  constructor(material: KeyMaterial, workerUrl: URL) {
    // Only the fields the worker needs cross over: the key and passphrase, never to disk.
    const data: KeyMaterial = {
      armoredKey: material.armoredKey,
      passphrase: material.passphrase,
      origin: material.origin,
      passphraseOrigin: material.passphraseOrigin,
    };
    this.worker = new Worker(workerUrl, { workerData: data });
    let markReady: () => void;
    let markFailed: (e: Error) => void;
    this.ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      markFailed = reject;
    });
    // A worker that fails to start is reported through its tasks; keep this from being "unhandled".
    this.ready.catch(() => undefined);
    this.worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'ready') markReady();
      else if (reply.type === 'failed') this.die(restoreSignError(reply.error), markFailed);
      else {
        const waiter = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        if (reply.type === 'signed') waiter?.resolve(reply.result);
        else waiter?.reject(restoreSignError(reply.error));
      }
    });
    this.worker.on('error', (error) =>
      this.die(
        new SignError(`a signing worker thread failed: ${error.message}`, { cause: error }),
        markFailed,
      ),
    );
    this.worker.on('exit', (code) =>
      this.die(new SignError(`a signing worker thread exited with code ${code}`), markFailed),
    );
  }

  sign(path: string): Promise<SignRpmResult> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, path } satisfies WorkerRequest);
    });
  }

  get alive(): boolean {
    return this.dead === undefined;
  }

  /** An idle pool must not keep the process alive; a busy one must (runs may overlap). */
  setBusy(busy: boolean): void {
    this.runs += busy ? 1 : -1;
    if (this.runs > 0) this.worker.ref();
    else this.worker.unref();
  }

  async terminate(): Promise<void> {
    this.dead ??= new SignError('the signing worker pool was closed');
    await this.worker.terminate();
  }

  private die(error: Error, markFailed: (e: Error) => void): void {
    if (this.dead) return;
    this.dead = error;
    markFailed(error);
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}

/**
 * A new worker needs about 100 ms to load openpgp.js and unlock its key, more on a busy machine. One is
 * started only when it would save more time than that, so a handful of packages, or a batch of fast
 * Ed25519 signatures, is not slowed down by starting threads.
 */
const WORKER_START_MS = 150;
/** Packages signed before the rate is judged; the rate is taken from the first one on, after warm-up. */
const SAMPLE = 8;
/**
 * This thread's signatures run on libuv's thread pool (see native-signature.ts), which alone keeps up
 * to this many cores busy: with no more cores than that and this thread, a worker helps only when
 * this thread is the bottleneck, busy more than BUSY of the time (fast Ed25519 signatures, whose
 * cost is reading and writing the packages) rather than waiting for the pool's RSA signatures.
 */
const THREAD_POOL_SIZE = Number(process.env.UV_THREADPOOL_SIZE) || 4;
const BUSY = 0.8;

export class SignPool {
  private workers: PoolWorker[] = [];

  constructor(
    private readonly material: KeyMaterial,
    /** Worker threads at most, beside the calling thread. */
    private readonly maxWorkers: number,
    private readonly workerUrl: URL = DEFAULT_WORKER_URL,
  ) {}

  /**
   * Signs `paths` with `signLocal` on this thread and up to `workers` worker threads at once. One
   * outcome per path, in the order of `paths`.
   */
  async run(
    paths: readonly string[],
    workers: number,
    signLocal: SignOne,
    onOutcome?: (outcome: SignRpmOutcome) => void,
  ): Promise<SignRpmOutcome[]> {
    const limit = Math.min(workers, this.maxWorkers);
    this.workers = this.workers.filter((w) => w.alive);
    const outcomes: (SignRpmOutcome | undefined)[] = new Array(paths.length);
    let next = 0;
    let done = 0;
    let firstDone = 0;
    let loopAtFirstDone = performance.eventLoopUtilization();
    const take = (): number | undefined => (next < paths.length ? next++ : undefined);
    let workerFailure: Error | undefined;
    const active: PoolWorker[] = [];
    const workerRuns: Promise<void>[] = [];

    const drain = async (sign: SignOne, worker?: PoolWorker): Promise<void> => {
      for (let i = take(); i !== undefined; i = take()) {
        const path = paths[i]!;
        let outcome: SignRpmOutcome;
        try {
          outcome = { path, ok: true, result: await sign(path) };
        } catch (error) {
          outcome = { path, ok: false, error: error instanceof Error ? error : new Error(String(error)) };
        }
        outcomes[i] = outcome;
        if (++done === 1) {
          firstDone = performance.now();
          loopAtFirstDone = performance.eventLoopUtilization();
        }
        onOutcome?.(outcome);
        // A dead worker takes no more packages; the others carry on.
        if (worker && !worker.alive) return;
        if (!worker) considerWorkers();
      }
    };
    const use = (worker: PoolWorker): void => {
      worker.setBusy(true);
      active.push(worker);
      workerRuns.push(
        worker.ready.then(
          () => Promise.all(repeat(() => drain((path) => worker.sign(path), worker))).then(() => undefined),
          (error: Error) => {
            workerFailure = error;
          },
        ),
      );
    };
    const considerWorkers = (): void => {
      if (active.length >= limit || done < SAMPLE) return;
      // At the rate the batch has gone so far, one more thread would save a 1/(threads + 1) share of what
      // is left: worth it only when that share is more than the worker takes to start.
      const elapsed = performance.now() - firstDone;
      const left = ((paths.length - next) * elapsed) / (done - 1);
      if (left / (active.length + 2) <= WORKER_START_MS) return;
      const busy = performance.eventLoopUtilization(loopAtFirstDone).utilization;
      if (availableParallelism() <= THREAD_POOL_SIZE + 1 && busy < BUSY) return;
      this.workers.push(new PoolWorker(this.material, this.workerUrl));
      use(this.workers[this.workers.length - 1]!);
    };

    // Workers kept from an earlier batch cost nothing to start.
    for (const worker of this.workers.slice(0, limit)) use(worker);
    try {
      await Promise.all(repeat(() => drain(signLocal)));
      await Promise.all(workerRuns);
    } finally {
      for (const w of active) w.setBusy(false);
    }
    return paths.map(
      (path, i) =>
        outcomes[i] ?? {
          path,
          ok: false,
          error:
            workerFailure ?? new SignError(`${path}: not signed: no signer was left to take it`, { path }),
        },
    );
  }

  /** Worker threads running now (they stay for later batches until `close`). */
  get workerCount(): number {
    return this.workers.filter((w) => w.alive).length;
  }

  async close(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

function repeat<T>(start: () => T): T[] {
  return Array.from({ length: IN_FLIGHT_PER_THREAD }, start);
}
