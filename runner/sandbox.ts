/**
 * The sandbox every command a package controls runs in: rpmbuild (`-bs` too: a spec's `%(...)` and
 * Lua run there), dpkg-buildpackage, `run:` steps, `tarball-command`, rpmlint and lintian on
 * untrusted files, install tests. Built on bubblewrap:
 *
 * - own pid, ipc, uts, cgroup and network namespaces; `--die-with-parent`, `--new-session`
 *   (no TIOCSTI into the runner's terminal); bwrap sets no_new_privs, so no setuid binary helps;
 * - the host system (/usr, /etc and the /bin, /lib*, /sbin links) read only, /proc/sys and the
 *   other global /proc knobs read only, a private /dev and /tmp, nothing else of the host: no
 *   /home, /root, /run, /var, no OUT, no key file, no keys directory;
 * - the repository checkout and the job's inputs read only; the job's workspace the only place
 *   it can write (HOME and TMPDIR point into it);
 * - as root, the command runs as an unprivileged build uid of its own (bwrap sets the mounts up as
 *   root, which can reach any path, then `setpriv` drops to the uid with no capability left), so
 *   it can read no root-only file, write no sysctl, and RLIMIT_NPROC counts (the kernel never
 *   applies it to uid 0); as an ordinary user, in a user namespace as that user;
 * - rlimits for memory (address space), tasks (processes) and file size; the workspace's total
 *   size is watched by the job runner (see watchDiskUse);
 * - no network unless asked; then a user-mode stack (slirp4netns) that cannot reach the host's
 *   loopback, where Redis and the server listen.
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import { chmod, lchown, readdir } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { execa } from 'execa';
import { DEFAULT_LIMITS } from '../src/config/normalise.js';
import type { JobLimits } from '../src/plan/types.js';
import { findExecutable } from './find-executable.js';

/**
 * The job's limits as the Plan carries them: `memory` is the address space of each process,
 * `tasks` the processes and threads of the job's uid, `disk` the workspace's size and the largest
 * file a command may write.
 */
export type SandboxLimits = JobLimits;

/** For jobs whose plan has no limits (sign, publish): the config's defaults. */
export { DEFAULT_LIMITS } from '../src/config/normalise.js';

/** What one job's commands may see. Paths as the steps see them (plain aliases included). */
export interface SandboxPolicy {
  /** bwrap, as checkSandbox found it. */
  bwrap: string;
  /** The job's workspace: the only writable directory. */
  workspace: string;
  /**
   * Directories and files readable as they are: the repository checkout, the job's input files.
   * `{from, at}` shows `from` at the path `at` (a readable copy of a repository others cannot read).
   */
  readOnly: (string | { from: string; at: string })[];
  /** Never visible, even where a directory bound above holds them: OUT, key files, keys directories. */
  hidden: string[];
  limits: SandboxLimits;
  /**
   * The uid (and gid) the commands run as when the runner is root; undefined as an ordinary user,
   * whose own uid is used in a user namespace.
   */
  buildUid?: number | undefined;
}

/** A command line ready to start, and what must happen once it has. */
export interface SandboxedCommand {
  file: string;
  args: string[];
  /** Extra pipes the command needs after stdio (fd 3, 4): bwrap's info and block fds, for the network. */
  pipes: number;
  /**
   * For a command with network: connects the sandbox's network namespace once bwrap reports its
   * pid, then lets the command start. Resolves to a function that stops the network stack.
   */
  attach?: (child: ChildProcess) => Promise<() => void>;
}

export interface CommandOptions {
  /** Where the command starts; must be visible in the sandbox. */
  cwd: string;
  /** Outside network through slirp4netns (never the host's loopback). */
  network?: boolean | undefined;
  /**
   * Runs as root of a user namespace of its own: uid 0 there, the build uid outside. For the
   * tools that insist on root or chroot into a directory, like `rpm --root` and `dnf --installroot`.
   */
  asRoot?: boolean | undefined;
  /** More host paths this command may read, e.g. a file:// repository an install test uses. */
  readOnly?: readonly string[] | undefined;
}

