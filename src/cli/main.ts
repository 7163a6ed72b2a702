#!/usr/bin/env node
import { Command } from 'commander';
import { registerCommands } from './commands/index.js';
import { endWith } from './exit-codes.js';
import { takeSecretEnv } from './signing-env.js';
import { packageVersion } from './version.js';

// `albs plan --json | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const program = new Command('albs')
  .description(
    'albs-ci: build, test, sign and publish RPM and Debian packages from a .albs.yml in the package repo.',
  )
  .version(packageVersion(), '-V, --version', 'print the albs-ci version')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

registerCommands(program);

try {
  // Before anything else can start a child process that would inherit them.
  takeSecretEnv();
  await program.parseAsync(process.argv);
} catch (error) {
  endWith(error);
}
