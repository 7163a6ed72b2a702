import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALBS_BIN, type CliResult, REPO_ROOT } from '../helpers/cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'albs-read-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** albs with a deadline: a command that blocks on a FIFO, or reads /dev/zero, must fail the test, not hang it. */
async function albs(args: string[]): Promise<CliResult> {
  const result = await execa(process.execPath, [ALBS_BIN, ...args], {
    cwd: REPO_ROOT,
    reject: false,
    stdin: 'ignore',
    timeout: 20_000,
    env: { NODE_OPTIONS: '--max-old-space-size=256' },
  });
  expect(result.timedOut, 'albs did not finish').toBe(false);
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

const NOT_REGULAR = 'not a regular file; albs reads a pipeline from a regular file: give the path of one';

describe('a .albs.yml that cannot be a pipeline file is refused before it is read (exit 2)', () => {
  it('a FIFO does not block albs validate, albs plan or albs run', async () => {
    const fifo = join(dir, 'pipe.yml');
    execFileSync('mkfifo', [fifo]);
    for (const command of ['validate', 'plan', 'run']) {
      const result = await albs([command, fifo]);
      expect(result.exitCode, command).toBe(2);
      expect(result.stderr).toBe(`albs: ${fifo}: a FIFO (named pipe), ${NOT_REGULAR}`);
    }
  });

  it('a FIFO named .albs.yml in the directory given is named as such, not as missing', async () => {
    const pkg = join(dir, 'pkg-fifo');
    mkdirSync(pkg);
    execFileSync('mkfifo', [join(pkg, '.albs.yml')]);
    const result = await albs(['validate', pkg]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(`albs: ${pkg}/.albs.yml: a FIFO (named pipe), ${NOT_REGULAR}`);
  });

  it('/dev/zero is not read until memory runs out', async () => {
    const result = await albs(['validate', '/dev/zero']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(`albs: /dev/zero: a character device, ${NOT_REGULAR}`);
  });

  it('a file over 1 MiB', async () => {
    const big = join(dir, 'big.yml');
    writeFileSync(big, `version: 1\n# ${'x'.repeat(1024 * 1024)}\n`);
    const result = await albs(['validate', big]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      `albs: ${big}: 1048590 bytes, over the 1048576-byte (1 MiB) limit for a pipeline file; keep .albs.yml small and move data into the repository`,
    );
  });

  it('a file that is not UTF-8, naming the first bad byte by line and column', async () => {
    const latin1 = join(dir, 'latin1.yml');
    writeFileSync(latin1, Buffer.from('version: 1\nbuild:\n  env: {NAME: caf\xe9}\n', 'latin1'));
    const result = await albs(['validate', latin1]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      `albs: ${latin1}: not valid UTF-8 (byte 0xE9 at line 3, column 18); save it as UTF-8, e.g. with iconv -f LATIN1 -t UTF-8`,
    );
  });

  it('UTF-8 with a byte-order mark and non-ASCII text still reads', async () => {
    const file = join(dir, 'bom.yml');
    writeFileSync(file, '\ufeffversion: 1\n# café, ☃\n');
    const result = await albs(['validate', file]);
    expect(result.exitCode).toBe(0);
  });
});

describe('albs validate prints the new checks as FILE:LINE:COL lines (exit 1)', () => {
  it('a job id over 200 bytes, network with pull requests, a host command for sbuild', async () => {
    const file = join(dir, 'checks.yml');
    writeFileSync(
      file,
      `version: 1
on: {branches: [main], pull_requests: true}
matrix:
  dist: ["${'d'.repeat(200)}"]
build:
  builder: dpkg
  network: true
  dpkg:
    sbuild: true
    options: ["--post-build-commands=scp %SBUILD_CHANGES host:"]
`,
    );
    const result = await albs(['validate', file]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      `${file}:4:10: error: the job id "build.${'d'.repeat(41)}…${'d'.repeat(16)}" is 206 bytes, over the 200-byte limit for job ids (they become file names); it is the stage and the matrix values, and this value gives 200 bytes of it: use shorter matrix values`,
      `${file}:7:12: error: build.network is true, but on.pull_requests is true, and pull-request pipelines never get network; set network: false (and keep what it downloads in the repository), or set on.pull_requests: false`,
      `${file}:10:15: error: build.dpkg.options[0] is "--post-build-commands=scp %SBUILD_CHANGES host:": sbuild's --post-build-commands runs a command on the runner host, outside the build, which a pipeline file may not do; do that work in debian/rules or in a test step`,
    ]);
  });
});
