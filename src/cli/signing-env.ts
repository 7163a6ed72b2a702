import { SERVER_SECRET_ENV } from '../server/server-secrets.js';
import { KEY_ENV, PASSPHRASE_ENV } from '../sign/key-options.js';
import { CliError, EXIT } from './exit-codes.js';
import { scrubStartupEnvironment } from './scrub-environ.js';

/** The signing key and its passphrase: albs run, albs sign, and albs serve's keys-dir. */
const SIGNING_ENV: readonly string[] = [KEY_ENV, PASSPHRASE_ENV];
/** albs serve's forge credentials, each of which may be a *-file of its configuration instead. */
const SERVER_ENV: readonly string[] = Object.values(SERVER_SECRET_ENV);

let taken: NodeJS.ProcessEnv | undefined;

/**
 * Every secret environment variable (the signing key and passphrase, albs serve's forge
 * credentials), moved out of process.env the first time this is called (at start-up, by main):
 * every child process albs starts (git, rpm, createrepo_c, a build) inherits process.env, and none
 * of them may see a secret. Later calls return what was taken (minus what was handed over by
 * takeServerSecretEnv).
 */
export function takeSecretEnv(): NodeJS.ProcessEnv {
  if (taken === undefined) {
    taken = {};
    for (const name of [...SIGNING_ENV, ...SERVER_ENV]) {
      if (process.env[name] !== undefined) taken[name] = process.env[name];
      delete process.env[name];
    }
    // The kernel still shows them in /proc/PID/environ to every process of this user: blank them.
    const held = Object.keys(taken);
    try {
      scrubStartupEnvironment(held);
    } catch (error) {
      const fixes = [
        held.some((name) => SIGNING_ENV.includes(name))
          ? 'give the key as a file instead (--key FILE, --passphrase-file FILE, or ALBS_KEYS_DIR)'
          : undefined,
        held.some((name) => SERVER_ENV.includes(name))
          ? "give albs serve's secrets as files instead (the *-file keys of its configuration)"
          : undefined,
      ].filter((fix) => fix !== undefined);
      throw new CliError(
        `${held.join(' and ')} could not be cleared from this process's start-up environment, where /proc/${process.pid}/environ shows it to every process of this user (${error instanceof Error ? error.message : String(error)}): ${fixes.join('; ')}`,
        EXIT.usage,
        { cause: error },
      );
    }
  }
  return taken;
}

/** The environment to read keys from: process.env with the signing variables put back, for src/sign only. */
export function keyEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  const secrets = takeSecretEnv();
  for (const name of SIGNING_ENV) if (secrets[name] !== undefined) env[name] = secrets[name];
  return env;
}

/**
 * albs serve's secret variables, for readServerSecrets, handed over once: after this, the copy
 * taken at start-up no longer holds them, and ServerSecrets is the only place they are kept.
 */
export function takeServerSecretEnv(): NodeJS.ProcessEnv {
  const secrets = takeSecretEnv();
  const env: NodeJS.ProcessEnv = {};
  for (const name of SERVER_ENV) {
    if (secrets[name] !== undefined) env[name] = secrets[name];
    delete secrets[name];
  }
  return env;
}

/**
 * Key material handed over some other way than the environment (the GitHub Action's `albs run`
 * child reads it from a pipe): held as if taken from ALBS_SIGNING_KEY and ALBS_KEY_PASSPHRASE at
 * start-up, so that keyEnv() gives it to src/sign and no child process ever sees it.
 */
export function holdSigningSecrets(secrets: {
  key?: string | undefined;
  passphrase?: string | undefined;
}): void {
  const held = takeSecretEnv();
  if (secrets.key !== undefined) held[KEY_ENV] = secrets.key;
  if (secrets.passphrase !== undefined) held[PASSPHRASE_ENV] = secrets.passphrase;
}
