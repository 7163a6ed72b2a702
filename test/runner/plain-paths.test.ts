import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { copyTree } from '../../runner/copy-tree.js';
import { isPlainPath, plainPaths } from '../../runner/plain-paths.js';
import { escapeRpmMacros, rpmDefine } from '../../runner/rpm-define.js';
import { tempDir } from './helpers.js';

describe('rpmDefine', () => {
  it('doubles every %', () => {
    expect(rpmDefine('_topdir', '/out/o%(touch x)%%/w')).toEqual([
      '--define',
      '_topdir /out/o%%(touch x)%%%%/w',
    ]);
    expect(escapeRpmMacros('/plain/path')).toBe('/plain/path');
  });

  it('rpm gives the value back as it was, and runs nothing', async () => {
    const dir = await tempDir();
    const canary = join(dir, 'PWNED');
    const value = `/out/o%(touch ${canary})/%{_arch}`;
    const result = await execa('rpm', [...rpmDefine('albs_test_path', value), '--eval', '%{albs_test_path}']);
    expect(result.stdout).toBe(value);
    expect(existsSync(canary)).toBe(false);
  });
});

describe('plainPaths', () => {
  it('aliases nothing and creates nothing when every directory is plain', async () => {
    const base = await tempDir();
    const paths = await plainPaths({ work: '/srv/albs/out/work', repo: '/srv/pkg' }, base);
    expect(paths.aliases).toEqual([]);
    expect(paths.map('/srv/pkg/x.spec')).toBe('/srv/pkg/x.spec');
    expect(await readdir(base)).toEqual([]);
  });

  it('gives a directory with % or a space a plain alias that reaches the same files, removed by close', async () => {
    const base = await tempDir();
    const real = join(base, 'out %(touch x)');
    await mkdir(join(real, 'work', 'job'), { recursive: true });
    await writeFile(join(real, 'work', 'job', 'file'), 'through the alias\n');
    const paths = await plainPaths({ work: join(real, 'work'), repo: '/srv/pkg' }, base);
    expect(paths.aliases).toHaveLength(1);
    const [alias] = paths.aliases;
    expect(alias?.real).toBe(join(real, 'work'));
    expect(isPlainPath(alias?.alias ?? '')).toBe(true);
    const mapped = paths.map(join(real, 'work', 'job', 'file'));
    expect(mapped).toBe(join(alias?.alias ?? '', 'job', 'file'));
    expect(await readFile(mapped, 'utf8')).toBe('through the alias\n');
    // Paths outside every aliased directory are left as they are.
    expect(paths.map('/srv/pkg/x.spec')).toBe('/srv/pkg/x.spec');
    expect(paths.map(join(real, 'workshop'))).toBe(join(real, 'workshop'));
    await paths.close();
    await paths.close();
    expect(existsSync(alias?.alias ?? '')).toBe(false);
    // The symlink went, never what it pointed to.
    expect(await readFile(join(real, 'work', 'job', 'file'), 'utf8')).toBe('through the alias\n');
  });

  it('maps a path through the deepest aliased directory holding it', async () => {
    const base = await tempDir();
    const repo = join(base, 're po');
    const work = join(repo, '.albs', 'out', 'work');
    await mkdir(work, { recursive: true });
    const paths = await plainPaths({ work, repo }, base);
    try {
      const workAlias = paths.aliases.find((a) => a.name === 'work')?.alias;
      expect(paths.map(join(work, 'job'))).toBe(join(workAlias ?? '', 'job'));
    } finally {
      await paths.close();
    }
  });

  it('puts the aliases in /tmp when the base directory is not plain itself', async () => {
    const base = join(await tempDir(), 'tmp dir');
    await mkdir(base);
    const paths = await plainPaths({ work: base }, base);
    try {
      expect(paths.aliases[0]?.alias).toMatch(/^\/tmp\/albs-paths-[^/]+\/work$/);
    } finally {
      await paths.close();
    }
  });
});

describe('copyTree', () => {
  it('leaves out a path however it is named: through an alias, or as its real path', async () => {
    const base = await tempDir();
    const repo = join(base, 're%po');
    await mkdir(join(repo, '.albs', 'out', 'work'), { recursive: true });
    await mkdir(join(repo, 'src'));
    await writeFile(join(repo, 'src', 'kept'), 'kept\n');
    await writeFile(join(repo, '.albs', 'out', 'work', 'other-job'), 'not copied\n');
    const paths = await plainPaths({ repo }, base);
    try {
      const dest = join(base, 'copy');
      // From the alias, leaving out the real path.
      await copyTree(paths.map(repo), dest, { leaveOut: [join(repo, '.albs', 'out')] });
      expect(await readFile(join(dest, 'src', 'kept'), 'utf8')).toBe('kept\n');
      expect(await readdir(join(dest, '.albs'))).toEqual([]);
      // From the real path, leaving out the alias.
      const again = join(base, 'again');
      await copyTree(repo, again, { leaveOut: [paths.map(join(repo, '.albs', 'out'))] });
      expect(await readdir(join(again, '.albs'))).toEqual([]);
    } finally {
      await paths.close();
    }
  });
});
