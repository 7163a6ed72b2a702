import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
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
const entry = (id: string, deliveryId: string): JournalEntry => ({
  id,
  receivedAt: '2026-11-30T00:00:00.000Z',
  event: event(deliveryId),
});

describe('DeliveryJournal', () => {
  it('records a delivery once: its redelivery, or a copy arriving at the same time, records nothing', async () => {
    const journal = await DeliveryJournal.open(mkdtempSync(join(tmpdir(), 'albs-journal-')));
    const results = await Promise.all([
      journal.record(entry('01A', 'd-1')),
      journal.record(entry('01B', 'd-1')),
    ]);
    expect(results.sort()).toEqual([false, true]);
    expect(await journal.record(entry('01C', 'd-1'))).toBe(false);
    expect((await journal.pending()).map((e) => e.event.deliveryId)).toEqual(['d-1']);
  });

  it('what a restart finds: entries not done, oldest first; an entry cut short by a crash is removed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'albs-journal-'));
    const journal = await DeliveryJournal.open(dir);
    await journal.record(entry('01B', 'd-2'));
    await journal.record(entry('01A', 'd-1'));
    await journal.record(entry('01C', 'd-3'));
    await journal.done(entry('01C', 'd-3'), { pipelineId: 'P' });
    writeFileSync(join(dir, 'entries', 'gitea-cut-short.json'), '{"id": "01D", "rece');
    const reopened = await DeliveryJournal.open(dir);
    expect((await reopened.pending()).map((e) => e.id)).toEqual(['01A', '01B']);
    expect(readdirSync(join(dir, 'entries'))).not.toContain('gitea-cut-short.json');
  });

  it('forgets delivery ids after a week', async () => {
    const journal = await DeliveryJournal.open(mkdtempSync(join(tmpdir(), 'albs-journal-')));
    await journal.record(entry('01A', 'd-1'));
    await journal.done(entry('01A', 'd-1'), {});
    await journal.prune(Date.now());
    expect(await journal.record(entry('01B', 'd-1'))).toBe(false);
    await journal.prune(Date.now() + 8 * 24 * 3600_000);
    expect(await journal.record(entry('01C', 'd-1'))).toBe(true);
  });
});
