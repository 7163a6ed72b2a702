import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ForgeEvent } from '../forge/forge.js';

/** How long a delivery id is remembered: a redelivery within it creates nothing. */
export const DELIVERY_MEMORY_MS = 7 * 24 * 60 * 60 * 1000;

/** A delivery as the journal keeps it until intake has turned it into a pipeline (or into nothing). */
export interface JournalEntry {
  /** The journal's own id: a ULID, so entries sort by arrival. */
  id: string;
  receivedAt: string;
  event: ForgeEvent;
}

/**
 * The deliveries the server has answered 202 for. A delivery is on disk (data and directory
 * fsynced) before the answer goes out, so a crash after the 202 loses nothing: at start-up the
 * intake resumes every entry not marked done. Delivery ids are remembered for a week: a forge's
 * manual redelivery (same id) creates nothing.
 *
 * Layout: DIR/entries/<forge>-<sha256 of the delivery id>.json, created exclusively (its existence
 * is what "seen" means: two copies of one delivery arriving at once record one), and
 * DIR/done/<same name> once intake is done with it. One file and one directory sync per delivery:
 * the answer waits for nothing else.
 */
export class DeliveryJournal {
  private constructor(private readonly dir: string) {}

  static async open(dir: string): Promise<DeliveryJournal> {
    for (const sub of ['entries', 'done']) await mkdir(join(dir, sub), { recursive: true });
    return new DeliveryJournal(dir);
  }

  /** Records `entry` durably; false when its delivery id was seen before (nothing recorded). */
  async record(entry: JournalEntry): Promise<boolean> {
    const file = join(this.dir, 'entries', entryName(entry.event.forge, entry.event.deliveryId));
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(file, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    try {
      await handle.writeFile(JSON.stringify(entry));
      await handle.datasync();
    } catch (error) {
      // Not recorded: the name must not stay taken, or the forge's redelivery would be refused.
      await handle.close().catch(() => undefined);
      await rm(file, { force: true });
      throw error;
    }
    await handle.close();
    await syncDir(join(this.dir, 'entries'));
    return true;
  }

  /**
   * Entries not marked done, oldest first. An entry a crash cut short (it was never answered 202)
   * is removed, so that the delivery can be sent again.
   */
  async pending(): Promise<JournalEntry[]> {
    const done = new Set(await readdir(join(this.dir, 'done')));
    const entries: JournalEntry[] = [];
    for (const name of await readdir(join(this.dir, 'entries'))) {
      if (done.has(name) || !name.endsWith('.json')) continue;
      const path = join(this.dir, 'entries', name);
      const text = await readFile(path, 'utf8').catch(() => '');
      try {
        entries.push(JSON.parse(text) as JournalEntry);
      } catch {
        await rm(path, { force: true });
      }
    }
    return entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Intake is done with the entry, and what became of it. */
  async done(entry: JournalEntry, outcome: { pipelineId?: string; ignored?: string }): Promise<void> {
    const name = entryName(entry.event.forge, entry.event.deliveryId);
    await writeFile(join(this.dir, 'done', name), JSON.stringify({ id: entry.id, ...outcome }));
  }

  /** Forgets delivery ids older than `maxAgeMs`. */
  async prune(now: number, maxAgeMs = DELIVERY_MEMORY_MS): Promise<void> {
    for (const name of await readdir(join(this.dir, 'done'))) {
      const entry = join(this.dir, 'entries', name);
      const info = await stat(entry).catch(() => undefined);
      if (info && now - info.mtimeMs <= maxAgeMs) continue;
      await rm(entry, { force: true });
      await rm(join(this.dir, 'done', name), { force: true });
    }
  }
}

function entryName(forge: string, deliveryId: string): string {
  return `${forge}-${createHash('sha256').update(deliveryId).digest('hex').slice(0, 40)}.json`;
}

/** fsync of a directory: the new name in it survives a crash. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
