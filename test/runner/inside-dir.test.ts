import { describe, expect, it } from 'vitest';
import { buildStep } from '../../runner/steps/build.js';
import { packageSourceDir } from '../../runner/steps/source.js';
import { insideDir } from '../../src/sources/inside-dir.js';
import { debianRepo } from '../deb/helpers.js';
import { buildJob, makeContext } from './helpers.js';

describe('insideDir', () => {
  it.each([
    ['/repo/a.tar.gz', true],
    ['/repo/sub/../a.tar.gz', true],
    ['/repo/..notes', true],
    ['/repo', false],
    ['/repo/', false],
    ['/repo/sub/..', false],
    ['/repo/..', false],
    ['/repo/../etc/passwd', false],
    ['/repo-other/a.tar.gz', false],
    ['/etc/passwd', false],
  ])('%s: %s', (path, inside) => {
    expect(insideDir('/repo', path)).toBe(inside);
  });

  it('resolves relative paths against the working directory', () => {
    expect(insideDir('.', 'x')).toBe(true);
    expect(insideDir('.', '../x')).toBe(false);
  });
});

describe('the callers keep their own messages', () => {
  it('source.dir: the repository itself is fine, outside it is refused', () => {
    expect(packageSourceDir('/repo', 'pkg')).toBe('/repo/pkg');
    expect(packageSourceDir('/repo', 'pkg/..')).toBe('/repo');
    for (const dir of ['..', '../repo-other', 'pkg/../../x', '/repo/pkg']) {
      expect(() => packageSourceDir('/repo', dir)).toThrow(
        `source.dir "${dir}" is outside the package repository /repo: name a directory inside it, relative to its top`,
      );
    }
  });

  it('source.tarball outside the repository fails the dpkg build before anything runs', async () => {
    const repoDir = await debianRepo({ format: '3.0 (quilt)', tarball: 'none' });
    const context = await makeContext({
      job: buildJob({
        builder: 'dpkg',
        dpkg: { sbuild: false, dist: null, options: [] },
        source: { tarball: '../tiny-1.0.tar.gz' },
      }),
      repoDir,
    });
    const result = await buildStep(context);
    expect(result.state === 'failure' && result.reason).toMatch(
      /^source\.tarball resolves to \/\S+\/tiny-1\.0\.tar\.gz, outside the package repository \/\S+: name a file inside it/,
    );
    expect(context.log.text()).not.toMatch(/^\[albs\] \$ /m);
  });
});
