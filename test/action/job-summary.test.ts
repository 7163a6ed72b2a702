import { describe, expect, it } from 'vitest';
import { matrixGrid } from '../../src/action/job-summary.js';
import { loadConfig } from '../../src/config/index.js';
import { buildPlan } from '../../src/plan/index.js';

function planOf(yaml: string) {
  const { config, problems } = loadConfig(yaml, '.albs.yml');
  expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
  return { plan: buildPlan(config!, { event: 'branch', ref: 'main' }), matrix: config!.matrix };
}

describe('the matrix grid of the job summary', () => {
  it('a column per arch as written, a row per combination of the other keys in plan order, "—" where a row lacks an arch', () => {
    const { plan, matrix } = planOf(`version: 1
matrix:
  dist: [almalinux-9, almalinux-8]
  arch: [x86_64, aarch64, ppc64le]
  exclude: [{dist: almalinux-8, arch: ppc64le}]
test: [rpmlint]
`);
    const outcomes = Object.fromEntries(
      plan.jobs.map((j) => [
        j.id,
        j.matrix.arch === 'aarch64' && j.stage === 'build'
          ? { state: 'failure', reason: 'rpmbuild failed', durationMs: 12_345 }
          : j.matrix.arch === 'aarch64'
            ? { state: 'skipped', reason: null, durationMs: null }
            : { state: 'success', reason: null, durationMs: 1500 },
      ]),
    );
    expect(matrixGrid(plan, matrix, outcomes).split('\n')).toEqual([
      '| dist | x86_64 | aarch64 | ppc64le |',
      '|---|---|---|---|',
      '| almalinux-9 | ✅ build success 1.5 s<br>✅ test success 1.5 s | ❌ build failure 12 s<br>⏭️ test skipped | ✅ build success 1.5 s<br>✅ test success 1.5 s |',
      '| almalinux-8 | ✅ build success 1.5 s<br>✅ test success 1.5 s | ❌ build failure 12 s<br>⏭️ test skipped | — |',
    ]);
  });

  it('one column when the matrix has no arch; a row per other combination', () => {
    const { plan, matrix } = planOf('version: 1\nmatrix:\n  dist: [almalinux-9, almalinux-10]\n');
    const outcomes = Object.fromEntries(
      plan.jobs.map((j) => [j.id, { state: 'running', reason: null, durationMs: null }]),
    );
    expect(matrixGrid(plan, matrix, outcomes).split('\n')).toEqual([
      '| dist | build · test |',
      '|---|---|',
      '| almalinux-9 | 🔄 build running |',
      '| almalinux-10 | 🔄 build running |',
    ]);
  });

  it('an arch only an include adds gets its column after those written; a combination without a key shows "—" there', () => {
    const { plan, matrix } = planOf(`version: 1
matrix:
  arch: [x86_64]
  dist: [almalinux-9]
  include: [{arch: s390x}]
`);
    const outcomes = Object.fromEntries(
      plan.jobs.map((j) => [j.id, { state: 'success', reason: null, durationMs: 60_000 }]),
    );
    expect(matrixGrid(plan, matrix, outcomes).split('\n')).toEqual([
      '| dist | x86_64 | s390x |',
      '|---|---|---|',
      '| almalinux-9 | ✅ build success 1 min 0 s | — |',
      '| — | — | ✅ build success 1 min 0 s |',
    ]);
  });
});
