import { describeExit, type RunProcessOptions, runProcess } from './process.js';
import type { StepContext } from './types.js';

/**
 * Runs a shell command the package's .albs.yml gives (a `run:` step, `source.tarball-command`):
 * bash with -e and pipefail, in the job's sandbox, under `timeoutMs`. A shell string is what such a
 * command asks for; it is the package's own, never built from a branch name or a payload.
 * Returns why it failed ("the command exited with 1", "… timed out after 60 s"), or undefined.
 */
export async function runShell(
  context: Pick<StepContext, 'log' | 'signal' | 'sandbox'>,
  command: string,
  options: Pick<RunProcessOptions, 'cwd' | 'env' | 'network'> & { timeoutMs: number },
): Promise<string | undefined> {
  const result = await runProcess('bash', ['-e', '-o', 'pipefail', '-c', command], {
    cwd: options.cwd,
    env: options.env,
    network: options.network,
    log: context.log,
    signal: context.signal,
    sandbox: context.sandbox,
    timeout: options.timeoutMs,
  });
  return result.exitCode === 0 ? undefined : describeExit('the command', result, options.timeoutMs);
}
