/**
 * One publisher per repository at a time, across processes: `albs run` processes sharing an --out
 * today, runners of a farm later. Every publication reads the live repository, builds the next one
 * beside it and switches to it; two at once would each build from the same state and the second
 * switch would drop the first one's packages.
 *
 * The lock is a directory `repos/.repos/<repo>.lock` holding one owner file (src/store/owner-lock.ts,
 * the protocol `albs run`'s lock on OUT uses too). A lock whose owner is dead (same host,
 * `kill(pid, 0)` says ESRCH) is taken over.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Holder,
  readOwner,
  releaseLock,
  removeOwner,
  renameInto,
  running,
  stageLock,
  thisProcess,
} from '../store/owner-lock.js';

/** How long a publication waits for another one of the same repo by default: 10 minutes. */
export const DEFAULT_LOCK_TIMEOUT_MS = 10 * 60 * 1000;

export class RepoLockError extends Error {
  override name = 'RepoLockError';
}

export interface RepoLockOptions {
  /** Give up after this many milliseconds of waiting for a live owner. */
  timeoutMs: number;
  /** Stop waiting when aborted. */
  signal?: AbortSignal | undefined;
  log: (line: string) => void;
}

/** Releases the lock; tolerates a lock already gone. */
export type ReleaseLock = () => Promise<void>;

/** The lock directory of `repo` in `versions` (repos/.repos). */
export function lockPath(versions: string, repo: string): string {
  return join(versions, `${repo}.lock`);
}

/**
 * Takes the lock of `repo`, waiting with backoff (50 ms doubling to 2 s) while a live process holds
 * it or its owner entry cannot be read (said once in the log, with the lock's path and its owner).
 * Throws RepoLockError when `timeoutMs` passes or `signal` aborts first.
 */
export async function lockRepo(
  versions: string,
  repo: string,
  options: RepoLockOptions,
): Promise<ReleaseLock> {
  const lock = lockPath(versions, repo);
  const me = thisProcess();
  const { staged, token } = await stageLock(lock, me, { parents: true });
  const notALock = (cause: unknown) =>
    new RepoLockError(`${lock} is not a directory albs-ci made; remove it to publish`, { cause });
  const started = Date.now();
  let delay = 50;
  let waitingFor = '';
  try {
    for (;;) {
      checkAborted(repo, options.signal);
      if (await renameInto(staged, lock, notALock)) return () => releaseLock(lock, token);
      const holder = await readOwner(lock, (excerpt) => `it does not say who holds it: ${excerpt}`);
      if (
        holder !== null &&
        'owner' in holder &&
        holder.owner.host === me.host &&
        !running(holder.owner.pid)
      ) {
        options.log(
          `${repo}: taking over the lock of process ${holder.owner.pid}, which is no longer running`,
        );
        await removeOwner(lock, holder.name);
        continue; // the unlink removed that owner: the next attempt finds the lock free or newly taken
      }
      // Every other way round the loop sleeps and counts against the timeout, so that nothing the
      // lock directory holds (an owner entry that is a directory, a dangling symlink) can make it spin.
      if (holder !== null) {
        const who = describe(repo, lock, holder);
        if (Date.now() - started >= options.timeoutMs) throw timedOut(repo, lock, options.timeoutMs, holder);
        if (who !== waitingFor) {
          options.log(`${repo}: ${who}`);
          waitingFor = who;
        }
      } else if (Date.now() - started >= options.timeoutMs) {
        throw new RepoLockError(
          `${repo}: gave up after ${seconds(options.timeoutMs)} s trying to take the lock ${lock}, which kept being taken and released; give the publication a longer lockTimeoutMs`,
        );
      }
      // Released (or taken over) while we looked: try again soon, without backing off.
      await sleep(holder === null ? 10 : delay, undefined, { signal: options.signal }).catch(() => {});
      if (holder !== null) delay = Math.min(delay * 2, 2000);
    }
  } finally {
    await rm(staged, { recursive: true, force: true });
  }
}

function checkAborted(repo: string, signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  const reason: unknown = signal.reason;
  throw new RepoLockError(
    `${repo}: cancelled while waiting for the repository lock (${reason instanceof Error ? reason.message : String(reason ?? 'aborted')}); nothing was published`,
    { cause: reason },
  );
}

function describe(repo: string, lock: string, holder: Holder): string {
  if ('unreadable' in holder)
    return `waiting for the lock ${lock}, whose owner entry ${holder.name} cannot be read (${holder.unreadable}); if no publication of ${repo} is running, the lock is stale: remove ${lock}`;
  const { pid, host, since } = holder.owner;
  return `waiting for another publication of this repository (process ${pid} on ${host}, since ${since}) to release ${lock}`;
}

function timedOut(repo: string, lock: string, timeoutMs: number, holder: Holder): RepoLockError {
  const after = `gave up after ${seconds(timeoutMs)} s`;
  if ('unreadable' in holder) {
    return new RepoLockError(
      `${repo}: ${after} waiting for the lock ${lock}, whose owner entry ${holder.name} cannot be read (${holder.unreadable}); if no publication of ${repo} is running, the lock is stale: remove ${lock}`,
    );
  }
  const { pid, host, since } = holder.owner;
  return new RepoLockError(
    `${repo}: ${after} waiting for another publication of this repository (process ${pid} on ${host}, since ${since}); if it is no longer running, remove ${lock}; or give the publication a longer lockTimeoutMs`,
  );
}

function seconds(ms: number): number {
  return Math.round(ms / 1000);
}
