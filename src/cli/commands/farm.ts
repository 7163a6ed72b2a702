import { type Command, Option } from 'commander';
import { CliError, EXIT } from '../exit-codes.js';

export interface WorkerOptions {
  server?: string;
  tokenFile?: string;
  redis?: string;
  redisConfig?: string;
  concurrency: string;
  name?: string;
}

export interface RunnerOptions extends WorkerOptions {
  labels?: string;
  workDir?: string;
}

export interface SignerOptions extends WorkerOptions {
  keysDir?: string;
}

const REDIS_HELP = `
Redis: --redis URL (redis://HOST:6379/0, rediss://… for TLS), --redis-config FILE (the same YAML as
the server config's redis: value, a URL or {sentinels: [{host, port}], name, password-file, db}),
or REDIS_URL. The token file holds this host's token from the server's runner-tokens-file (one line,
mode 600).`;

function common(command: Command): Command {
  return command
    .addOption(
      new Option('--server <url>', 'the albs serve this host reports to (its public URL)').env('ALBS_SERVER'),
    )
    .option(
      '--token-file <file>',
      "this host's token (a line of the server's runner-tokens-file: NAME TOKEN ROLE)",
    )
    .option('--redis <url>', "the farm's Redis (default: REDIS_URL)")
    .option('--redis-config <file>', "the farm's Redis as a YAML file: a URL or a sentinels mapping")
    .option(
      '--name <name>',
      "this host's NAME in runner-tokens-file, as records and GET /api/v1/runners show it (default: the NAME of the token file's line, else the hostname); the server refuses another",
    );
}

export function registerFarmWorkers(program: Command): void {
  common(
    program
      .command('runner')
      .description(
        "take build and test jobs from the farm's queues that match this host's labels, and run them sandboxed",
      ),
  )
    .option(
      '--labels <list>',
      'more labels, comma-separated (e.g. almalinux-9,big); the host arch labels (x86_64, amd64, noarch, all) are always there',
    )
    .option('--concurrency <n>', 'jobs at once', '4')
    .option('--work-dir <dir>', 'where jobs run and sources and lookaside files are cached', 'albs-runner')
    .addHelpText(
      'after',
      `${REDIS_HELP}

SIGTERM or SIGINT: take no new jobs, let the running ones finish, exit; a second signal cancels
them (their results say so).

Example:
  $ REDIS_URL=redis://redis.example.org:6379/0 albs runner --server https://albs.example.org \\
      --token-file /etc/albs/runner.token --labels almalinux-9 --concurrency 4`,
    )
    .action(async (options: RunnerOptions) => {
      const { runRunner } = await import('../farm-commands.js');
      process.exitCode = await runRunner(checked(options, 'runner'));
    });

  common(
    program
      .command('signer')
      .description(
        "take sign jobs and repository metadata from the farm's albs:sign queue: the one host holding the keys",
      ),
  )
    .option('--keys-dir <dir>', 'the signing keys: NAME.asc (and NAME.passphrase beside a locked one)')
    .option('--concurrency <n>', 'sign jobs at once', '2')
    .addHelpText(
      'after',
      `${REDIS_HELP}

Example:
  $ REDIS_URL=redis://redis.example.org:6379/0 albs signer --server https://albs.example.org \\
      --token-file /etc/albs/signer.token --keys-dir /etc/albs/keys`,
    )
    .action(async (options: SignerOptions) => {
      if (options.keysDir === undefined)
        throw new CliError(
          'albs signer needs --keys-dir DIR: the directory of NAME.asc signing keys',
          EXIT.usage,
        );
      const { runSigner } = await import('../farm-commands.js');
      process.exitCode = await runSigner(checked(options, 'signer'));
    });
}

function checked<T extends WorkerOptions>(options: T, command: string): T {
  if (options.server === undefined || options.server === '')
    throw new CliError(
      `albs ${command} needs --server URL (or ALBS_SERVER): the albs serve it reports to`,
      EXIT.usage,
    );
  if (options.tokenFile === undefined)
    throw new CliError(
      `albs ${command} needs --token-file FILE: its line of the server's runner-tokens-file`,
      EXIT.usage,
    );
  const concurrency = Number(options.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new CliError(
      `--concurrency is ${options.concurrency}; give a whole number of 1 or more`,
      EXIT.usage,
    );
  return options;
}
