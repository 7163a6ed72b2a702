import { randomUUID } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { isFinished, type PipelineState, startPipeline } from '../../src/pipeline/pipeline-state.js';
import type { Job } from '../../src/plan/types.js';
import { RedisPipelineStore } from '../../src/scheduler/redis-pipeline-store.js';
import { planOf } from '../helpers/load.js';

const url = inject('redisUrl');
const prefixes: string[] = [];
const clients: Redis[] = [];
const stores: RedisPipelineStore[] = [];
const admin = new Redis(url);

afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  for (const client of clients.splice(0)) client.disconnect();
});

afterAll(async () => {
  for (const prefix of prefixes) {
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await admin.unlink(...keys);
    } while (cursor !== '0');
  }
  admin.disconnect();
});

/** Replicas of `albs serve` on one Redis: a client and a store each, on a prefix no other test uses. */
function replicas(
  count: number,
  options: RedisOptions[] = [],
): { stores: RedisPipelineStore[]; clients: Redis[] } {
  const prefix = `albs-test-${randomUUID()}`;
  prefixes.push(prefix);
  const made = { stores: [] as RedisPipelineStore[], clients: [] as Redis[] };
  for (let i = 0; i < count; i++) {
    const client = new Redis(url, options[i] ?? {});
    const store = new RedisPipelineStore(client, prefix, { finishedTtlSeconds: 3 * 24 * 3600 });
    clients.push(client);
    stores.push(store);
    made.clients.push(client);
    made.stores.push(store);
  }
  return made;
}

const matrix = Array.from({ length: 50 }, (_, i) => `n${i}`).join(', ');
/** 50 builds, no tests, one repo: a sign needing all 50 builds, and its publish. */
const pipeline = (extra = ''): PipelineState =>
  startPipeline(planOf(`version: 1\n${extra}matrix:\n  n: [${matrix}]\npublish: [{repo: r}]\n`), () => []);
const builds = Array.from({ length: 50 }, (_, i) => `build.n${i}`);
const ok = { state: 'success' } as const;
const ids = (jobs: Job[]) => jobs.map((j) => j.id);

