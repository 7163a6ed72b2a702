/**
 * Debian packages for the dpkg tests: a source tree with debian/ (built by the real
 * dpkg-buildpackage through albs), and binary debs made directly with dpkg-deb (for the test
 * steps, where only the .deb matters and building one takes 50 ms).
 */
import { createHash } from 'node:crypto';
import { chmod, copyFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { tempDir } from '../runner/helpers.js';

export interface DebianSource {
  name?: string;
  /** Default 1.0 for native, 1.0-1 for quilt. */
  version?: string;
  format?: '3.0 (native)' | '3.0 (quilt)';
  /** Architecture of the one binary package; default all. */
  arch?: string;
  buildDepends?: string;
  /** For quilt: where the upstream tarball goes; default beside debian/. */
  tarball?: 'beside' | 'none' | { path: string };
  /** Extra files of the repository (.albs.yml, tests …). */
  files?: Record<string, string>;
}

/**
 * A package repository holding a tiny Debian package: debian/ at the top, one upstream file that
 * the package installs as /usr/share/NAME/hello.txt.
 */
export async function debianRepo(options: DebianSource = {}): Promise<string> {
  const name = options.name ?? 'tiny';
  const format = options.format ?? '3.0 (native)';
  const native = format === '3.0 (native)';
  const version = options.version ?? (native ? '1.0' : '1.0-1');
  const dir = await tempDir('albs-deb-repo-');
  const write = async (path: string, text: string, mode = 0o644) => {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
    await chmod(join(dir, path), mode);
  };
  await write('hello.txt', `hello from ${name}\n`);
  await write(
    'debian/control',
    [
      `Source: ${name}`,
      'Section: misc',
      'Priority: optional',
      'Maintainer: albs-ci tests <tests@example.org>',
      `Build-Depends: ${options.buildDepends ?? 'debhelper-compat (= 13)'}`,
      'Standards-Version: 4.6.2',
      'Rules-Requires-Root: no',
      '',
      `Package: ${name}`,
      `Architecture: ${options.arch ?? 'all'}`,
      'Depends: ${misc:Depends}',
      'Description: test package for albs-ci',
      ' A package the albs-ci tests build.',
      '',
    ].join('\n'),
  );
  await write(
    'debian/changelog',
    `${name} (${version}) bookworm; urgency=medium\n\n  * Test release.\n\n -- albs-ci tests <tests@example.org>  Sat, 21 Nov 2026 00:00:00 +0000\n`,
  );
  await write('debian/rules', '#!/usr/bin/make -f\n%:\n\tdh $@\n', 0o755);
  await write('debian/source/format', `${format}\n`);
  await write(`debian/${name}.install`, `hello.txt usr/share/${name}/\n`);
  await write(
    'debian/copyright',
    'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nCopyright: 2026 albs-ci tests\nLicense: MIT\n',
  );
  for (const [path, text] of Object.entries(options.files ?? {})) {
    await write(path, text, path.endsWith('.sh') ? 0o755 : 0o644);
  }
  if (!native && options.tarball !== 'none') {
    const upstream = version.replace(/^\d+:/, '').replace(/-[^-]+$/, '');
    const target =
      typeof options.tarball === 'object'
        ? join(dir, options.tarball.path)
        : join(dir, `${name}_${upstream}.orig.tar.gz`);
    await mkdir(dirname(target), { recursive: true });
    // Everything but debian/: the tree albs builds is this tarball plus the packaging.
    const tmp = join(await tempDir('albs-orig-'), 'orig.tar.gz');
    await execa('tar', ['--exclude=./debian', '-czf', tmp, '-C', dir, '.'], { stdin: 'ignore' });
    await copyFile(tmp, target);
  }
  return dir;
}

export interface BinaryDeb {
  name?: string;
  version?: string;
  arch?: string;
  /** Payload files by path ("usr/share/x/y"). */
  files?: Record<string, string>;
  /** Maintainer scripts by name (postinst …), with their mode (default 0755). */
  scripts?: Record<string, { text: string; mode?: number }>;
  /** Write DEBIAN/md5sums for the payload (default true). */
  md5sums?: boolean;
  /** Change a payload file's md5sums entry to a wrong digest. */
  wrongMd5For?: string;
}

/** A binary .deb made with dpkg-deb --build, in `dir`; returns its path. */
export async function binaryDeb(dir: string, options: BinaryDeb = {}): Promise<string> {
  const name = options.name ?? 'tiny';
  const version = options.version ?? '1.0-1';
  const arch = options.arch ?? 'all';
  const root = join(dir, `${name}-${version}-${arch}-root`);
  const files = options.files ?? { [`usr/share/${name}/hello.txt`]: `hello from ${name}\n` };
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  await mkdir(join(root, 'DEBIAN'), { recursive: true });
  await writeFile(
    join(root, 'DEBIAN', 'control'),
    `Package: ${name}\nVersion: ${version}\nArchitecture: ${arch}\nMaintainer: albs-ci tests <tests@example.org>\nDescription: test package for albs-ci\n A package the albs-ci tests make.\n`,
  );
  if (options.md5sums !== false) {
    const lines = Object.entries(files).map(([path, text]) => {
      const md5 =
        path === options.wrongMd5For ? '0'.repeat(32) : createHash('md5').update(text).digest('hex');
      return `${md5}  ${path}`;
    });
    await writeFile(join(root, 'DEBIAN', 'md5sums'), `${lines.join('\n')}\n`);
  }
  for (const [script, { text, mode }] of Object.entries(options.scripts ?? {})) {
    await writeFile(join(root, 'DEBIAN', script), text);
    await chmod(join(root, 'DEBIAN', script), mode ?? 0o755);
  }
  const deb = join(dir, `${name}_${version.replace(/^\d+:/, '')}_${arch}.deb`);
  // --nocheck: a test may want a script dpkg-deb itself would refuse (not executable).
  await execa('dpkg-deb', ['--nocheck', '--root-owner-group', '--build', root, deb], { stdin: 'ignore' });
  return deb;
}
