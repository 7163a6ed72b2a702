import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { INPUTS, OUTPUTS } from '../../src/action/inputs.js';
import { REPO_ROOT } from '../helpers/cli.js';

interface ActionYml {
  runs: { using: string; main: string };
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
}

const action = parse(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as ActionYml;
const schema = JSON.parse(
  readFileSync(join(REPO_ROOT, 'test', 'action', 'fixtures', 'github-action.schema.json'), 'utf8'),
) as Record<string, unknown>;
// SchemaStore's schema uses keywords and formats of its own: checked for structure, not strictness.
const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);

/** The rows of the markdown table under `### heading` in the README's GitHub Action section: first cells. */
function tableRows(heading: string): string[] {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## GitHub Action\n'));
  const start = section.indexOf(`### ${heading}\n`);
  expect(start, `the README's GitHub Action section has a "### ${heading}" table`).toBeGreaterThan(-1);
  const lines = section.slice(start).split('\n').slice(1);
  const table = lines.slice(lines.findIndex((l) => l.startsWith('|')));
  return table
    .slice(
      2,
      table.findIndex((l) => !l.startsWith('|')),
    )
    .map((l) => /^\| `([^`]+)` \|/.exec(l)?.[1] ?? l);
}

describe('action.yml', () => {
  it("is valid by SchemaStore's github-action schema", () => {
    const valid = validate(action);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema is a real check: it refuses a runtime GitHub does not know and an input without a description', () => {
    expect(validate({ ...action, runs: { ...action.runs, using: 'node99' } })).toBe(false);
    expect(validate({ ...action, inputs: { ...action.inputs, mode: { default: 'run' } } })).toBe(false);
  });

  it('runs the committed ESM bundle on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/action/index.js' });
    expect(existsSync(join(REPO_ROOT, action.runs.main))).toBe(true);
  });

  it('has the inputs the code reads, with the same defaults, each described', () => {
    expect(Object.keys(action.inputs)).toEqual(Object.keys(INPUTS));
    for (const [name, spec] of Object.entries(INPUTS)) {
      const yml = action.inputs[name]!;
      expect(yml.description.length, name).toBeGreaterThan(20);
      expect(yml.required ?? false, name).toBe(false);
      // The runner gives the default; the code falls back to the same value when it is absent.
      expect(yml.default, name).toBe(name === 'out' ? '${{ runner.temp }}/albs-out' : spec.default);
    }
  });

  it('has the outputs the code sets, each described', () => {
    expect(Object.keys(action.outputs)).toEqual([...OUTPUTS]);
    for (const name of OUTPUTS) expect(action.outputs[name]!.description.length, name).toBeGreaterThan(10);
  });

  it("the README's GitHub Action section has a row for every input and output, and no others", () => {
    expect(tableRows('Inputs')).toEqual(Object.keys(INPUTS));
    expect(tableRows('Outputs')).toEqual([...OUTPUTS]);
  });

  it('the stored schema knows node24 (see fixtures/README.md)', () => {
    const runs = (schema.definitions as Record<string, { properties: { using: { enum: string[] } } }>)[
      'runs-javascript'
    ]!;
    expect(runs.properties.using.enum).toContain('node24');
  });
});
