import { createRequire as __albsCreateRequire } from 'node:module'; const require = __albsCreateRequire(import.meta.url);
import {
  CliError,
  EXIT,
  scrubStartupEnvironment
} from "./chunk-VUV5CFER.js";
import {
  KEY_ENV,
  PASSPHRASE_ENV
} from "./chunk-PMF7ABEB.js";

// src/server/server-secrets.ts
var SERVER_SECRET_ENV = {
  giteaToken: "ALBS_GITEA_TOKEN",
  giteaWebhookSecret: "ALBS_GITEA_WEBHOOK_SECRET",
  githubPrivateKey: "ALBS_GITHUB_PRIVATE_KEY",
  githubWebhookSecret: "ALBS_GITHUB_WEBHOOK_SECRET"
};
var MAX_SECRET_BYTES = 1024 * 1024;

// src/cli/signing-env.ts
var SIGNING_ENV = [KEY_ENV, PASSPHRASE_ENV];
var SERVER_ENV = Object.values(SERVER_SECRET_ENV);
var taken;
function takeSecretEnv() {
  if (taken === void 0) {
    taken = {};
    for (const name of [...SIGNING_ENV, ...SERVER_ENV]) {
      if (process.env[name] !== void 0) taken[name] = process.env[name];
      delete process.env[name];
    }
    const held = Object.keys(taken);
    try {
      scrubStartupEnvironment(held);
    } catch (error) {
      const fixes = [
        held.some((name) => SIGNING_ENV.includes(name)) ? "give the key as a file instead (--key FILE, --passphrase-file FILE, or ALBS_KEYS_DIR)" : void 0,
        held.some((name) => SERVER_ENV.includes(name)) ? "give albs serve's secrets as files instead (the *-file keys of its configuration)" : void 0
      ].filter((fix) => fix !== void 0);
      throw new CliError(
        `${held.join(" and ")} could not be cleared from this process's start-up environment, where /proc/${process.pid}/environ shows it to every process of this user (${error instanceof Error ? error.message : String(error)}): ${fixes.join("; ")}`,
        EXIT.usage,
        { cause: error }
      );
    }
  }
  return taken;
}
function keyEnv() {
  const env = { ...process.env };
  const secrets = takeSecretEnv();
  for (const name of SIGNING_ENV) if (secrets[name] !== void 0) env[name] = secrets[name];
  return env;
}
function holdSigningSecrets(secrets) {
  const held = takeSecretEnv();
  if (secrets.key !== void 0) held[KEY_ENV] = secrets.key;
  if (secrets.passphrase !== void 0) held[PASSPHRASE_ENV] = secrets.passphrase;
}

export {
  takeSecretEnv,
  keyEnv,
  holdSigningSecrets
};
