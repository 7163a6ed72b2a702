/**
 * What the runner tests share: temporary directories removed after each file, a JobLog that keeps
 * its lines in memory (and writes its file, as the real one does), job factories, and a
 * StepContext made of real directories on this host.
 */
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { detectHost } from '../../runner/host-facts.js';
import type { JobSandboxSetup } from '../../runner/job-runner.js';
import {
  BuildUidPool,
  checkSandbox,
  createSandbox,
  DEFAULT_LIMITS,
  type Sandbox,
} from '../../runner/sandbox.js';
import type { HostFacts, JobLog, StepContext } from '../../runner/types.js';
import type { BuildJob, SignJob, TestJob } from '../../src/plan/types.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const EXAMPLES = join(REPO_ROOT, 'examples');
export const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

export async function tempDir(prefix = 'albs-runner-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  // Readable by the build uid the sandbox runs commands as, like a checkout made with umask 022.
  await chmod(dir, 0o755);
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Whether the process still runs: kill(pid, 0) says ESRCH once it is reaped. A killed orphan may
 * stay a zombie (state Z) until init reaps it, which this CI VM's init does only every ~2 s; a
 * zombie runs nothing, so it counts as gone.
 */
export function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/**
 * Pids of the live (not zombie) processes whose command line is exactly `argv`: how a test finds a
 * process started in a sandbox, whose own pid namespace gives it pids that mean nothing here.
 */
export function processesRunning(argv: string[]): number[] {
  const wanted = `${argv.join('\0')}\0`;
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8') === wanted && running(pid);
      } catch {
        return false;
      }
    });
}

/** Writes an executable script. */
export async function writeScript(path: string, text: string): Promise<string> {
  await writeFile(path, text);
  await chmod(path, 0o755);
  return path;
}

/** A JobLog keeping every line, `[albs] `-prefixed for info as the file log does. */
export class MemoryJobLog implements JobLog {
  readonly lines: string[] = [];
  private partial = '';
  constructor(readonly path: string) {
    writeFileSync(path, '');
  }
  info(line: string): void {
    this.add(`[albs] ${line}`);
  }
  output(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.add(line);
  }
  text(): string {
    return this.lines.join('\n');
  }
  private add(line: string): void {
    this.lines.push(line);
    appendFileSync(this.path, `${line}\n`);
  }
}

let host: Promise<HostFacts> | undefined;
/** This machine, as the runner sees it (detected once per file). */
export function hostFacts(): Promise<HostFacts> {
  host ??= detectHost();
  return host;
}

export function buildJob(overrides: Partial<BuildJob> = {}): BuildJob {
  return {
    id: 'build.test',
    stage: 'build',
    name: 'build (test)',
    matrix: {},
    runsOn: [],
    needs: [],
    timeout: 600,
    env: {},
    builder: 'rpmbuild',
    source: {},
    macros: {},
    mock: null,
    network: false,
    limits: DEFAULT_LIMITS,
    ...overrides,
  };
}

export function testJob(overrides: Partial<TestJob> = {}): TestJob {
  return {
    id: 'test.test',
    stage: 'test',
    name: 'test (test)',
    matrix: {},
    runsOn: [],
    needs: ['build.test'],
    timeout: 600,
    env: {},
    builder: 'rpmbuild',
    build: 'build.test',
    steps: [],
    limits: DEFAULT_LIMITS,
    ...overrides,
  };
}

export function signJob(overrides: Partial<SignJob> = {}): SignJob {
  return {
    id: 'sign.stable',
    stage: 'sign',
    name: 'sign (stable)',
    matrix: {},
    runsOn: [],
    needs: ['build.test'],
    timeout: 600,
    env: {},
    repo: 'stable',
    family: 'rpm',
    key: 'default',
    builds: ['build.test'],
    ...overrides,
  };
}

export interface TestContext extends StepContext {
  log: MemoryJobLog;
}

/** A StepContext with a fresh workspace and artifact directory under one temp dir. */
export async function makeContext(
  fields: Pick<StepContext, 'job' | 'repoDir'> & Partial<Omit<StepContext, 'log'>>,
): Promise<TestContext> {
  const dir = await tempDir();
  const workspace = join(dir, 'work');
  const artifacts = join(dir, 'artifacts');
  await mkdir(workspace);
  await mkdir(artifacts);
  const ws = fields.workspace ?? workspace;
  return {
    workspace,
    artifacts,
    cache: join(dir, 'cache'),
    inputs: {},
    host: await hostFacts(),
    signal: new AbortController().signal,
    // Steps run their commands sandboxed, as the job runner has them do: the same bwrap, the same uid.
    sandbox: testSandbox(ws, [fields.repoDir, ...Object.values(fields.inputs ?? {}).flat()]),
    ...fields,
    log: new MemoryJobLog(join(dir, 'job.log')),
  };
}

const uids = new BuildUidPool();

/** How `albs run` has the job runner sandbox its jobs, hiding `hidden` (OUT, say). */
export function sandboxSetup(hidden: string[] = []): JobSandboxSetup {
  return { bwrap: checkSandbox(process.env.PATH ?? ''), hidden, uids };
}

/** The sandbox of a job whose workspace is `workspace`, reading `readOnly`, as `albs run` makes it. */
export function testSandbox(
  workspace: string,
  readOnly: string[],
  limits = DEFAULT_LIMITS,
  hidden: string[] = [],
): Sandbox {
  return createSandbox({
    bwrap: checkSandbox(process.env.PATH ?? ''),
    workspace,
    readOnly,
    hidden,
    limits,
    buildUid: process.geteuid?.() === 0 ? uids.take() : undefined,
  });
}

/**
 * A package repository holding one small spec `NAME.spec`: `tags` go into its preamble, `build`
 * is its %build, `install` extra %install lines for files listed in `files`.
 */
export async function specRepo(
  name: string,
  options: { tags?: string[]; build?: string; install?: string[]; files?: string[] } = {},
): Promise<string> {
  const dir = await tempDir('albs-repo-');
  const spec = [
    `Name: ${name}`,
    'Version: 1.0',
    'Release: 1',
    `Summary: Package ${name} for the albs runner tests`,
    'License: MIT',
    'URL: https://example.org/albs-ci',
    ...(options.tags ?? []),
    '%description',
    `Package ${name} for the albs runner tests.`,
    '%build',
    options.build ?? 'true',
    '%install',
    `mkdir -p %{buildroot}/usr/share/${name}`,
    `echo hi > %{buildroot}/usr/share/${name}/hi`,
    ...(options.install ?? []),
    '%files',
    `/usr/share/${name}`,
    ...(options.files ?? []),
    '%changelog',
    '* Sat Nov 21 2026 albs-ci authors <albs-ci@example.org> - 1.0-1',
    '- Test package',
  ];
  await writeFile(join(dir, `${name}.spec`), `${spec.join('\n')}\n`);
  return dir;
}