/** The sandbox of one job. */
export interface Sandbox {
  readonly policy: SandboxPolicy;
  /**
   * Makes the workspace the build uid's (files albs wrote into it before the command included),
   * so the command can write there and nowhere else. Idempotent; nothing to do as an ordinary user.
   */
  prepare(): Promise<void>;
  /** `file args` wrapped to run inside the sandbox, in `cwd` (which must be visible there). */
  command(file: string, args: readonly string[], options: CommandOptions): SandboxedCommand;
}

/** Host directories every command sees read only. /bin, /lib* and /sbin may be links into /usr. */
const SYSTEM_DIRS = ['/usr', '/etc', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];
/** Databases the package tools read (dpkg-checkbuilddeps, Debian's rpm): read only, when present. */
const SYSTEM_DATA = ['/var/lib/dpkg', '/var/lib/rpm', '/var/lib/alternatives'];
/**
 * Closes every file descriptor but stdio, then runs its arguments. Node passes on to its children
 * whatever descriptors it inherited without close-on-exec (from a CI harness, a terminal
 * multiplexer), and neither bwrap nor setpriv closes them: the package's code must get none.
 */
const CLOSE_FDS = [
  'bash',
  '-c',
  'for fd in /proc/$$/fd/*; do fd=${fd##*/}; if [ "$fd" -gt 2 ] && [ -e "/proc/$$/fd/$fd" ]; then eval "exec $fd>&-"; fi; done; exec "$@"',
  'albs-close-fds',
];
/** The size of the sandbox's /tmp and of its /var/tmp (memory); builds get TMPDIR in the workspace. */
const SCRATCH_BYTES = 1024 ** 3;
/** Global knobs under /proc that a process of the sandbox's uid could otherwise write. */
const PROC_READ_ONLY = ['/proc/sys', '/proc/sysrq-trigger', '/proc/irq', '/proc/bus', '/proc/fs'];

export class SandboxUnavailableError extends Error {
  override name = 'SandboxUnavailableError';
}

function inside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : `${dir}${sep}`);
}

function ancestors(path: string): string[] {
  const list: string[] = [];
  for (let dir = dirname(path); dir !== '/' && dir !== '.'; dir = dirname(dir)) list.unshift(dir);
  return list;
}

