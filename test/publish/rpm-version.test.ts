import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { rpmvercmp } from '../../src/publish/rpm-version.js';

const pairs: [string, string][] = [
  ['1.0', '1.0'],
  ['1.0', '2.0'],
  ['1.10', '1.9'],
  ['1.0a', '1.0'],
  ['1.0', '1.0.1'],
  ['1.0~rc1', '1.0'],
  ['1.0~rc1', '1.0~rc2'],
  ['1.0^post1', '1.0'],
  ['1.0^post1', '1.0.1'],
  ['1.0~rc1^x', '1.0~rc1'],
  ['2.0.1a', '2.0.1'],
  ['5.5p1', '5.5p10'],
  ['10xyz', '10.1xyz'],
  ['xyz10', 'xyz10.1'],
  ['1_0', '1.0'],
  ['1.001', '1.1'],
  ['a', '1'],
  ['1.el9', '1.el10'],
  ['2.fc40', '10.fc40'],
];

describe('rpmvercmp', () => {
  it.each(pairs)('%s vs %s agrees with rpm itself', async (a, b) => {
    // rpm's own comparison, through its Lua interpreter: the reference a user's dnf uses.
    const lua = `%{lua: print(rpm.vercmp("${a}", "${b}"))}`;
    const { stdout } = await execa('rpm', ['--eval', lua]);
    expect(rpmvercmp(a, b)).toBe(Number(stdout.trim()));
  });
});
