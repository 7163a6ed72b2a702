import { availableParallelism } from 'node:os';
import { type Command, Option } from 'commander';
import { CliError, EXIT } from '../exit-codes.js';
import { eventOption, refOption } from '../trigger-options.js';

export interface RunOptions {
  event?: string;
  ref?: string;
  out?: string;
  key?: string;
  passphraseFile?: string;
  jobs: number;
  arch?: string[];
  keep: number;
  verbose?: boolean;
  logFormat: 'text' | 'json';
  /** False with --no-sandbox. */
  sandbox: boolean;
}

function positive(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1)
      throw new CliError(`${name} is "${value}"; give a whole number of 1 or more`, EXIT.usage);
    return n;
  };
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description(
      'run the whole pipeline here, in one process: build, test, sign and publish into repositories on disk',
    )
    .argument('[dir]', 'the package directory holding .albs.yml', '.')
    .addOption(eventOption())
    .addOption(refOption())
    .option('--out <dir>', 'where repos/, artifacts/, logs/ and pipeline.json go (default: DIR/.albs/out)')
    .option('--key <file>', 'the armored private key that signs every sign job')
    .option(
      '--passphrase-file <file>',
      "file whose first line is the signing key's passphrase (default: $ALBS_KEY_PASSPHRASE)",
    )
    .option('--jobs <n>', 'jobs run at once', positive('--jobs'), availableParallelism())
    .option('--arch <arch...>', 'build only for these arches, which this host must run natively')
    .option('--keep <n>', 'versions of each package kept in a repository', positive('--keep'), 3)
    .option('--verbose', 'stream every job log line')
    .option(
      '--no-sandbox',
      'run builds and tests without the bubblewrap sandbox (they can then read the keys and write the repositories)',
    )
    .addOption(
      new Option('--log-format <format>', 'text, or pino JSON lines')
        .choices(['text', 'json'])
        .default('text'),
    )
    .addHelpText(
      'after',
      `
Signing keys: --key FILE signs every sign job; else the armored key in ALBS_SIGNING_KEY; else
sign.key NAME is NAME.asc in ALBS_KEYS_DIR; else a throwaway key is made in OUT/keys/ (with a warning).

Exit codes: 0 every job that ran succeeded, 1 a job failed (or albs itself did), 2 could not start
(usage, invalid config, OUT in use by another run), 130 Ctrl-C, 143 SIGTERM, 129 SIGHUP. A stop
signal gives running commands SIGTERM, then SIGKILL after 5 s; a third one leaves at once.

Examples:
  $ albs run examples/hello-noarch
  $ albs run . --event tag --ref v1.2.0 --key release.asc --out /srv/albs`,
    )
    .action(async (dir: string, options: RunOptions) => {
      // The runner, the signer and the queue load only when a pipeline runs.
      const { runPipeline } = await import('../run-pipeline.js');
      process.exitCode = await runPipeline(dir, options);
    });
}
