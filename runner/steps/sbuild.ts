/**
 * Who runs sbuild for the dpkg builder, and how. albs uses sbuild's unshare chroot mode: no
 * schroot set-up and no root, only a chroot tarball in the ~/.cache/sbuild of the user running
 * sbuild and a /etc/subuid range for that user. That mode fails as root ("Error creating chroot
 * session": root has no subordinate ids, and were it given some, the chroot's root would be the
 * host's). So a runner running as root runs sbuild as a dedicated unprivileged build user,
 * ALBS_SBUILD_USER or by default `albs-build` (scripts/setup --with-optional creates it and its
 * chroot), and hands it the job's workspace; a runner running as an ordinary user runs sbuild as
 * itself. sbuild runs outside the job's bubblewrap sandbox: it makes namespaces of its own (the
 * build itself has no network there), needs the setuid newuidmap, which bwrap's no_new_privs
 * disables, and needs the network for apt in the chroot.
 */
import type { Dirent } from 'node:fs';
import { lchown, readdir, readFile, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { parseChangelogHead } from '../../src/sources/debian-control.js';

export const SBUILD_USER_DEFAULT = 'albs-build';

/**
 * The distribution sbuild builds for (whose chroot it uses): build.dpkg.dist, else the one in
 * debian/changelog, as dpkg-buildpackage would have it; sbuild itself takes none from a .dsc
 * ("No distribution defined"). UNRELEASED and the like name no chroot: a failure saying so.
 */
export async function sbuildDist(
  dist: string | null,
  tree: string,
): Promise<{ dist: string } | { failure: string }> {
  if (dist !== null) return { dist };
  const file = join(tree, 'debian', 'changelog');
  const head = parseChangelogHead(await readFile(file, 'utf8'), 'debian/changelog');
  if (!/^[a-z][a-z0-9.+-]*$/.test(head.distribution)) {
    return {
      failure: `build.dpkg.sbuild: debian/changelog names the distribution "${head.distribution}", for which there is no chroot: set build.dpkg.dist (e.g. dist: bookworm)`,
    };
  }
  return { dist: head.distribution };
}

/** The user sbuild runs as. */
export interface SbuildUser {
  name: string;
  uid: number;
  gid: number;
  /** Where sbuild looks for chroot tarballs: CACHE/sbuild/DIST-ARCH.tar… */
  cacheDir: string;
  /** True when it is the runner's own user: sbuild is started directly, with no setpriv. */
  self: boolean;
}

/**
 * The user sbuild runs as: the runner's own user, or, when the runner runs as root, the build user
 * named by ALBS_SBUILD_USER in the runner's environment (never the job's: a package must not pick
 * who builds it). ALBS_SBUILD_USER=root runs sbuild as root, for a runner whose build.dpkg.options
 * choose a chroot mode that works there. Returns a failure reason when the user does not exist.
 */
export async function sbuildUser(
  runnerEnv: NodeJS.ProcessEnv = process.env,
): Promise<SbuildUser | { failure: string }> {
  const me = userInfo();
  if (me.uid !== 0) {
    const cache = runnerEnv.XDG_CACHE_HOME || join(me.homedir, '.cache');
    return { name: me.username, uid: me.uid, gid: me.gid, cacheDir: cache, self: true };
  }
  const name = runnerEnv.ALBS_SBUILD_USER || SBUILD_USER_DEFAULT;
  const entry = await passwdEntry(name);
  if (entry === undefined) {
    return {
      failure: `build.dpkg.sbuild: albs runs as root, where sbuild's unshare mode cannot build, so it runs sbuild as the user ${name}${runnerEnv.ALBS_SBUILD_USER ? ' (ALBS_SBUILD_USER)' : ''}, which does not exist: scripts/setup --with-optional creates it with its chroot, or set ALBS_SBUILD_USER to an unprivileged user with a /etc/subuid range and a chroot in ~/.cache/sbuild`,
    };
  }
  const { uid, gid, home } = entry;
  return { name, uid, gid, cacheDir: join(home, '.cache'), self: uid === 0 };
}

/** getent passwd NAME, which also asks NSS (LDAP …), not only /etc/passwd. */
async function passwdEntry(name: string): Promise<{ uid: number; gid: number; home: string } | undefined> {
  const result = await execa('getent', ['passwd', name], {
    extendEnv: false,
    env: { PATH: '/usr/bin:/bin' },
    stdin: 'ignore',
    reject: false,
    timeout: 30_000,
  });
  const [, , uid, gid, , home] = result.exitCode === 0 ? result.stdout.split('\n')[0]!.split(':') : [];
  if (uid === undefined || gid === undefined || home === undefined) return undefined;
  return { uid: Number(uid), gid: Number(gid), home };
}

/**
 * Gives the workspace to the build user (a fresh directory of this job only: the source package
 * in it must be readable, the build directory writable) and checks that the user can reach it.
 * Links are changed, never followed. Returns a failure reason when a directory above the workspace
 * is closed to the user; nothing to do when sbuild runs as the runner's own user.
 */
export async function handOverWorkspace(user: SbuildUser, workspace: string): Promise<string | undefined> {
  if (user.self) return undefined;
  await chownTree(workspace, user.uid, user.gid);
  for (let dir = dirname(workspace); ; dir = dirname(dir)) {
    const s = await stat(dir);
    const bits = s.uid === user.uid ? 0o100 : s.gid === user.gid ? 0o010 : 0o001;
    if ((s.mode & bits) === 0) {
      return `build.dpkg.sbuild: sbuild runs as ${user.name} (albs runs as root), which cannot enter ${dir} (mode ${(s.mode & 0o7777).toString(8).padStart(4, '0')}, owner uid ${s.uid}) on the way to the workspace ${workspace}: put the runner's output directory (--out) where ${user.name} can reach it, or open ${dir} to it (chmod o+x ${dir})`;
    }
    if (dir === dirname(dir)) return undefined;
  }
}

async function chownTree(dir: string, uid: number, gid: number): Promise<void> {
  await lchown(dir, uid, gid);
  const entries: Dirent[] = await readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) await chownTree(path, uid, gid);
    else await lchown(path, uid, gid);
  }
}

/** The command line that runs sbuild as `user`: setpriv drops to it when that is not the runner. */
export function sbuildCommand(user: SbuildUser, args: string[]): { file: string; args: string[] } {
  if (user.self) return { file: 'sbuild', args };
  return {
    file: 'setpriv',
    args: [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups', '--', 'sbuild', ...args],
  };
}

/**
 * After a failed sbuild: the fix when the user has no chroot for `dist` where sbuild looks (names
 * DIST.t…, DIST-ARCH.t…, DIST-ARCH-sbuild.t…), or undefined when there is one and the log must say
 * what went wrong.
 */
export async function missingChrootHint(
  user: SbuildUser,
  dist: string,
  arch: string,
): Promise<string | undefined> {
  const dir = join(user.cacheDir, 'sbuild');
  const names = await readdir(dir).catch(() => [] as string[]);
  if (names.some((n) => n.startsWith(`${dist}.t`) || n.startsWith(`${dist}-`))) return undefined;
  return `${user.name} has no sbuild chroot for ${dist} in ${dir}: scripts/setup --with-optional makes one for this system's distribution, or make it with mmdebstrap --variant=buildd ${dist} ${dir}/${dist}-${arch}.tar (as ${user.name})`;
}
