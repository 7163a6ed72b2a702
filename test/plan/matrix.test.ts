import { describe, expect, it } from 'vitest';
import { combinationsOf, errorsOf, planOf } from '../helpers/load.js';

// The examples of GitHub's "Using a matrix for your jobs" documentation, with the jobs it lists.
const cases: { name: string; yaml: string; jobs: Record<string, unknown>[] }[] = [
  {
    name: 'a two-key product varies the first key slowest',
    yaml: `
matrix:
  version: [10, 12, 14]
  os: [ubuntu-latest, windows-latest]`,
    jobs: [
      { version: 10, os: 'ubuntu-latest' },
      { version: 10, os: 'windows-latest' },
      { version: 12, os: 'ubuntu-latest' },
      { version: 12, os: 'windows-latest' },
      { version: 14, os: 'ubuntu-latest' },
      { version: 14, os: 'windows-latest' },
    ],
  },
  {
    name: 'include adds to matching combinations, overwrites added values only, else adds new ones',
    yaml: `
matrix:
  fruit: [apple, pear]
  animal: [cat, dog]
  include:
    - color: green
    - color: pink
      animal: cat
    - fruit: apple
      shape: circle
    - fruit: banana
    - fruit: banana
      animal: cat`,
    jobs: [
      { fruit: 'apple', animal: 'cat', color: 'pink', shape: 'circle' },
      { fruit: 'apple', animal: 'dog', color: 'green', shape: 'circle' },
      { fruit: 'pear', animal: 'cat', color: 'pink' },
      { fruit: 'pear', animal: 'dog', color: 'green' },
      { fruit: 'banana' },
      { fruit: 'banana', animal: 'cat' },
    ],
  },
  {
    name: 'include expands one configuration',
    yaml: `
matrix:
  os: [windows-latest, ubuntu-latest]
  node: [14, 16]
  include:
    - os: windows-latest
      node: 16
      npm: 6`,
    jobs: [
      { os: 'windows-latest', node: 14 },
      { os: 'windows-latest', node: 16, npm: 6 },
      { os: 'ubuntu-latest', node: 14 },
      { os: 'ubuntu-latest', node: 16 },
    ],
  },
  {
    name: 'include that conflicts with an original value adds a configuration',
    yaml: `
matrix:
  os: [windows-latest, ubuntu-latest]
  node: [14, 16]
  include:
    - os: windows-latest
      node: 17`,
    jobs: [
      { os: 'windows-latest', node: 14 },
      { os: 'windows-latest', node: 16 },
      { os: 'ubuntu-latest', node: 14 },
      { os: 'ubuntu-latest', node: 16 },
      { os: 'windows-latest', node: 17 },
    ],
  },
  {
    name: 'include alone lists the jobs',
    yaml: `
matrix:
  include:
    - site: production
      datacenter: site-a
    - site: staging
      datacenter: site-b`,
    jobs: [
      { site: 'production', datacenter: 'site-a' },
      { site: 'staging', datacenter: 'site-b' },
    ],
  },
  {
    name: 'exclude removes partial matches',
    yaml: `
matrix:
  os: [macos-latest, windows-latest]
  version: [12, 14, 16]
  environment: [staging, production]
  exclude:
    - os: macos-latest
      version: 12
      environment: production
    - os: windows-latest
      version: 16`,
    jobs: [
      { os: 'macos-latest', version: 12, environment: 'staging' },
      { os: 'macos-latest', version: 14, environment: 'staging' },
      { os: 'macos-latest', version: 14, environment: 'production' },
      { os: 'macos-latest', version: 16, environment: 'staging' },
      { os: 'macos-latest', version: 16, environment: 'production' },
      { os: 'windows-latest', version: 12, environment: 'staging' },
      { os: 'windows-latest', version: 12, environment: 'production' },
      { os: 'windows-latest', version: 14, environment: 'staging' },
      { os: 'windows-latest', version: 14, environment: 'production' },
    ],
  },
  {
    name: 'exclude runs before include, so include can bring an excluded combination back',
    yaml: `
matrix:
  arch: [x86_64, aarch64, ppc64le]
  dist: [almalinux-8, almalinux-9]
  exclude: [{arch: ppc64le, dist: almalinux-8}]
  include: [{arch: ppc64le, dist: almalinux-8, note: back}, {arch: s390x, dist: almalinux-9}]`,
    jobs: [
      { arch: 'x86_64', dist: 'almalinux-8' },
      { arch: 'x86_64', dist: 'almalinux-9' },
      { arch: 'aarch64', dist: 'almalinux-8' },
      { arch: 'aarch64', dist: 'almalinux-9' },
      { arch: 'ppc64le', dist: 'almalinux-9' },
      { arch: 'ppc64le', dist: 'almalinux-8', note: 'back' },
      { arch: 's390x', dist: 'almalinux-9' },
    ],
  },
  {
    name: 'values keep their YAML types, and lists and maps are values too',
    yaml: `
matrix:
  n: [1, 1.5, "2", true, null]
  opts: [{a: 1}, [x, y]]
  include:
    - n: 1
      extra: yes`,
    jobs: [
      { n: 1, opts: { a: 1 }, extra: 'yes' },
      { n: 1, opts: ['x', 'y'], extra: 'yes' },
      { n: 1.5, opts: { a: 1 } },
      { n: 1.5, opts: ['x', 'y'] },
      { n: '2', opts: { a: 1 } },
      { n: '2', opts: ['x', 'y'] },
      { n: true, opts: { a: 1 } },
      { n: true, opts: ['x', 'y'] },
      { n: null, opts: { a: 1 } },
      { n: null, opts: ['x', 'y'] },
    ],
  },
  {
    name: 'an exclude that removes everything leaves only what include adds',
    yaml: `
matrix:
  a: [1, 2]
  exclude: [{a: 1}, {a: 2}]
  include: [{a: 3}, {b: 4}]`,
    jobs: [{ a: 3 }, { b: 4 }],
  },
  {
    name: 'no matrix builds once',
    yaml: '',
    jobs: [{}],
  },
];

