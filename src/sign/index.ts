/** What the rest of albs may use from the signing edge; key material stays behind these calls. */
export {
  RepoMetadataError,
  RpmDigestError,
  RpmFormatError,
  SignError,
  SigningKeyError,
} from './errors.js';
export { type GeneratedKey, generateSigningKey } from './generate-key.js';
export { KEY_ENV, KEY_TYPES, type KeyType, PASSPHRASE_ENV } from './key-options.js';
export {
  type KeyMaterial,
  readKeyMaterial,
  readPassphraseFile,
  readVerificationKeys,
} from './load-key.js';
export { OpenpgpSigner } from './openpgp-signer.js';
export type {
  RepoMetadataTarget,
  Signer,
  SigningKeyInfo,
  SignRpmOutcome,
  SignRpmResult,
  SignRpmsOptions,
} from './signer.js';
export { type RpmVerification, verifyRpmFile } from './verify-rpm.js';
