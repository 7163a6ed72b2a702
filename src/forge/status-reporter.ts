import type { CommitState, CommitStatus, Forge, ForgeRepo } from './forge.js';

/** The pino methods the reporter logs with. */
export interface ReporterLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface StatusReporterOptions {
  forge: Forge;
  log: ReporterLog;
  /**
   * How long a wanted status waits for a newer one of the same commit and context before it is
   * posted: a job that goes queued → running → success within it costs one request, not three.
   * Default 1000 ms.
   */
  coalesceMs?: number;
  /**
   * Least time between the starts of two posts to this forge. GitHub's guidance for content-creating
   * requests is about one a second (the server passes ~1000); Gitea has no such limit. Default 0.
   */
  minIntervalMs?: number;
  /** Most posts in flight at once, so that a wide matrix does not open a connection per job. Default 8. */
  maxInFlight?: number;
  /** Called once per finished post: for metrics. */
  onPost?: (outcome: 'ok' | 'failed') => void;
}

const FINAL: ReadonlySet<CommitState> = new Set(['success', 'failure', 'error']);

/** Keys whose final state is remembered after their posts are done, to drop late `pending`s. */
const REMEMBERED_FINALS = 10_000;

interface Wanted {
  repo: ForgeRepo;
  sha: string;
  status: CommitStatus;
}

/** One (repository, commit, context) with something still to do. */
interface Entry {
  wanted: Wanted | undefined;
  /** A final state was accepted for this key: a later pending would move it backwards. */
  final: boolean;
  timer: NodeJS.Timeout | undefined;
  queued: boolean;
  posting: boolean;
}

/**
 * Posts commit statuses for the pipelines without ever holding them up: `report` returns at once and
 * never throws, posts happen in the background, a forge failure is logged and counted, not raised.
 *
 * Per (repository, sha, context) only the latest wanted status is posted (coalesced over
 * `coalesceMs`), and states never go backwards: after success / failure / error a later pending
 * for the same key is dropped (an event delivered late, a job's queued update racing its end); a
 * final state may still replace another final one, as a re-run does.
 */
