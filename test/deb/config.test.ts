import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { errorsOf, mustLoad, planOf } from '../helpers/load.js';

const warningsOf = (text: string) =>
  loadConfig(text, '.albs.yml')
    .problems.filter((p) => p.severity === 'warning')
    .map((p) => `${p.line}:${p.col} ${p.message}`);

describe('.albs.yml for Debian packages', () => {
  it('reads lintian in both forms, build.dpkg and the Debian source keys', () => {
    const config = mustLoad(`version: 1
source:
  tarball-command: tar -czf "$ALBS_TARBALL" --exclude=./debian .
build:
  builder: dpkg
  dpkg: {sbuild: true, dist: bookworm, options: [--build-profiles=nocheck]}
test:
  - lintian
  - lintian: {ignore: [no-manual-page]}
  - install
`);
    expect(config.source).toEqual({ tarballCommand: 'tar -czf "$ALBS_TARBALL" --exclude=./debian .' });
    expect(config.build.dpkg).toEqual({
      sbuild: true,
      dist: 'bookworm',
      options: ['--build-profiles=nocheck'],
    });
    expect(config.test.map((s) => [s.kind, 'ignore' in s ? s.ignore : null])).toEqual([
      ['lintian', []],
      ['lintian', ['no-manual-page']],
      ['install', null],
    ]);
  });

  it('plans dpkg options per combination and gives sign and publish jobs their family', () => {
    const plan = planOf(
      `version: 1
matrix:
  dist: [bookworm, trixie]
build:
  builder: dpkg
  dpkg: {dist: "\${{ matrix.dist }}"}
publish:
  - repo: "\${{ matrix.dist }}"
`,
      { event: 'tag', ref: 'v1' },
    );
    const build = plan.jobs.find((j) => j.id === 'build.trixie');
    expect(build).toMatchObject({ builder: 'dpkg', dpkg: { sbuild: false, dist: 'trixie', options: [] } });
    expect(plan.jobs.find((j) => j.id === 'sign.trixie')).toMatchObject({ family: 'deb' });
    expect(plan.jobs.find((j) => j.id === 'publish.trixie')).toMatchObject({ family: 'deb' });
    const rpm = planOf('version: 1\npublish: [{repo: el9}]\n', { event: 'tag', ref: 'v1' });
    expect(rpm.jobs.find((j) => j.id === 'publish.el9')).toMatchObject({ family: 'rpm' });
    expect(rpm.jobs.find((j) => j.stage === 'build')).not.toHaveProperty('dpkg');
  });

  it('rpmlint with builder dpkg is an error at the step, naming lintian', () => {
    expect(errorsOf('version: 1\nbuild:\n  builder: dpkg\ntest:\n  - install\n  - rpmlint\n')).toEqual([
      '6:5 test[1] is rpmlint, which checks RPMs, but the build makes Debian packages (builder dpkg): use lintian instead',
    ]);
  });

  it('lintian with rpmbuild is an error at the step, naming rpmlint', () => {
    expect(errorsOf('version: 1\ntest:\n  - lintian: {ignore: [x]}\n')).toEqual([
      '3:5 test[0] is lintian, which checks Debian packages, but the build makes RPMs: use rpmlint instead',
    ]);
  });

  it('in a matrix over builder, says which steps both families share', () => {
    const errors = errorsOf(`version: 1
matrix:
  builder: [rpmbuild, dpkg]
build:
  builder: "\${{ matrix.builder }}"
test: [rpmlint]
`);
    expect(errors).toEqual([
      expect.stringMatching(
        /^6:8 test\[0\] is rpmlint.*the build \(builder: dpkg\).*a matrix over builder can share only install and run: steps$/,
      ),
    ]);
  });

  it('a repository that would get both rpms and debs is an error at its publish entry', () => {
    const errors = errorsOf(`version: 1
matrix:
  builder: [rpmbuild, dpkg]
build:
  builder: "\${{ matrix.builder }}"
publish:
  - repo: stable
`);
    expect(errors).toEqual([
      '7:11 publish[0].repo renders to "stable" for both RPMs, from the build (builder: rpmbuild), and Debian packages, from the build (builder: dpkg); a repository holds one family (dnf or apt): give each family its own repo name, e.g. with ${{ matrix.builder }} in it',
    ]);
    expect(
      errorsOf(`version: 1
matrix:
  builder: [rpmbuild, dpkg]
build:
  builder: "\${{ matrix.builder }}"
publish:
  - repo: "stable-\${{ matrix.builder }}"
`),
    ).toEqual([]);
  });

  it('checks the Debian source keys: dsc needs sha256, excludes srpm, tarball and dir; a tarball stays inside', () => {
    const sha = 'a'.repeat(64);
    expect(
      errorsOf('version: 1\nbuild: {builder: dpkg}\nsource:\n  dsc: https://x.example/a_1.dsc\n'),
    ).toEqual([expect.stringMatching(/^4:8 source\.dsc needs source\.sha256/)]);
    expect(
      errorsOf(
        `version: 1\nbuild: {builder: dpkg}\nsource:\n  dsc: https://x.example/a_1.dsc\n  sha256: "${sha}"\n  tarball: a.tar.gz\n`,
      ),
    ).toEqual([expect.stringMatching(/^6:12 source has both "tarball" and "dsc"/)]);
    expect(errorsOf('version: 1\nbuild: {builder: dpkg}\nsource:\n  tarball: ../up.tar.gz\n')).toEqual([
      expect.stringMatching(
        /^4:12 source\.tarball is "\.\.\/up\.tar\.gz"; it must be a relative path inside/,
      ),
    ]);
    expect(
      errorsOf(
        'version: 1\nbuild: {builder: dpkg}\nsource:\n  tarball: a.tar.gz\n  tarball-command: "true"\n',
      ),
    ).toEqual([expect.stringMatching(/^5:20 source has both "tarball" and "tarball-command"/)]);
    expect(errorsOf('version: 1\nbuild: {builder: dpkg}\nsource:\n  dsc: "ftp://x/a.dsc"\n')).toEqual([
      expect.stringMatching(
        /^4:8 source\.dsc is "ftp:\/\/x\/a\.dsc"; it must be an http:\/\/ or https:\/\/ link to a \.dsc/,
      ),
    ]);
  });

  it('a src.rpm link cannot be built by dpkg, nor a .dsc by rpmbuild', () => {
    const sha = 'b'.repeat(64);
    expect(
      errorsOf(
        `version: 1\nbuild: {builder: dpkg}\nsource:\n  srpm: https://x.example/a.src.rpm\n  sha256: "${sha}"\n`,
      ),
    ).toEqual([
      expect.stringMatching(/^4:9 source\.srpm is a src\.rpm, which dpkg cannot build.*use source\.dsc/),
    ]);
    expect(errorsOf(`version: 1\nsource:\n  dsc: https://x.example/a_1.dsc\n  sha256: "${sha}"\n`)).toEqual([
      expect.stringMatching(/^3:8 source\.dsc is a Debian source package, which only builder dpkg builds/),
    ]);
    expect(warningsOf(`version: 1\nsource:\n  sha256: "${sha}"\n`)).toEqual([
      expect.stringMatching(/source\.sha256 is ignored without source\.srpm or source\.dsc/),
    ]);
  });

  it('Debian arch names for dpkg, RPM names for rpmbuild, per combination', () => {
    expect(errorsOf('version: 1\nmatrix:\n  arch: [x86_64]\nbuild: {builder: dpkg}\n')).toEqual([
      expect.stringMatching(
        /arch "x86_64" is not a Debian arch name \(builder dpkg\); did you mean "amd64"\?/,
      ),
    ]);
  });

  it('the rpm+deb example validates and plans one repository per family', () => {
    const text = readFileSync(join(REPO_ROOT, 'examples', 'hello-both', '.albs.yml'), 'utf8');
    const plan = planOf(text, { event: 'tag', ref: 'v1.0.0' });
    const publishes = plan.jobs.filter((j) => j.stage === 'publish');
    expect(publishes.map((j) => [j.id, j.stage === 'publish' && j.family])).toEqual([
      ['publish.almalinux-9', 'rpm'],
      ['publish.bookworm', 'deb'],
    ]);
    expect(
      plan.jobs
        .filter((j) => j.stage === 'build')
        .map((j) => [j.matrix.arch, j.stage === 'build' && j.builder]),
    ).toEqual([
      ['x86_64', 'rpmbuild'],
      ['amd64', 'dpkg'],
    ]);
  });
});
