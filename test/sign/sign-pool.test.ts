import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readKeyMaterial } from '../../src/sign/index.js';
import { IN_FLIGHT_PER_THREAD, SignPool } from '../../src/sign/sign-pool.js';
import { signRpmFile } from '../../src/sign/sign-rpm.js';
import { buildRpms, makeKey, rpmKeyring, type TestKey, tempDir } from './helpers.js';

// Worker threads run compiled JavaScript: the built worker (npm run build) stands in for the sources.
const builtWorker = new URL('../../dist/src/sign/sign-worker.js', import.meta.url);

let key: TestKey;
let pool: SignPool;

beforeAll(async () => {
  if (!existsSync(fileURLToPath(builtWorker))) {
    throw new Error(`${fileURLToPath(builtWorker)} is missing: run \`npm run build\` before the tests`);
  }
  key = await makeKey('ed25519', 'pool passphrase');
  const material = await readKeyMaterial(
    { keyFile: key.privateKey },
    { ALBS_KEY_PASSPHRASE: 'pool passphrase' },
  );
  pool = new SignPool(material, 2, builtWorker);
});

afterAll(async () => {
  await pool.close();
});

it('worker threads unlock the key from memory and sign what the calling thread does not get to', async () => {
  const dir = await tempDir();
  const rpms = await buildRpms(
    dir,
    // More than the calling thread keeps in flight, so that some are left for workers to take.
    Array.from({ length: 48 }, (_, i) => ({ name: `pool-${i}` })),
  );
  let local = 0;
  // A calling thread kept busy (not waiting, as for the thread pool's signatures): the batch is worth
  // starting workers for, and they must take the rest.
  const slowLocal = async (path: string) => {
    local++;
    const until = performance.now() + 50;
    while (performance.now() < until);
    return signRpmFile(path, key.signer);
  };
  const seen: string[] = [];

  const outcomes = await pool.run(rpms, 2, slowLocal, (o) => seen.push(o.path));

  expect(outcomes.map((o) => o.path)).toEqual(rpms);
  expect(outcomes.every((o) => o.ok)).toBe(true);
  expect(local).toBeLessThan(rpms.length);
  expect(pool.workerCount).toBeGreaterThan(0);
  expect([...seen].sort()).toEqual([...rpms].sort());
  const check = await (await rpmKeyring(dir, [key.publicKey])).checksig(rpms);
  expect(check.exitCode).toBe(0);
});

it('reports a package a worker refused in its outcome, with the error class and message', async () => {
  const dir = await tempDir();
  const rpms = await buildRpms(
    dir,
    Array.from({ length: IN_FLIGHT_PER_THREAD }, (_, i) => ({ name: `pool-held-${i}` })),
  );
  const bad = `${dir}/bad.rpm`;
  await writeFile(bad, 'not a package');
  // The calling thread holds the first packages (as many as it keeps in flight) until a worker has
  // answered for the bad one, which therefore can only go to a worker (alive since the first test).
  let badDone: () => void = () => undefined;
  const workerAnswered = new Promise<void>((resolve) => {
    badDone = resolve;
  });
  const local = async (path: string) => {
    if (path === bad) throw new Error('the calling thread took the package meant for a worker');
    await workerAnswered;
    return signRpmFile(path, key.signer);
  };

  expect(pool.workerCount, 'the workers the first test started').toBeGreaterThan(0);
  const outcomes = await pool.run([...rpms, bad], 2, local, (o) => {
    if (o.path === bad) badDone();
  });

  const last = outcomes[IN_FLIGHT_PER_THREAD]!;
  expect(last.ok).toBe(false);
  expect(!last.ok && last.error.name).toBe('RpmFormatError');
  expect(!last.ok && last.error.message).toContain(`${bad}: not an RPM package`);
  expect(outcomes.slice(0, IN_FLIGHT_PER_THREAD).every((o) => o.ok)).toBe(true);
  expect(await readFile(bad, 'utf8')).toBe('not a package');
});

it.runIf(availableParallelism() <= 5)(
  'starts no worker while the calling thread only waits (for the thread pool, which already has the cores)',
  async () => {
    const material = await readKeyMaterial(
      { keyFile: key.privateKey },
      { ALBS_KEY_PASSPHRASE: 'pool passphrase' },
    );
    const fresh = new SignPool(material, 2, builtWorker);
    try {
      const dir = await tempDir();
      const rpms = await buildRpms(
        dir,
        Array.from({ length: 48 }, (_, i) => ({ name: `waiting-${i}` })),
      );
      const waiting = async (path: string) => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        return signRpmFile(path, key.signer);
      };
      const outcomes = await fresh.run(rpms, 2, waiting);
      expect(outcomes.every((o) => o.ok)).toBe(true);
      expect(fresh.workerCount).toBe(0);
    } finally {
      await fresh.close();
    }
  },
);

it('signs a small batch on the calling thread alone: starting a worker would cost more', async () => {
  const material = await readKeyMaterial(
    { keyFile: key.privateKey },
    { ALBS_KEY_PASSPHRASE: 'pool passphrase' },
  );
  const fresh = new SignPool(material, 2, builtWorker);
  try {
    const dir = await tempDir();
    const rpms = await buildRpms(
      dir,
      Array.from({ length: 12 }, (_, i) => ({ name: `small-${i}` })),
    );
    const outcomes = await fresh.run(rpms, 2, (path) => signRpmFile(path, key.signer));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(fresh.workerCount).toBe(0);
  } finally {
    await fresh.close();
  }
});
