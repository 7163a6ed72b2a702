/**
 * One `albs run` per OUT at a time. Job ids are the same in every run (`build`, `test.almalinux-9`),
 * so two runs on one OUT would remove each other's workspaces, logs and artifacts: the second run
 * stops before it touches anything, naming the first.
 *
 * The lock is a directory `OUT/.lock` holding one owner file (src/store/owner-lock.ts), taken as
 * src/publish/repo-lock.ts takes a repository's lock. Repositories shared between OUTs keep their
 * own per-repository lock: this one only says who uses OUT.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  readOwner,
  releaseLock,
  releaseLockSync,
  removeOwner,
  renameInto,
  stageLock,
  thisProcess,
  whyGone,
} from '../store/owner-lock.js';
import { CliError, EXIT } from './exit-codes.js';

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
  const me = thisProcess();
  const { staged, token } = await stageLock(lock, me);
  const notALock = (cause: unknown) =>
    new CliError(`${lock} is not the lock directory albs run makes; remove it and run again`, EXIT.usage, {
      cause,
    });
  try {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (await renameInto(staged, lock, notALock)) return held(lock, token);
      const holder = await readOwner(lock, (excerpt) => `its content is ${excerpt}`);
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
      await removeOwner(lock, holder.name);
    }
    throw new CliError(
      `--out ${out}: gave up after ${ATTEMPTS} tries to take its lock ${lock}, which kept being taken and released; is another albs run starting on it? Try again, or give another --out`,
      EXIT.usage,
    );
  } finally {
    await rm(staged, { recursive: true, force: true });
  }
}

/** The release of a lock just taken, also run (synchronously) if the process exits before it. */
function held(lock: string, token: string): ReleaseOutLock {
  const releaseSync = () => releaseLockSync(lock, token);
  process.once('exit', releaseSync);
  return async () => {
    process.off('exit', releaseSync);
    await releaseLock(lock, token);
  };
}
