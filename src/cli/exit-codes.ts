import { CommanderError } from 'commander';

/** Exit codes shared by every `albs` command. */
export const EXIT = {
  /** Done: the thing asked for succeeded. */
  ok: 0,
  /** The thing asked for failed: an invalid config for validate/plan, a failed job for commands that run. */
  failed: 1,
  /** The command could not start: a usage error, a missing file, an invalid config for commands that run. */
  usage: 2,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Thrown by a command to stop with a message on stderr and a given exit code. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.usage,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * How an albs process ends on an error: a parse problem is a usage error (help and version end
 * with 0), a CliError says its message and exit code, anything else is an internal error with its
 * stack.
 */
export function endWith(error: unknown): void {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else if (error instanceof CliError) {
    process.stderr.write(`albs: ${error.message}\n`);
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(
      `albs: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = EXIT.failed;
  }
}
