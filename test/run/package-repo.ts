import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/cli.js';

/** A copy of a bundled example in a temp dir, so its .albs/out lands there. */
export function copyExample(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `albs-run-${name}-`));
  // Without the example's own .albs/out: the README's first command leaves one there, and a run
  // publishing into it again would meet the same package names with other bytes.
  const example = join(REPO_ROOT, 'examples', name);
  cpSync(example, dir, { recursive: true, filter: (from) => from !== join(example, '.albs') });
  return dir;
}

/** A tiny noarch package repo: a spec with the given %build, an .albs.yml, and any extra files. */
export function tinyPackage(options: {
  albs: string;
  build?: string;
  files?: Record<string, string>;
}): string {
  const dir = mkdtempSync(join(tmpdir(), 'albs-run-tiny-'));
  writeFileSync(
    join(dir, 'tiny.spec'),
    `Name: tiny
Version: 1.0
Release: 1
Summary: A tiny test package
License: MIT
BuildArch: noarch
AutoReqProv: no

%description
A tiny test package.

%build
${options.build ?? 'true'}

%install
mkdir -p %{buildroot}/usr/share/tiny
echo tiny > %{buildroot}/usr/share/tiny/tiny.txt

%files
/usr/share/tiny/tiny.txt
`,
  );
  writeFileSync(join(dir, '.albs.yml'), options.albs);
  for (const [name, text] of Object.entries(options.files ?? {}))
    writeFileSync(join(dir, name), text, { mode: 0o755 });
  return dir;
}
