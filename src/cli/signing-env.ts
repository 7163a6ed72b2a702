import { KEY_ENV, PASSPHRASE_ENV } from '../sign/key-options.js';
import { CliError, EXIT } from './exit-codes.js';
import { scrubStartupEnvironment } from './scrub-environ.js';

let taken: NodeJS.ProcessEnv | undefined;

/**
 * The signing key and its passphrase, moved out of process.env the first time this is called (at
 * start-up, by main): every child process albs starts (git, rpm, createrepo_c, a build) inherits
 * process.env, and none of them may see key material. Later calls return what was taken.
 */
export function takeSigningEnv(): NodeJS.ProcessEnv {
  if (taken === undefined) {
    taken = {};
    for (const name of [KEY_ENV, PASSPHRASE_ENV]) {
      if (process.env[name] !== undefined) taken[name] = process.env[name];
      delete process.env[name];
    }
    // The kernel still shows them in /proc/PID/environ to every process of this user: blank them.
    const held = Object.keys(taken);
    try {
      scrubStartupEnvironment(held);
    } catch (error) {
      throw new CliError(
        `${held.join(' and ')} could not be cleared from this process's start-up environment, where /proc/${process.pid}/environ shows it to every process of this user (${error instanceof Error ? error.message : String(error)}): give the key as a file instead (--key FILE, --passphrase-file FILE, or ALBS_KEYS_DIR)`,
        EXIT.usage,
        { cause: error },
      );
    }
  }
  return taken;
}

/** The environment to read keys from: process.env with the signing variables put back, for src/sign only. */
export function keyEnv(): NodeJS.ProcessEnv {
  return { ...process.env, ...takeSigningEnv() };
}
