import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/cli.js';

/**
 * src/config, src/plan and src/pipeline take values and return values: no disk, env, clock,
 * network, processes or randomness. This reads their sources and names any file that reaches out.
 */
const PURE = ['src/config', 'src/plan', 'src/pipeline'];
const FORBIDDEN: [RegExp, string][] = [
  [
    /from\s+['"](node:)?(fs|fs\/promises|child_process|net|http|https|http2|os|dgram|dns|tls|worker_threads|cluster|process|crypto|readline)['"]/,
    'a Node I/O module',
  ],
  [/from\s+['"](execa|bullmq|ioredis|openpgp|probot|pino|@octokit\/[^'"]+)['"]/, 'an edge library'],
  [/import\(/, 'a dynamic import'],
  [/\bprocess\./, 'process (env, argv, cwd)'],
  [/\bDate\.now\(|\bnew Date\(/, 'the clock'],
  [/\bperformance\.now\(/, 'the clock'],
  [/\bMath\.random\(|\bcrypto\.getRandomValues|\brandomUUID\(/, 'randomness'],
  [/\bfetch\(|\bXMLHttpRequest\b|\bWebSocket\b/, 'the network'],
  [/\brequire\(/, 'require'],
];
// Imports inside the pure core may only point at the pure core itself or at these pure libraries.
const ALLOWED_PACKAGES = [
  'yaml',
  'ajv/dist/2020.js',
  // The helpers of the schema validator compiled ahead of time (albs-schema-validator.generated.ts).
  'ajv/dist/runtime/equal.js',
  'ajv/dist/runtime/ucs2length.js',
  'fastest-levenshtein',
  'picomatch',
];

function sources(dir: string): string[] {
  const path = join(REPO_ROOT, dir);
  if (!existsSync(path)) return [];
  return readdirSync(path, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('the pure core', () => {
  const files = PURE.flatMap(sources);

  it('has sources to check', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(files)('%s reads no disk, env, clock, network or randomness', (file) => {
    const text = readFileSync(join(REPO_ROOT, file), 'utf8');
    const found = FORBIDDEN.filter(([pattern]) => pattern.test(text)).map(([, what]) => what);
    expect(found, `${file} uses ${found.join(', ')}`).toEqual([]);
    for (const [, spec] of text.matchAll(/from\s+['"]([^'"]+)['"]/g)) {
      if (spec!.startsWith('.')) {
        const target = relative(REPO_ROOT, join(REPO_ROOT, file, '..', spec!));
        const inside = PURE.some((p) => target.startsWith(`${p}/`)) || target.startsWith('schemas/');
        expect(inside, `${file} imports ${spec}, outside the pure core`).toBe(true);
      } else {
        expect(ALLOWED_PACKAGES, `${file} imports the package ${spec}`).toContain(spec);
      }
    }
  });
});
