import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SpecNotFoundError } from '../../src/sources/errors.js';
import { findSpec } from '../../src/sources/find-spec.js';
import { tempDir } from './helpers.js';

async function repo(files: string[]): Promise<string> {
  const dir = await tempDir('albs-spec-');
  for (const file of files) {
    await mkdir(join(dir, file, '..'), { recursive: true });
    await writeFile(join(dir, file), '');
  }
  return dir;
}

describe('findSpec', () => {
  it('finds the one spec at the top', async () => {
    const dir = await repo(['hello.spec', 'hello.c', 'notes.txt']);
    expect(await findSpec(dir)).toBe(join(dir, 'hello.spec'));
  });

  it('finds the one spec in SPECS/ (dist-git layout)', async () => {
    const dir = await repo(['SPECS/bash.spec', 'SOURCES/bash-5.2.tar.gz']);
    expect(await findSpec(dir)).toBe(join(dir, 'SPECS', 'bash.spec'));
  });

  it('refuses to guess between several specs and names them all', async () => {
    const dir = await repo(['a.spec', 'SPECS/b.spec']);
    const failure = findSpec(dir);
    await expect(failure).rejects.toBeInstanceOf(SpecNotFoundError);
    await expect(failure).rejects.toThrow(`2 specs found in ${dir}: SPECS/b.spec, a.spec; set source.spec`);
  });

  it('says what it found when there is no spec', async () => {
    const dir = await repo(['README.md', 'src/main.c']);
    await expect(findSpec(dir)).rejects.toThrow(
      `no *.spec found at the top of ${dir} or in its SPECS/ (found: README.md, src): add the spec, or set source.spec`,
    );
  });

  it('takes source.spec relative to the package source', async () => {
    const dir = await repo(['a.spec', 'packaging/b.spec']);
    expect(await findSpec(dir, 'packaging/b.spec')).toBe(join(dir, 'packaging', 'b.spec'));
  });

  it('names the specs there are when source.spec is wrong', async () => {
    const dir = await repo(['hello.spec']);
    await expect(findSpec(dir, 'helo.spec')).rejects.toThrow(
      `source.spec "helo.spec" does not exist in ${dir}; specs found there: hello.spec: fix source.spec`,
    );
  });

  it('refuses a source.spec outside the package source', async () => {
    const dir = await repo(['hello.spec']);
    await expect(findSpec(join(dir, 'sub'), '../hello.spec')).rejects.toThrow(
      'is outside the package source',
    );
    await expect(findSpec(dir, '/etc/passwd')).rejects.toThrow('is outside the package source');
  });

  it('says when the package source directory does not exist', async () => {
    const dir = await repo([]);
    await expect(findSpec(join(dir, 'nope'))).rejects.toThrow('does not exist: check source.dir');
  });
});
