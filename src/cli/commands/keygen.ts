import { type Command, Option } from 'commander';
import { SigningKeyError } from '../../sign/errors.js';
import { KEY_TYPES, type KeyType } from '../../sign/key-options.js';
import { CliError, EXIT } from '../exit-codes.js';

interface KeygenOptions {
  name: string;
  email: string;
  type: KeyType;
  passphraseFile?: string;
  out: string;
}

export function registerKeygen(program: Command): void {
  program
    .command('keygen')
    .description('make an OpenPGP signing key that rpm 4.18, dnf, apt and gpg accept')
    .requiredOption('--name <name>', 'real name for the user id, e.g. "Example Release"')
    .requiredOption('--email <email>', 'email address for the user id')
    .addOption(
      new Option('--type <type>', 'rsa4096, or ed25519 (legacy EdDSA, which rpm 4.18 verifies)')
        .choices(KEY_TYPES)
        .default('rsa4096'),
    )
    .option(
      '--passphrase-file <file>',
      'protect the private key with the first line of FILE (default: unprotected)',
    )
    .requiredOption(
      '--out <dir>',
      'directory for signing-key.asc (private, mode 0600) and signing-key.pub.asc',
    )
    .addHelpText(
      'after',
      `
Never overwrites: if DIR already holds a key, nothing is written and the exit code is 2.

Example:
  $ albs keygen --name "Example Release" --email release@example.org --type ed25519 --out keys
  $ sudo rpmkeys --import keys/signing-key.pub.asc`,
    )
    .action(async (options: KeygenOptions) => {
      const name = options.name.trim();
      const email = options.email.trim();
      if (name === '' || /[<>]/.test(name)) {
        throw new CliError(`--name "${options.name}": give a non-empty name without < or >`, EXIT.usage);
      }
      if (!/^[^\s@<>]+@[^\s@<>]+$/.test(email)) {
        throw new CliError(
          `--email "${options.email}" is not an email address (expected NAME@DOMAIN)`,
          EXIT.usage,
        );
      }
      const { generateSigningKey, readPassphraseFile } = await import('../../sign/index.js');
      try {
        const passphrase =
          options.passphraseFile === undefined ? undefined : await readPassphraseFile(options.passphraseFile);
        const key = await generateSigningKey(options.out, { name, email, type: options.type, passphrase });
        process.stdout.write(
          [
            `wrote ${key.privateKeyPath} (private${passphrase === undefined ? ', unprotected' : ', passphrase-protected'}, mode 0600)`,
            `wrote ${key.publicKeyPath} (public)`,
            `key ${key.fingerprint} ${key.userId}`,
            `import it for rpm with: rpmkeys --import ${key.publicKeyPath}`,
            '',
          ].join('\n'),
        );
      } catch (error) {
        if (error instanceof SigningKeyError) throw new CliError(error.message, EXIT.usage, { cause: error });
        throw error;
      }
    });
}
