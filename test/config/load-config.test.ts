import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { errorsOf, mustLoad } from '../helpers/load.js';

describe('a valid file', () => {
  it('"version: 1" alone is valid and gets every default', () => {
    const config = mustLoad('version: 1\n');
    expect(config).toMatchObject({
      source: {},
      on: null,
      matrix: { axes: [], include: [], exclude: [] },
      build: {
        builder: 'rpmbuild',
        runsOn: undefined,
        timeout: 7200,
        env: {},
        network: false,
        limits: { memory: 8 * 1024 ** 3, tasks: 4096, disk: 50 * 1024 ** 3 },
      },
      test: [],
      sign: { key: 'default' },
      publish: [],
      failFast: true,
      maxParallel: null,
      concurrency: { cancelInProgress: false },
    });
  });

  it('reads durations, env values and the two forms of test steps', () => {
    const config = mustLoad(`version: 1
build:
  timeout: 1h30m
  env: {JOBS: 4, DEBUG: true}
test:
  - rpmlint
  - rpmlint: {ignore: [no-documentation]}
  - install: {repos: ["https://repo.example/9/"], gpgkeys: ["https://repo.example/key.asc"]}
  - run: make check
    timeout: 90
publish:
  - repo: stable
`);
    expect(config.build).toMatchObject({ timeout: 5400, env: { JOBS: '4', DEBUG: 'true' } });
    expect(config.test.map((s) => [s.kind, s.name, s.timeout])).toEqual([
      ['rpmlint', 'rpmlint', 1800],
      ['rpmlint', 'rpmlint', 1800],
      ['install', 'install', 1800],
      ['run', 'make check', 90],
    ]);
    expect(config.publish).toEqual([{ repo: 'stable', when: ['tag', 'branch'] }]);
  });
});

