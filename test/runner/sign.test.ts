import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KeyRing } from '../../runner/steps/keys.js';
import { signStep } from '../../runner/steps/sign.js';
import type { Signer } from '../../src/sign/signer.js';
import { makeContext, signJob, tempDir } from './helpers.js';

/** A key ring whose signer only records what it was asked to sign: which files, not how, is tested here. */
function recordingKeys(): { keys: KeyRing; signed: string[] } {
  const signed: string[] = [];
  const signer = {
    key: { keyId: '0123456789ABCDEF', algorithm: 'ed25519' },
    signRpms: async (paths: readonly string[]) => {
      signed.push(...paths.map((p) => basename(p)));
      return paths.map((path) => ({ path, ok: true, result: {} }));
    },
  } as unknown as Signer;
  return { keys: { signer: async () => signer, publicKey: async () => '' }, signed };
}

/** Build outputs: by build id, files by name with their contents. */
async function builds(outputs: Record<string, Record<string, string>>): Promise<Record<string, string[]>> {
  const dir = await tempDir();
  const inputs: Record<string, string[]> = {};
  for (const [build, files] of Object.entries(outputs)) {
    await mkdir(join(dir, build));
    inputs[build] = [];
    for (const [name, text] of Object.entries(files)) {
      await writeFile(join(dir, build, name), text);
      inputs[build].push(join(dir, build, name));
    }
  }
  return inputs;
}

describe('signStep', () => {
  it('signs a package that several builds made byte for byte alike once, and says so', async () => {
    const { keys, signed } = recordingKeys();
    const inputs = await builds({
      'build.x86_64.o2': { 'hello-1.0-1.x86_64.rpm': 'o2 build', 'data-1.0-1.noarch.rpm': 'same' },
      'build.x86_64.o3': { 'hello-o3-1.0-1.x86_64.rpm': 'o3 build', 'data-1.0-1.noarch.rpm': 'same' },
    });
    const ctx = await makeContext({ job: signJob(), repoDir: await tempDir(), inputs });
    expect(await signStep(keys)(ctx)).toEqual({ state: 'success' });
    expect(signed.sort()).toEqual([
      'data-1.0-1.noarch.rpm',
      'hello-1.0-1.x86_64.rpm',
      'hello-o3-1.0-1.x86_64.rpm',
    ]);
    expect(ctx.log.text()).toMatch(
      /data-1\.0-1\.noarch\.rpm from build\.x86_64\.o3 is the same file \(SHA-256 [0-9a-f]{64}\) as from build\.x86_64\.o2; signing it once/,
    );
  });

  it('fails when two builds made different packages under one file name, naming both, the file and the fix', async () => {
    const { keys, signed } = recordingKeys();
    const inputs = await builds({
      'build.x86_64.o2': { 'hello-1.0-1.x86_64.rpm': 'built with -O2' },
      'build.x86_64.o3': { 'hello-1.0-1.x86_64.rpm': 'built with -O3' },
    });
    const ctx = await makeContext({ job: signJob({ repo: 'stable' }), repoDir: await tempDir(), inputs });
    const result = await signStep(keys)(ctx);
    expect(result).toEqual({
      state: 'failure',
      reason:
        'repo stable cannot hold two different packages under one file name: build.x86_64.o2 and build.x86_64.o3 both made hello-1.0-1.x86_64.rpm, with different contents. ' +
        'Give each variant its own repo (a publish[].repo naming the matrix key they differ in, e.g. "stable-${{ matrix.KEY }}") or a distinct Release (in the spec)',
    });
    // Nothing was signed or copied: not even the first of the two.
    expect(signed).toEqual([]);
    expect(await readdir(ctx.artifacts)).toEqual([]);
    expect(ctx.log.text()).toMatch(
      /hello-1\.0-1\.x86_64\.rpm: SHA-256 [0-9a-f]{64} from build\.x86_64\.o2, [0-9a-f]{64} from build\.x86_64\.o3/,
    );
  });

  it('refuses different debs under one name too, pointing at debian/changelog', async () => {
    const { keys } = recordingKeys();
    const inputs = await builds({
      'build.amd64.a': { 'hello_1.0_amd64.deb': 'a' },
      'build.amd64.b': { 'hello_1.0_amd64.deb': 'b' },
    });
    const ctx = await makeContext({ job: signJob({ family: 'deb' }), repoDir: await tempDir(), inputs });
    const result = await signStep(keys)(ctx);
    expect(result).toMatchObject({ state: 'failure' });
    expect(result.state === 'failure' && result.reason).toMatch(
      /build\.amd64\.a and build\.amd64\.b both made hello_1\.0_amd64\.deb, with different contents.* a distinct version \(debian\/changelog\)$/,
    );
  });
});
