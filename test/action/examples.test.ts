import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { INPUTS, OUTPUTS } from '../../src/action/inputs.js';
import { REPO_ROOT } from '../helpers/cli.js';

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { 'runs-on': string; steps: Step[] }>;
}

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const EXAMPLES = ['albs-run.yml', 'albs-submit.yml'];
const text = (name: string) => readFileSync(join(REPO_ROOT, 'examples', 'workflows', name), 'utf8');
const workflow = (name: string) => parse(text(name)) as Workflow;

describe('the example workflows', () => {
  it.each(EXAMPLES)('%s is shown verbatim in the README', (name) => {
    expect(readme).toContain(`\`examples/workflows/${name}\`:\n\n\`\`\`yaml\n${text(name)}\`\`\``);
  });

  it.each(EXAMPLES)('%s gives the action only inputs it has, and reads only outputs it sets', (name) => {
    const steps = Object.values(workflow(name).jobs).flatMap((job) => job.steps);
    const action = steps.filter((s) => s.uses === 'OWNER/albs-ci@v1');
    expect(action).toHaveLength(1);
    for (const key of Object.keys(action[0]!.with ?? {})) expect(Object.keys(INPUTS)).toContain(key);
    const id = action[0]!.id!;
    for (const [, output] of text(name).matchAll(new RegExp(`steps\\.${id}\\.outputs\\.([a-z-]+)`, 'g'))) {
      expect(OUTPUTS as readonly string[]).toContain(output);
    }
  });

  it('albs-run.yml: pushes and pull requests build on an ubuntu-latest runner; tags upload the repositories', () => {
    const run = workflow('albs-run.yml');
    expect(Object.keys(run.on)).toEqual(['push', 'pull_request']);
    const [job] = Object.values(run.jobs);
    expect(job!['runs-on']).toBe('ubuntu-latest');
    const upload = job!.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.if).toBe("startsWith(github.ref, 'refs/tags/')");
    expect(upload?.with?.path).toBe('${{ steps.albs.outputs.out }}/repos/');
  });

  it('albs-submit.yml: submit mode, the token from a secret', () => {
    const steps = Object.values(workflow('albs-submit.yml').jobs).flatMap((job) => job.steps);
    const action = steps.find((s) => s.uses === 'OWNER/albs-ci@v1')!;
    expect(action.with).toMatchObject({ mode: 'submit', token: '${{ secrets.ALBS_SUBMIT_TOKEN }}' });
    expect(action.with?.['server-url']).toMatch(/^https:\/\//);
  });
});
