/**
 * How the action hands the signing key to its `albs run` child (albs-child.ts): JSON on this fd, a
 * pipe the action writes and closes. The variable (not secret itself) tells the child to read it.
 */
export const SECRETS_FD = 3;
export const SECRETS_FD_ENV = 'ALBS_ACTION_SECRETS_FD';

export interface ChildSecrets {
  key?: string;
  passphrase?: string;
}
