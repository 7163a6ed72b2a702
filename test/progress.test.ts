import { describe, expect, it } from 'vitest';
import { stripControl } from '../src/cli/progress.js';

describe('the live table shows build output as plain text', () => {
  it.each([
    ['\u001b[1;31merror:\u001b[0m bad', 'error: bad'],
    ['50%\r75%\r100%', '50%75%100%'],
    ['\u001b]0;title\u0007gcc -O2', 'gcc -O2'],
    ['\u001b[2K\u001b[1Gdone', 'done'],
    ['tab\tkept', 'tab\tkept'],
  ])('%j -> %j', (input, shown) => {
    expect(stripControl(input)).toBe(shown);
  });
});
