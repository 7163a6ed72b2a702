import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';

const COMMITTED = join(REPO_ROOT, 'dist', 'action');

describe('the committed bundle, dist/action', () => {
  const fresh = mkdtempSync(join(tmpdir(), 'albs-action-bundle-'));
  afterAll(() => rmSync(fresh, { recursive: true, force: true }));

  it('is what `npm run build:action` makes of the sources now (else: run it and commit dist/action)', async () => {
    const built = await execa(process.execPath, ['scripts/build-action.mjs', '--outdir', fresh], {
      cwd: REPO_ROOT,
      reject: false,
    });
    expect(built.stderr).toBe('');
    expect(built.exitCode).toBe(0);
    const want = readdirSync(fresh).sort();
    const have = readdirSync(COMMITTED).sort();
    const stale = [
      ...want.filter((f) => !have.includes(f)).map((f) => `${f} (missing)`),
      ...have.filter((f) => !want.includes(f)).map((f) => `${f} (no longer built)`),
      ...want
        .filter((f) => have.includes(f))
        .filter((f) => !readFileSync(join(fresh, f)).equals(readFileSync(join(COMMITTED, f))))
        .map((f) => `${f} (differs)`),
    ];
    expect(stale, 'dist/action is stale: run `npm run build:action` and commit dist/action').toEqual([]);
  });

  it('needs nothing but Node itself: a runner has no node_modules beside it', () => {
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    for (const file of readdirSync(COMMITTED)) {
      const text = readFileSync(join(COMMITTED, file), 'utf8');
      const specifiers = [
        ...text.matchAll(/^\s*import\s[^'"]*?from\s*"([^"]+)"/gm),
        ...text.matchAll(/^\s*import\s*"([^"]+)"/gm),
        ...text.matchAll(/\b(?:__)?require\("([^"]+)"\)(?!\.default';)/g),
      ].map((m) => m[1]!);
      const outside = specifiers.filter((s) => !s.startsWith('./') && !builtins.has(s));
      expect(outside, file).toEqual([]);
    }
  });

  it('holds the three entries: the action, `albs run`, and the signer worker beside them', () => {
    expect(readdirSync(COMMITTED)).toEqual(expect.arrayContaining(['index.js', 'albs.js', 'sign-worker.js']));
  });
});
