import type { Command } from 'commander';
import { EXIT } from '../exit-codes.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check a .albs.yml: every problem on stderr as FILE:LINE:COL: error|warning: MESSAGE')
    .argument('[path]', 'a .albs.yml, or the directory that holds one', '.')
    .addHelpText(
      'after',
      `
Exit codes: 0 valid (warnings allowed), 1 invalid, 2 unreadable (no such file, not a regular file,
over 1 MiB, not UTF-8).

Example:
  $ albs validate examples/hello-c
  examples/hello-c/.albs.yml: valid`,
    )
    .action(async (path: string) => {
      // Loaded when used: `albs --help` and the other commands need not compile the schema.
      const { readConfig } = await import('../read-config.js');
      const { found, result } = await readConfig(path);
      if (result.config === null) {
        process.exitCode = EXIT.failed;
        return;
      }
      const warnings = result.problems.length;
      process.stdout.write(
        `${found.file}: valid${warnings ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : ''}\n`,
      );
    });
}
