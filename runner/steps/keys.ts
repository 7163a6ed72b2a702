import type { Signer } from '../../src/sign/signer.js';

/**
 * The signing keys a runner may use, by the NAME in `sign.key`. The composition root decides where
 * names resolve (a --key file, ALBS_KEYS_DIR, a throwaway key); steps never see key material.
 */
export interface KeyRing {
  signer(name: string): Promise<Signer>;
  /** The armored public key published beside the repository. */
  publicKey(name: string): Promise<string>;
}
