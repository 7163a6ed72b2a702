/**
 * dist/action/albs.js: `albs run` as the action starts it, in a child process with a clean
 * environment. The signing key and its passphrase come over a pipe on fd 3 (JSON, then end of
 * file), never in argv or an environment variable, and are held in memory as `albs run` holds
 * ALBS_SIGNING_KEY: only src/sign reads them, and the pipe is closed before any process starts.
 *
 * Only `run` is registered: the bundle then carries nothing of the server, the farm or the forges.
 */
import { closeSync, readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerRun } from '../cli/commands/run.js';
import { CliError, EXIT, endWith } from '../cli/exit-codes.js';
import { holdSigningSecrets, takeSecretEnv } from '../cli/signing-env.js';
import { type ChildSecrets, SECRETS_FD, SECRETS_FD_ENV } from './child-secrets.js';

function readSecrets(): ChildSecrets {
  // Started by hand, without the action's pipe: no secrets, as with an empty environment.
  if (process.env[SECRETS_FD_ENV] !== String(SECRETS_FD)) return {};
  delete process.env[SECRETS_FD_ENV];
  let text: string;
  try {
    text = readFileSync(SECRETS_FD, 'utf8');
  } catch (error) {
    throw new CliError(
      `the action's secrets pipe (fd ${SECRETS_FD}) could not be read: ${(error as Error).message}`,
      EXIT.usage,
      { cause: error },
    );
  }
  try {
    closeSync(SECRETS_FD);
  } catch {}
  if (text.trim() === '') return {};
  return JSON.parse(text) as ChildSecrets;
}

try {
  const secrets = readSecrets();
  takeSecretEnv();
  holdSigningSecrets(secrets);
  const program = new Command('albs').exitOverride();
  registerRun(program);
  await program.parseAsync(process.argv);
} catch (error) {
  endWith(error);
}