/** The bwrap arguments that lay out the sandbox's filesystem, in order. */
function mountArgs(policy: SandboxPolicy, extra: readonly string[]): string[] {
  // A private /tmp and /var/tmp, writable by all like the host's (make -O crashes without a
  // writable /tmp), and small: they live in memory, where the workspace's disk watch does not look.
  const scratch = String(Math.min(policy.limits.disk, SCRATCH_BYTES));
  const args: string[] = [
    '--perms',
    '1777',
    '--size',
    scratch,
    '--tmpfs',
    '/tmp',
    '--proc',
    '/proc',
    '--dev',
    '/dev',
  ];
  for (const dir of SYSTEM_DIRS) {
    let stat: ReturnType<typeof lstatSync>;
    try {
      stat = lstatSync(dir);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) args.push('--symlink', readlinkSync(dir), dir);
    else if (stat.isDirectory()) args.push('--ro-bind', dir, dir);
  }
  // /var holds nothing of the host's but the package databases: made here, or bwrap would make it 0700.
  args.push('--perms', '0755', '--dir', '/var', '--perms', '0755', '--dir', '/var/lib');
  for (const dir of SYSTEM_DATA) if (existsSync(dir)) args.push('--ro-bind', dir, dir);
  // dnf --downloadonly insists on a /var/cache even with --installroot and --destdir.
  for (const dir of ['/var/tmp', '/var/cache'])
    args.push('--perms', '1777', '--size', scratch, '--tmpfs', dir);
  for (const path of PROC_READ_ONLY) if (existsSync(path)) args.push('--ro-bind', path, path);
  // Mount points bwrap makes for the binds below get mode 0700 by default: the build uid could not
  // walk down to the repository or its workspace.
  const made = new Set<string>();
  const parents = (path: string) => {
    for (const dir of ancestors(path)) {
      if (made.has(dir) || SYSTEM_DIRS.some((s) => inside(dir, s))) continue;
      made.add(dir);
      args.push('--perms', '0755', '--dir', dir);
    }
  };
  const hidden = policy.hidden.map((p) => resolve(p));
  const views = [...policy.readOnly, ...extra].map((p) =>
    typeof p === 'string'
      ? { from: resolve(p), at: resolve(p) }
      : { from: resolve(p.from), at: resolve(p.at) },
  );
  const readOnly = views.map((v) => v.at);
  const workspace = resolve(policy.workspace);
  const underHidden = (path: string) => hidden.some((h) => path !== h && inside(path, h));
  const bind = (flag: '--ro-bind' | '--bind', path: string, from = path) => {
    parents(path);
    args.push(flag, from, path);
  };
  for (const v of views.filter((v) => !underHidden(v.at))) bind('--ro-bind', v.at, v.from);
  // Hidden paths under something bound: an empty directory (or /dev/null for a file) over them.
  const masks: string[] = [];
  for (const path of hidden) {
    const shown =
      [...readOnly, workspace].some((v) => inside(path, v)) || SYSTEM_DIRS.some((s) => inside(path, s));
    if (!shown) continue;
    let isDir: boolean;
    try {
      isDir = lstatSync(path).isDirectory();
    } catch {
      continue; // nothing there to hide
    }
    if (isDir) {
      args.push('--tmpfs', path);
      masks.push(path);
    } else args.push('--ro-bind', '/dev/null', path);
  }
  // The workspace and the inputs may lie inside OUT, which is hidden as a whole: bound over the
  // empty directory, whose parents must be made again.
  made.clear();
  for (const v of views.filter((v) => underHidden(v.at))) bind('--ro-bind', v.at, v.from);
  bind('--bind', workspace);
  // Read only once the binds inside them are made: in a user namespace the empty directory would
  // otherwise be the user's to write.
  for (const path of masks) args.push('--remount-ro', path);
  return args;
}

/** The runner's own uid: 0 when it runs as root. */
function euid(): number {
  return process.geteuid?.() ?? 0;
}

export function createSandbox(policy: SandboxPolicy): Sandbox {
  const root = euid() === 0;
  if (root && policy.buildUid === undefined) {
    throw new Error('a sandbox for a runner running as root needs a buildUid: builds never run as root');
  }
  const uid = root ? policy.buildUid : undefined;
  return {
    policy,
    async prepare() {
      if (uid === undefined) return;
      await chownTree(policy.workspace, uid);
    },
    command(file, args, options) {
      const { limits } = policy;
      const bwrap = [
        '--unshare-pid',
        '--unshare-ipc',
        '--unshare-uts',
        '--unshare-net',
        '--unshare-cgroup-try',
        '--die-with-parent',
        '--new-session',
        ...(root
          ? ['--cap-drop', 'ALL', '--cap-add', 'CAP_SETUID', '--cap-add', 'CAP_SETGID']
          : ['--unshare-user']),
        ...mountArgs(policy, options.readOnly ?? []),
        '--chdir',
        options.cwd,
      ];
      const network = options.network === true;
      if (network) bwrap.unshift('--info-fd', '3', '--block-fd', '4');
      // prlimit inside the sandbox: bwrap itself must not count against the job's task limit.
      const limited = [
        'prlimit',
        `--as=${limits.memory}`,
        `--nproc=${limits.tasks}`,
        `--fsize=${limits.disk}`,
        '--',
        file,
        ...args,
      ];
      const drop =
        uid === undefined
          ? []
          : ['setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--inh-caps=-all', '--'];
      const userns = options.asRoot ? ['unshare', '--map-root-user', '--'] : [];
      return {
        file: policy.bwrap,
        args: [...bwrap, '--', ...drop, ...CLOSE_FDS, ...userns, ...limited],
        pipes: network ? 2 : 0,
        ...(network ? { attach: (child: ChildProcess) => attachNetwork(child, root) } : {}),
      };
    },
  };
}

