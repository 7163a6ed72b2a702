import { describe, expect, it } from 'vitest';
import { errorsOf, planOf } from '../helpers/load.js';

const x = (n: number) => 'x'.repeat(n);

describe('job ids are at most 200 bytes (they become file names)', () => {
  it('refuses a matrix value that makes a build id longer, at the value, naming the id, the limit and the fix', () => {
    // build.x86_64. is 13 bytes: 190 more make 203.
    const errors = errorsOf(`version: 1\nmatrix:\n  arch: [x86_64]\n  dist: ["${x(190)}"]\n`);
    expect(errors).toEqual([
      `4:10 the job id "build.x86_64.${x(34)}…${x(16)}" is 203 bytes, over the 200-byte limit for job ids (they become file names); it is the stage and the matrix values, and this value gives 190 bytes of it: use shorter matrix values`,
    ]);
  });

  it('says it once per value, however many combinations it is in', () => {
    const errors = errorsOf(`version: 1\nmatrix:\n  arch: [x86_64, aarch64, s390x]\n  dist: ["${x(195)}"]\n`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^4:10 the job id "build\.x86_64\.x+…x+" is 208 bytes/);
  });

  it('points at an include value when the include made the id too long', () => {
    const errors = errorsOf(
      `version: 1\nmatrix:\n  arch: [x86_64]\n  include:\n    - arch: x86_64\n      flavour: "${x(190)}"\n`,
    );
    expect(errors).toEqual([expect.stringMatching(/^6:16 the job id "build\.x86_64\.x+….* is 203 bytes/)]);
  });

  it('refuses a repo name that makes a publish id longer, at publish[].repo', () => {
    const errors = errorsOf(
      `version: 1\nmatrix:\n  dist: ["${x(193)}"]\npublish:\n  - repo: "\${{ matrix.dist }}"\n`,
    );
    expect(errors).toEqual([
      `5:11 the job id "publish.${x(39)}…${x(16)}" is 201 bytes, over the 200-byte limit for job ids (they become file names); it is "publish." and the rendered repo name: use a shorter repo name`,
    ]);
  });

  it('accepts exactly 200 bytes, and a -2 suffix for a look-alike stays within them', () => {
    const plan = planOf(
      `version: 1\nmatrix:\n  dist: ["${x(194)}", "${'X'.repeat(194)}"]\ntest: [install]\npublish: [{repo: stable}]\n`,
      { event: 'tag', ref: 'v1' },
    );
    const ids = plan.jobs.map((j) => j.id);
    expect(ids.slice(0, 2)).toEqual([`build.${x(194)}`, `build.${x(192)}-2`]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(Buffer.byteLength(id)).toBeLessThanOrEqual(200);
  });
});

describe('control characters are refused where names are made', () => {
  const NO_CONTROL = 'which may not hold control characters (newlines, tabs, escape sequences): remove them';

  it('an escape sequence in a matrix value, named with it escaped', () => {
    expect(errorsOf('version: 1\nmatrix:\n  dist: ["alma\\e[31m9", almalinux-9]\n')).toEqual([
      `3:10 matrix.dist[0] is "alma\\u001b[31m9"; matrix values appear in job names, logs and commit statuses, ${NO_CONTROL}`,
    ]);
  });

  it.each([
    ['a newline', '"a\\nb"', '"a\\nb"'],
    ['a tab', '"a\\tb"', '"a\\tb"'],
    ['DEL', '"a\\x7fb"', '"a\\u007fb"'],
    ['the 8-bit CSI', '"a\\x9b31mb"', '"a\\u009b31mb"'],
  ])('%s in an include value', (_, written, shown) => {
    expect(errorsOf(`version: 1\nmatrix:\n  include:\n    - dist: ${written}\n`)).toEqual([
      `4:13 matrix.include[0].dist is ${shown}; matrix values appear in job names, logs and commit statuses, ${NO_CONTROL}`,
    ]);
  });

  it('a string inside a mapping value', () => {
    expect(errorsOf('version: 1\nmatrix:\n  os:\n    - {name: "el\\r9"}\n')).toEqual([
      `4:14 matrix.os[0].name is "el\\r9"; matrix values appear in job names, logs and commit statuses, ${NO_CONTROL}`,
    ]);
  });

  it('a test step name', () => {
    expect(errorsOf('version: 1\ntest:\n  - run: make check\n    name: "smoke\\ttest"\n')).toEqual([
      `4:11 test[0].name is "smoke\\ttest"; step names appear in logs and commit statuses, ${NO_CONTROL}`,
    ]);
  });

  it('a multi-line run: without a name is named by its first line', () => {
    const plan = planOf(
      'version: 1\ntest:\n  - run: |\n      make\n      make check\n  - run: make install\n',
    );
    const test = plan.jobs.find((j) => j.stage === 'test');
    expect(test?.stage === 'test' && test.steps.map((s) => s.name)).toEqual(['make …', 'make install']);
  });
});
