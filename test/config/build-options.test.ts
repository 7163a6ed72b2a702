import { describe, expect, it } from 'vitest';
import { errorsOf, mustLoad } from '../helpers/load.js';

const dpkgOptions = (options: string[], sbuild = true) =>
  `version: 1\nbuild:\n  builder: dpkg\n  dpkg:\n    sbuild: ${sbuild}\n    options:\n${options.map((o) => `      - ${JSON.stringify(o)}`).join('\n')}\n`;

describe('build.dpkg.options never reach what runs on the runner host', () => {
  it('refuses a host command at its line, naming the option, why and the fix', () => {
    expect(errorsOf(dpkgOptions(['--jobs=4', '--chroot-setup-commands=apt-get install -y curl']))).toEqual([
      '8:9 build.dpkg.options[1] is "--chroot-setup-commands=apt-get install -y curl": sbuild\'s --chroot-setup-commands runs a command on the runner host, outside the build, which a pipeline file may not do; do that work in debian/rules or in a test step',
    ]);
  });

  it.each([
    ['--pre-build-commands=touch /tmp/x', "sbuild's --pre-build-commands runs a command"],
    ['--chroot-update-failed-commands=x', "sbuild's --chroot-update-failed-commands runs a command"],
    ['--build-deps-failed-commands=x', "sbuild's --build-deps-failed-commands runs a command"],
    ['--starting-build-commands=x', "sbuild's --starting-build-commands runs a command"],
    ['--finished-build-commands=x', "sbuild's --finished-build-commands runs a command"],
    ['--build-failed-commands=x', "sbuild's --build-failed-commands runs a command"],
    ['--chroot-cleanup-commands=x', "sbuild's --chroot-cleanup-commands runs a command"],
    ['--post-build-commands=x', "sbuild's --post-build-commands runs a command"],
    ['--post-build-failed-commands=x', "sbuild's --post-build-failed-commands runs a command"],
    ['--anything-failed-commands=x', "sbuild's --anything-failed-commands runs a command"],
    ['--setup-hook=/tmp/x', "sbuild's --setup-hook runs a command"],
    ['--chroot=unstable-amd64-sbuild', "sbuild's --chroot chooses the chroot"],
    ['-c', "sbuild's -c chooses the chroot"],
    ['-cunstable-amd64-sbuild', "sbuild's -c chooses the chroot"],
    ['-Acunstable', "sbuild's -c chooses the chroot"],
    ['--chroot-mode=sudo', "sbuild's --chroot-mode chooses the chroot"],
    ['--extra-package=/srv/x.deb', "sbuild's --extra-package adds packages or repositories from outside"],
    ['--extra-repository=deb http://x y main', "sbuild's --extra-repository adds packages"],
    ['--extra-repository-key=/etc/key.asc', "sbuild's --extra-repository-key points the build at a path"],
    ['--build-path=/srv', "sbuild's --build-path points the build at a path"],
    ['--build-dir=/srv', "sbuild's --build-dir points the build at a path"],
    ['--lintian-opt=--include-dir=/tmp/checks', "sbuild's --lintian-opt runs another tool"],
    ['--lintian-opts=-i', "sbuild's --lintian-opt runs another tool"],
    ['--run-piuparts', "sbuild's --run-piuparts runs another tool"],
    ['--autopkgtest-virt-server=null', "sbuild's --autopkgtest-virt-server runs another tool"],
    ['--autopkgtest-root-args=sudo', "sbuild's --autopkgtest-root-arg runs a command"],
    ['--enable-network', "sbuild's --enable-network lets the build reach the network"],
    ['--chroot-setup=x', 'sbuild reads --chroot-setup as --chroot-setup-commands (it accepts abbreviations)'],
    ['--post-build-c=x', 'sbuild reads --post-build-c as --post-build-commands (it accepts abbreviations)'],
    ['--mail-log-to=me@example.org', "sbuild's --mail-log-to runs a command"],
    ['--hook-build=make evil', "dpkg-buildpackage's --hook-* runs a command"],
    ['my-source.dsc', 'it is not an option: sbuild would take it as the package to build'],
    ['--', '"--" ends the options'],
  ])('sbuild: refuses %s', (option, says) => {
    const errors = errorsOf(dpkgOptions([option]));
    expect(errors).toEqual([expect.stringMatching(/^7:9 build\.dpkg\.options\[0\] is /)]);
    expect(errors[0]).toContain(says);
  });

  it.each([
    ['--hook-init=curl x | sh', "dpkg-buildpackage's --hook-* runs a command"],
    ['-rsudo', "dpkg-buildpackage's -r runs a command"],
    ['--root-command=sudo', "dpkg-buildpackage's --root-command runs a command"],
    ['-Rmake -f /tmp/rules', "dpkg-buildpackage's -R runs a command"],
    ['--rules-file=/tmp/rules', "dpkg-buildpackage's --rules-file runs a command"],
    ['--check-command=/tmp/x', "dpkg-buildpackage's --check-command runs a command"],
    ['-pgpg', "dpkg-buildpackage's -p signs with a key or command of the runner host"],
    ['--sign-command=/tmp/x', "dpkg-buildpackage's --sign-command signs"],
    ['--force-sign', "dpkg-buildpackage's --force-sign signs"],
    ['--admindir=/var/lib/dpkg', "dpkg-buildpackage's --admindir points the build at a path"],
    ['--changes-file=/etc/x', "dpkg-buildpackage's --changes-file points the build at a path"],
    ['--chroot-setup-commands=x', "sbuild's --chroot-setup-commands runs a command"],
    ['--some-new-hook-command=x', '--some-new-hook-command runs a command'],
  ])('dpkg-buildpackage: refuses %s', (option, says) => {
    const errors = errorsOf(dpkgOptions([option], false));
    expect(errors).toEqual([expect.stringMatching(/^7:9 build\.dpkg\.options\[0\] is /)]);
    expect(errors[0]).toContain(says);
  });

  it('accepts the options that only shape the build', () => {
    const sbuild = ['--build-profiles=nocheck', '--jobs=4', '-j4', '-A', '--build=amd64', '--dist=bookworm'];
    mustLoad(dpkgOptions([...sbuild, '--no-run-lintian', '--purge=never', '-pnever', '--debbuildopt=-j4']));
    mustLoad(dpkgOptions([...sbuild, '-us', '--sign-key=ABCDEF', '-b', '--rules-requires-root'], false));
  });

  it('checks an option with ${{ }} as each dpkg build renders it, once per rendering', () => {
    const yaml = `version: 1
matrix:
  opt: ["--jobs=2", "--chroot=x"]
  builder: [dpkg, rpmbuild]
build:
  builder: "\${{ matrix.builder }}"
  dpkg:
    sbuild: true
    options: ["\${{ matrix.opt }}"]
`;
    expect(errorsOf(yaml)).toEqual([
      `9:15 build.dpkg.options[0] renders to "--chroot=x" for (opt: --chroot=x, builder: dpkg): sbuild's --chroot chooses the chroot sbuild builds in, or how it enters it, which a pipeline file may not do; remove it: the runner sets up the chroots; name the distribution with build.dpkg.dist`,
    ]);
  });
});

