/**
 * Where the signing key comes from and how it is unlocked. This file and the signer are the only code
 * that touches private key material; what leaves them is the public `SigningKeyInfo`.
 *
 * Sources, first found wins: `--key FILE`, else the armored text in ALBS_SIGNING_KEY. The passphrase:
 * `--passphrase-file FILE` (its first line), else ALBS_KEY_PASSPHRASE. Never from argv, which every
 * user of the machine can read in the process list.
 */
import { readFile } from 'node:fs/promises';
import * as openpgp from 'openpgp';
import { SigningKeyError } from './errors.js';
import { KEY_ENV, PASSPHRASE_ENV } from './key-options.js';

/** The armored key and its passphrase, held in memory only. Never log or serialise this object. */
export interface KeyMaterial {
  readonly armoredKey: string;
  readonly passphrase: string | undefined;
  /** Where the key came from, for messages: a path or the variable name. */
  readonly origin: string;
  /** Where the passphrase came from, for messages. */
  readonly passphraseOrigin: string | undefined;
}

export interface KeySourceOptions {
  keyFile?: string | undefined;
  passphraseFile?: string | undefined;
}

/** Public facts about the key that signs, safe to print and log. */
export interface SigningKeyInfo {
  /** Fingerprint of the primary key, upper-case hex: what `rpm -qa gpg-pubkey*` and gpg show. */
  readonly fingerprint: string;
  /** Key id (upper-case hex, 16 digits) of the (sub)key that makes the signatures. */
  readonly keyId: string;
  readonly algorithm: 'RSA' | 'DSA' | 'EdDSA';
  readonly bits: number | undefined;
  readonly userIds: readonly string[];
  /** The RPM signature tag this key's signatures go in: 268 (RSA) or 267 (DSA, EdDSA). */
  readonly rpmTag: 267 | 268;
  /** The public key, armored: what a repository publishes for `rpm --import` and dnf's gpgkey=. */
  readonly publicKeyArmored: string;
}

export interface UnlockedKey {
  readonly privateKey: openpgp.PrivateKey;
  readonly signingKeyId: openpgp.KeyID;
  readonly info: SigningKeyInfo;
}

export async function readKeyMaterial(
  options: KeySourceOptions,
  env: NodeJS.ProcessEnv,
): Promise<KeyMaterial> {
  let armoredKey: string;
  let origin: string;
  if (options.keyFile !== undefined) {
    origin = options.keyFile;
    armoredKey = await readFile(options.keyFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new SigningKeyError(
        `${options.keyFile}: cannot read the signing key (${error.code ?? error.message}); check --key`,
        { path: options.keyFile, cause: error },
      );
    });
  } else if (env[KEY_ENV]) {
    origin = `$${KEY_ENV}`;
    armoredKey = env[KEY_ENV];
  } else {
    throw new SigningKeyError(
      `no signing key: pass --key FILE or set ${KEY_ENV} to the armored private key (albs keygen makes one)`,
    );
  }

  let passphrase: string | undefined;
  let passphraseOrigin: string | undefined;
  if (options.passphraseFile !== undefined) {
    passphraseOrigin = options.passphraseFile;
    passphrase = await readPassphraseFile(options.passphraseFile);
  } else if (env[PASSPHRASE_ENV] !== undefined) {
    passphraseOrigin = `$${PASSPHRASE_ENV}`;
    passphrase = env[PASSPHRASE_ENV];
  }
  return { armoredKey, passphrase, origin, passphraseOrigin };
}

/** The first line of a passphrase file, as gpg's --passphrase-file reads it. */
export async function readPassphraseFile(file: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new SigningKeyError(`${file}: cannot read the passphrase file (${error.code ?? error.message})`, {
      path: file,
      cause: error,
    });
  });
  const passphrase = text.split(/\r?\n/, 1)[0] ?? '';
  if (passphrase === '') {
    throw new SigningKeyError(`${file}: the passphrase file is empty; put the passphrase on its first line`, {
      path: file,
    });
  }
  return passphrase;
}

const PRIVATE_ARMOR = '-----BEGIN PGP PRIVATE KEY BLOCK-----';
const PUBLIC_ARMOR = '-----BEGIN PGP PUBLIC KEY BLOCK-----';

