import type { Command } from 'commander';
import { SigningKeyError } from '../../sign/errors.js';
import { CliError, EXIT } from '../exit-codes.js';
import { requireFiles } from './sign.js';

interface VerifyRpmOptions {
  key: string[];
}

export function registerVerify(program: Command): void {
  const verify = program.command('verify').description('verify signatures natively, without rpm or gpg');

  verify
    .command('rpm')
    .description(
      'verify RPM packages as `rpmkeys --checksig` does at _pkgverify_level signature: digests and a header signature by one of the keys',
    )
    .argument('<files...>', 'RPM files to verify')
    .requiredOption(
      '--key <file>',
      'armored public key(s) to accept; repeat for several',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .addHelpText(
      'after',
      `
Prints one line per package; exit codes: 0 all verified, 1 any package failed (unsigned, signed by
another key, or a header or payload byte changed), 2 a key or package file that cannot be read.

Example:
  $ albs verify rpm --key keys/signing-key.pub.asc RPMS/x86_64/*.rpm
  RPMS/x86_64/hello-1.0-1.x86_64.rpm: digests signatures OK (key 0123456789ABCDEF)`,
    )
    .action(async (files: string[], options: VerifyRpmOptions) => {
      await requireFiles(files);
      const { readVerificationKeys, verifyRpmFile } = await import('../../sign/index.js');
      const keys = [];
      for (const file of options.key) {
        try {
          keys.push(...(await readVerificationKeys(file)));
        } catch (error) {
          if (error instanceof SigningKeyError)
            throw new CliError(error.message, EXIT.usage, { cause: error });
          throw error;
        }
      }
      let bad = 0;
      for (const file of files) {
        const result = await verifyRpmFile(file, keys);
        if (result.ok) {
          process.stdout.write(`${file}: digests signatures OK (key ${result.signedBy.join(', ')})\n`);
          continue;
        }
        bad++;
        // One line per package, as rpmkeys --checksig prints: the reasons joined on it.
        const reasons = result.problems.map((p) =>
          p.startsWith(`${file}: `) ? p.slice(file.length + 2) : p,
        );
        process.stdout.write(`${file}: NOT OK: ${reasons.join('; ')}\n`);
      }
      if (bad > 0) {
        throw new CliError(`${bad} of ${files.length} packages did not verify`, EXIT.failed);
      }
    });
}
