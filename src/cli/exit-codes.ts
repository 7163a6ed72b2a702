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
