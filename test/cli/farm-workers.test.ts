import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { albs } from '../helpers/cli.js';

/** What a host's operator sees when `albs runner` or `albs signer` cannot start: a sentence and exit 2. */
describe('albs runner and albs signer refuse a bad setup with a clear message', () => {
  const dir = mkdtempSync(join(tmpdir(), 'albs-workers-'));
  const token = (mode: number, text = 'a-runner-token-0123456789') => {
    const file = join(dir, `token-${mode.toString(8)}-${text.length}`);
    writeFileSync(file, `${text}\n`, { mode });
    return file;
  };
  const redis = inject('redisUrl');

  it('a token file others may read', async () => {
    const file = token(0o644);
    const result = await albs([
      'runner',
      '--server',
      'http://127.0.0.1:9',
      '--token-file',
      file,
      '--redis',
      redis,
    ]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`--token-file: ${file} is open to its group or others`);
    expect(result.stderr).toContain(`chmod 600 ${file}`);
    expect(result.stderr).not.toContain('internal error');
  });

  it('--labels naming another architecture', async () => {
    const result = await albs([
      'runner',
      '--server',
      'http://127.0.0.1:9',
      '--token-file',
      token(0o600),
      '--labels',
      process.arch === 'arm64' ? 'x86_64' : 'aarch64',
      '--redis',
      redis,
    ]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/--labels names (aarch64|x86_64), an architecture this \S+ host is not/);
  });

  it('no Redis given', async () => {
    const result = await albs(
      ['signer', '--server', 'http://127.0.0.1:9', '--token-file', token(0o600), '--keys-dir', dir],
      {
        env: { REDIS_URL: '' },
      },
    );
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/--keys-dir .* holds no NAME\.asc key|no Redis: give --redis URL/);
  });

  it('a server that cannot be reached: the runner says it cannot join the farm', async () => {
    const result = await albs([
      'runner',
      '--server',
      'http://127.0.0.1:9',
      '--token-file',
      token(0o600, 'runner-9 a-runner-token-0123456789 runner'),
      '--redis',
      redis,
    ]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('albs runner cannot join the farm');
  }, 60_000);
});
