import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { RepoMetadataError, SigningKeyError } from '../../sign/errors.js';
import { KEY_ENV, PASSPHRASE_ENV } from '../../sign/key-options.js';
import type { OpenpgpSigner, SignLog } from '../../sign/openpgp-signer.js';
import type { SignRpmOutcome } from '../../sign/signer.js';
import { CliError, EXIT } from '../exit-codes.js';
import { keyEnv } from '../signing-env.js';

/** The key options every signing subcommand takes; the values themselves never come from argv. */
const keyOption = () => new Option('--key <file>', `armored private key (default: $${KEY_ENV})`);
const passphraseOption = () =>
  new Option(
    '--passphrase-file <file>',
    `file whose first line is the key's passphrase (default: $${PASSPHRASE_ENV})`,
  );

interface KeyOptions {
  key?: string;
  passphraseFile?: string;
}

interface SignRpmOptions extends KeyOptions {
  jobs: number;
}

const KEY_HELP = `The key: --key FILE, else the armored private key in $${KEY_ENV}. Its passphrase, if it has one:
--passphrase-file FILE (first line), else $${PASSPHRASE_ENV}. Never on the command line.`;

/**
 * JSON logs on stderr for operators, at the level ALBS_LOG_LEVEL names (e.g. info, debug); none by
 * default. pino is loaded only then, to keep `albs sign` quick to start.
 */
export async function signLog(): Promise<SignLog | undefined> {
  const level = process.env.ALBS_LOG_LEVEL;
  if (!level || level === 'silent') return undefined;
  const { pino } = await import('pino');
  if (!(level in pino.levels.values)) {
    const known = Object.keys(pino.levels.values).join(', ');
    throw new CliError(
      `ALBS_LOG_LEVEL="${level}" is not a log level; use one of ${known}, silent`,
      EXIT.usage,
    );
  }
  const logger = pino({ name: 'albs', level }, pino.destination({ dest: 2, sync: true }));
  // A pino logger is thenable in TypeScript's eyes (any property may be called), so hand on its methods.
  return {
    debug: (fields, message) => logger.debug(fields, message),
    info: (fields, message) => logger.info(fields, message),
    warn: (fields, message) => logger.warn(fields, message),
  };
}

export function registerSign(program: Command): void {
  const sign = program
    .command('sign')
    .description('sign RPM packages and repository metadata with an OpenPGP key (no gpg needed)');

  sign
    .command('rpm')
    .description(
      'sign RPM packages in place, as `rpmsign --addsign` does: a header signature rpm 4.18 verifies, replacing any earlier one',
    )
    .argument('<files...>', 'RPM files to sign')
    .addOption(keyOption())
    .addOption(passphraseOption())
    .option(
      '-j, --jobs <n>',
      'threads to sign on at most; worker threads start only when a batch is big enough to gain from them',
      positiveInteger,
      availableParallelism(),
    )
    .addHelpText(
      'after',
      `
${KEY_HELP}
Each package is checked first (an RPM, whole, header digest matching) and replaced atomically; a
refused package is left byte-for-byte as it was. Exit codes: 0 all signed, 1 some refused, 2 no
usable key or a file that does not exist.

Example:
  $ albs keygen --name "Example Release" --email release@example.org --out keys
  $ albs sign rpm --key keys/signing-key.asc RPMS/x86_64/*.rpm
  $ sudo rpmkeys --import keys/signing-key.pub.asc && rpmkeys --checksig RPMS/x86_64/*.rpm`,
    )
    .action(async (files: string[], options: SignRpmOptions) => {
      await requireFiles(files);
      const signer = await openSigner(options, options.jobs);
      const key = `${signer.key.algorithm} key ${signer.key.keyId}`;
      const started = performance.now();
      let outcomes: SignRpmOutcome[];
      try {
        // Print as packages finish, so a long batch shows progress.
        outcomes = await signer.signRpms(files, { onOutcome: (outcome) => report(outcome, key) });
      } finally {
        await signer.close();
      }
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      const refused = outcomes.filter((o) => !o.ok).length;
      if (refused > 0) {
        throw new CliError(
          `${refused} of ${outcomes.length} packages not signed (left unchanged); see the messages above`,
          EXIT.failed,
        );
      }
      process.stdout.write(`signed ${outcomes.length} packages with ${key} in ${seconds} s\n`);
    });

  sign
    .command('repomd')
    .description('sign a dnf/yum repository: writes repodata/repomd.xml.asc (checked by repo_gpgcheck=1)')
    .argument('<repo>', 'the repository directory (holding repodata/), or its repomd.xml')
    .addOption(keyOption())
    .addOption(passphraseOption())
    .addHelpText(
      'after',
      `
${KEY_HELP}
Sign the packages first, then run createrepo_c, then sign repomd.xml.

Example:
  $ albs sign rpm --key keys/signing-key.asc repo/*.rpm
  $ createrepo_c repo && albs sign repomd --key keys/signing-key.asc repo`,
    )
    .action(async (repo: string, options: KeyOptions) => {
      const info = await stat(repo).catch(() => undefined);
      const repomd = info?.isDirectory() ? join(repo, 'repodata', 'repomd.xml') : repo;
      await signMetadata(options, { kind: 'dnf', repomd });
    });

  sign
    .command('apt-release')
    .description('sign an apt repository suite: writes InRelease and Release.gpg beside its Release file')
    .argument('<release>', 'the Release file (dists/SUITE/Release)')
    .addOption(keyOption())
    .addOption(passphraseOption())
    .addHelpText(
      'after',
      `
${KEY_HELP}

Example:
  $ albs sign apt-release --key keys/signing-key.asc repo/dists/stable/Release
  $ gpgv --keyring ./release-keyring.gpg repo/dists/stable/InRelease`,
    )
    .action(async (release: string, options: KeyOptions) => {
      await signMetadata(options, { kind: 'apt', release });
    });
}

