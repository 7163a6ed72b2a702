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

describe('localKeyRing (openpgp.js loaded on the first key asked for)', () => {
  it('a --key file that is no key: the signer rejects, naming the file', async () => {
    const bad = join(dir, 'not-a-key.asc');
    writeFileSync(bad, 'hello\n');
    const { keys } = ring({ keyFile: bad });
    await expect(keys.signer('release')).rejects.toThrow(/not-a-key\.asc/);
    await keys.close();
  });

  it('no key given: a throwaway Ed25519 key is made in OUT/keys/NAME, with a warning, and reused', async () => {
    const throwawayDir = join(dir, 'throwaway');
    const first = ring({ throwawayDir });
    const made = await first.keys.signer('release');
    expect(made.key.algorithm).toBe('EdDSA');
    expect(first.warnings.join('\n')).toMatch(/THROWAWAY key kept in .*throwaway\/release/);
    await first.keys.close();
    const second = ring({ throwawayDir });
    expect((await second.keys.signer('release')).key.fingerprint).toBe(made.key.fingerprint);
    await second.keys.close();
  });
});
