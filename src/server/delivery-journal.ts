import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ForgeEvent } from '../forge/forge.js';
import { writeFileAtomically, writeNewFile } from '../store/atomic-write.js';

/** How long a delivery id is remembered: a redelivery within it creates nothing. */
export const DELIVERY_MEMORY_MS = 7 * 24 * 60 * 60 * 1000;

/** A delivery as the journal keeps it until intake has turned it into a pipeline (or into nothing). */
export interface JournalEntry {
  /** The journal's own id: a ULID, so file names sort by arrival. */
  id: string;
  receivedAt: string;
  event: ForgeEvent;
}

/**
 * The deliveries the server has answered 202 for. A delivery is on disk (data and directory
 * fsynced) before the answer goes out, so a crash after the 202 loses nothing: at start-up the
 * intake resumes every entry still pending. Delivery ids are remembered for a week: a forge's
 * manual redelivery (same id) creates nothing.
 *
 * Layout: DIR/pending/<id>.json, DIR/done/<id>.json, DIR/seen/<forge>-<sha256 of the delivery id>.
 */
export class DeliveryJournal {
  private constructor(private readonly dir: string) {}

  static async open(dir: string): Promise<DeliveryJournal> {
    for (const sub of ['pending', 'done', 'seen']) await mkdir(join(dir, sub), { recursive: true });
    return new DeliveryJournal(dir);
  }

  /**
   * Records `entry` durably; false when its delivery id was seen before (nothing recorded). The
   * entry is written first and the seen marker after, with an exclusive create: a crash between
   * the two leaves a pending entry (a duplicate at worst, which intake's pipeline key absorbs),
   * never a delivery marked seen and lost; two copies arriving at once record one.
   */
  async record(entry: JournalEntry): Promise<boolean> {
    const pending = join(this.dir, 'pending', `${entry.id}.json`);
    await writeFileAtomically(pending, JSON.stringify(entry));
    const seen = join(this.dir, 'seen', seenName(entry.event.forge, entry.event.deliveryId));
    if (!(await writeNewFile(seen, entry.id, 0o644))) {
      await rm(pending, { force: true });
      return false;
    }
    await syncDir(join(this.dir, 'pending'));
    await syncDir(join(this.dir, 'seen'));
    return true;
  }

  /** Entries not yet taken in, oldest first. */
  async pending(): Promise<JournalEntry[]> {
    const names = (await readdir(join(this.dir, 'pending'))).filter((n) => n.endsWith('.json')).sort();
    const entries: JournalEntry[] = [];
    for (const name of names) {
      const text = await readFile(join(this.dir, 'pending', name), 'utf8').catch(() => undefined);
      if (text !== undefined) entries.push(JSON.parse(text) as JournalEntry);
    }
    return entries;
  }

  /** Intake is done with the entry: it moves out of pending, with what became of it. */
  async done(entry: JournalEntry, outcome: { pipelineId?: string; ignored?: string }): Promise<void> {
    const from = join(this.dir, 'pending', `${entry.id}.json`);
    const to = join(this.dir, 'done', `${entry.id}.json`);
    await writeFileAtomically(from, JSON.stringify({ ...entry, ...outcome }));
    await rename(from, to);
  }

  /** Forgets delivery ids and done entries older than `maxAgeMs`. */
  async prune(now: number, maxAgeMs = DELIVERY_MEMORY_MS): Promise<void> {
    for (const sub of ['seen', 'done']) {
      for (const name of await readdir(join(this.dir, sub))) {
        const path = join(this.dir, sub, name);
        const info = await stat(path).catch(() => undefined);
        if (info && now - info.mtimeMs > maxAgeMs) await rm(path, { force: true });
      }
    }
  }
}

function seenName(forge: string, deliveryId: string): string {
  return `${forge}-${createHash('sha256').update(deliveryId).digest('hex').slice(0, 32)}`;
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
