/**
 * build.dpkg.sbuild for real: examples/hello-deb built by sbuild --chroot-mode=unshare in the
 * chroot scripts/setup --with-optional makes (~albs-build/.cache/sbuild/CODENAME-ARCH.tar when
 * the tests run as root, the test user's own otherwise). Skipped, saying why, only where there is
 * no sbuild or no chroot: CI runs scripts/setup without --with-optional. Before it, how albs picks
 * the user sbuild runs as and hands it the workspace.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CLEAN_PATH, onPath } from '../../runner/process.js';
import { buildStep } from '../../runner/steps/build.js';
import {
  handOverWorkspace,
  missingChrootHint,
  type SbuildUser,
  sbuildCommand,
  sbuildDist,
  sbuildUser,
} from '../../runner/steps/sbuild.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { buildJob, hostFacts, makeContext, tempDir } from '../runner/helpers.js';

const isRoot = process.geteuid?.() === 0;
const EXAMPLE = join(REPO_ROOT, 'examples', 'hello-deb');

/** An unprivileged user other than the runner, for the hand-over tests (run as root only). */
const nobody: SbuildUser = { name: 'nobody', uid: 65534, gid: 65534, cacheDir: '/nonexistent', self: false };

async function changelogIn(distribution: string): Promise<string> {
  const tree = await tempDir('albs-sbuild-tree-');
  await mkdir(join(tree, 'debian'));
  await writeFile(
    join(tree, 'debian', 'changelog'),
    `tiny (1.0) ${distribution}; urgency=medium\n\n  * T.\n\n -- T <t@example.org>  Sat, 21 Nov 2026 00:00:00 +0000\n`,
  );
  return tree;
}

describe('who runs sbuild', () => {
  it('the runner itself runs sbuild directly; another user through setpriv, with its groups', () => {
    const self: SbuildUser = { ...nobody, self: true };
    expect(sbuildCommand(self, ['--nolog', 'x.dsc'])).toEqual({ file: 'sbuild', args: ['--nolog', 'x.dsc'] });
    expect(sbuildCommand(nobody, ['--nolog', 'x.dsc'])).toEqual({
      file: 'setpriv',
      args: ['--reuid=65534', '--regid=65534', '--init-groups', '--', 'sbuild', '--nolog', 'x.dsc'],
    });
  });

  it.skipIf(isRoot)('as an ordinary user: that user, with its own ~/.cache', async () => {
    const user = await sbuildUser({ HOME: '/ignored' });
    expect(user).toMatchObject({ uid: process.geteuid?.(), self: true });
  });

  it.skipIf(!isRoot)('as root: a build user that does not exist fails, naming it and the fix', async () => {
    const user = await sbuildUser({ ALBS_SBUILD_USER: 'albs-no-such-user' });
    expect(user).toEqual({
      failure: expect.stringContaining('the user albs-no-such-user (ALBS_SBUILD_USER)'),
    });
    expect('failure' in user && user.failure).toMatch(/scripts\/setup --with-optional creates it/);
  });

  it.skipIf(!isRoot)(
    'as root: ALBS_SBUILD_USER names the user, with its home; root itself runs directly',
    async () => {
      expect(await sbuildUser({ ALBS_SBUILD_USER: 'nobody' })).toMatchObject({
        name: 'nobody',
        uid: 65534,
        self: false,
      });
      expect(await sbuildUser({ ALBS_SBUILD_USER: 'root' })).toEqual({
        name: 'root',
        uid: 0,
        gid: 0,
        cacheDir: '/root/.cache',
        self: true,
      });
    },
  );
});

describe('the distribution sbuild builds for', () => {
  it('build.dpkg.dist, else the one debian/changelog names; UNRELEASED names no chroot', async () => {
    expect(await sbuildDist('trixie', '/nonexistent')).toEqual({ dist: 'trixie' });
    expect(await sbuildDist(null, await changelogIn('bookworm'))).toEqual({ dist: 'bookworm' });
    expect(await sbuildDist(null, await changelogIn('UNRELEASED'))).toEqual({
      failure:
        'build.dpkg.sbuild: debian/changelog names the distribution "UNRELEASED", for which there is no chroot: set build.dpkg.dist (e.g. dist: bookworm)',
    });
  });
});

describe('a missing chroot', () => {
  it('is named with the command that makes it; any chroot for the distribution is enough', async () => {
    const cache = await tempDir('albs-sbuild-cache-');
    const user: SbuildUser = { ...nobody, cacheDir: cache };
    expect(await missingChrootHint(user, 'bookworm', 'amd64')).toBe(
      `nobody has no sbuild chroot for bookworm in ${cache}/sbuild: scripts/setup --with-optional makes one for this system's distribution, or make it with mmdebstrap --variant=buildd bookworm ${cache}/sbuild/bookworm-amd64.tar (as nobody)`,
    );
    await mkdir(join(cache, 'sbuild'));
    await writeFile(join(cache, 'sbuild', 'bookworm-amd64.tar.zst'), '');
    expect(await missingChrootHint(user, 'bookworm', 'amd64')).toBeUndefined();
  });
});

