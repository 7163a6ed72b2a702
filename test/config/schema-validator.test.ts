import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';

describe('the schema validator compiled ahead of time', () => {
  it('is what schemas/albs.schema.json compiles to (else run scripts/compile-schema.mjs)', async () => {
    const check = await execa(process.execPath, ['scripts/compile-schema.mjs', '--check'], {
      cwd: REPO_ROOT,
      reject: false,
    });
    expect(check.stderr).toBe('');
    expect(check.exitCode).toBe(0);
  });
});
