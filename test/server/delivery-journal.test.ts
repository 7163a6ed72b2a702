import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ForgeEvent } from '../../src/forge/forge.js';
import { DeliveryJournal, type JournalEntry } from '../../src/server/delivery-journal.js';

const event = (deliveryId: string): ForgeEvent => ({
  forge: 'gitea',
  deliveryId,
  event: 'push',
  repo: { owner: 'acme', name: 'tiny' },
  fullName: 'acme/tiny',
  cloneUrl: 'https://gitea.example.org/acme/tiny.git',
  htmlUrl: 'https://gitea.example.org/acme/tiny',
  private: false,
  trigger: { event: 'tag', ref: 'v1' },
  sha: 'a'.repeat(40),
  fetchRef: 'refs/tags/v1',
  sender: 'alice',
});
const entry = (id: string, deliveryId: string, receivedAt = new Date().toISOString()): JournalEntry => ({
  id,
  receivedAt,
  event: event(deliveryId),
});
const tempJournal = () => mkdtempSync(join(tmpdir(), 'albs-journal-'));

describe('DeliveryJournal', () => {
  it('records a delivery once: its redelivery, or a copy arriving at the same time, records nothing', async () => {
    const journal = await DeliveryJournal.open(tempJournal());
    const results = await Promise.all([
      journal.record(entry('01A', 'd-1')),
      journal.record(entry('01B', 'd-1')),
    ]);
    expect(results.sort()).toEqual([false, true]);
    expect(await journal.record(entry('01C', 'd-1'))).toBe(false);
    expect((await journal.pending()).map((e) => e.event.deliveryId)).toEqual(['d-1']);
    await journal.close();
  });

  it('many deliveries at once are all on disk when their record() resolves', async () => {
    const dir = tempJournal();
    const journal = await DeliveryJournal.open(dir);
    const ids = Array.from({ length: 50 }, (_, i) => `d-${i}`);
    expect(
      await Promise.all(ids.map((id, i) => journal.record(entry(`01${String(i).padStart(3, '0')}`, id)))),
    ).toEqual(ids.map(() => true));
    const lines = readFileSync(join(dir, 'journal.log'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(50);
    await journal.close();
  });

  it('what a restart finds: deliveries not taken in, oldest first; a line a crash cut short is ignored', async () => {
    const dir = tempJournal();
    const journal = await DeliveryJournal.open(dir);
    await journal.record(entry('01B', 'd-2'));
    await journal.record(entry('01A', 'd-1'));
    await journal.record(entry('01C', 'd-3'));
    await journal.done(entry('01C', 'd-3'), { pipelineId: 'P' });
    await journal.close();
    appendFileSync(join(dir, 'journal.log'), '{"t":"entry","name":"gitea-cut","entry":{"id":"01D","rece');
    const reopened = await DeliveryJournal.open(dir);
    expect((await reopened.pending()).map((e) => e.id)).toEqual(['01A', '01B']);
    // The cut-short delivery was never answered: its redelivery is taken.
    expect(await reopened.record(entry('01E', 'd-3'))).toBe(false);
    await reopened.close();
  });

  it('forgets delivery ids after a week', async () => {
    const dir = tempJournal();
    const journal = await DeliveryJournal.open(dir);
    await journal.record(entry('01A', 'd-1', new Date(Date.now() - 8 * 24 * 3600_000).toISOString()));
    await journal.record(entry('01B', 'd-2'));
    await journal.done(entry('01A', 'd-1'), {});
    await journal.done(entry('01B', 'd-2'), {});
    await journal.close();
    const later = await DeliveryJournal.open(dir);
    expect(await later.record(entry('01C', 'd-2'))).toBe(false);
    expect(await later.record(entry('01D', 'd-1'))).toBe(true);
    await later.close();
  });
});
