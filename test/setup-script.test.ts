import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  constants,
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * scripts/setup holds the one table of executables albs-ci spawns and the package providing each.
 * These tests keep that table honest: every executable the code spawns is in it, and the script's
 * --check really finds what is installed and names what is not.
 */

const REPO = fileURLToPath(new URL('..', import.meta.url));
const SETUP = join(REPO, 'scripts', 'setup');
const SCANNED_DIRS = ['src', 'runner'];
/** The pure core: its lint rules forbid spawning anything, so it is not scanned. */
const PURE_CORE = ['src/config', 'src/plan', 'src/pipeline'];

interface ToolRow {
  executable: string;
  debian: string;
  rpm: string;
}

/** The rows of the TOOLS='...' table in scripts/setup; a row's text after `#` is a comment. */
function parseToolTable(script: string): ToolRow[] {
  const match = /^TOOLS='\n([\s\S]*?)^'/m.exec(script);
  if (!match) throw new Error(`no TOOLS='...' table found in ${SETUP}`);
  return match[1]!
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [executable, debian, rpm, ...extra] = line.split(/\s+/);
      if (!executable || !debian || !rpm || extra.length > 0)
        throw new Error(`scripts/setup TOOLS row '${line}' must have 3 columns: executable debian rpm`);
      return { executable, debian, rpm };
    });
}

/**
 * Functions whose first argument is the executable to run. Besides these, a helper wrapping execa
 * counts when its name says so (run…, exec…, spawn…, …Tool, …Command) and it is called as
 * `helper('literal', [ ...args ])`.
 */
const SPAWN_FUNCTIONS = ['execa', 'execaSync', 'execaNode', 'spawn', 'spawnSync', 'execFile', 'execFileSync'];
/** First arguments that are not executables albs-ci needs installed. */
const NOT_TOOLS = new Set(['node']);

interface SpawnSite {
  executable: string;
  line: number;
}

/** Literal executables spawned in one source file: execa('x', ...), helper("x", [...]), $`x ...`. */
function findSpawnedExecutables(source: string): SpawnSite[] {
  const patterns = [
    new RegExp(`\\b(?:${SPAWN_FUNCTIONS.join('|')})\\s*\\(\\s*(['"\`])([^'"\`$]+?)\\1`, 'g'),
    /\b(?:[\w$]*(?:[Rr]un|[Ee]xec|[Ss]pawn|Tool|Command)[\w$]*)\s*\(\s*(['"`])([^'"`$\s]+)\1\s*,\s*\[/g,
    /(?:\$|\bexeca|\bexecaSync)(?:\([^)]*\))?\s*(`)\s*([^\s`$]+)/g,
  ];
  const sites = new Map<string, SpawnSite>();
  for (const pattern of patterns) {
    for (const m of source.matchAll(pattern)) {
      const executable = m[2]!.trim();
      if (NOT_TOOLS.has(executable) || executable.includes('/')) continue;
      const line = source.slice(0, m.index).split('\n').length;
      sites.set(`${executable}:${line}`, { executable, line });
    }
  }
  return [...sites.values()];
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(?:ts|mts|js|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name));
}

function runSetup(args: string[], env: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync('bash', [SETUP, ...args], {
    cwd: REPO,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 30_000,
  });
}

