import { describe, expect, it } from 'vitest';
import { testStep } from '../../runner/steps/test.js';
import type { TestStep } from '../../src/plan/types.js';
import { hostFacts, makeContext, tempDir, testJob } from '../runner/helpers.js';
import { binaryDeb } from './helpers.js';

/** A test step with the defaults a config gives; `extra` holds the kind's own fields. */
const step = (kind: TestStep['kind'], extra: Record<string, unknown>): TestStep =>
  ({
    kind,
    name: kind,
    timeout: 120,
    env: {},
    network: false,
    repos: [],
    gpgkeys: [],
    gpgcheck: false,
    ...extra,
  }) as unknown as TestStep;

async function runTests(debs: string[], steps: TestStep[]) {
  const context = await makeContext({
    job: testJob({ builder: 'dpkg', steps }),
    repoDir: await tempDir(),
    inputs: { 'build.test': debs },
  });
  const result = await testStep(context);
  return { result, log: context.log.text() };
}

describe('the test job for Debian packages', () => {
  it('lintian: errors fail the step and are in the log; ignored tags do not', async () => {
    const deb = await binaryDeb(await tempDir());
    const failed = await runTests([deb], [step('lintian', { ignore: [] })]);
    expect(failed.result.state).toBe('failure');
    expect(failed.log).toMatch(/^E: tiny: no-copyright-file/m);
    expect(failed.result.state === 'failure' && failed.result.reason).toMatch(
      /^test step "lintian" \(lintian\) failed: lintian reported \d+ errors? \(the "E:" lines in the log\): fix them, or add their tags to lintian\.ignore/,
    );
    const errors = [...failed.log.matchAll(/^E: tiny: (\S+)/gm)].map((m) => m[1]!);
    const passed = await runTests([deb], [step('lintian', { ignore: errors })]);
    expect(passed.result).toEqual({ state: 'success' });
    expect(passed.log).toMatch(
      new RegExp(`ignoring the lintian tags listed in lintian.ignore: ${errors.join(', ')}`),
    );
    expect(passed.log).not.toMatch(/^E: /m);
  });

  it('install: unpacks into a fresh root with dpkg-deb, says so, checks md5sums and syntax-checks scripts', async () => {
    const dir = await tempDir();
    const debs = [
      await binaryDeb(dir, {
        scripts: {
          postinst: { text: '#!/bin/sh\nset -e\necho configured\n' },
          prerm: { text: '#!/usr/bin/perl\n1;\n' },
        },
      }),
      await binaryDeb(dir, { name: 'other', files: { 'usr/share/other/x': 'x\n' } }),
    ];
    const { result, log } = await runTests(debs, [step('install', { repos: [] })]);
    expect(result).toEqual({ state: 'success' });
    expect(log).toMatch(/with dpkg-deb -x: dependencies are NOT resolved and maintainer scripts are NOT run/);
    expect(log).toMatch(/tiny_1\.0-1_all\.deb: postinst parses \(sh -n\)/);
    expect(log).toMatch(/prerm \(#!\/usr\/bin\/perl\) is not a shell script: not syntax-checked/);
    expect(log).toMatch(/unpacked 2 packages \(2 files\): files and maintainer scripts are fine/);
  });

  it('install: names every problem: a script that does not parse or run, a wrong file, a file two packages ship', async () => {
    const dir = await tempDir();
    const debs = [
      await binaryDeb(dir, {
        scripts: {
          postinst: { text: '#!/bin/sh\nif true; then\n  echo never closed\n' },
          postrm: { text: '#!/bin/sh\nexit 0\n', mode: 0o644 },
        },
        wrongMd5For: 'usr/share/tiny/hello.txt',
      }),
      await binaryDeb(dir, { name: 'clash', files: { 'usr/share/tiny/hello.txt': 'mine\n' } }),
    ];
    const { result, log } = await runTests(debs, [step('install', { repos: [] })]);
    expect(result.state).toBe('failure');
    expect(result.state === 'failure' && result.reason).toMatch(/failed: 4 problems found: /);
    expect(log).toMatch(/problem: tiny_1\.0-1_all\.deb: the postinst script does not parse \(sh -n failed\)/);
    expect(log).toMatch(/problem: tiny_1\.0-1_all\.deb: the postrm script is not executable/);
    expect(log).toMatch(
      /problem: tiny_1\.0-1_all\.deb: \/usr\/share\/tiny\/hello\.txt does not match its md5sums entry/,
    );
    expect(log).toMatch(
      /problem: tiny_1\.0-1_all\.deb and clash_1\.0-1_all\.deb both ship \/usr\/share\/tiny\/hello\.txt/,
    );
  });

  it('run: steps get the debs in ALBS_PACKAGES and ALBS_PACKAGES_FILE, and the Debian arch in ALBS_ARCH', async () => {
    const deb = await binaryDeb(await tempDir('albs deb with space-'));
    const { result, log } = await runTests(
      [deb],
      [
        step('run', {
          run: 'echo "packages=$ALBS_PACKAGES arch=$ALBS_ARCH"; while IFS= read -r p; do echo "listed=$p"; done < "$ALBS_PACKAGES_FILE"',
        }),
      ],
    );
    expect(result).toEqual({ state: 'success' });
    expect(log).toContain(`packages=${deb} arch=${(await hostFacts()).debArch}`);
    expect(log.split('\n').filter((l) => l.startsWith('listed='))).toEqual([`listed=${deb}`]);
  });

  it('a test job of a dpkg build refuses rpmlint, naming lintian', async () => {
    const deb = await binaryDeb(await tempDir());
    const { result } = await runTests([deb], [step('rpmlint', { ignore: [] })]);
    expect(result.state === 'failure' && result.reason).toMatch(
      /rpmlint checks RPMs and this job built Debian packages: use lintian/,
    );
  });
});
