import { access } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { KeyRing } from '../../runner/steps/keys.js';
import { SigningKeyError } from '../sign/errors.js';
import type { Signer } from '../sign/signer.js';
import { keyRingOver } from './local-key-ring.js';

/** Keys by NAME from keys-dir (NAME.asc, NAME.passphrase beside a locked one); never a throwaway key. */
export function serverKeyRing(keysDir: string | undefined): KeyRing & { close(): Promise<void> } {
  const open = async (name: string): Promise<Signer> => {
    if (keysDir === undefined) {
      throw new SigningKeyError(
        `sign.key "${name}": this server has no keys-dir, so it signs nothing; set keys-dir in the server config and put ${name}.asc there`,
      );
    }
    const { OpenpgpSigner, readKeyMaterial } = await import('../sign/index.js');
    const keyFile = join(keysDir, `${name}.asc`);
    const passphraseFile = join(keysDir, `${name}.passphrase`);
    const hasPassphrase = await access(passphraseFile).then(
      () => true,
      () => false,
    );
    const material = await readKeyMaterial(
      { keyFile, passphraseFile: hasPassphrase ? passphraseFile : undefined },
      {},
    );
    return OpenpgpSigner.create(material, { threads: availableParallelism() });
  };
  return keyRingOver(open);
}
