import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ALMALINUX_LOOKASIDE,
  FEDORA_LOOKASIDE,
  lookasideUrl,
  unknownPlaceholders,
} from '../../src/config/lookaside-url.js';
import { findLookasideList, parseLookasideList } from '../../src/sources/lookaside.js';

const SHA1 = 'a3793e19a4b0d32a2d4c1ef2e1c4f1d7b2f0c9e1';
const SHA256 = 'e'.repeat(64);
const SHA512 = 'f'.repeat(128);

describe('parseLookasideList', () => {
  it('reads .NAME.metadata lines, telling SHA-1 from SHA-256 by the length of the hex', () => {
    expect(
      parseLookasideList(
        `${SHA1} SOURCES/bash-5.1.tar.gz\n${SHA256.toUpperCase()} SOURCES/b.tar.xz\n`,
        '.bash.metadata',
      ),
    ).toEqual([
      { path: 'SOURCES/bash-5.1.tar.gz', hashType: 'sha1', hash: SHA1, line: 1 },
      { path: 'SOURCES/b.tar.xz', hashType: 'sha256', hash: SHA256, line: 2 },
    ]);
  });

  it('reads the sources form with its hash type named, and the old MD5 form', () => {
    expect(
      parseLookasideList(`SHA512 (bash-5.2.tar.gz) = ${SHA512}\n${'0'.repeat(32)}  old.tar.gz\n`, 'sources'),
    ).toEqual([
      { path: 'bash-5.2.tar.gz', hashType: 'sha512', hash: SHA512, line: 1 },
      { path: 'old.tar.gz', hashType: 'md5', hash: '0'.repeat(32), line: 2 },
    ]);
  });

  it.each([
    [`${SHA256} ../../etc/passwd`, /\.metadata:1: the path "\.\.\/\.\.\/etc\/passwd" goes up with "\.\."/],
    [`${SHA256} /etc/passwd`, /is absolute/],
    [`${SHA256} .git/hooks/post-checkout`, /writes into \.git/],
    [`SHA512 (../x.tar.gz) = ${SHA512}`, /goes up/],
    [`${'a'.repeat(50)} SOURCES/x.tar.gz`, /is 50 hex digits, which is no digest albs knows/],
    [`SHA256 (x.tar.gz) = ${SHA512}`, /a SHA256 digest has 64 hex digits, this one 128/],
    [`BLAKE2 (x.tar.gz) = ${'a'.repeat(50)}`, /BLAKE2 is not one albs can check/],
    ['just words here', /is not a line of a lookaside list/],
    [
      `${SHA256} SOURCES/x.tar.gz\n${SHA1} SOURCES/x.tar.gz`,
      /:2: SOURCES\/x\.tar\.gz is listed again \(first on line 1\)/,
    ],
  ])('refuses %j naming the line and the fix', (text, message) => {
    expect(() => parseLookasideList(text, '.pkg.metadata')).toThrow(message);
  });
});

describe('lookaside URLs', () => {
  const entry = { path: 'SOURCES/bash 5.1.tar.gz', hashType: 'sha512' as const, hash: SHA512, line: 1 };
  it('fills the placeholders, each URL-encoded', () => {
    expect(lookasideUrl(ALMALINUX_LOOKASIDE, 'bash', entry)).toBe(`https://sources.almalinux.org/${SHA512}`);
    expect(lookasideUrl(FEDORA_LOOKASIDE, 'bash', entry)).toBe(
      `https://src.fedoraproject.org/repo/pkgs/bash/bash%205.1.tar.gz/sha512/${SHA512}/bash%205.1.tar.gz`,
    );
  });
  it('names the placeholders albs does not know', () => {
    expect(unknownPlaceholders('https://x.org/{name}/{sha}/{hash}')).toEqual(['sha']);
  });
});

describe('findLookasideList', () => {
  const repo = () => {
    const dir = mkdtempSync(join(tmpdir(), 'albs-list-'));
    mkdirSync(join(dir, 'SPECS'));
    writeFileSync(join(dir, 'SPECS', 'bash.spec'), '');
    return dir;
  };

  it('finds .NAME.metadata (AlmaLinux) before sources (Fedora), each with its default URL', async () => {
    const dir = repo();
    writeFileSync(join(dir, 'sources'), `SHA512 (bash-5.2.tar.gz) = ${SHA512}\n`);
    const fedora = await findLookasideList(dir, join(dir, 'SPECS', 'bash.spec'));
    expect(fedora).toMatchObject({ file: 'sources', name: 'bash', defaultUrl: FEDORA_LOOKASIDE });
    writeFileSync(join(dir, '.bash.metadata'), `${SHA1} SOURCES/bash-5.1.tar.gz\n`);
    const alma = await findLookasideList(dir, join(dir, 'SPECS', 'bash.spec'));
    expect(alma).toMatchObject({ file: '.bash.metadata', name: 'bash', defaultUrl: ALMALINUX_LOOKASIDE });
  });

  it('finds nothing in a repository without a list', async () => {
    expect(await findLookasideList(repo(), 'SPECS/bash.spec')).toBeUndefined();
  });

  it('refuses a list that is a symlink out of the repository', async () => {
    const dir = repo();
    symlinkSync('/etc/passwd', join(dir, '.bash.metadata'));
    await expect(findLookasideList(dir, join(dir, 'SPECS', 'bash.spec'))).rejects.toThrow(
      /goes through the symlink \.bash\.metadata/,
    );
  });
});
