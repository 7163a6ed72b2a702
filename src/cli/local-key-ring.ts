import { access } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { KeyRing } from '../../runner/steps/keys.js';
import { SigningKeyError } from '../sign/errors.js';
import { KEY_ENV } from '../sign/key-options.js';
import type { Signer } from '../sign/signer.js';

export interface LocalKeyRingOptions {
  /** --key FILE: signs every sign job, whatever its key name. */
  keyFile: string | undefined;
  /** --passphrase-file FILE, for whichever key is used. */
  passphraseFile: string | undefined;
  /** The environment: ALBS_SIGNING_KEY, ALBS_KEY_PASSPHRASE, ALBS_KEYS_DIR. */
  env: NodeJS.ProcessEnv;
  /** Where a throwaway key is kept: OUT/keys/<name>/. */
  throwawayDir: string;
  /** Said once per throwaway key, loudly. */
  warn: (message: string) => void;
}

/**
 * Resolves a key NAME for `albs run`, first found wins: --key FILE; the armored key in
 * ALBS_SIGNING_KEY; ALBS_KEYS_DIR/NAME.asc; else a throwaway key made on first use (and reused by
 * later runs with the same OUT), so a first try needs no key at all.
 */
export function localKeyRing(options: LocalKeyRingOptions): KeyRing & { close(): Promise<void> } {
  const open = async (name: string): Promise<Signer> => {
    // openpgp.js loads here, not with albs run: a pipeline that signs nothing never pays for it.
    const { OpenpgpSigner, readKeyMaterial } = await import('../sign/index.js');
    const keyFile = await keyFileFor(name, options);
    const material = await readKeyMaterial({ keyFile, passphraseFile: options.passphraseFile }, options.env);
    return OpenpgpSigner.create(material, { threads: availableParallelism() });
  };
  return keyRingOver(open);
}

/**
 * A KeyRing over `open`: each key opened once and shared by every job that names it, all closed
 * together. A failure is not kept: the key may be put in place before the next job asks.
 */
export function keyRingOver(open: (name: string) => Promise<Signer>): KeyRing & { close(): Promise<void> } {
  const signers = new Map<string, Promise<Signer>>();
  const signer = (name: string) => {
    let found = signers.get(name);
    if (!found) {
      found = open(name);
      found.catch(() => signers.delete(name));
      signers.set(name, found);
    }
    return found;
  };
  return {
    signer,
    publicKey: async (name) => (await signer(name)).key.publicKeyArmored,
    close: async () => {
      const all = await Promise.allSettled(signers.values());
      await Promise.all(all.map((s) => (s.status === 'fulfilled' ? s.value.close() : undefined)));
    },
  };
}

async function keyFileFor(name: string, options: LocalKeyRingOptions): Promise<string | undefined> {
  if (options.keyFile !== undefined) return options.keyFile;
  if (options.env[KEY_ENV]) return undefined;
  const keysDir = options.env.ALBS_KEYS_DIR;
  if (keysDir) {
    const file = join(keysDir, `${name}.asc`);
    const exists = await access(file).then(
      () => true,
      () => false,
    );
    if (!exists) {
      throw new SigningKeyError(
        `sign.key "${name}" resolves to ${file} (ALBS_KEYS_DIR), which does not exist; put the armored private key there or run with --key FILE`,
      );
    }
    return file;
  }
  const { generateSigningKey, PRIVATE_KEY_FILE } = await import('../sign/generate-key.js');
  const dir = join(options.throwawayDir, name);
  const file = join(dir, PRIVATE_KEY_FILE);
  const exists = await access(file).then(
    () => true,
    () => false,
  );
  if (!exists) {
    await generateSigningKey(dir, {
      name: `albs-ci throwaway key ${name}`,
      email: `${name}@throwaway.albs-ci.invalid`,
      type: 'ed25519',
      passphrase: undefined,
    });
  }
  options.warn(
    `WARNING: no signing key given for sign.key "${name}": signing with a THROWAWAY key kept in ${dir}. ` +
      'Packages signed with it are fine for a try, not for users. Give --key FILE or put NAME.asc in ALBS_KEYS_DIR.',
  );
  return file;
}