// Each broken file, and the line:col and words its first error must have.
const broken: { name: string; yaml: string; at: string; says: RegExp }[] = [
  { name: 'missing version', yaml: 'matrix: {}\n', at: '1:1', says: /missing "version".*version: 1/ },
  { name: 'another version', yaml: 'version: 2\n', at: '1:10', says: /version is 2.*write "version: 1"/ },
  {
    name: 'a typo in a top-level key',
    yaml: 'version: 1\nbuidl: {}\n',
    at: '2:1',
    says: /unknown key "buidl"; did you mean "build"\?/,
  },
  {
    name: 'a typo in a nested key',
    yaml: 'version: 1\nbuild:\n  timout: 2h\n',
    at: '3:3',
    says: /unknown key "timout" in build; did you mean "timeout"\?/,
  },
  {
    name: 'a bad duration',
    yaml: 'version: 1\nbuild:\n  timeout: 2 hours\n',
    at: '3:12',
    says: /build.timeout is "2 hours".*like 2h, 30m/,
  },
  {
    name: 'a builder typo',
    yaml: 'version: 1\nbuild:\n  builder: rpmbild\n',
    at: '3:12',
    says: /build.builder is "rpmbild".*did you mean "rpmbuild"\?/,
  },
  {
    name: 'a wrong type',
    yaml: 'version: 1\nfail-fast: "yes"\n',
    at: '2:12',
    says: /fail-fast must be true or false, not "yes"/,
  },
  {
    name: 'a test step typo',
    yaml: 'version: 1\ntest:\n  - rpmlnt\n',
    at: '3:5',
    says: /test\[0\] is "rpmlnt".*did you mean "rpmlint"\?/,
  },
  {
    name: 'a test step with two kinds',
    yaml: 'version: 1\ntest:\n  - run: x\n    install: {}\n',
    at: '3:5',
    says: /test\[0\] has "run" and "install"; a step is one of them/,
  },
  {
    name: 'an srpm without a checksum',
    yaml: 'version: 1\nsource:\n  srpm: https://example.org/x.src.rpm\n',
    at: '3:9',
    says: /source.srpm needs source.sha256/,
  },
  {
    name: 'an srpm over ftp',
    yaml: `version: 1\nsource:\n  srpm: ftp://x/y.src.rpm\n  sha256: ${'a'.repeat(64)}\n`,
    at: '3:9',
    says: /http:\/\/ or https:\/\//,
  },
  {
    name: 'a short sha256',
    yaml: `version: 1\nsource:\n  srpm: https://x/y.src.rpm\n  sha256: abc\n`,
    at: '4:11',
    says: /64 hex digits/,
  },
  {
    name: 'a spec outside the repo',
    yaml: 'version: 1\nsource:\n  spec: ../x.spec\n',
    at: '3:9',
    says: /relative path inside the repository/,
  },
  {
    name: 'an empty matrix list',
    yaml: 'version: 1\nmatrix:\n  arch: []\n',
    at: '3:9',
    says: /matrix.arch is an empty list/,
  },
  {
    name: 'an arch typo names the nearest arch',
    yaml: 'version: 1\nmatrix:\n  arch: [x86_64, aarch46]\n',
    at: '3:18',
    says: /arch "aarch46" is not an RPM arch name \(builder rpmbuild\); did you mean "aarch64"\?/,
  },
  {
    name: 'a Debian arch name for rpmbuild',
    yaml: 'version: 1\nmatrix:\n  arch: [amd64]\n',
    at: '3:10',
    says: /did you mean "x86_64"\?/,
  },
  {
    name: 'an RPM arch name for dpkg, checked per combination',
    yaml: 'version: 1\nmatrix:\n  builder: [rpmbuild, dpkg]\n  arch: [x86_64]\n  include: [{builder: dpkg, arch: amd64}]\nbuild:\n  builder: "${{ matrix.builder }}"\n',
    at: '4:10',
    says: /arch "x86_64" is not a(n)? Debian arch name \(builder dpkg\); did you mean "amd64"\?/,
  },
  {
    name: 'an include arch typo points at the include',
    yaml: 'version: 1\nmatrix:\n  arch: [x86_64]\n  include:\n    - arch: s390\n',
    at: '5:13',
    says: /arch "s390".*did you mean "s390x"\?/,
  },
  {
    name: 'an unknown matrix key in an expression points inside the string',
    yaml: 'version: 1\nmatrix:\n  dist: [almalinux-9]\npublish:\n  - repo: "${{ matrix.dist }}-${{ matrix.ach }}"\n',
    at: '5:31',
    says: /\$\{\{ matrix.ach \}\} names "ach", which is not a matrix key; the matrix keys are dist/,
  },
  {
    name: 'an expression that is not matrix.KEY',
    yaml: 'version: 1\ntest:\n  - run: echo ${{ github.ref }}\n',
    at: '3:15',
    says: /not an expression albs-ci knows; the only one is \$\{\{ matrix.KEY \}\}/,
  },
  {
    name: 'a repo name that renders into a path',
    yaml: 'version: 1\nmatrix:\n  dist: ["../etc"]\npublish:\n  - repo: "${{ matrix.dist }}"\n',
    at: '5:11',
    says: /publish\[0\].repo renders to "..\/etc"; a repo name must start with a letter or digit/,
  },
  {
    name: 'an exclude key that is not in the matrix',
    yaml: 'version: 1\nmatrix:\n  arch: [x86_64]\n  exclude: [{arc: x86_64}]\n',
    at: '4:14',
    says: /matrix.exclude\[0\] names "arc", which is not a matrix key; did you mean "arch"\?/,
  },
  {
    name: 'a bad publish when',
    yaml: 'version: 1\npublish:\n  - {repo: x, when: tags}\n',
    at: '3:21',
    says: /did you mean "tag"\?/,
  },
  {
    name: 'a duplicate key',
    yaml: 'version: 1\nbuild: {}\nbuild: {}\n',
    at: '3:1',
    says: /the key "build" appears twice in this mapping; keep one/,
  },
  { name: 'tabs for indentation', yaml: 'version: 1\nbuild:\n\tbuilder: mock\n', at: '3:1', says: /tab/i },
  {
    name: 'an empty file',
    yaml: '',
    at: '1:1',
    says: /the file is empty; a valid file starts with "version: 1"/,
  },
  {
    name: 'a list instead of a mapping',
    yaml: '- version: 1\n',
    at: '1:1',
    says: /the file must be a mapping/,
  },
  {
    name: 'mock without dist and arch',
    yaml: 'version: 1\nmatrix:\n  os: [a]\nbuild:\n  builder: mock\n',
    at: '5:12',
    says: /mock needs a config.*uses matrix.dist and matrix.arch.*set build.mock.config/,
  },
  {
    name: 'a macro whose value runs a command',
    yaml: 'version: 1\nbuild:\n  macros:\n    dist: ".el9%(id)"\n',
    at: '4:11',
    says: /build\.macros: the macro dist is ".el9%\(id\)", which runs code/,
  },
  {
    name: 'a macro whose rendered value runs a command',
    yaml: 'version: 1\nmatrix:\n  v: ["%{lua:os.exit()}"]\nbuild:\n  macros:\n    dist: ".el${{ matrix.v }}"\n',
    at: '6:11',
    says: /the macro dist is ".el%\{lua:os.exit\(\)\}", which runs code/,
  },
  {
    name: 'a macro albs sets itself',
    yaml: 'version: 1\nbuild:\n  macros:\n    _topdir: /tmp\n',
    at: '4:14',
    says: /the macro _topdir is set by albs/,
  },
  {
    name: 'a macro name rpm does not take',
    yaml: 'version: 1\nbuild:\n  macros:\n    9dist: x\n',
    at: '4:5',
    says: /"9dist" in build\.macros is not an rpm macro name/,
  },
  {
    name: 'lookaside with a src.rpm link',
    yaml: `version: 1\nsource:\n  srpm: https://x.org/a.src.rpm\n  sha256: "${'a'.repeat(64)}"\n  lookaside: {}\n`,
    at: '5:14',
    says: /both "lookaside" and "srpm"/,
  },
  {
    name: 'a lookaside URL with a placeholder albs does not fill',
    yaml: 'version: 1\nsource:\n  lookaside:\n    url: "https://x.org/{sha}"\n',
    at: '4:10',
    says: /has \{sha\}, which albs does not fill in; the placeholders are \{name\} \{filename\} \{hashtype\} \{hash\}/,
  },
  {
    name: 'a lookaside list outside the repository',
    yaml: 'version: 1\nsource:\n  lookaside:\n    metadata: ../x.metadata\n',
    at: '4:15',
    says: /source\.lookaside\.metadata is "\.\.\/x\.metadata"; it must be a relative path inside the repository/,
  },
  {
    name: 'lookaside for a Debian package',
    yaml: 'version: 1\nsource:\n  lookaside: {}\nbuild:\n  builder: dpkg\n',
    at: '3:14',
    says: /source\.lookaside fetches the sources of an RPM dist-git repository, but the build uses builder dpkg/,
  },
];

