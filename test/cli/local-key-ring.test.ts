import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localKeyRing } from '../../src/cli/local-key-ring.js';

const dir = mkdtempSync(join(tmpdir(), 'albs-keyring-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ring(options: { keyFile?: string; throwawayDir?: string }) {
  const warnings: string[] = [];
  const keys = localKeyRing({
    keyFile: options.keyFile,
    passphraseFile: undefined,
    env: {},
    throwawayDir: options.throwawayDir ?? join(dir, 'keys'),
    warn: (message) => warnings.push(message),
  });
  return { keys, warnings };
}

describe('localKeyRing.unlock', () => {
  it('rejects at once for a key that can be wrong: a --key file that is no key', async () => {
    const bad = join(dir, 'not-a-key.asc');
    writeFileSync(bad, 'hello\n');
    const { keys } = ring({ keyFile: bad });
    await expect(keys.unlock(['release'])).rejects.toThrow(/not-a-key\.asc/);
    await keys.close();
  });

  it('makes a throwaway key in the background: warns at once, and a failure reaches the sign job', async () => {
    // A throwaway directory under a file cannot be made.
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const { keys, warnings } = ring({ throwawayDir: join(file, 'keys') });
    await expect(keys.unlock(['release'])).resolves.toBeUndefined();
    expect(warnings.join('\n')).toMatch(/THROWAWAY key kept in .*a-file\/keys\/release/);
    await expect(keys.signer('release')).rejects.toThrow();
    await keys.close();
  });

  it('a throwaway key, once made, signs', async () => {
    const { keys, warnings } = ring({ throwawayDir: join(dir, 'good-keys') });
    await keys.unlock(['release']);
    const signer = await keys.signer('release');
    expect(signer.key.algorithm).toBe('EdDSA');
    expect(warnings).toHaveLength(1);
    await keys.close();
  });
});
