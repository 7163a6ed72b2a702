import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execaSync } from 'execa';
import { TINY_SPEC } from './farm.js';

/**
 * How the comment-command tests make a pipeline fail and then pass on the SAME commit, honestly:
 * the package requires tiny-dep, and each matrix value's install test resolves it from a dnf
 * repository on this machine that the test owns (`install.repos: [file://DIR/deps-${{
 * matrix.deps }}]`, bound read-only into the sandbox). deps-a holds tiny-dep; deps-b starts as an
 * empty repository, so test (b) fails with "nothing provides tiny-dep". `fix()` publishes tiny-dep
 * into deps-b — a dependency repository catching up, as a mirror does — and a retry of test (b)
 * passes with build (b)'s packages reused.
 */
export function dependencyRepos(): { dir: string; fix(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'albs-deps-'));
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'tiny-dep.spec'), DEP_SPEC);
  execaSync('rpmbuild', ['-bb', '--define', `_topdir ${join(dir, 'top')}`, join(dir, 'tiny-dep.spec')]);
  const rpm = join(dir, 'top', 'RPMS', 'noarch', 'tiny-dep-1.0-1.noarch.rpm');
  for (const name of ['deps-a', 'deps-b']) mkdirSync(join(dir, name), { mode: 0o755 });
  copyFileSync(rpm, join(dir, 'deps-a', 'tiny-dep-1.0-1.noarch.rpm'));
  for (const name of ['deps-a', 'deps-b']) execaSync('createrepo_c', ['-q', join(dir, name)]);
  execaSync('chmod', ['-R', 'a+rX', dir]);
  return {
    dir,
    fix() {
      copyFileSync(rpm, join(dir, 'deps-b', 'tiny-dep-1.0-1.noarch.rpm'));
      execaSync('createrepo_c', ['-q', '--update', join(dir, 'deps-b')]);
      execaSync('chmod', ['-R', 'a+rX', join(dir, 'deps-b')]);
    },
  };
}

/** The tiny package of the server tests, requiring tiny-dep. */
export const SPEC_NEEDING_DEP = TINY_SPEC.replace(
  'AutoReqProv: no\n',
  'AutoReqProv: no\nRequires: tiny-dep\n',
);

/** The .albs.yml lines of the install test that resolves tiny-dep from `dir`'s repositories. */
export function installTest(dir: string): string {
  return `matrix:
  deps: [a, b]
test:
  - install: {repos: ["file://${dir}/deps-\${{ matrix.deps }}"], gpgcheck: false}
`;
}

const DEP_SPEC = `Name: tiny-dep
Version: 1.0
Release: 1
Summary: What tiny needs
License: MIT
BuildArch: noarch
AutoReqProv: no

%description
What tiny needs.

%install
mkdir -p %{buildroot}/usr/share/tiny-dep
echo dep > %{buildroot}/usr/share/tiny-dep/dep.txt

%files
/usr/share/tiny-dep/dep.txt
`;