describe('a broken file', () => {
  it.each(broken)('$name: $at', ({ yaml, at, says }) => {
    const errors = errorsOf(yaml);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatch(new RegExp(`^${at} `));
    expect(errors[0]).toMatch(says);
  });

  it('reports every problem at once, not the first one only', () => {
    const errors = errorsOf('version: 1\nbuidl: {}\nfail-fast: 3\ntest: [rpmlnt]\n');
    expect(errors).toHaveLength(3);
    expect(errors.map((e) => e.split(' ')[0])).toEqual(['2:1', '3:12', '4:8']);
  });

  it('keeps warnings apart from errors: a valid file may have warnings', () => {
    const result = loadConfig(
      'version: 1\non: {tags: [], branches: []}\nmatrix:\n  a: [1]\n  exclude: [{a: 2}]\n',
      '.albs.yml',
    );
    expect(result.config).not.toBeNull();
    expect(result.problems.map((p) => [p.severity, p.line, p.col])).toEqual([
      ['warning', 2, 5],
      ['warning', 5, 13],
    ]);
    expect(result.problems[1]?.message).toMatch(/matches no combination/);
  });

  it('refuses an alias bomb without expanding it', () => {
    const lines = ['version: 1', 'a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    const names = 'abcdefghij';
    for (let i = 1; i < names.length; i++) {
      lines.push(
        `${names[i]}: &${names[i]} [${Array(10)
          .fill(`*${names[i - 1]}`)
          .join(',')}]`,
      );
    }
    // 10^10 values if expanded: a test that finishes at all shows it was refused, not expanded.
    const errors = errorsOf(`${lines.join('\n')}\n`);
    expect(errors[0]).toMatch(/^1:1 .*aliases too often/);
  });

  it('refuses a file over 1 MiB', () => {
    const errors = errorsOf(`version: 1\n# ${'x'.repeat(1024 * 1024)}\n`);
    expect(errors).toEqual([
      expect.stringMatching(/^1:1 the file is \d+ bytes, over the 1048576-byte limit/),
    ]);
  });
});
