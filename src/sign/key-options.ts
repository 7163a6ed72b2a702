/**
 * The names by which a user hands albs a key. Kept apart from the code that reads keys so that the CLI
 * can describe its options without loading openpgp.js.
 */
export const KEY_ENV = 'ALBS_SIGNING_KEY';
export const PASSPHRASE_ENV = 'ALBS_KEY_PASSPHRASE';

export const KEY_TYPES = ['rsa4096', 'ed25519'] as const;
export type KeyType = (typeof KEY_TYPES)[number];
