/**
 * The README's first command after `npm ci`: `./albs run examples/hello-noarch` (build, rpmlint, an
 * install test, the smoke test, signing with a throwaway key, publishing). Whole-process wall time
 * of a first run (a copy of the example with no OUT, so no throwaway key yet) and of a second run
 * with a fresh OUT, beside the job time the run reports: the rest is albs's own. The goal is at
 * most 3 s for either.
 */
import { chmod, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { seconds, spread } from './spread.js';

const ROUNDS = 3;
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export async function benchQuickstart(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'albs-bench-quickstart-'));
  // Readable by others, as a clone is: else albs, as root, builds from a copy its build uid can read.
  await chmod(work, 0o755);
  try {
    const first: Run[] = [];
    const second: Run[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const example = join(work, `hello-noarch-${round}`);
      await cp(join(ROOT, 'examples', 'hello-noarch'), example, {
        recursive: true,
        filter: (src) => basename(src) !== '.albs',
      });
      first.push(await quickstart(example));
      await rm(join(example, '.albs'), { recursive: true, force: true });
      second.push(await quickstart(example));
    }
    const line = (runs: Run[]) => {
      const [walls, jobs] = [runs.map((r) => r.wall), runs.map((r) => r.jobs)];
      return `${spread(walls, seconds)} wall, ${spread(jobs, seconds)} of it job time`;
    };
    process.stdout.write(
      `quickstart: ./albs run examples/hello-noarch (4 jobs, throwaway key), ${ROUNDS} rounds (goal at most 3 s):\n` +
        `  first run (no OUT, no key) ${line(first)}\n` +
        `  second run (fresh OUT)     ${line(second)}\n`,
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

interface Run {
  /** Milliseconds from start to exit. */
  wall: number;
  /** Milliseconds the jobs took, as pipeline.json reports them. */
  jobs: number;
}

async function quickstart(example: string): Promise<Run> {
  const started = performance.now();
  await execa(join(ROOT, 'albs'), ['run', example], { stdin: 'ignore' });
  const wall = performance.now() - started;
  const summary = JSON.parse(await readFile(join(example, '.albs', 'out', 'pipeline.json'), 'utf8')) as {
    result: string;
    jobs: { durationMs: number | null }[];
  };
  if (summary.result !== 'success') throw new Error(`the quickstart pipeline ended in ${summary.result}`);
  const jobs = summary.jobs.reduce((sum, j) => sum + (j.durationMs ?? 0), 0);
  return { wall, jobs };
}