/**
 * Whether a build uid (another user) can read everything under `dir` but `skip`: files readable by
 * others, directories readable and searchable. A checkout made with umask 077 is not.
 */
export async function readableByOthers(dir: string, skip: readonly string[]): Promise<boolean> {
  const walk = async (path: string): Promise<boolean> => {
    if (skip.some((s) => inside(path, s))) return true;
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return true;
    if (stat.isDirectory()) {
      if ((stat.mode & 0o005) !== 0o005) return false;
      for (const name of await readdir(path)) if (!(await walk(join(path, name)))) return false;
      return true;
    }
    return (stat.mode & 0o004) !== 0;
  };
  return walk(resolve(dir));
}

/** Makes everything under `dir` readable by others (directories searchable too), not following links. */
export async function makeReadable(dir: string): Promise<void> {
  const stat = lstatSync(dir);
  if (stat.isSymbolicLink()) return;
  const extra = stat.isDirectory() || (stat.mode & 0o111) !== 0 ? 0o555 : 0o444;
  if ((stat.mode & extra) !== extra) await chmod(dir, (stat.mode & 0o7777) | extra);
  if (stat.isDirectory()) for (const name of await readdir(dir)) await makeReadable(join(dir, name));
}

/** Gives every entry under `dir` (not following links) to `uid`, skipping what it already owns. */
async function chownTree(dir: string, uid: number): Promise<void> {
  const walk = async (path: string): Promise<void> => {
    const stat = lstatSync(path);
    if (stat.uid !== uid || stat.gid !== uid) await lchown(path, uid, uid);
    if (!stat.isDirectory()) return;
    for (const name of await readdir(path)) await walk(join(path, name));
  };
  await walk(dir);
}

/**
 * Reads bwrap's child pid from its info fd (3), starts slirp4netns on that network namespace with
 * the host's loopback cut off, waits until the tap device is up, then lets the command run by
 * writing to bwrap's block fd (4).
 */
async function attachNetwork(child: ChildProcess, root: boolean): Promise<() => void> {
  const info = child.stdio[3] as NodeJS.ReadableStream | null;
  const block = child.stdio[4] as NodeJS.WritableStream | null;
  if (!info || !block) throw new Error('the sandbox with network needs fds 3 and 4 as pipes');
  const pid = await new Promise<number>((resolvePid, reject) => {
    let text = '';
    info.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const match = /"child-pid"\s*:\s*(\d+)/.exec(text);
      if (match?.[1]) resolvePid(Number(match[1]));
    });
    info.once('end', () => reject(new Error(`bwrap reported no child pid (got: ${text || 'nothing'})`)));
  });
  const slirp = execa(
    'slirp4netns',
    [
      '--configure',
      '--mtu=65520',
      '--disable-host-loopback',
      '--ready-fd=3',
      ...(root ? [] : [`--userns-path=/proc/${pid}/ns/user`]),
      String(pid),
      'tap0',
    ],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe'], reject: false, buffer: false },
  );
  const ready = slirp.stdio[3] as NodeJS.ReadableStream | null;
  await new Promise<void>((resolveReady, reject) => {
    if (!ready) return reject(new Error('slirp4netns has no ready fd'));
    ready.once('data', () => resolveReady());
    slirp.once('exit', (code) =>
      reject(new Error(`slirp4netns exited with ${code} before the network was up`)),
    );
  });
  block.write('1');
  block.end();
  return () => {
    slirp.kill('SIGTERM');
  };
}

/**
 * Whether sandboxes can be made here: bwrap on PATH and allowed to make the namespaces it needs
 * (an unprivileged user needs user namespaces, which some distributions switch off). Throws
 * SandboxUnavailableError naming the fix; returns quickly (one bwrap run of `true`).
 */
