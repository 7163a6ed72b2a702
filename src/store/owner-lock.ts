/**
 * A lock across processes that says who holds it: a directory holding one owner file,
 * `<pid>-<token>`, whose content names the holder's pid, its start time, its host and since when.
 * Used by `albs run`'s lock on OUT (src/cli/out-lock.ts) and by each repository's publication lock
 * (src/publish/repo-lock.ts); each decides for itself how long to wait and what to say.
 *
 * The lock directory is made whole beside its place (stageLock) and renamed into place
 * (renameInto), which succeeds only when the lock is absent or empty, so no one ever sees a lock
 * without its owner. A stale owner file is removed by its unique name (removeOwner): if another
 * process took the lock over first, that finds nothing and the live owner's file stays. A plain
 * lock file made with O_EXCL would have to be removed by its fixed name, and could remove the lock
 * a faster waiter had just taken.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmdirSync, unlinkSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, rename, rmdir, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** What an owner file says. */
export interface LockOwner {
  pid: number;
  /**
   * The process's start time in clock ticks after boot (/proc/PID/stat field 22), so that a pid the
   * kernel has since given to another process does not look like a live owner; null where there is
   * no /proc, or where the owner file does not say.
   */
  startTime: string | null;
  host: string;
  since: string;
}

/** Who holds a lock: its owner file's name and content, or why that content says nobody. */
export type Holder = { name: string; owner: LockOwner } | { name: string; unreadable: string };

/** This process as an owner file says it. */
export function thisProcess(): LockOwner {
  return {
    pid: process.pid,
    startTime: processStartTime(process.pid),
    host: hostname(),
    since: new Date().toISOString(),
  };
}

/**
 * Makes the directory that will become `lock`: beside it (`<lock>-<random>-<pid>`, pid last like
 * other staging directories, so a crash leaves something cleanable), holding `owner`'s file.
 * `parents` makes the lock's parent directories too. The caller removes `staged` when done.
 */
export async function stageLock(
  lock: string,
  owner: LockOwner,
  options: { parents?: boolean } = {},
): Promise<{ staged: string; token: string }> {
  const token = `${process.pid}-${randomBytes(6).toString('hex')}`;
  const staged = `${lock}-${randomBytes(6).toString('hex')}-${process.pid}`;
  await mkdir(staged, { recursive: options.parents ?? false });
  await writeFile(join(staged, token), `${JSON.stringify(owner)}\n`);
  return { staged, token };
}

/**
 * Renames `staged` onto `lock`: true when the lock is now ours, false while someone holds it
 * (rename(2) of a directory onto an absent or empty one succeeds; onto a non-empty one it fails).
 * When `lock` is not a directory, throws what `notALock` makes of the error.
 */
export async function renameInto(
  staged: string,
  lock: string,
  notALock: (cause: unknown) => Error,
): Promise<boolean> {
  try {
    await rename(staged, lock);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
    if (code === 'ENOTDIR') throw notALock(error);
    throw error;
  }
}

/**
 * The holder of the lock, or null when it is free or its owner went while we looked. An owner file
 * whose content names no pid and host is unreadable for the reason `notAnOwner` makes of its
 * first 60 characters (quoted).
 */
export async function readOwner(
  lock: string,
  notAnOwner: (excerpt: string) => string,
): Promise<Holder | null> {
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
    const owner = JSON.parse(text) as Partial<LockOwner> | null;
    if (typeof owner?.pid === 'number' && typeof owner.host === 'string') {
      return {
        name,
        owner: {
          pid: owner.pid,
          host: owner.host,
          startTime: typeof owner.startTime === 'string' ? owner.startTime : null,
          since: typeof owner.since === 'string' ? owner.since : 'an unknown time',
        },
      };
    }
  } catch {}
  return { name, unreadable: notAnOwner(JSON.stringify(text.slice(0, 60))) };
}

/** Takes over a stale lock: removes the owner file `name` read from it; finds nothing if another process was faster. */
export async function removeOwner(lock: string, name: string): Promise<void> {
  await unlink(join(lock, name)).catch(ignoreMissing);
}

/** Releases a lock taken with owner file `token`; tolerates a lock already gone. */
export async function releaseLock(lock: string, token: string): Promise<void> {
  await unlink(join(lock, token)).catch(ignoreMissing);
  // Another process may already have renamed its lock in over the emptied directory.
  await rmdir(lock).catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
  });
}

/** releaseLock for a process's 'exit' handler, where nothing asynchronous runs any more. */
export function releaseLockSync(lock: string, token: string): void {
  try {
    unlinkSync(join(lock, token));
    if (readdirSync(lock).length === 0) rmdirSync(lock);
  } catch {
    // Gone already, or another process's lock is in it now: either way not ours to remove.
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

/**
 * Why an owner on this host no longer holds its lock ("is no longer running"), or null while it
 * does: its pid is gone, or is now a process that started at another time.
 */
export function whyGone(owner: LockOwner): string | null {
  if (!Number.isInteger(owner.pid) || owner.pid <= 0) return 'is not a process';
  if (!running(owner.pid)) return 'is no longer running';
  const now = processStartTime(owner.pid);
  if (owner.startTime !== null && now !== null && now !== owner.startTime)
    return 'is no longer running (its pid is now another process)';
  return null;
}

/** A process's start time (/proc/PID/stat field 22); null when /proc cannot say. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses; field 3 is the state.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}
