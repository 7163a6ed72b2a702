/**
 * One `albs run` per OUT at a time. Job ids are the same in every run (`build`, `test.almalinux-9`),
 * so two runs on one OUT would remove each other's workspaces, logs and artifacts: the second run
 * stops before it touches anything, naming the first.
 *
 * The lock is a directory `OUT/.lock` holding one owner file, `<pid>-<token>`, whose content says
 * which process holds it: its pid, its start time (so that a pid the kernel has since given to
 * another process does not look like a live owner), its host and since when. It is taken as
 * src/publish/repo-lock.ts takes a repository's lock, and for the same reason: the directory is made
 * whole beside it and renamed into place, which succeeds only when `OUT/.lock` is absent or empty;
 * a stale owner file is removed by its unique name, so a run taking over a dead run's lock can never
 * remove the lock another run has just taken (a plain file made with O_EXCL would have to be removed
 * by its fixed name, and could be). Repositories shared between OUTs keep their own per-repository
 * lock: this one only says who uses OUT.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmdirSync, unlinkSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, rename, rm, rmdir, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { CliError, EXIT } from './exit-codes.js';

/** What the owner file of OUT/.lock says. */
interface Owner {
  pid: number;
  /** The process's start time in clock ticks after boot (/proc/PID/stat field 22); null where there is no /proc. */
  startTime: string | null;
  host: string;
  since: string;
}

/** Releases the lock; tolerates a lock already gone. */
export type ReleaseOutLock = () => Promise<void>;

/** How many times a lock released or taken over while we looked is tried again before giving up. */
const ATTEMPTS = 20;

/**
 * Takes OUT/.lock for this process, or throws a CliError (exit 2) naming the run that holds it and
 * the fix. A lock whose owner is gone, or whose pid is now another process, is taken over, and
 * `say` tells so. The lock is also removed when the process exits without releasing it.
 */
export async function lockOut(out: string, say: (message: string) => void): Promise<ReleaseOutLock> {
  const lock = join(out, '.lock');
  const token = `${process.pid}-${randomBytes(6).toString('hex')}`;
  const me: Owner = {
    pid: process.pid,
    startTime: startTime(process.pid),
    host: hostname(),
    since: new Date().toISOString(),
  };
  const fresh = join(out, `.lock-${randomBytes(6).toString('hex')}-${process.pid}`);
  await mkdir(fresh);
  await writeFile(join(fresh, token), `${JSON.stringify(me)}\n`);
  try {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (await renameInto(fresh, lock)) return held(lock, token);
      const holder = await readOwner(lock);
      if (holder === null) continue; // released while we looked
      if ('unreadable' in holder) {
        throw new CliError(
          `--out ${out} may be in use by another albs run: its lock ${lock} holds ${holder.name}, which does not say who holds it (${holder.unreadable}); if no albs run uses ${out}, remove ${lock}`,
          EXIT.usage,
        );
      }
      const { pid, host, since } = holder.owner;
      const gone = host === me.host ? whyGone(holder.owner) : null;
      if (gone === null) {
        const where = host === me.host ? '' : ` on ${host}`;
        throw new CliError(
          `--out ${out} is in use by another albs run (process ${pid}${where}, since ${since}): wait for it to end, or give this run another --out${where ? `; if no albs run uses it on ${host}, remove ${lock}` : ''}`,
          EXIT.usage,
        );
      }
      say(`--out ${out}: taking over the lock of process ${pid} (since ${since}), which ${gone}`);
      // By its unique name: if another run took the lock over first, this finds nothing and its lock stays.
      await unlink(join(lock, holder.name)).catch(ignoreMissing);
    }
    throw new CliError(
      `--out ${out}: gave up after ${ATTEMPTS} tries to take its lock ${lock}, which kept being taken and released; is another albs run starting on it? Try again, or give another --out`,
      EXIT.usage,
    );
  } finally {
    await rm(fresh, { recursive: true, force: true });
  }
}

/** The release of a lock just taken, also run (synchronously) if the process exits before it. */
function held(lock: string, token: string): ReleaseOutLock {
  const releaseSync = () => {
    try {
      unlinkSync(join(lock, token));
      if (readdirSync(lock).length === 0) rmdirSync(lock);
    } catch {
      // Gone already, or another run's lock is in it now: either way not ours to remove.
    }
  };
  process.once('exit', releaseSync);
  return async () => {
    process.off('exit', releaseSync);
    await unlink(join(lock, token)).catch(ignoreMissing);
    // Another run may already have renamed its lock in over the emptied directory.
    await rmdir(lock).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT' && error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    });
  };
}

/** Why the owner no longer holds the lock ("is no longer running"), or null while it does. */
function whyGone(owner: Owner): string | null {
  if (!Number.isInteger(owner.pid) || owner.pid <= 0) return 'is not a process';
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: it runs, as another user.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return 'is no longer running';
  }
  const now = startTime(owner.pid);
  if (owner.startTime !== null && now !== null && now !== owner.startTime)
    return 'is no longer running (its pid is now another process)';
  return null;
}

/** A process's start time (/proc/PID/stat field 22); null when /proc cannot say. */
function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses; field 3 is the state.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
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
      throw new CliError(
        `${to} is not the lock directory albs run makes; remove it and run again`,
        EXIT.usage,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}

type Holder = { name: string; owner: Owner } | { name: string; unreadable: string };

/** The holder of the lock, or null when it is free or its owner went while we looked. */
async function readOwner(lock: string): Promise<Holder | null> {
  const names = await readdir(lock).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
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
      (e: NodeJS.ErrnoException) => e.code === 'ENOENT',
    );
    return gone ? null : { name, unreadable: error instanceof Error ? error.message : String(error) };
  }
  try {
    const owner = JSON.parse(text) as Partial<Owner> | null;
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
  return { name, unreadable: `its content is ${JSON.stringify(text.slice(0, 60))}` };
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}
