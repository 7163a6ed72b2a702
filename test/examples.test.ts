import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { albs, REPO_ROOT } from './helpers/cli.js';

const examples = readdirSync(join(REPO_ROOT, 'examples'), { withFileTypes: true })
  // examples/workflows holds GitHub Actions workflows (test/action/examples.test.ts), not a package.
  .filter((d) => d.isDirectory() && d.name !== 'workflows')
  .map((d) => `examples/${d.name}`);

describe('the bundled examples', () => {
  it('there are at least three: noarch, C with a matrix, src.rpm link', () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
    const texts = examples.map((e) => readFileSync(join(REPO_ROOT, e, '.albs.yml'), 'utf8'));
    expect(texts.some((t) => /include:/.test(t) && /exclude:/.test(t))).toBe(true);
    expect(texts.some((t) => /srpm:\s*\S+/.test(t) && /sha256:\s*"?[0-9a-f]{64}/.test(t))).toBe(true);
  });

  it.each(examples)('%s validates with no problem', async (example) => {
    const result = await albs(['validate', example]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
  });

  it.each(examples)('%s plans for a tag, a branch and a pull request', async (example) => {
    for (const [event, ref] of [
      ['tag', 'v1.0.0'],
      ['branch', 'main'],
      ['pull_request', 'fix'],
    ]) {
      const result = await albs(['plan', example, '--event', event!, '--ref', ref!, '--json']);
      expect(result.exitCode).toBe(0);
      const plan = JSON.parse(result.stdout);
      if (plan.skipped) continue;
      expect(plan.jobs.filter((j: { stage: string }) => j.stage === 'build').length).toBeGreaterThan(0);
      if (event === 'pull_request') {
        expect(plan.jobs.every((j: { stage: string }) => j.stage === 'build' || j.stage === 'test')).toBe(
          true,
        );
      }
    }
  });
});
