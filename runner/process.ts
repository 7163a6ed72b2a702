import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { execa } from 'execa';
import { findExecutable } from './find-executable.js';
import type { Sandbox } from './sandbox.js';
import { timerDelay } from './timer-delay.js';
import type { JobLog } from './types.js';

/** The search path every step's commands get: the system's, never the runner's own PATH. */
export const CLEAN_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * The environment of a command a step runs: nothing inherited from the runner (its tokens, its
 * REDIS_URL, a developer's RPM macros in ~/.rpmmacros), HOME and TMPDIR inside the workspace so
 * that tools writing there (rpmbuild, rpmlint's cache, a test's mktemp) leave nothing behind on
 * the host. `extra` (the job's env) comes last and may override any of it, PATH included.
 * Creates the HOME and TMPDIR directories, since a tool given a missing TMPDIR fails obscurely.
 */
export function cleanEnv(workspace: string, extra: Record<string, string> = {}): Record<string, string> {
  const home = join(workspace, 'home');
  const tmp = join(workspace, 'tmp');
  mkdirSync(home, { recursive: true });
  mkdirSync(tmp, { recursive: true });
  return { PATH: CLEAN_PATH, LANG: 'C.UTF-8', HOME: home, TMPDIR: tmp, ...extra };
}

export interface RunProcessOptions {
  cwd: string;
  /** The whole environment of the command (see cleanEnv): nothing else is inherited. */
  env: Record<string, string>;
  /** Gets the command line (info) and every line of stdout and stderr (output) as it comes. */
  log: JobLog;
  /**
   * Milliseconds before the command's whole process group is stopped; none when absent. Longer
   * than a timer can wait (about 24.8 days, see timerDelay) counts as that long.
   */
  timeout?: number;
  /** Stops the command's whole process group when aborted (Ctrl-C, fail-fast, the job's timeout). */
  signal?: AbortSignal;
  /** Milliseconds between SIGTERM and SIGKILL when stopping; default 5000; capped like `timeout`. */
  killGrace?: number;
  /**
   * The job's sandbox, which every command a package controls runs in; null only where the user
   * chose --no-sandbox or the command is albs's own on files albs made. Required, so that no call
   * forgets it.
   */
  sandbox: Sandbox | null;
  /**
   * Outside network for this command (build.network, test[].network) in its sandbox. Without one
   * (--no-sandbox) every command has the host's network, whatever this says.
   */
  network?: boolean;
  /** Root of a user namespace of its own (see CommandOptions.asRoot); as it is without a sandbox. */
  asRoot?: boolean;
  /** More host paths the command may read in the sandbox (see CommandOptions.readOnly). */
  readOnly?: readonly string[];
}

export interface ProcessResult {
  /** null when the command was ended by a signal. */
  exitCode: number | null;
  /** The signal that ended the command, if one did. */
  signal: NodeJS.Signals | null;
  /** Stopped because `timeout` passed. */
  timedOut: boolean;
  /** Stopped because `signal` was aborted (also true when it was aborted before the start). */
  aborted: boolean;
}

/** The command could not be started at all (not installed, a bad cwd): not a failed command. */
export class ProcessStartError extends Error {
  override name = 'ProcessStartError';
  constructor(
    readonly file: string,
    readonly code: string | undefined,
    options?: { cause?: unknown; message?: string },
  ) {
    const fix =
      code === 'ENOENT'
        ? `is it installed and on the PATH given to it? (scripts/setup installs the tools albs-ci runs)`
        : 'check that the working directory exists and the file is executable';
    super(options?.message ?? `could not start ${file} (${code ?? 'unknown error'}): ${fix}`, options);
  }
}

/** A line longer than this is passed on in pieces, so a command printing no newline cannot fill memory. */
const MAX_LINE = 64 * 1024;

/** Process groups started and not yet ended; killed if the runner itself exits. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Detached children survive their parent by design; the runner must not leave them behind
  // when it exits (an uncaught error, process.exit after Ctrl-C).
  process.once('exit', () => {
    for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
  });
}

/** Sends `sig` to every process of the group; false when the group no longer exists. */
function signalGroup(pgid: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, sig);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Whether `promise` settles within `ms`. The timer is cleared as soon as it does: a pending timer
 * keeps the event loop, and so `albs run`, alive after its last job for the whole wait.
 */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether any process of the group still runs. A killed process whose parent has gone stays a
 * zombie until init reaps it, which some inits (this project's CI VMs) do only every few seconds:
 * a zombie runs nothing and holds nothing, so it does not count.
 */
function groupRunning(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return true; // no /proc: trust kill(2)
  }
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // ended while we looked
    }
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
    const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(group) === pgid && state !== 'Z') return true;
  }
  return false;
}

