import type { Redis } from 'ioredis';
import {
  cancel,
  finishJob,
  isFinished,
  markQueued,
  markRunning,
  type Outcome,
  type PipelineState,
  readyJobs,
} from '../pipeline/pipeline-state.js';
import type { Job, Plan } from '../plan/types.js';

/**
 * The state of every pipeline kept in Redis, so that whichever `albs serve` replica receives a
 * job's result advances the pipeline, and a replica dying mid-pipeline loses nothing: the state
 * is in Redis, another replica carries on from it.
 *
 * Each pipeline is two keys: `<prefix>:plan:<id>`, its Plan (written once, never changed, kept in
 * memory by every replica once read), and `<prefix>:pipeline:<id>`, the rest of its PipelineState
 * (the jobs' states and the cancel) as JSON, a few bytes a job. The latter is
 * changed only by optimistic transactions (WATCH, GET, the pure step, MULTI SET EXEC): of replicas
 * changing one pipeline at the same moment exactly one EXEC succeeds, the others see their EXEC
 * aborted and run their step again on the fresh state. So every change is applied once, and the
 * effects a step returns (jobs that became ready, a cancel to pass on to running jobs) reach only
 * the caller whose transaction won: they are acted on exactly once.
 *
 * One gap remains for the caller: a replica that dies between its EXEC and acting on the effects
 * (say, enqueueing the jobs its step marked queued) leaves jobs `queued` in Redis that no queue
 * holds. Enqueueing with a job id derived from pipeline and job makes a re-enqueue of every
 * `queued` job of a pipeline (by another replica, at start-up) harmless.
 */

export interface RedisPipelineStoreOptions {
  /** Transactions tried before advance gives up on a pipeline that keeps changing under it. */
  maxAttempts?: number;
  /** How long a finished pipeline's key stays, in seconds; 7 days unless told. */
  finishedTtlSeconds?: number;
  /** At most this many connections run transactions at once; more advances wait for one. */
  maxConnections?: number;
}

export interface Step<T> {
  state: PipelineState;
  effects: T;
}

/** What a job's result did: the jobs it made ready (now marked queued: enqueue them) and a cancel it caused. */
export interface FinishEffects {
  /** Jobs that became ready, marked queued in the stored state: the caller enqueues them, once. */
  ready: Job[];
  /** The reason, when this result cancelled the pipeline (fail-fast): the caller stops running jobs. */
  cancelled: string | null;
}

export class PipelineConflictError extends Error {
  constructor(pipelineId: string, attempts: number) {
    super(`pipeline ${pipelineId} kept changing: gave up after ${attempts} transactions`);
    this.name = 'PipelineConflictError';
  }
}

const DAY = 24 * 60 * 60;
/** Plans a replica keeps in memory. */
const MAX_PLANS = 1000;

