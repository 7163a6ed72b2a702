/**
 * The overhead albs adds to each `run:` step: one test job of 100 no-op steps through `albs run`,
 * against the same 100 commands in a bash loop. Both whole-process wall time, side by side.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const STEPS = 100;
const SPEC =
  'Name: noop\nVersion: 1\nRelease: 1\nSummary: no-op\nLicense: MIT\nBuildArch: noarch\n%description\nno-op\n%files\n';
const ALBS = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

async function wall(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return (performance.now() - started) / 1000;
}

export async function benchRun(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'albs-bench-run-'));
  writeFileSync(join(dir, 'noop.spec'), SPEC);
  const steps = Array.from({ length: STEPS }, (_, i) => `  - run: "true"\n    name: step-${i}`).join('\n');
  writeFileSync(join(dir, '.albs.yml'), `version: 1\ntest:\n${steps}\n`);

  // The build job is the same for both sides: time it alone and take it out.
  const buildOnly = mkdtempSync(join(tmpdir(), 'albs-bench-build-'));
  writeFileSync(
    join(buildOnly, 'noop.spec'),
    `Name: noop\nVersion: 1\nRelease: 1\nSummary: no-op\nLicense: MIT\nBuildArch: noarch\n%description\nno-op\n%files\n`,
  );
  writeFileSync(join(buildOnly, '.albs.yml'), 'version: 1\n');
  const run = (d: string) =>
    execa(process.execPath, [ALBS, 'run', d, '--log-format', 'json'], { stdin: 'ignore' });
  const build = await wall(() => run(buildOnly));
  const albs = await wall(() => run(dir));
  const script = `for i in $(seq 1 ${STEPS}); do bash -e -o pipefail -c true; done`;
  const bash = await wall(() => execa('bash', ['-c', script]));
  const perStepAlbs = ((albs - build) / STEPS) * 1000;
  const perStepBash = (bash / STEPS) * 1000;
  console.log(
    `run steps: ${STEPS} no-op steps: albs ${perStepAlbs.toFixed(1)} ms/step (job total ${(albs - build).toFixed(2)} s, build job ${build.toFixed(2)} s apart), bash loop ${perStepBash.toFixed(1)} ms/step: albs is ${(perStepAlbs / perStepBash).toFixed(1)}x the bash loop per step`,
  );
  rmSync(dir, { recursive: true, force: true });
  rmSync(buildOnly, { recursive: true, force: true });
}