function report(outcome: SignRpmOutcome, key: string): void {
  if (!outcome.ok) {
    process.stderr.write(`albs: not signed: ${outcome.error.message}\n`);
    return;
  }
  const r = outcome.result;
  const size =
    r.layout === 'reserved-space' ? 'size unchanged' : `rewritten, ${r.sizeBefore} -> ${r.sizeAfter} bytes`;
  const replaced = r.replaced.length ? ', replaced the earlier signature' : '';
  process.stdout.write(`signed ${r.path} (${r.package}, ${key}, ${size}${replaced})\n`);
}

async function openSigner(options: KeyOptions, threads: number): Promise<OpenpgpSigner> {
  // openpgp.js loads only for the commands that sign, not for every albs command.
  const { OpenpgpSigner, readKeyMaterial } = await import('../../sign/index.js');
  try {
    const material = await readKeyMaterial(
      { keyFile: options.key, passphraseFile: options.passphraseFile },
      keyEnv(),
    );
    return await OpenpgpSigner.create(material, { threads, log: await signLog() });
  } catch (error) {
    if (error instanceof SigningKeyError) throw new CliError(error.message, EXIT.usage, { cause: error });
    throw error;
  }
}

async function signMetadata(
  options: KeyOptions,
  target: { kind: 'dnf'; repomd: string } | { kind: 'apt'; release: string },
): Promise<void> {
  const signer = await openSigner(options, 1);
  try {
    const written = await signer.signRepoMetadata(target);
    for (const file of written)
      process.stdout.write(`wrote ${file} (${signer.key.algorithm} key ${signer.key.keyId})\n`);
  } catch (error) {
    if (error instanceof RepoMetadataError) throw new CliError(error.message, EXIT.usage, { cause: error });
    throw error;
  } finally {
    await signer.close();
  }
}

/** Every named file must exist before anything is signed: a typo is a usage error, not a refusal. */
export async function requireFiles(files: readonly string[]): Promise<void> {
  const missing: string[] = [];
  for (const file of files) {
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) missing.push(file);
  }
  if (missing.length > 0) {
    throw new CliError(
      `${missing.length === 1 ? 'no such file' : 'no such files'}: ${missing.join(', ')}; nothing was done — check the paths`,
      EXIT.usage,
    );
  }
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`expected a whole number of at least 1, got "${value}"`);
  return n;
}