export class RedisPipelineStore {
  private readonly maxAttempts: number;
  private readonly finishedTtlSeconds: number;
  private readonly maxConnections: number;
  /**
   * Connections for transactions. WATCH belongs to a connection, not to a caller: two advances
   * sharing one connection would share one watch list, and MULTI/EXEC of one would interleave with
   * the GET or the MULTI of the other on that connection, so a change by the other advance could
   * go unseen (or abort the wrong transaction). Each advance therefore holds a connection of its
   * own from WATCH to EXEC (or UNWATCH): duplicates of the client, kept for reuse, at most
   * maxConnections at once.
   */
  private readonly idle: Redis[] = [];
  /** The last advance of each pipeline from this replica: the next one waits for it. */
  private readonly turns = new Map<string, Promise<void>>();
  /** Plans by pipeline id: they never change once stored. */
  private readonly plans = new Map<string, Plan>();
  private open = 0;
  private readonly waiting: { resolve: (conn: Redis) => void; reject: (error: Error) => void }[] = [];
  private closed = false;

  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'albs',
    options: RedisPipelineStoreOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 100;
    this.finishedTtlSeconds = options.finishedTtlSeconds ?? 7 * DAY;
    this.maxConnections = options.maxConnections ?? 16;
  }

  key(pipelineId: string): string {
    return `${this.prefix}:pipeline:${pipelineId}`;
  }

  planKey(pipelineId: string): string {
    return `${this.prefix}:plan:${pipelineId}`;
  }

  /** Store a new pipeline; false when it exists already (another replica created it first). */
  async create(pipelineId: string, state: PipelineState): Promise<boolean> {
    const ttl = isFinished(state) ? ['EX', String(this.finishedTtlSeconds)] : [];
    const { plan, ...rest } = state;
    const replies = await this.redis
      .multi()
      .call('SET', this.planKey(pipelineId), JSON.stringify(plan), 'NX', ...ttl)
      .call('SET', this.key(pipelineId), JSON.stringify(rest), 'NX', ...ttl)
      .exec();
    const created = replies?.[1]?.[1] === 'OK';
    if (created) this.remember(pipelineId, plan);
    return created;
  }

  /**
   * A pipeline starts again from `state` (`/albs retry-failed`): its stored state is replaced, and
   * neither key expires while it runs. Its plan must be the stored one.
   */
  async restart(pipelineId: string, state: PipelineState): Promise<void> {
    const { plan: _plan, ...rest } = state;
    await this.redis
      .multi()
      .set(this.key(pipelineId), JSON.stringify(rest))
      .persist(this.planKey(pipelineId))
      .exec();
  }

  async get(pipelineId: string): Promise<PipelineState | undefined> {
    const text = await this.redis.get(this.key(pipelineId));
    if (text === null) return undefined;
    const plan = await this.plan(pipelineId);
    return plan === undefined ? undefined : { plan, ...(JSON.parse(text) as Omit<PipelineState, 'plan'>) };
  }

  /** A pipeline's plan: from memory, else read once. */
  private async plan(pipelineId: string): Promise<Plan | undefined> {
    const known = this.plans.get(pipelineId);
    if (known) return known;
    const text = await this.redis.get(this.planKey(pipelineId));
    if (text === null) return undefined;
    const plan = JSON.parse(text) as Plan;
    this.remember(pipelineId, plan);
    return plan;
  }

  private remember(pipelineId: string, plan: Plan): void {
    this.plans.set(pipelineId, plan);
    // The oldest go first: a replica keeps the plans of the pipelines it is likely still to advance.
    if (this.plans.size > MAX_PLANS) this.plans.delete(this.plans.keys().next().value!);
  }

  /**
   * Run the pure `step` on the stored state and store what it returns, in one optimistic
   * transaction, tried again on fresh state while another replica's change wins the race.
   * Returns what the winning step returned; undefined when the pipeline is not stored (unknown,
   * or expired) or the step changed nothing (returned undefined).
   */
  async advance<T>(
    pipelineId: string,
    step: (state: PipelineState) => Step<T> | undefined,
  ): Promise<Step<T> | undefined> {
    // Advances of one pipeline from this replica take turns: they would only make each other's
    // transactions fail and retry. Other replicas' are still caught by WATCH.
    const before = this.turns.get(pipelineId) ?? Promise.resolve();
    const mine = before.then(() => this.transact(pipelineId, step));
    const settled = mine.then(
      () => {},
      () => {},
    );
    this.turns.set(pipelineId, settled);
    void settled.then(() => {
      if (this.turns.get(pipelineId) === settled) this.turns.delete(pipelineId);
    });
    return mine;
  }

  private async transact<T>(
    pipelineId: string,
    step: (state: PipelineState) => Step<T> | undefined,
  ): Promise<Step<T> | undefined> {
    const key = this.key(pipelineId);
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      if (attempt > 0) await backoff(attempt);
      const conn = await this.acquire();
      let healthy = false;
      try {
        await conn.watch(key);
        const text = await conn.get(key);
        const plan = text === null ? undefined : await this.plan(pipelineId);
        const next =
          text === null || plan === undefined
            ? undefined
            : step({ plan, ...(JSON.parse(text) as Omit<PipelineState, 'plan'>) });
        if (next === undefined) {
          await conn.unwatch();
          healthy = true;
          return undefined;
        }
        const { plan: _plan, ...rest } = next.state;
        const multi = conn.multi().set(key, JSON.stringify(rest));
        if (isFinished(next.state)) {
          multi
            .expire(key, this.finishedTtlSeconds)
            .expire(this.planKey(pipelineId), this.finishedTtlSeconds);
        }
        const replies = await multi.exec();
        healthy = true;
        if (replies === null) continue; // Another replica changed the pipeline first: again, on its state.
        const failed = replies.find(([error]) => error);
        if (failed) throw failed[0];
        return next;
      } finally {
        // EXEC and UNWATCH leave the connection without a watch; one that failed half-way is dropped.
        this.release(conn, healthy);
      }
    }
    throw new PipelineConflictError(pipelineId, this.maxAttempts);
  }

  /**
   * Queue the jobs that are ready now (at start, or after a restart found none queued): marks
   * them queued and returns them, to this caller only.
   */
  async takeReady(pipelineId: string): Promise<Job[]> {
    const result = await this.advance(pipelineId, (state) => {
      const taken = queueReady(state);
      return taken.ready.length ? { state: taken.state, effects: taken.ready } : undefined;
    });
    return result?.effects ?? [];
  }

  /**
   * Record a job's result. Returns the new state and its effects: the jobs that became ready
   * (marked queued in the same transaction, so no other caller gets them) and the cancel this
   * result caused. Undefined when the result changed nothing (delivered twice, a job already
   * settled by a cancel) or the pipeline is not stored.
   */
  async finishJob(
    pipelineId: string,
    jobId: string,
    outcome: Outcome,
  ): Promise<Step<FinishEffects> | undefined> {
    return this.advance(pipelineId, (state) => {
      const finished = finishJob(state, jobId, outcome);
      if (finished === state) return undefined;
      const { state: next, ready } = queueReady(finished);
      const cancelled = !state.cancelled && next.cancelled ? next.cancelled : null;
      return { state: next, effects: { ready, cancelled } };
    });
  }

  /** A runner took the job; false when that changed nothing (not queued any more, or unknown). */
  async markRunning(pipelineId: string, jobId: string): Promise<boolean> {
    const result = await this.advance(pipelineId, (state) => {
      const next = markRunning(state, jobId);
      return next === state ? undefined : { state: next, effects: true };
    });
    return result !== undefined;
  }

  /**
   * Cancel the pipeline. Returns the state when this call cancelled it; undefined when it was
   * cancelled already or is not stored. The caller stops its running jobs.
   */
  async cancel(pipelineId: string, reason: string): Promise<PipelineState | undefined> {
    const result = await this.advance(pipelineId, (state) =>
      state.cancelled ? undefined : { state: cancel(state, reason), effects: null },
    );
    return result?.state;
  }

  /** Close the connections kept for transactions; the client given stays open. */
  async close(): Promise<void> {
    this.closed = true;
    for (const conn of this.idle.splice(0)) conn.disconnect();
    for (const waiter of this.waiting.splice(0)) waiter.reject(new Error('RedisPipelineStore is closed'));
  }

  private acquire(): Promise<Redis> {
    if (this.closed) return Promise.reject(new Error('RedisPipelineStore is closed'));
    const conn = this.idle.pop();
    if (conn) return Promise.resolve(conn);
    if (this.open < this.maxConnections) {
      this.open++;
      return Promise.resolve(this.redis.duplicate());
    }
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private release(conn: Redis, healthy: boolean): void {
    if (!healthy || this.closed) {
      conn.disconnect();
      this.open--;
      // A waiting advance gets a new connection in place of the one dropped.
      const next = this.waiting.shift();
      if (next) {
        this.open++;
        next.resolve(this.redis.duplicate());
      }
      return;
    }
    const next = this.waiting.shift();
    if (next) next.resolve(conn);
    else this.idle.push(conn);
  }
}

/** Mark every ready job queued: the pure half of handing jobs out. */
export function queueReady(state: PipelineState): { state: PipelineState; ready: Job[] } {
  const ready = readyJobs(state);
  let next = state;
  for (const job of ready) next = markQueued(next, job.id);
  return { state: next, ready };
}

/** A jittered pause growing with the attempt, up to 50 ms: contending replicas spread out. */
function backoff(attempt: number): Promise<void> {
  const ceiling = Math.min(50, 2 ** Math.min(attempt, 6));
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}
