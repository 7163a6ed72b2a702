import { type Command, Option } from 'commander';
import { formatProblem } from '../../config/problem.js';
import type { ServerSecrets } from '../../server/server-secrets.js';
import { CliError, EXIT } from '../exit-codes.js';
import { takeServerSecretEnv } from '../signing-env.js';

export interface ServeOptions {
  config?: string;
  check?: boolean;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'run the build farm: take forge webhooks and submitted builds, run their pipelines, post commit statuses',
    )
    .addOption(
      new Option(
        '--config <file>',
        'the albs serve configuration (YAML; see schemas/albs-server.schema.json)',
      ).env('ALBS_CONFIG'),
    )
    .option(
      '--check',
      'check the configuration and the secrets it names, print every problem, and exit without serving',
    )
    .addHelpText(
      'after',
      `
The configuration names every secret as a *-file (mode 600, not readable by group or others) or an
environment variable: ALBS_GITEA_TOKEN, ALBS_GITEA_WEBHOOK_SECRET, ALBS_GITHUB_PRIVATE_KEY,
ALBS_GITHUB_WEBHOOK_SECRET. Problems are printed on stderr as FILE:LINE:COL: error: MESSAGE, and
those of the secrets as FILE: error: MESSAGE.

Exit codes with --check: 0 valid (warnings allowed), 1 invalid (the file or a secret), 2 unreadable
(no such file, not a regular file, over 1 MiB, not UTF-8). Without --check: 2 when the
configuration or a secret is invalid, else albs serve runs until stopped.

Examples:
  $ albs serve --config /etc/albs/serve.yml --check
  /etc/albs/serve.yml: valid
  $ ALBS_CONFIG=/etc/albs/serve.yml albs serve`,
    )
    .action(async (options: ServeOptions) => {
      if (options.config === undefined || options.config === '') {
        throw new CliError(
          'albs serve needs its configuration: give --config FILE or set ALBS_CONFIG (the keys are in schemas/albs-server.schema.json)',
          EXIT.usage,
        );
      }
      const code = await serve(options.config, options.check === true);
      if (code !== undefined) process.exitCode = code;
    });
}

/**
 * Load and check, then serve; with `check`, stop there. The exit code, or undefined once the server
 * ran: how it stopped (a signal) is its own to say.
 */
async function serve(file: string, check: boolean): Promise<number | undefined> {
  // Loaded here, not with the CLI: `albs --help` and the other commands need none of it.
  const [{ readConfigText }, { loadServerConfig, SERVER_CONFIG_FILE }, secretsModule] = await Promise.all([
    import('../read-config.js'),
    import('../../server/server-config.js'),
    import('../../server/server-secrets.js'),
  ]);
  // A file that cannot be read is exit 2 under --check too, as for albs validate.
  const { config, problems } = loadServerConfig(await readConfigText(file, SERVER_CONFIG_FILE), file);
  for (const problem of problems) process.stderr.write(`${formatProblem(problem)}\n`);
  const invalid = check ? EXIT.failed : EXIT.usage;
  if (config === null) return invalid;

  let secrets: ServerSecrets;
  try {
    secrets = await secretsModule.readServerSecrets(config, takeServerSecretEnv());
  } catch (error) {
    if (!(error instanceof secretsModule.ServerConfigError)) throw error;
    for (const message of error.problems) process.stderr.write(`${file}: error: ${message}\n`);
    return invalid;
  }
  if (check) {
    const warnings = problems.length;
    process.stdout.write(
      `${file}: valid${warnings ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : ''}\n`,
    );
    return EXIT.ok;
  }
  // The HTTP server, the queue and the forges load only when albs really serves.
  const { startServer } = await import('../serve-server.js');
  const server = await startServer({ config, secrets });
  // SIGTERM (systemd's stop) and Ctrl-C: stop taking deliveries, let running jobs end, post what is left.
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      void server.close().then(resolve);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  return undefined;
}
