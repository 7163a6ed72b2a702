/**
 * One publisher per repository at a time, across processes: `albs run` processes sharing an --out
 * today, runners of a farm later. Every publication reads the live repository, builds the next one
 * beside it and switches to it; two at once would each build from the same state and the second
 * switch would drop the first one's packages.
 *
 * The lock is a directory `repos/.repos/<repo>.lock` holding one owner file, `<pid>-<token>`, whose
 * content says which process on which host holds it. It is made whole elsewhere and renamed into
 * place, which succeeds only when the lock is absent or empty, so no one ever sees a lock without
 * its owner. A lock whose owner is dead (same host, `kill(pid, 0)` says ESRCH) is taken over by
 * unlinking that owner file by its unique name: if someone else took it over first, the unlink
 * finds nothing and the live owner's file stays. An unlink by a fixed name (a plain lock file
 * `open(path, 'wx')`) could remove the lock a faster waiter had just taken.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, rename, rm, rmdir, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

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

/** Who holds a lock, as its owner file says. */
interface Owner {
  pid: number;
  host: string;
  since: string;
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
  const token = `${process.pid}-${randomBytes(6).toString('hex')}`;
  const me: Owner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  // Named like the staging directories (pid last), so a crash right here leaves something cleanable.
  const fresh = join(versions, `${repo}.lock-${randomBytes(6).toString('hex')}-${process.pid}`);
  await mkdir(fresh, { recursive: true });
  await writeFile(join(fresh, token), `${JSON.stringify(me)}\n`);
  const started = Date.now();
  let delay = 50;
  let waitingFor = '';
  try {
    for (;;) {
      checkAborted(repo, options.signal);
      if (await renameInto(fresh, lock)) {
        return async () => {
          await unlink(join(lock, token)).catch(ignoreMissing);
          // Another publisher may already have renamed its lock in over the emptied directory.
          await rmdir(lock).catch(ignoreMissingOrFull);
        };
      }
      const holder = await readOwner(lock);
      if (
        holder !== null &&
        'owner' in holder &&
        holder.owner.host === me.host &&
        !running(holder.owner.pid)
      ) {
        options.log(
          `${repo}: taking over the lock of process ${holder.owner.pid}, which is no longer running`,
        );
        await unlink(join(lock, holder.name)).catch(ignoreMissing);
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
    await rm(fresh, { recursive: true, force: true });
  }
}

/** Whether a process with that pid exists on this host (EPERM: it does, under another user). */
export function running(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
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

/** rename(2) of a directory onto an absent or empty one succeeds; onto a non-empty one it fails. */
async function renameInto(from: string, to: string): Promise<boolean> {
  try {
    await rename(from, to);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
    if (code === 'ENOTDIR') {
      throw new RepoLockError(`${to} is not a directory albs-ci made; remove it to publish`, {
        cause: error,
      });
    }
    throw error;
  }
}

/** Who holds the lock: its owner file's name and content, or why that content says nobody. */
type Holder = { name: string; owner: Owner } | { name: string; unreadable: string };

/** The holder of the lock, or null when the lock is free or its owner went while we looked. */
async function readOwner(lock: string): Promise<Holder | null> {
  const names = await readdir(lock).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  });
  const name = names[0];
  if (name === undefined) return null;
  let text: string;
  try {
    text = await readFile(join(lock, name), 'utf8');
  } catch (error) {
    // ENOENT is also what a dangling symlink gives: only an entry that is really gone means released.
    const gone = await lstat(join(lock, name)).then(
      () => false,
      (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT',
    );
    return gone ? null : { name, unreadable: error instanceof Error ? error.message : String(error) };
  }
  try {
    const owner = JSON.parse(text) as Partial<Owner> | null;
    if (typeof owner?.pid === 'number' && typeof owner.host === 'string')
      return { name, owner: owner as Owner };
  } catch {}
  return { name, unreadable: `it does not say who holds it: ${JSON.stringify(text.slice(0, 60))}` };
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

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}

function ignoreMissingOrFull(error: unknown): void {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== 'ENOENT' && code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
}