describe('RedisPipelineStore', () => {
  it('creates a pipeline once: a second create, from another replica, is refused', async () => {
    const {
      stores: [a, b],
    } = replicas(2);
    const state = pipeline();
    expect(await a!.create('p', state)).toBe(true);
    expect(await b!.create('p', pipeline('fail-fast: false\n'))).toBe(false);
    expect(await b!.get('p')).toEqual(state);
    expect(await a!.get('unknown')).toBeUndefined();
    expect(await a!.finishJob('unknown', 'build.n0', ok)).toBeUndefined();
  });

  it('two replicas applying 50 concurrent results lose no update and hand out each ready job once', async () => {
    const {
      stores: [a, b],
    } = replicas(2);
    await a!.create('p', pipeline());
    // Both replicas try to start the pipeline at once: the 50 builds go to one of them.
    const started = await Promise.all([a!.takeReady('p'), b!.takeReady('p')]);
    expect(started.flatMap(ids).sort()).toEqual([...builds].sort());

    const results = await Promise.all(builds.map((id, i) => (i % 2 ? a! : b!).finishJob('p', id, ok)));
    expect(results.every((r) => r !== undefined)).toBe(true);
    const state = (await b!.get('p'))!;
    expect(builds.filter((id) => state.jobs[id]!.state === 'success')).toHaveLength(50);
    // The sign job became ready once, for the one result that was the last build.
    expect(results.flatMap((r) => ids(r!.effects.ready))).toEqual(['sign.r']);
    expect(state.jobs['sign.r']!.state).toBe('queued');

    // A result delivered again changes nothing and hands out nothing.
    expect(await a!.finishJob('p', 'build.n7', ok)).toBeUndefined();
    expect(await a!.takeReady('p')).toEqual([]);
  });

  it('within max-parallel, a farm feeding results to either replica runs every job exactly once', async () => {
    const { stores: two } = replicas(2);
    await two[0]!.create('p', pipeline('max-parallel: 5\n'));
    const handedOut: string[] = [];
    const queue: Job[] = [];
    const take = (jobs: Job[]) => {
      handedOut.push(...ids(jobs));
      queue.push(...jobs);
    };
    take(await two[1]!.takeReady('p'));
    expect(handedOut).toHaveLength(5);
    let delivered = 0;
    // Ten workers; each result goes to whichever replica, as webhooks and queue events would.
    const worker = async (): Promise<void> => {
      while (true) {
        const job = queue.shift();
        if (!job) {
          if (handedOut.length === 52 && queue.length === 0) return;
          await new Promise((r) => setTimeout(r, 2));
          continue;
        }
        const store = two[delivered++ % 2]!;
        await store.markRunning('p', job.id);
        await new Promise((r) => setTimeout(r, Math.random() * 5));
        const result = await store.finishJob('p', job.id, ok);
        take(result?.effects.ready ?? []);
      }
    };
    await Promise.all(Array.from({ length: 10 }, worker));
    expect(handedOut.sort()).toEqual([...builds, 'sign.r', 'publish.r'].sort());
    const state = (await two[0]!.get('p'))!;
    expect(isFinished(state)).toBe(true);
    expect(Object.values(state.jobs).every((j) => j.state === 'success')).toBe(true);
  });

  it('a replica whose connections die mid-pipeline loses nothing: the other carries it to the end', async () => {
    const name = `replica-a-${randomUUID()}`;
    // Replica A does not reconnect: it is gone.
    const {
      stores: [a, b],
      clients: [clientA],
    } = replicas(2, [{ connectionName: name, retryStrategy: () => null, maxRetriesPerRequest: 0 }]);
    await b!.create('p', pipeline());
    const handedOut = await b!.takeReady('p');

    let done = 0;
    const dying = builds.map((id) =>
      a!.finishJob('p', id, ok).then((r) => {
        if (++done === 10) {
          // The replica dies: nothing new starts on it, its open connections are cut.
          void a!.close();
          clientA!.disconnect();
          void (async () => {
            const list = (await admin.client('LIST')) as string;
            for (const line of list.split('\n').filter((l) => l.includes(` name=${name} `))) {
              await admin.client('KILL', 'ID', /\bid=(\d+)/.exec(line)![1]!);
            }
          })();
        }
        return r;
      }),
    );
    const fromA = await Promise.allSettled(dying);
    const appliedByA = fromA.filter((r) => r.status === 'fulfilled');
    expect(appliedByA.length).toBeGreaterThanOrEqual(10);
    expect(appliedByA.length).toBeLessThan(50);

    // What A applied is in Redis; the queue redelivers every result A did not acknowledge (here: all).
    const before = (await b!.get('p'))!;
    expect(builds.filter((id) => before.jobs[id]!.state === 'success').length).toBeGreaterThanOrEqual(10);
    const fromB = await Promise.all(builds.map((id) => b!.finishJob('p', id, ok)));
    for (const r of appliedByA) handedOut.push(...(r.value?.effects.ready ?? []));
    for (const r of fromB) handedOut.push(...(r?.effects.ready ?? []));
    const sign = await b!.finishJob('p', 'sign.r', ok);
    handedOut.push(...(sign?.effects.ready ?? []));
    const publish = await b!.finishJob('p', 'publish.r', ok);
    expect(publish?.effects.ready).toEqual([]);

    expect(ids(handedOut).sort()).toEqual([...builds, 'sign.r', 'publish.r'].sort());
    const state = (await b!.get('p'))!;
    expect(isFinished(state)).toBe(true);
    expect(Object.values(state.jobs).every((j) => j.state === 'success')).toBe(true);
  });

  it('a finished pipeline expires days after it finished; a running one does not', async () => {
    const {
      stores: [a],
    } = replicas(1);
    await a!.create('p', pipeline('max-parallel: 50\n'));
    await a!.takeReady('p');
    await Promise.all(builds.map((id) => a!.finishJob('p', id, ok)));
    expect(await admin.ttl(a!.key('p'))).toBe(-1);
    await a!.finishJob('p', 'sign.r', ok);
    const last = await a!.finishJob('p', 'publish.r', ok);
    expect(isFinished(last!.state)).toBe(true);
    const ttl = await admin.ttl(a!.key('p'));
    expect(ttl).toBeGreaterThan(3 * 24 * 3600 - 60);
    expect(ttl).toBeLessThanOrEqual(3 * 24 * 3600);

    // A cancelled pipeline, once its running jobs report, expires too.
    await a!.create('q', pipeline());
    await a!.takeReady('q');
    expect((await a!.cancel('q', 'superseded'))?.cancelled).toBe('superseded');
    expect(await a!.cancel('q', 'again')).toBeUndefined();
    expect(await admin.ttl(a!.key('q'))).toBe(-1);
    await Promise.all(
      builds.map((id) => a!.finishJob('q', id, { state: 'cancelled', reason: 'superseded' })),
    );
    expect(isFinished((await a!.get('q'))!)).toBe(true);
    expect(await admin.ttl(a!.key('q'))).toBeGreaterThan(0);
  });
});
