import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { splitRelations } from '../../runner/steps/build-deb.js';
import { compareDebianVersions } from '../../src/publish/deb-version.js';
import {
  archListMatches,
  parseChangelogHead,
  parseDebianVersion,
  parseDsc,
} from '../../src/sources/debian-control.js';

describe('Debian version comparison', () => {
  // Pairs whose order trips simple comparisons: tildes, epochs, revisions, letters vs digits, zeros.
  const versions = [
    '1.0~rc1-1',
    '1.0-1',
    '1.0-1~bpo1',
    '1.0-1+b1',
    '1.0-2',
    '1.0-10',
    '1.0',
    '1.0.0',
    '1.00',
    '1.0a',
    '1.0+dfsg-1',
    '1.0~~',
    '1.0~',
    '1.1',
    '1.10',
    '1.9',
    '2:0.1',
    '1:9.9',
    '0:1.0-1',
    '10.0',
    '1.0-1.1',
    '1.0-a',
    '1.0-0',
    '7.6p2-4',
    '7.6-0',
    '1.2.3-4ubuntu1',
    '1.2.3-4',
  ];

  it('orders every pair as dpkg --compare-versions does', async () => {
    const pairs = versions.flatMap((a, i) => versions.slice(i + 1).map((b) => [a, b] as const));
    // One shell for all pairs: a process per pair would take seconds.
    const script = pairs
      .map(
        ([a, b]) =>
          `if dpkg --compare-versions '${a}' lt '${b}'; then echo -1; elif dpkg --compare-versions '${a}' eq '${b}'; then echo 0; else echo 1; fi`,
      )
      .join('\n');
    const { stdout } = await execa('sh', ['-c', script]);
    const dpkg = stdout.split('\n').map(Number);
    const ours = pairs.map(([a, b]) => compareDebianVersions(a, b));
    const differing = pairs.filter((_, i) => ours[i] !== dpkg[i]).map(([a, b]) => `${a} vs ${b}`);
    expect(differing).toEqual([]);
    expect(ours).toHaveLength(pairs.length);
  });

  it('splits epoch, upstream and revision, and refuses what is not a version', () => {
    expect(parseDebianVersion('2:1.0-3')).toEqual({ epoch: 2, upstream: '1.0', revision: '3' });
    expect(parseDebianVersion('1.0-2-3')).toEqual({ epoch: 0, upstream: '1.0-2', revision: '3' });
    expect(parseDebianVersion('1.0')).toEqual({ epoch: 0, upstream: '1.0', revision: '' });
    for (const bad of ['', 'v1.0', '1.0/../x', '1:2:3:x y', '../1', '1.0-']) {
      expect(parseDebianVersion(bad), bad).toBeUndefined();
    }
  });
});

describe('Debian control files', () => {
  it("reads debian/changelog's first entry and refuses a name that could be a path", () => {
    expect(
      parseChangelogHead('hello (1:1.0-1) bookworm; urgency=medium\n', 'debian/changelog'),
    ).toMatchObject({
      source: 'hello',
      version: '1:1.0-1',
      distribution: 'bookworm',
      parsed: { upstream: '1.0', revision: '1' },
    });
    expect(() => parseChangelogHead('../evil (1.0) x; urgency=low\n', 'debian/changelog')).toThrow(
      /"\.\.\/evil", which is not a Debian package name/,
    );
    expect(() => parseChangelogHead('not a changelog\n', 'debian/changelog')).toThrow(
      /not a changelog entry/,
    );
  });

  const dsc = (files: string) => `-----BEGIN PGP SIGNED MESSAGE-----
Hash: SHA512

Format: 3.0 (quilt)
Source: hello
Version: 1.0-1
Checksums-Sha256:
${files}
-----BEGIN PGP SIGNATURE-----

iQEzBAEBCgAdFiEE
-----END PGP SIGNATURE-----
`;
  const sha = 'a'.repeat(64);

  it('reads a signed .dsc: source, version and the files of Checksums-Sha256', () => {
    const parsed = parseDsc(
      dsc(` ${sha} 100 hello_1.0.orig.tar.gz\n ${sha} 20 hello_1.0-1.debian.tar.xz`),
      'x.dsc',
    );
    expect(parsed).toMatchObject({ source: 'hello', version: '1.0-1', format: '3.0 (quilt)' });
    expect(parsed.files).toEqual([
      { name: 'hello_1.0.orig.tar.gz', size: 100, sha256: sha },
      { name: 'hello_1.0-1.debian.tar.xz', size: 20, sha256: sha },
    ]);
  });

  it.each(['../../etc/passwd', '/etc/passwd', '.hidden', 'a/b.tar.gz', 'x..y'])(
    'refuses a .dsc listing the file %s',
    (name) => {
      expect(() => parseDsc(dsc(` ${sha} 1 ${name}`), 'evil.dsc')).toThrow(
        /not a plain file name|not "SHA256 SIZE NAME"/,
      );
    },
  );

  it('splits unmet build dependencies as dpkg-checkbuilddeps prints them', () => {
    expect(splitRelations('libfoo-dev (>= 1.2) foo | bar baz:native')).toEqual([
      'libfoo-dev (>= 1.2)',
      'foo | bar',
      'baz:native',
    ]);
  });

  it('matches Architecture fields with wildcards', () => {
    expect(archListMatches('any', 'arm64')).toBe(true);
    expect(archListMatches('linux-any', 'amd64')).toBe(true);
    expect(archListMatches('amd64 arm64', 'arm64')).toBe(true);
    expect(archListMatches('any-arm', 'armhf')).toBe(true);
    expect(archListMatches('amd64 i386', 'arm64')).toBe(false);
    expect(archListMatches('all', 'amd64')).toBe(false);
  });
});