/** Reads, unlocks and checks the key: it must be able to make signatures rpm 4.18 verifies. */
export async function unlockKey(material: KeyMaterial): Promise<UnlockedKey> {
  const { origin } = material;
  const fail = (message: string, cause?: unknown) =>
    new SigningKeyError(`${origin}: ${message}`, {
      path: origin.startsWith('$') ? undefined : origin,
      cause,
    });

  if (!material.armoredKey.includes(PRIVATE_ARMOR)) {
    if (material.armoredKey.includes(PUBLIC_ARMOR)) {
      throw fail('this is a public key, which cannot sign; pass the private key (signing-key.asc)');
    }
    throw fail(
      `not an armored OpenPGP private key (no "${PRIVATE_ARMOR}" line); export one with \`gpg --armor --export-secret-keys KEYID\` or make one with \`albs keygen\``,
    );
  }
  let keys: openpgp.PrivateKey[];
  try {
    keys = await openpgp.readPrivateKeys({ armoredKeys: material.armoredKey });
  } catch (error) {
    throw fail(`cannot parse the private key (${describe(error)}); export it again`, error);
  }
  const [first, ...more] = keys;
  if (!first) throw fail('the key block holds no key; export it again');
  if (more.length > 0) {
    throw fail(`the key block holds ${keys.length} keys; export only the one that signs`);
  }

  let privateKey = first;
  if (!privateKey.isDecrypted()) {
    if (material.passphrase === undefined) {
      throw fail(
        `the key is protected by a passphrase: pass --passphrase-file FILE or set ${PASSPHRASE_ENV}`,
      );
    }
    try {
      privateKey = await openpgp.decryptKey({ privateKey, passphrase: material.passphrase });
    } catch (error) {
      throw fail(
        `the passphrase from ${material.passphraseOrigin} does not unlock the key (${describe(error)}); check the passphrase`,
        error,
      );
    }
  }

  let signing: openpgp.PrivateKey | openpgp.Subkey;
  try {
    signing = await privateKey.getSigningKey();
  } catch (error) {
    throw fail(
      `the key has no usable signing key (${describe(error)}); use a key with the sign capability that is neither expired nor revoked`,
      error,
    );
  }
  const keyId = signing.getKeyID().toHex().toUpperCase();
  const { algorithm, bits, curve } = signing.getAlgorithmInfo();
  const version = signing.keyPacket.version;
  let rpmTag: 267 | 268;
  let name: SigningKeyInfo['algorithm'];
  if (algorithm === 'rsaSign' || algorithm === 'rsaEncryptSign') {
    rpmTag = 268;
    name = 'RSA';
  } else if (algorithm === 'dsa') {
    rpmTag = 267;
    name = 'DSA';
  } else if (algorithm === 'eddsaLegacy' && curve === 'ed25519Legacy') {
    rpmTag = 267;
    name = 'EdDSA';
  } else {
    throw fail(
      `signing key ${keyId} uses ${algorithm}${curve ? ` (${curve})` : ''}, which rpm 4.18 cannot verify; use an RSA or legacy Ed25519 key (\`albs keygen --type rsa4096|ed25519\`)`,
    );
  }
  if (version !== 4) {
    throw fail(`signing key ${keyId} is a version ${version} key; rpm 4.18 verifies only version 4 keys`);
  }
  return {
    privateKey,
    signingKeyId: signing.getKeyID(),
    info: {
      fingerprint: privateKey.getFingerprint().toUpperCase(),
      keyId,
      algorithm: name,
      bits,
      userIds: privateKey.getUserIDs(),
      rpmTag,
      publicKeyArmored: privateKey.toPublic().armor(),
    },
  };
}

/** Public keys to verify with; a file may hold several. Private keys are accepted and used as public. */
export async function readVerificationKeys(file: string): Promise<openpgp.PublicKey[]> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new SigningKeyError(
      `${file}: cannot read the public key (${error.code ?? error.message}); check --key`,
      {
        path: file,
        cause: error,
      },
    );
  });
  try {
    const keys = await openpgp.readKeys({ armoredKeys: text });
    return keys.map((k) => k.toPublic());
  } catch (error) {
    throw new SigningKeyError(
      `${file}: not an armored OpenPGP public key (${describe(error)}); export one with \`gpg --armor --export KEYID\` or use the signing-key.pub.asc albs keygen wrote`,
      { path: file, cause: error },
    );
  }
}

// openpgp.js messages name the failing check, never key bytes; still, keep them to one line.
function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n', 1)[0] ?? message;
}