export class StatusReporter {
  private readonly forge: Forge;
  private readonly log: ReporterLog;
  private readonly coalesceMs: number;
  private readonly minIntervalMs: number;
  private readonly maxInFlight: number;
  private readonly onPost: ((outcome: 'ok' | 'failed') => void) | undefined;
  private readonly entries = new Map<string, Entry>();
  /** Insertion-ordered: the oldest is forgotten first. */
  private readonly finals = new Set<string>();
  /** Keys reported before (insertion-ordered, bounded like `finals`): only their later changes coalesce. */
  private readonly known = new Set<string>();
  private readonly ready: string[] = [];
  private inFlight = 0;
  private nextStartAt = 0;
  private paceTimer: NodeJS.Timeout | undefined;
  private flushing = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(options: StatusReporterOptions) {
    this.forge = options.forge;
    this.log = options.log;
    this.coalesceMs = options.coalesceMs ?? 1000;
    this.minIntervalMs = options.minIntervalMs ?? 0;
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 8);
    this.onPost = options.onPost;
  }

  /** Wants `status` on `sha`; returns at once, never throws. */
  report(repo: ForgeRepo, sha: string, status: CommitStatus): void {
    try {
      const key = `${repo.owner}/${repo.name}\0${sha}\0${status.context}`;
      const isFinal = FINAL.has(status.state);
      let entry = this.entries.get(key);
      if (!isFinal && (entry?.final || (entry === undefined && this.finals.has(key)))) {
        this.log.info(
          { repo: `${repo.owner}/${repo.name}`, sha, context: status.context, state: status.state },
          'commit status dropped: a final state was already reported for this commit and context',
        );
        return;
      }
      if (entry === undefined) {
        entry = {
          wanted: undefined,
          final: this.finals.has(key),
          timer: undefined,
          queued: false,
          posting: false,
        };
        this.entries.set(key, entry);
      }
      entry.wanted = { repo: { ...repo }, sha, status: { ...status } };
      if (isFinal) entry.final = true;
      // Already waiting (timer or queue) or posting: the newer wish is picked up from `wanted`.
      if (entry.timer !== undefined || entry.queued || entry.posting) return;
      // A context's first status goes out at once (the pending of a new pipeline must show within
      // a second); only the changes after it wait out the window.
      if (!this.known.has(key)) {
        this.known.add(key);
        if (this.known.size > REMEMBERED_FINALS) {
          const oldest = this.known.values().next().value;
          if (oldest !== undefined) this.known.delete(oldest);
        }
        this.enqueue(key, entry);
        return;
      }
      this.schedule(key, entry);
    } catch (error) {
      try {
        this.log.error({ err: error, sha, context: status?.context }, 'commit status could not be queued');
      } catch {
        // A broken logger still must not fail the pipeline step that reported.
      }
    }
  }

  /**
   * Resolves once every status wanted so far (and any wanted meanwhile) is posted or given up.
   * Coalescing windows are cut short: the server calls this at shutdown.
   */
  flush(): Promise<void> {
    this.flushing++;
    for (const [key, entry] of this.entries) {
      if (entry.timer !== undefined) {
        clearTimeout(entry.timer);
        entry.timer = undefined;
        this.enqueue(key, entry);
      }
    }
    const idle =
      this.entries.size === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    return idle.finally(() => {
      this.flushing--;
    });
  }

  private schedule(key: string, entry: Entry): void {
    if (this.flushing > 0 || this.coalesceMs <= 0) {
      this.enqueue(key, entry);
      return;
    }
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      this.enqueue(key, entry);
    }, this.coalesceMs);
  }

  private enqueue(key: string, entry: Entry): void {
    entry.queued = true;
    this.ready.push(key);
    this.pump();
  }

  /** Starts queued posts while the in-flight limit and the pacing allow. */
  private pump(): void {
    while (this.ready.length > 0 && this.inFlight < this.maxInFlight) {
      const wait = this.nextStartAt - Date.now();
      if (wait > 0) {
        this.paceTimer ??= setTimeout(() => {
          this.paceTimer = undefined;
          this.pump();
        }, wait);
        return;
      }
      const key = this.ready.shift()!;
      const entry = this.entries.get(key);
      if (entry === undefined) continue;
      entry.queued = false;
      const wanted = entry.wanted;
      entry.wanted = undefined;
      if (wanted === undefined) {
        this.settle(key, entry);
        continue;
      }
      this.nextStartAt = Date.now() + this.minIntervalMs;
      entry.posting = true;
      this.inFlight++;
      void this.post(wanted).finally(() => {
        this.inFlight--;
        entry.posting = false;
        // A newer wish arrived during the post: it gets its own coalescing window.
        if (entry.wanted !== undefined) this.schedule(key, entry);
        else this.settle(key, entry);
        this.pump();
      });
    }
  }

  private async post({ repo, sha, status }: Wanted): Promise<void> {
    let outcome: 'ok' | 'failed';
    try {
      await this.forge.setStatus(repo, sha, status);
      outcome = 'ok';
    } catch (error) {
      outcome = 'failed';
      this.log.error(
        {
          forge: this.forge.name,
          repo: `${repo.owner}/${repo.name}`,
          sha,
          context: status.context,
          state: status.state,
          err: error,
        },
        `could not post the commit status ${status.context}=${status.state} to ${repo.owner}/${repo.name}@${sha.slice(0, 12)}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    try {
      this.onPost?.(outcome);
    } catch (error) {
      this.log.warn({ err: error }, 'the onPost callback of the status reporter threw');
    }
  }

  /** The key has nothing left to do: forget it, remembering only that it ended in a final state. */
  private settle(key: string, entry: Entry): void {
    if (entry.wanted !== undefined || entry.timer !== undefined || entry.queued || entry.posting) return;
    this.entries.delete(key);
    if (entry.final) {
      this.finals.delete(key);
      this.finals.add(key);
      if (this.finals.size > REMEMBERED_FINALS) {
        const oldest = this.finals.values().next().value;
        if (oldest !== undefined) this.finals.delete(oldest);
      }
    }
    if (this.entries.size === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}