describe('matrix expansion follows GitHub Actions', () => {
  it.each(cases)('$name', ({ yaml, jobs }) => {
    expect(combinationsOf(`version: 1\n${yaml}\n`)).toEqual(jobs);
  });

  it('is deterministic: the same file plans the same jobs in the same order every time', () => {
    const yaml = `version: 1
matrix:
  arch: [x86_64, aarch64, ppc64le, s390x]
  dist: [almalinux-8, almalinux-9, almalinux-10]
  exclude: [{arch: s390x, dist: almalinux-8}]
  include: [{arch: x86_64_v2, dist: almalinux-10}, {dist: almalinux-9, flavour: fast}]
test: [rpmlint]
publish: [{repo: "\${{ matrix.dist }}"}]
`;
    const first = JSON.stringify(planOf(yaml));
    for (let i = 0; i < 50; i++) expect(JSON.stringify(planOf(yaml))).toBe(first);
  });
});

describe('matrix edge cases', () => {
  it('exclude matches object values partially, at any depth, as GitHub Actions does', () => {
    expect(
      combinationsOf(`version: 1
matrix:
  os: [{name: el9, arch: x86_64}, {name: el8, arch: x86_64}]
  exclude: [{os: {name: el8}}]
`),
    ).toEqual([{ os: { name: 'el9', arch: 'x86_64' } }]);
  });

  it('keys named like Object.prototype members are matrix keys like any other', () => {
    expect(
      combinationsOf(`version: 1
matrix:
  dist: [a, b]
  include: [{constructor: x}, {toString: y}]
`),
    ).toEqual([
      { dist: 'a', constructor: 'x', toString: 'y' },
      { dist: 'b', constructor: 'x', toString: 'y' },
    ]);
  });

  it('an exclude that removes every combination is an error, not a build without a matrix', () => {
    expect(
      errorsOf(
        'version: 1\nmatrix:\n  arch: [x86_64, aarch64]\n  exclude: [{arch: x86_64}, {arch: aarch64}]\n',
      ),
    ).toEqual([expect.stringMatching(/^4:3 matrix.exclude removes every combination/)]);
  });
});
