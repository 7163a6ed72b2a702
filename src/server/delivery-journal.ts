import { createHash } from 'node:crypto';
import { type FileHandle, mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { WebhookEvent } from '../forge/forge.js';
import { tempPathFor } from '../store/atomic-write.js';

/** How long a delivery id is remembered: a redelivery within it creates nothing. */
export const DELIVERY_MEMORY_MS = 7 * 24 * 60 * 60 * 1000;

/** A delivery as the journal keeps it until intake has turned it into a pipeline (or into nothing). */
export interface JournalEntry {
  /** The journal's own id: a ULID, so entries sort by arrival. */
  id: string;
  receivedAt: string;
  event: WebhookEvent;
}

type Line =
  | { t: 'entry'; name: string; entry: JournalEntry }
  | { t: 'done'; name: string; pipelineId?: string; ignored?: string };

/**
 * The deliveries the server has answered 202 for, in one append-only file (DIR/journal.log, a JSON
 * line per delivery and per delivery taken in). A delivery is on disk before its answer goes out:
 * its line is appended and the file synced, and the deliveries that arrive while a sync runs share
 * the next one (group commit), so a burst costs a sync per burst, not per delivery. At start-up the
 * intake resumes every delivery not taken in; a last line a crash cut short (never answered 202) is
 * ignored. Delivery ids are remembered for a week: a forge's manual redelivery creates nothing.
 *
 * Safe for concurrent calls within one process; one process owns DIR.
 */
export class DeliveryJournal {
  private readonly seen = new Map<string, number>();
  private readonly entries = new Map<string, JournalEntry>();
  private readonly takenIn = new Set<string>();
  private appended = Promise.resolve();
  private written = 0;
  private synced = 0;
  private syncing: Promise<void> | undefined;

  private constructor(
    private readonly file: string,
    private handle: FileHandle,
    private readonly first?: (name: string) => Promise<boolean>,
  ) {}

  /**
   * `first`, in a farm: whether no other replica has taken the delivery (a claim in Redis), asked
   * after this journal's own memory.
   */
  static async open(
    dir: string,
    now = Date.now(),
    first?: (name: string) => Promise<boolean>,
  ): Promise<DeliveryJournal> {
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'journal.log');
    const text = await readFile(file, 'utf8').catch(() => '');
    const journal = new DeliveryJournal(file, await open(file, 'a', 0o600), first);
    for (const raw of text.split('\n')) {
      let line: Line;
      try {
        line = JSON.parse(raw) as Line;
      } catch {
        continue;
      }
      if (line.t === 'entry') {
        journal.seen.set(line.name, Date.parse(line.entry.receivedAt));
        journal.entries.set(line.name, line.entry);
      } else if (line.t === 'done') {
        journal.takenIn.add(line.name);
        journal.entries.delete(line.name);
      }
    }
    await journal.prune(now);
    return journal;
  }

  /** Records `entry` durably; false when its delivery id was seen before (nothing recorded). */
  async record(entry: JournalEntry): Promise<boolean> {
    const name = entryName(entry.event.forge, entry.event.deliveryId);
    if (this.seen.has(name)) return false;
    this.seen.set(name, Date.parse(entry.receivedAt));
    if (
      this.first &&
      !(await this.first(name).catch((error: unknown) => {
        this.seen.delete(name);
        throw error;
      }))
    )
      return false;
    this.entries.set(name, entry);
    try {
      const mark = await this.append({ t: 'entry', name, entry });
      await this.syncTo(mark);
    } catch (error) {
      // Not recorded: the id must not stay taken, or the forge's redelivery would be refused.
      this.seen.delete(name);
      this.entries.delete(name);
      throw error;
    }
    return true;
  }

  /** Deliveries not taken in yet, oldest first. */
  async pending(): Promise<JournalEntry[]> {
    return [...this.entries.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Intake is done with the entry, and what became of it. Not synced: at worst it is taken in again, and its pipeline key makes that a no-op. */
  async done(entry: JournalEntry, outcome: { pipelineId?: string; ignored?: string }): Promise<void> {
    const name = entryName(entry.event.forge, entry.event.deliveryId);
    if (!this.entries.delete(name)) return;
    this.takenIn.add(name);
    await this.append({ t: 'done', name, ...outcome });
  }

  async close(): Promise<void> {
    await this.appended;
    await this.handle.close();
  }

  /** Appends a line; resolves to its mark for syncTo once it is written (not yet synced). */
  private append(line: Line): Promise<number> {
    const text = `${JSON.stringify(line)}\n`;
    const written = this.appended.then(async () => {
      await this.handle.write(text);
      return ++this.written;
    });
    this.appended = written.then(
      () => undefined,
      () => undefined,
    );
    return written;
  }

  /** Resolves once every line up to `mark` is on disk, sharing syncs with concurrent callers. */
  private async syncTo(mark: number): Promise<void> {
    while (this.synced < mark) {
      if (this.syncing) {
        await this.syncing;
        continue;
      }
      const upTo = this.written;
      this.syncing = this.handle.datasync().then(() => {
        this.synced = Math.max(this.synced, upTo);
      });
      try {
        await this.syncing;
      } finally {
        this.syncing = undefined;
      }
    }
  }

  /**
   * Forgets delivery ids older than `maxAgeMs` that were taken in, by writing the journal anew
   * (temp file, sync, rename): it never grows past a week of deliveries.
   */
  private async prune(now: number, maxAgeMs = DELIVERY_MEMORY_MS): Promise<void> {
    const keep: string[] = [];
    let dropped = 0;
    for (const [name, at] of this.seen) {
      if (this.takenIn.has(name) && now - at > maxAgeMs) {
        this.seen.delete(name);
        this.takenIn.delete(name);
        dropped++;
      }
    }
    if (dropped === 0) return;
    for (const name of this.seen.keys()) {
      const entry = this.entries.get(name);
      // Taken-in entries keep only what dedupe needs.
      keep.push(
        JSON.stringify(
          entry
            ? { t: 'entry', name, entry }
            : {
                t: 'entry',
                name,
                entry: { id: '', receivedAt: new Date(this.seen.get(name) ?? now).toISOString() },
              },
        ),
      );
      if (!entry) keep.push(JSON.stringify({ t: 'done', name }));
    }
    const temp = tempPathFor(this.file);
    const handle = await open(temp, 'w', 0o600);
    await handle.writeFile(keep.length ? `${keep.join('\n')}\n` : '');
    await handle.datasync();
    await handle.close();
    await this.handle.close();
    await rename(temp, this.file);
    this.handle = await open(this.file, 'a', 0o600);
  }
}

function entryName(forge: string, deliveryId: string): string {
  return `${forge}-${createHash('sha256').update(deliveryId).digest('hex').slice(0, 40)}`;
}
