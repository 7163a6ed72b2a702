import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

/** The built `albs` binary, as `npx albs` runs it. Tests build first (npm test does). */
export const ALBS_BIN = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function albs(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  const result = await execa(process.execPath, [ALBS_BIN, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: options.env,
    reject: false,
    stdin: 'ignore',
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}