function describeRun(r: SpawnSyncReturns<string>): string {
  return `exit ${r.status}${r.error ? ` (${r.error.message})` : ''}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
}

/** Where `name` is on PATH, or undefined. */
function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

const script = readFileSync(SETUP, 'utf8');
const table = parseToolTable(script);
const family = existsSync('/etc/debian_version') ? 'debian' : 'rpm';
/** The rows this machine's family must have (not `-`, not optional `?`). */
const required = table.filter((row) => !/^-$|\?$/.test(row[family]));

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'albs-setup-test-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A directory holding links to every required tool found on PATH except `leaveOut`. */
function pathWithout(leaveOut: string): string {
  const dir = tempDir();
  chmodSync(dir, 0o755);
  for (const { executable } of required) {
    const found = which(executable);
    if (executable !== leaveOut && found) symlinkSync(found, join(dir, executable));
  }
  return dir;
}

describe('the TOOLS table in scripts/setup', () => {
  it('has one row per executable, each with a package name, `-` or an optional `name?` per family', () => {
    expect(table.length).toBeGreaterThan(10);
    const names = table.map((row) => row.executable);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    for (const row of table) {
      expect(row.executable, JSON.stringify(row)).toMatch(/^[A-Za-z0-9][A-Za-z0-9._+-]*$/);
      for (const pkg of [row.debian, row.rpm])
        expect(pkg, JSON.stringify(row)).toMatch(/^(?:-|[a-z0-9][a-z0-9.+_-]*\??)$/);
      expect([row.debian, row.rpm], `${row.executable} is installed on neither family`).not.toEqual([
        '-',
        '-',
      ]);
    }
  });

  it('lists the tools the design relies on', () => {
    const names = new Set(table.map((row) => row.executable));
    for (const tool of [
      'rpmbuild',
      'rpmsign',
      'rpmkeys',
      'rpmlint',
      'createrepo_c',
      'dnf',
      'gpg',
      'git',
      'redis-server',
    ]) {
      expect(names, tool).toContain(tool);
    }
  });
});

describe('finding spawned executables in source', () => {
  it('sees execa calls, spawn calls, helpers called with an argument list, and execa templates', () => {
    const source = [
      "await execa('rpmbuild', ['-bs', spec]);",
      'const r = execaSync("createrepo_c", [dir], { cwd });',
      "spawn('redis-server', ['--port', port]);",
      "await runTool('rpmlint', [...files]);",
      'await $`gpgconf --kill all`;',
      'await execa({ cwd })`rpmsign --addsign ${file}`;',
      "await execa(process.execPath, ['x.js']);",
      "await execa('node', ['x.js']);",
      "await execa(tool, ['--version']);",
      "path.join('a', 'b');",
      "report('warning', ['on'], 'nothing triggers this pipeline');",
      "await runCommand('patch', ['-p1']);",
    ].join('\n');
    expect(
      findSpawnedExecutables(source)
        .map((s) => s.executable)
        .sort(),
    ).toEqual(['createrepo_c', 'gpgconf', 'patch', 'redis-server', 'rpmbuild', 'rpmlint', 'rpmsign'].sort());
  });
});

describe('every executable spawned in src/ and runner/', () => {
  it('is in the TOOLS table of scripts/setup', () => {
    const known = new Set(table.map((row) => row.executable));
    const missing: string[] = [];
    for (const dir of SCANNED_DIRS) {
      for (const file of sourceFiles(join(REPO, dir))) {
        if (PURE_CORE.some((core) => relative(REPO, file).startsWith(`${core}/`))) continue;
        for (const site of findSpawnedExecutables(readFileSync(file, 'utf8'))) {
          if (!known.has(site.executable))
            missing.push(`${relative(REPO, file)}:${site.line} spawns ${site.executable}`);
        }
      }
    }
    expect(
      missing,
      'add a row "executable debian-package rpm-package" to the TOOLS table in scripts/setup',
    ).toEqual([]);
  });
});

describe('scripts/setup --check', () => {
  it('exits 0 on this machine, where everything is installed', () => {
    const r = runSetup(['--check']);
    expect(r.status, describeRun(r)).toBe(0);
    expect(r.stdout).toContain('required tools are installed');
  });

  it('names the one tool missing from the search path and exits 1', () => {
    const r = runSetup(['--check'], { ALBS_SETUP_PATH: pathWithout('rpmlint') });
    expect(r.status, describeRun(r)).toBe(1);
    expect(r.stdout).toMatch(/missing 1 of \d+ required tools/);
    expect(r.stdout).toMatch(/^ {2}rpmlint +\(package rpmlint\)$/m);
    expect(r.stdout).not.toMatch(/^ {2}rpmbuild /m);
  });

  it('names every required tool when none can be found', () => {
    const r = runSetup(['--check'], { ALBS_SETUP_PATH: tempDir() });
    expect(r.status, describeRun(r)).toBe(1);
    expect(r.stdout).toContain(`missing ${required.length} of ${required.length} required tools`);
    for (const { executable } of required) expect(r.stdout).toMatch(new RegExp(`^ {2}${executable} `, 'm'));
  });
});

describe('scripts/setup', () => {
  it('installs nothing and says so when everything is present', () => {
    // Only when --check passes: otherwise this would install packages from a test.
    const check = runSetup(['--check']);
    expect(check.status, describeRun(check)).toBe(0);
    const r = runSetup([]);
    expect(r.status, describeRun(r)).toBe(0);
    expect(r.stdout).toContain('already installed');
    expect(r.stdout).not.toMatch(/^\+ /m);
  });

  const isRoot = process.getuid?.() === 0;

  // As root, the script runs as `nobody` through setpriv; without setpriv there is no way to drop privileges.
  it.skipIf(isRoot && !which('setpriv'))(
    'as a non-root user, prints the exact install command and exits 1 without installing',
    () => {
      const env = { ...process.env, ALBS_SETUP_PATH: pathWithout('rpmlint') };
      // A copy in a world-readable place: the checkout may sit where `nobody` cannot read (/root).
      const copy = join(tempDir(), 'setup');
      copyFileSync(SETUP, copy);
      chmodSync(dirname(copy), 0o755);
      chmodSync(copy, 0o755);
      const command = isRoot
        ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', 'bash', copy]
        : ['bash', copy];
      const r = spawnSync(command[0]!, command.slice(1), {
        cwd: '/',
        env,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 30_000,
      });
      expect(r.status, describeRun(r)).toBe(1);
      const expected =
        family === 'debian'
          ? 'sudo apt-get update && sudo apt-get install -y rpmlint'
          : 'sudo dnf install -y rpmlint';
      expect(r.stderr).toContain(expected);
      expect(r.stdout).not.toMatch(/^\+ /m);
    },
  );

  // Run as non-root, the script stops earlier, at the root check (the test above).
  it.skipIf(!isRoot)('refuses to install while ALBS_SETUP_PATH points at a made-up path', () => {
    const r = runSetup([], { ALBS_SETUP_PATH: pathWithout('rpmlint') });
    expect(r.status, describeRun(r)).toBe(2);
    expect(r.stderr).toContain('refusing to install');
    expect(r.stdout).not.toMatch(/^\+ /m);
  });

  it('rejects an unknown argument with exit 2', () => {
    const r = runSetup(['--instal']);
    expect(r.status, describeRun(r)).toBe(2);
    expect(r.stderr).toContain("unknown argument '--instal'");
  });
});

/**
 * The sbuild chroot scripts/setup --with-optional makes on Debian: ~USER/.cache/sbuild/CODENAME-ARCH.t*
 * of the build user (as root) or of the user running it. Undefined when there is none.
 */
function sbuildChroot(): { user: string; path: string } | undefined {
  if (family !== 'debian' || !which('dpkg')) return undefined;
  const dist = /^VERSION_CODENAME=(.+)$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
  const arch = spawnSync('dpkg', ['--print-architecture'], { encoding: 'utf8' }).stdout.trim();
  const user = process.getuid?.() === 0 ? process.env.ALBS_SBUILD_USER || 'albs-build' : userInfo().username;
  const entry = spawnSync('getent', ['passwd', user], { encoding: 'utf8' });
  const home = entry.status === 0 ? entry.stdout.split(':')[5] : undefined;
  if (!dist || !home) return undefined;
  const dir = join(home, '.cache', 'sbuild');
  const name = existsSync(dir) ? readdirSync(dir).find((n) => n.startsWith(`${dist}-${arch}.t`)) : undefined;
  return name === undefined ? undefined : { user, path: join(dir, name) };
}

describe('scripts/setup --with-optional', () => {
  it('lists sbuild with what its unshare mode needs as optional Debian tools', () => {
    const debian = Object.fromEntries(table.map((row) => [row.executable, row.debian]));
    expect(debian).toMatchObject({ sbuild: 'sbuild?', mmdebstrap: 'mmdebstrap?', newuidmap: 'uidmap?' });
  });

  it('keeps the sbuild chroot that is there and installs nothing', (ctx) => {
    // Only where --with-optional has run: elsewhere this would install packages, or spend minutes
    // making a chroot, from a test.
    const chroot = sbuildChroot();
    if (chroot === undefined) ctx.skip('no sbuild chroot here (scripts/setup --with-optional makes one)');
    const check = runSetup(['--check']);
    if (/optional, not installed/.test(check.stdout)) ctx.skip('optional tools are missing here');
    const r = runSetup(['--with-optional']);
    expect(r.status, describeRun(r)).toBe(0);
    expect(r.stdout).toContain(
      `scripts/setup: sbuild chroot for ${chroot?.user}: already there: ${chroot?.path}`,
    );
    expect(r.stdout).not.toMatch(/^\+ /m);
  });
});