export function checkSandbox(path: string): string {
  const fix =
    'install bubblewrap (scripts/setup does; Debian and Ubuntu: apt-get install bubblewrap; Fedora and EL: dnf install bubblewrap)';
  const bwrap = findExecutable('bwrap', path);
  if (bwrap === undefined) {
    throw new SandboxUnavailableError(
      `bwrap (bubblewrap) is not on PATH, and every command a package controls runs in its sandbox: ${fix}; --no-sandbox runs builds unsandboxed, where they can read the signing keys and write the repositories`,
    );
  }
  const root = euid() === 0;
  const probe = createSandbox({
    bwrap,
    workspace: '/tmp',
    readOnly: [],
    hidden: [],
    limits: DEFAULT_LIMITS,
    buildUid: root ? NOBODY : undefined,
  }).command('true', [], { cwd: '/' });
  try {
    execFileSync(probe.file, probe.args, {
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 30_000,
    });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: Buffer };
    const said = e.stderr?.toString('utf8').trim() || e.message;
    throw new SandboxUnavailableError(
      `bwrap cannot make a sandbox here (${said}): ${
        root
          ? 'check that bubblewrap, setpriv and prlimit work as root (bwrap --ro-bind / / true)'
          : 'unprivileged user namespaces are switched off; allow them (Debian: sysctl kernel.unprivileged_userns_clone=1; Ubuntu 24.04 and later: sysctl kernel.apparmor_restrict_unprivileged_userns=0) or run albs as root'
      }; --no-sandbox runs builds unsandboxed, where they can read the signing keys and write the repositories`,
      { cause: error },
    );
  }
  return bwrap;
}

/** The uid of nobody: what the probe runs as. */
const NOBODY = 65534;

/**
 * Build uids for a runner running as root: one of its own for each job running at once, so that
 * RLIMIT_NPROC counts each job's processes apart and no job can write another's workspace. High
 * numbers that no distribution hands out to users or to subordinate id ranges.
 */
export class BuildUidPool {
  private readonly taken = new Set<number>();
  constructor(private readonly base = 2_000_000_000) {}
  take(): number {
    let uid = this.base;
    while (this.taken.has(uid)) uid++;
    this.taken.add(uid);
    return uid;
  }
  give(uid: number): void {
    this.taken.delete(uid);
  }
}

/** Bytes the files under `dir` take on disk (not following links); a vanished entry counts 0. */
export async function diskUse(dir: string): Promise<number> {
  let total = 0;
  const walk = async (path: string): Promise<void> => {
    let stat: ReturnType<typeof lstatSync>;
    try {
      stat = lstatSync(path);
    } catch {
      return;
    }
    total += stat.blocks * 512;
    if (!stat.isDirectory()) return;
    const names = await readdir(path).catch(() => [] as string[]);
    for (const name of names) await walk(join(path, name));
  };
  await walk(dir);
  return total;
}

export class DiskLimitError extends Error {
  override name = 'DiskLimitError';
}

/**
 * Aborts the returned signal once the workspace holds more than `limit` bytes: a disk filler fails
 * its own job before it fills the runner's disk. Checks every `everyMs` (a walk of the tree).
 */
export function watchDiskUse(
  dir: string,
  limit: number,
  everyMs = 2000,
): { signal: AbortSignal; stop(): void } {
  const controller = new AbortController();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const check = async () => {
    const used = await diskUse(dir);
    if (stopped) return;
    if (used > limit) {
      controller.abort(
        new DiskLimitError(
          `the job's workspace grew past its disk limit (${formatBytes(used)} > ${formatBytes(limit)}): raise build.limits.disk in .albs.yml if the build needs it`,
        ),
      );
      return;
    }
    timer = setTimeout(check, everyMs);
  };
  timer = setTimeout(check, everyMs);
  return {
    signal: controller.signal,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}
