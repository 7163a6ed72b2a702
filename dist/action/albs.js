import { createRequire as __albsCreateRequire } from 'node:module'; const require = __albsCreateRequire(import.meta.url);
import {
  SECRETS_FD,
  SECRETS_FD_ENV
} from "./chunk-7OBVP2X3.js";
import {
  holdSigningSecrets,
  takeSecretEnv
} from "./chunk-EA7JEXJP.js";
import {
  CliError,
  Command,
  EVENT_KINDS,
  EXIT,
  Option,
  endWith
} from "./chunk-VUV5CFER.js";
import "./chunk-PMF7ABEB.js";
import "./chunk-FXWFLUK2.js";

// src/action/albs-child.ts
import { closeSync, readFileSync } from "node:fs";

// src/cli/commands/run.ts
import { availableParallelism } from "node:os";

// src/cli/trigger-options.ts
var eventOption = () => new Option("--event <event>", "the kind of push").choices(EVENT_KINDS);
var refOption = () => new Option("--ref <ref>", "the tag or branch name (default: from git, else main)");

// src/cli/commands/run.ts
function positive(name) {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1)
      throw new CliError(`${name} is "${value}"; give a whole number of 1 or more`, EXIT.usage);
    return n;
  };
}
function registerRun(program) {
  program.command("run").description(
    "run the whole pipeline here, in one process: build, test, sign and publish into repositories on disk"
  ).argument("[dir]", "the package directory holding .albs.yml", ".").addOption(eventOption()).addOption(refOption()).option("--out <dir>", "where repos/, artifacts/, logs/ and pipeline.json go (default: DIR/.albs/out)").option("--key <file>", "the armored private key that signs every sign job").option(
    "--passphrase-file <file>",
    "file whose first line is the signing key's passphrase (default: $ALBS_KEY_PASSPHRASE)"
  ).option("--jobs <n>", "jobs run at once", positive("--jobs"), availableParallelism()).option("--arch <arch...>", "build only for these arches, which this host must run natively").option("--keep <n>", "versions of each package kept in a repository", positive("--keep"), 3).option("--verbose", "stream every job log line").option(
    "--no-sandbox",
    "run builds and tests without the bubblewrap sandbox (they can then read the keys and write the repositories)"
  ).addOption(
    new Option("--log-format <format>", "text, or pino JSON lines").choices(["text", "json"]).default("text")
  ).addHelpText(
    "after",
    `
Signing keys: --key FILE signs every sign job; else the armored key in ALBS_SIGNING_KEY; else
sign.key NAME is NAME.asc in ALBS_KEYS_DIR; else a throwaway key is made in OUT/keys/ (with a warning).

Exit codes: 0 every job that ran succeeded, 1 a job failed (or albs itself did), 2 could not start
(usage, invalid config, OUT in use by another run), 130 Ctrl-C, 143 SIGTERM, 129 SIGHUP. A stop
signal gives running commands SIGTERM, then SIGKILL after 5 s; a third one leaves at once.

Examples:
  $ albs run examples/hello-noarch
  $ albs run . --event tag --ref v1.2.0 --key release.asc --out /srv/albs`
  ).action(async (dir, options) => {
    const { runPipeline } = await import("./chunk-YGCKQUOW.js");
    process.exitCode = await runPipeline(dir, options);
  });
}

// src/action/albs-child.ts
function readSecrets() {
  if (process.env[SECRETS_FD_ENV] !== String(SECRETS_FD)) return {};
  delete process.env[SECRETS_FD_ENV];
  let text;
  try {
    text = readFileSync(SECRETS_FD, "utf8");
  } catch (error) {
    throw new CliError(
      `the action's secrets pipe (fd ${SECRETS_FD}) could not be read: ${error.message}`,
      EXIT.usage,
      { cause: error }
    );
  }
  try {
    closeSync(SECRETS_FD);
  } catch {
  }
  if (text.trim() === "") return {};
  return JSON.parse(text);
}
try {
  const secrets = readSecrets();
  takeSecretEnv();
  holdSigningSecrets(secrets);
  const program = new Command("albs").exitOverride();
  registerRun(program);
  await program.parseAsync(process.argv);
} catch (error) {
  endWith(error);
}