describe('build.mock.options never reach what mock must not do for a pipeline file', () => {
  const mockOptions = (options: string[]) =>
    `version: 1\nbuild:\n  builder: mock\n  mock:\n    config: almalinux-9-x86_64\n    options:\n${options.map((o) => `      - ${JSON.stringify(o)}`).join('\n')}\n`;
  it.each([
    [
      '--enable-network',
      "mock's --enable-network lets the build reach the network",
      'set build.network: true',
    ],
    [
      '--configdir=/home/me/mock',
      "mock's --configdir points the build at a path on the runner host",
      'albs chooses',
    ],
    ['--resultdir=/srv/www', "mock's --resultdir points the build at a path", 'albs chooses'],
    ['--config-opts=rpmbuild_networking=True', "mock's --config-opts points the build", 'albs chooses'],
    [
      '--addrepo=http://evil.example/repo',
      "mock's --addrepo adds packages or repositories from outside",
      'Build',
    ],
    ['--isolation=simple', "mock's --isolation chooses the chroot", 'the runner sets up'],
    ['-r', "mock's -r chooses the chroot", 'the runner sets up'],
    ['--enable-net', "mock's --enable-network lets the build reach the network", 'set build.network'],
    ['/etc/passwd', 'it is not an option: mock would take it as the src.rpm to build', 'one item'],
  ])('refuses %s at its line', (option, what, fix) => {
    const [problem = ''] = errorsOf(mockOptions(['--define=_with_x 1', option]));
    expect(problem).toMatch(/^8:9 build\.mock\.options\[1\] is /);
    expect(problem).toContain(what);
    expect(problem).toContain(fix);
  });

  it('takes the options that only shape the build', () => {
    mustLoad(
      mockOptions(['--define=_with_x 1', '--with=tests', '--without=docs', '--nocheck', '-n', '--verbose']),
    );
  });
});

describe('build.mock.config is a NAME, never a path', () => {
  const fix =
    'it is the NAME of a mock config on the runner (mock -r NAME reads /etc/mock/NAME.cfg), never a path: give a name such as almalinux-9-x86_64';
  it.each([
    ['../evil', 'holds "/"'],
    ['/etc/mock/x', 'holds "/"'],
    ['.hidden', 'starts with "."'],
    ['my.cfg', 'ends in ".cfg", which mock reads as a file path'],
  ])('refuses %s at its line', (config, fault) => {
    expect(errorsOf(`version: 1\nbuild:\n  builder: mock\n  mock:\n    config: "${config}"\n`)).toEqual([
      `5:13 build.mock.config is "${config}", which ${fault}; ${fix}`,
    ]);
  });

  it('checks an interpolated name per combination, and the default where mock is chosen', () => {
    const yaml = `version: 1
matrix:
  cfg: [almalinux-9-x86_64, "../evil"]
build:
  builder: mock
  mock: {config: "\${{ matrix.cfg }}"}
`;
    expect(errorsOf(yaml)).toEqual([
      `6:18 build.mock.config renders to "../evil" for (cfg: ../evil), which holds "/"; ${fix}`,
    ]);
    const byDefault = 'version: 1\nmatrix:\n  dist: ["el/9"]\n  arch: [x86_64]\nbuild:\n  builder: mock\n';
    expect(errorsOf(byDefault)).toEqual([
      `6:12 the default build.mock.config renders to "el/9-x86_64" for (dist: el/9, arch: x86_64), which holds "/"; ${fix}`,
    ]);
    mustLoad(byDefault.replace('mock', 'rpmbuild'));
    mustLoad('version: 1\nbuild:\n  builder: mock\n  mock: {config: almalinux-9-x86_64}\n');
  });
});