describe.skipIf(!isRoot)('handing the workspace to the build user (as root)', () => {
  it('gives it every file, changing links rather than what they point at', async () => {
    const top = await tempDir('albs-sbuild-ws-');
    chmodSync(top, 0o755);
    const outside = join(await tempDir('albs-sbuild-outside-'), 'file');
    await writeFile(outside, 'not the build user’s\n');
    const workspace = join(top, 'work');
    await mkdir(join(workspace, 'build', 'tree'), { recursive: true });
    await writeFile(join(workspace, 'build', 'x.dsc'), 'dsc\n');
    symlinkSync(outside, join(workspace, 'build', 'link'));
    expect(await handOverWorkspace(nobody, workspace)).toBeUndefined();
    for (const path of ['', 'build', 'build/tree', 'build/x.dsc'])
      expect(statSync(join(workspace, path)).uid).toBe(65534);
    expect(lstatSync(join(workspace, 'build', 'link')).uid).toBe(65534);
    expect(statSync(outside).uid).toBe(0);
  });

  it('fails, naming the directory above the workspace that the user cannot enter', async () => {
    const closed = await tempDir('albs-sbuild-closed-');
    await chmod(closed, 0o700);
    const workspace = join(closed, 'work');
    await mkdir(workspace);
    expect(await handOverWorkspace(nobody, workspace)).toBe(
      `build.dpkg.sbuild: sbuild runs as nobody (albs runs as root), which cannot enter ${closed} (mode 0700, owner uid 0) on the way to the workspace ${workspace}: put the runner's output directory (--out) where nobody can reach it, or open ${closed} to it (chmod o+x ${closed})`,
    );
  });
});

/** Why the real build cannot run here, or undefined when it can. */
async function cannotBuild(dist: string, arch: string): Promise<string | undefined> {
  if (!onPath('sbuild', CLEAN_PATH))
    return 'sbuild is not installed (scripts/setup --with-optional installs it)';
  const user = await sbuildUser();
  if ('failure' in user) return user.failure;
  if (user.uid === 0) return "ALBS_SBUILD_USER=root: sbuild's unshare mode cannot build as root";
  return missingChrootHint(user, dist, arch);
}

describe('build.dpkg.sbuild: true', () => {
  it('builds examples/hello-deb in the chroot with sbuild --chroot-mode=unshare', async (ctx) => {
    const host = (await hostFacts()).debArch;
    const why = await cannotBuild('bookworm', host);
    if (why !== undefined) ctx.skip(`no sbuild chroot to build in: ${why}`);
    const config = parse(readFileSync(join(EXAMPLE, '.albs.yml'), 'utf8')) as {
      source: Record<string, string>;
    };
    const job = buildJob({
      builder: 'dpkg',
      matrix: { arch: host },
      timeout: 1800,
      source: { tarballCommand: config.source['tarball-command'] },
      // No dist: the one in debian/changelog (bookworm), which sbuild would not take from a .dsc.
      dpkg: { sbuild: true, dist: null, options: [] },
    });
    const context = await makeContext({ job, repoDir: EXAMPLE });
    // The build user must reach the workspace: the test's temporary directory is 0700.
    chmodSync(dirname(context.workspace), 0o755);
    const started = Date.now();
    const result = await buildStep(context);
    const seconds = Math.round((Date.now() - started) / 1000);
    const log = context.log.text();
    expect(result, log.slice(-4000)).toEqual({ state: 'success' });
    console.info(
      `sbuild built hello-deb in ${seconds} s; sbuild: ${/^Build needed .*$/m.exec(log)?.[0] ?? '?'}`,
    );

    expect(log).toMatch(
      /\$ (?:setpriv --reuid=\d+ --regid=\d+ --init-groups -- )?sbuild --chroot-mode=unshare .*--dist=bookworm/,
    );
    expect(log).toMatch(/^Status: successful$/m);
    const artifacts = readdirSync(context.artifacts);
    const deb = `hello-deb_1.0.0-1_${host}.deb`;
    expect(artifacts).toEqual(
      expect.arrayContaining([deb, 'hello-deb_1.0.0-1.dsc', `hello-deb_1.0.0-1_${host}.changes`]),
    );
    // Built in the chroot: its libc, found by dpkg-shlibdeps there, is what the deb depends on.
    const depends = execFileSync('dpkg-deb', ['-f', join(context.artifacts, deb), 'Depends'], {
      encoding: 'utf8',
    });
    expect(depends).toMatch(/\blibc6 \(>= /);
    const files = execFileSync('dpkg-deb', ['-c', join(context.artifacts, deb)], { encoding: 'utf8' });
    expect(files).toMatch(/\.\/usr\/bin\/hello-deb$/m);
  }, 1_800_000);
});
