import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadConfig } from '../../src/config/index.js';
import { buildPlan } from '../../src/plan/index.js';
import { REPO_ROOT } from '../helpers/cli.js';

const VOCABULARY = [
  'version',
  'source',
  'spec',
  'srpm',
  'sha256',
  'dir',
  'on',
  'tags',
  'branches',
  'pull_requests',
  'matrix',
  'arch',
  'dist',
  'include',
  'exclude',
  'build',
  'builder',
  'runs-on',
  'timeout',
  'env',
  'mock',
  'config',
  'options',
  'test',
  'run',
  'name',
  'rpmlint',
  'ignore',
  'install',
  'repos',
  'sign',
  'key',
  'publish',
  'repo',
  'when',
  'fail-fast',
  'max-parallel',
  'concurrency',
  'cancel-in-progress',
  'network',
  'limits',
  'memory',
  'tasks',
  'disk',
  'gpgkeys',
  'gpgcheck',
  'dpkg',
  'sbuild',
];
const SCALARS = [
  1,
  0,
  -1,
  2.5,
  true,
  false,
  null,
  '',
  'x86_64',
  'aarch46',
  'mock',
  'rpmbuild',
  'dpkg',
  'tag',
  'branch',
  '2h',
  '0s',
  '${{ matrix.arch }}',
  '${{ matrix.nope }}',
  '${{ github.ref }}',
  '${{ matrix.dist',
  '../x',
  'https://x/y.src.rpm',
  '8GiB',
  '8GB',
  4096,
  'file:///etc/key',
  '--chroot=x',
  'a\tb',
  'x'.repeat(210),
];

/** Random documents shaped like .albs.yml: known keys at any depth, odd values everywhere. */
const albsLike = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(...SCALARS),
    fc.string(),
    fc.array(tie('value'), { maxLength: 4 }),
    tie('map'),
  ),
  map: fc.dictionary(fc.oneof(fc.constantFrom(...VOCABULARY), fc.string({ maxLength: 6 })), tie('value'), {
    maxKeys: 5,
  }),
})).map;

const documents = fc.oneof(
  albsLike.map((doc) => stringify({ version: 1, ...doc })),
  albsLike.map((doc) => stringify(doc)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom('', '---', '- a', ': :', '"', '[', '{a: 1', 'a: *b', '&a [*a]', 'version: 1\n\t- x'),
);

function examples(): string[] {
  const dir = join(REPO_ROOT, 'examples');
  const found = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory());
  const texts = found.flatMap((d) => {
    try {
      return [readFileSync(join(dir, d.name, '.albs.yml'), 'utf8')];
    } catch {
      return [];
    }
  });
  return texts.length ? texts : ['version: 1\nmatrix:\n  arch: [x86_64]\n'];
}

/** Edits a person makes by mistake: a character lost, added or changed, a line repeated or moved. */
const mutations = (texts: string[]) =>
  fc
    .tuple(
      fc.constantFrom(...texts),
      fc.array(
        fc.tuple(
          fc.nat(),
          fc.nat(),
          fc.constantFrom('del', 'ins', 'dup', 'swap'),
          fc.string({ minLength: 1, maxLength: 1 }),
        ),
        { minLength: 1, maxLength: 4 },
      ),
    )
    .map(([text, edits]) => {
      let out = text;
      for (const [a, b, kind, ch] of edits) {
        const i = a % (out.length + 1);
        const lines = out.split('\n');
        const l = b % lines.length;
        if (kind === 'del') out = out.slice(0, i) + out.slice(i + 1);
        if (kind === 'ins') out = out.slice(0, i) + ch + out.slice(i);
        if (kind === 'dup') out = [...lines.slice(0, l + 1), ...lines.slice(l)].join('\n');
        if (kind === 'swap') {
          const m = (l + 1) % lines.length;
          [lines[l], lines[m]] = [lines[m]!, lines[l]!];
          out = lines.join('\n');
        }
      }
      return out;
    });

function checkLoad(text: string): void {
  const result = loadConfig(text, 'fuzz.yml');
  const lines = text.split('\n').length;
  for (const p of result.problems) {
    expect(p.file).toBe('fuzz.yml');
    expect(p.line).toBeGreaterThanOrEqual(1);
    expect(p.line).toBeLessThanOrEqual(lines + 1);
    expect(p.col).toBeGreaterThanOrEqual(1);
    expect(p.message.length).toBeGreaterThan(10);
  }
  expect(result.config === null).toBe(result.problems.some((p) => p.severity === 'error'));
  if (result.config) {
    for (const event of ['tag', 'branch', 'pull_request'] as const) {
      for (const job of buildPlan(result.config, { event, ref: 'v1' }).jobs) {
        expect(job.id).toMatch(/^[a-z0-9][a-z0-9._-]*$/);
        expect(job.id.length).toBeLessThanOrEqual(200);
        expect(job.name).not.toMatch(/\p{Cc}/u);
        if (job.stage === 'test') for (const step of job.steps) expect(step.name).not.toMatch(/\p{Cc}/u);
        if (event === 'pull_request' && job.stage === 'build') expect(job.network).toBe(false);
      }
    }
  }
}

describe('fuzz: validation never throws and every problem has a position', () => {
  it('random documents', () => {
    fc.assert(fc.property(documents, checkLoad), { numRuns: 3000 });
  });

  it('mutations of the examples', () => {
    fc.assert(fc.property(mutations(examples()), checkLoad), { numRuns: 3000 });
  });
});
