/**
 * Makes a signing key that rpm 4.18 imports and verifies with: a v4 primary key that certifies and
 * signs, and no subkey (rpm's importer refuses openpgp.js-made signing subkeys, and a package signing
 * key has no use for an encryption one).
 */
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import { writeNewFile } from '../store/atomic-write.js';
import { SigningKeyError } from './errors.js';
import type { KeyType } from './key-options.js';

export const PRIVATE_KEY_FILE = 'signing-key.asc';
export const PUBLIC_KEY_FILE = 'signing-key.pub.asc';

export interface GenerateKeyOptions {
  readonly name: string;
  readonly email: string;
  readonly type: KeyType;
  /** Protects the private key; unprotected when undefined. */
  readonly passphrase: string | undefined;
}

export interface GeneratedKey {
  readonly privateKeyPath: string;
  readonly publicKeyPath: string;
  readonly fingerprint: string;
  readonly userId: string;
}

/**
 * Writes DIR/signing-key.asc (mode 0600) and DIR/signing-key.pub.asc. Refuses, writing nothing, when
 * either exists: a key that signed releases must never be replaced by accident.
 */
export async function generateSigningKey(dir: string, options: GenerateKeyOptions): Promise<GeneratedKey> {
  const privateKeyPath = join(dir, PRIVATE_KEY_FILE);
  const publicKeyPath = join(dir, PUBLIC_KEY_FILE);
  for (const path of [privateKeyPath, publicKeyPath]) {
    if (await exists(path)) {
      throw new SigningKeyError(
        `${path} already exists; albs keygen never overwrites a key — choose another --out directory or move the old key away`,
        { path },
      );
    }
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });

  const algorithm =
    options.type === 'rsa4096'
      ? { type: 'rsa' as const, rsaBits: 4096 }
      : { type: 'ecc' as const, curve: 'ed25519Legacy' as const };
  const { privateKey, publicKey } = await openpgp.generateKey({
    ...algorithm,
    userIDs: [{ name: options.name, email: options.email }],
    subkeys: [],
    format: 'armored',
    config: { v6Keys: false },
    ...(options.passphrase === undefined ? {} : { passphrase: options.passphrase }),
  });
  const parsed = await openpgp.readKey({ armoredKey: publicKey });

  if (!(await writeNewFile(privateKeyPath, privateKey, 0o600))) {
    throw new SigningKeyError(
      `${privateKeyPath} appeared while the key was being made; nothing was overwritten`,
      {
        path: privateKeyPath,
      },
    );
  }
  if (!(await writeNewFile(publicKeyPath, publicKey, 0o644))) {
    throw new SigningKeyError(
      `${publicKeyPath} appeared while the key was being made; the new private key is in ${privateKeyPath}`,
      { path: publicKeyPath },
    );
  }
  return {
    privateKeyPath,
    publicKeyPath,
    fingerprint: parsed.getFingerprint().toUpperCase(),
    userId: parsed.getUserIDs()[0] ?? `${options.name} <${options.email}>`,
  };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw new SigningKeyError(
        `${path}: cannot check for an existing key (${error.code ?? error.message}); --out must be a directory`,
        { cause: error },
      );
    },
  );
}
