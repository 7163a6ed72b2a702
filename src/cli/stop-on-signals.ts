/**
 * How `albs run` ends when it is told to stop, or breaks: never leaving a process it started.
 *
 * Stopping goes through the abort signal every job's commands listen to: runProcess sends SIGTERM
 * to each command's process group and SIGKILL after its grace period, the pipeline cancels what has
 * not started, and the summary is written. Node's own handling of these signals would end albs at
 * once, and its detached process groups (unsandboxed commands, sbuild) would run on; sandboxed ones
 * die with bwrap (--die-with-parent), but without their SIGTERM first.
 */
import { constants } from 'node:os';

/** The signals that stop a run: Ctrl-C, a service manager or `kill`, a closed terminal. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type StopSignal = (typeof STOP_SIGNALS)[number];

const REASONS: Record<StopSignal, string> = {
  SIGINT: 'interrupted (Ctrl-C)',
  SIGTERM: 'stopped by SIGTERM',
  SIGHUP: 'stopped by SIGHUP (its terminal was closed)',
};

export interface RunStop {
  /** Aborted by the first stop signal or an uncaught error. */
  readonly signal: AbortSignal;
  /**
   * 128 + the number of the signal that stopped the run, as shells report it; else 1 after an
   * uncaught error; undefined when nothing stopped it.
   */
  exitCode(): number | undefined;
  /** Back to Node's own handling: call once nothing the run started is running. */
  dispose(): void;
}

export interface StopOptions {
  /** Milliseconds from SIGTERM to SIGKILL, as runProcess waits them: for the messages and the last resort. */
  graceMs: number;
  /** Messages for the person watching (progress.say). */
  say: (message: string) => void;
}

/**
 * Installs the run's handlers of SIGINT, SIGTERM, SIGHUP and uncaught errors:
 *
 * - the first signal aborts `signal` (reason "interrupted (Ctrl-C)", "stopped by SIGTERM"...);
 * - a second one while stopping changes nothing: SIGKILL is already due at most `graceMs` after the
 *   SIGTERM, and the summary still gets written; a third ends albs at once, and runProcess's exit
 *   hook sends SIGKILL to every command still running;
 * - an uncaught error is printed and aborts `signal` too; if the run has not ended `graceMs` plus a
 *   margin later, albs exits (the exit hook kills what is left). The exit code is then 1 (or the
 *   signal's, when one came first).
 */
export function stopOnSignals(options: StopOptions): RunStop {
  const controller = new AbortController();
  let stoppedBy: StopSignal | undefined;
  let signals = 0;
  let crashed = false;
  let deadline: NodeJS.Timeout | undefined;
  const grace = `${options.graceMs / 1000} s`;

  // A signal first: a closed terminal (SIGHUP) makes the writes that follow fail too.
  const code = (): number | undefined => {
    if (stoppedBy) return 128 + constants.signals[stoppedBy];
    return crashed ? 1 : undefined;
  };
  const onSignal = (name: StopSignal) => {
    signals++;
    if (signals === 1) {
      stoppedBy = name;
      options.say(
        `${name}: stopping every running job (SIGTERM, then SIGKILL after ${grace}); send it twice more to leave at once`,
      );
      controller.abort(new Error(REASONS[name]));
    } else if (signals === 2) {
      options.say(`${name}: still stopping; every command gets SIGKILL at most ${grace} after its SIGTERM`);
    } else {
      process.exit(code());
    }
  };
  const handlers = STOP_SIGNALS.map((name) => [name, () => onSignal(name)] as const);
  for (const [name, handler] of handlers) process.on(name, handler);

  const onCrash = (error: unknown) => {
    if (crashed) return; // a broken stream may keep failing: the first error is the one that matters
    crashed = true;
    process.exitCode = 1;
    try {
      process.stderr.write(
        `albs: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      options.say(`stopping every running job (SIGTERM, then SIGKILL after ${grace})`);
    } catch {
      // The terminal may be what broke; stopping matters more than saying so.
    }
    controller.abort(
      new Error(`albs failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error }),
    );
    // Node would have exited at once: give the jobs their grace period, then leave anyway.
    deadline = setTimeout(() => process.exit(code()), options.graceMs + 5000);
    deadline.unref();
  };
  process.on('uncaughtException', onCrash);

  return {
    signal: controller.signal,
    exitCode: code,
    dispose: () => {
      for (const [name, handler] of handlers) process.off(name, handler);
      process.off('uncaughtException', onCrash);
      if (deadline) clearTimeout(deadline);
    },
  };
}
