import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { readSrpmArches } from '../../runner/srpm-arches.js';
import { SourceError } from '../../src/sources/errors.js';
import { specRepo, tempDir } from './helpers.js';

async function srpmOf(name: string, tags: string[]): Promise<string> {
  const repo = await specRepo(name, { tags });
  const top = await tempDir();
  const define = (macro: string, value: string) => ['--define', `${macro} ${value}`];
  await execa('rpmbuild', [
    '-bs',
    ...define('_topdir', top),
    ...define('_sourcedir', repo),
    join(repo, `${name}.spec`),
  ]);
  const [file] = await readdir(join(top, 'SRPMS'));
  return join(top, 'SRPMS', file!);
}

/** What rpm itself says the src.rpm holds: the query the reader replaced. */
async function rpmQuery(srpm: string) {
  const { stdout } = await execa('rpm', [
    '-qp',
    '--qf',
    '%{NAME}\\n[%{EXCLUDEARCH} ]\\n[%{EXCLUSIVEARCH} ]\\n[%{BUILDARCHS} ]\\n',
    srpm,
  ]);
  const [name = '', exclude = '', exclusive = '', built = ''] = stdout.split('\n');
  const words = (line: string) => line.split(' ').filter((w) => w !== '');
  return { name, excludeArch: words(exclude), exclusiveArch: words(exclusive), built: words(built) };
}

describe('readSrpmArches', () => {
  it('reads what rpm -qp reads: ExcludeArch, ExclusiveArch and BuildArch, macros expanded', async () => {
    const srpm = await srpmOf('arches', [
      '%global others ppc64le s390x',
      'ExcludeArch: %{others} riscv64',
      'ExclusiveArch: x86_64 aarch64',
      'BuildArch: noarch',
    ]);
    const arches = await readSrpmArches(srpm);
    const rpm = await rpmQuery(srpm);
    expect(arches).toEqual({
      name: rpm.name,
      excludeArch: rpm.excludeArch,
      exclusiveArch: rpm.exclusiveArch,
      noarch: true,
    });
    expect(arches.excludeArch).toEqual(['ppc64le', 's390x', 'riscv64']);
    expect(rpm.built).toEqual(['noarch']);
  });

  it('a package with none of them: no exclusions, not noarch', async () => {
    const srpm = await srpmOf('plain', []);
    expect(await readSrpmArches(srpm)).toEqual({
      name: 'plain',
      excludeArch: [],
      exclusiveArch: [],
      noarch: false,
    });
  });

  it('a file that is not a package is a SourceError naming it', async () => {
    const bad = join(await tempDir(), 'bad.src.rpm');
    await writeFile(bad, 'not a package');
    const read = readSrpmArches(bad);
    await expect(read).rejects.toThrow(SourceError);
    await expect(read).rejects.toThrow(`rpm cannot read the src.rpm ${bad}`);
  });
});