/** Waits until no process of the group runs, at most `ms`; true when none does. */
async function waitGroupGone(pgid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (groupRunning(pgid)) {
    if (Date.now() >= deadline) return false;
    await sleep(25);
  }
  return true;
}

/** Passes a stream's text on line by line; a final line without a newline gets one. */
function forwardLines(stream: Readable | null, log: JobLog): Promise<void> {
  if (!stream) return Promise.resolve();
  const decoder = new StringDecoder('utf8');
  let partial = '';
  const push = (text: string) => {
    partial += text;
    let newline = partial.indexOf('\n');
    while (newline !== -1) {
      log.output(partial.slice(0, newline + 1));
      partial = partial.slice(newline + 1);
      newline = partial.indexOf('\n');
    }
    while (partial.length > MAX_LINE) {
      log.output(`${partial.slice(0, MAX_LINE)}\n`);
      partial = partial.slice(MAX_LINE);
    }
  };
  const flush = () => {
    push(decoder.end());
    if (partial) log.output(`${partial}\n`);
    partial = '';
  };
  return new Promise((resolve) => {
    stream.on('data', (chunk: Buffer) => push(decoder.write(chunk)));
    stream.once('close', () => {
      flush();
      resolve();
    });
  });
}

/** A command line as a user could paste it into a shell, for the log. */
export function formatCommand(file: string, args: readonly string[]): string {
  return [file, ...args]
    .map((a) => (/^[\w./:=@%+,-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`))
    .join(' ');
}

/** "rpmbuild exited with 1", "timed out after 30 s", for a step's failure reason. */
export function describeExit(file: string, result: ProcessResult, timeoutMs?: number): string {
  if (result.timedOut) return `${file} timed out after ${Math.round((timeoutMs ?? 0) / 1000)} s`;
  if (result.aborted) return `${file} was stopped: the job was cancelled or timed out`;
  if (result.exitCode === null) return `${file} was killed by ${result.signal ?? 'a signal'}`;
  return `${file} exited with ${result.exitCode}`;
}

/**
 * Runs one command for a step: an argument array (never a shell string), the given cwd and env
 * only, stdout and stderr into the job log line by line as they come.
 *
 * The command gets its own process group, and the group is what gets stopped: on timeout or abort
 * SIGTERM to all of it, SIGKILL after `killGrace`; after a normal exit, SIGKILL to whatever it
 * left running (a build's stray daemon, a test's background sleeper), so a step never outlives
 * itself. A process that leaves the group on purpose (setsid) escapes this.
 *
 * Resolves once the command and its group are gone. Never rejects for a non-zero exit, a timeout
 * or an abort; rejects with ProcessStartError when the command cannot be started.
 */
export async function runProcess(
  file: string,
  args: readonly string[],
  options: RunProcessOptions,
): Promise<ProcessResult> {
  const {
    cwd,
    env,
    log,
    timeout,
    signal,
    killGrace = 5000,
    sandbox,
    network = false,
    asRoot,
    readOnly,
  } = options;
  log.info(`$ ${formatCommand(file, args)}`);
  if (signal?.aborted) return { exitCode: null, signal: null, timedOut: false, aborted: true };
  // Inside the sandbox a missing tool would only be bwrap's exit 1: say it the way a direct start does.
  if (sandbox && !file.includes('/') && !onPath(file, env.PATH ?? ''))
    throw new ProcessStartError(file, 'ENOENT');
  await sandbox?.prepare();
  const command = sandbox
    ? sandbox.command(file, args, { cwd, network, asRoot, readOnly })
    : { file, args: [...args], pipes: 0, attach: undefined };

  const subprocess = execa(command.file, command.args, {
    cwd,
    env,
    extendEnv: false,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', ...Array<'pipe'>(command.pipes).fill('pipe')],
    buffer: false,
    reject: false,
  });
  const pgid = subprocess.pid;
  if (pgid === undefined) {
    const failed = await subprocess;
    throw new ProcessStartError(file, (failed as { code?: string }).code, { cause: failed });
  }
  installExitHook();
  liveGroups.add(pgid);
  let stopNetwork: (() => void) | undefined;
  if (command.attach) {
    try {
      stopNetwork = await command.attach(subprocess);
    } catch (error) {
      signalGroup(pgid, 'SIGKILL');
      await subprocess;
      liveGroups.delete(pgid);
      throw new ProcessStartError(file, 'ENETWORK', {
        cause: error,
        message: `could not give ${file} its network (${error instanceof Error ? error.message : String(error)}): is slirp4netns installed? (scripts/setup installs it)`,
      });
    }
  }

  const forwarded = Promise.all([forwardLines(subprocess.stdout, log), forwardLines(subprocess.stderr, log)]);
  let timedOut = false;
  let aborted = false;
  let graceTimer: NodeJS.Timeout | undefined;
  let graceOver: Promise<void> | undefined;

  const stop = (why: string) => {
    if (graceOver) return;
    log.info(
      `${why}: stopping ${file} and every process it started (SIGTERM, SIGKILL after ${killGrace / 1000} s)`,
    );
    signalGroup(pgid, 'SIGTERM');
    graceOver = new Promise((resolve) => {
      graceTimer = setTimeout(() => {
        signalGroup(pgid, 'SIGKILL');
        resolve();
      }, timerDelay(killGrace));
    });
  };
  // Clamped: a delay past what a timer holds would fire after 1 ms, stopping the command at once.
  const timer =
    timeout === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          stop(`timed out after ${Math.round(timeout / 1000)} s`);
        }, timerDelay(timeout));
  const onAbort = () => {
    aborted = true;
    const reason: unknown = signal?.reason;
    stop(`cancelled (${reason instanceof Error ? reason.message : String(reason)})`);
  };
  signal?.addEventListener('abort', onAbort, { once: true });

  try {
    const [exitCode, exitSignal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      subprocess.once('exit', (code, sig) => resolve([code, sig])),
    );
    if (timer) clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    if (graceOver) {
      // Stopping: the rest of the group gets the rest of its grace period, then SIGKILL.
      await Promise.race([graceOver, waitGroupGone(pgid, killGrace)]);
    }
    signalGroup(pgid, 'SIGKILL');
    await waitGroupGone(pgid, 5000);
    // A process that escaped the group may still hold the pipes open: do not wait for it forever.
    const streamsClosed = await settlesWithin(forwarded, 2000);
    if (!streamsClosed) {
      subprocess.stdout?.destroy();
      subprocess.stderr?.destroy();
      await forwarded;
    }
    await subprocess;
    return { exitCode, signal: exitSignal, timedOut, aborted: aborted && !timedOut };
  } finally {
    stopNetwork?.();
    if (timer) clearTimeout(timer);
    if (graceTimer) clearTimeout(graceTimer);
    signal?.removeEventListener('abort', onAbort);
    liveGroups.delete(pgid);
  }
}

/** Whether an executable `name` is in one of PATH's directories (the PATH a step's commands get). */
export function onPath(name: string, path: string): boolean {
  return findExecutable(name, path) !== undefined;
}
