/**
 * The signing port. Whoever holds a `Signer` can have things signed but never sees the key: the
 * implementation (today `OpenpgpSigner`; later a client of the `albs signer` host) is the only place
 * key material lives. Callers pick a concrete signer only at a composition root (a CLI command, the
 * signer process).
 *
 * Every call is safe to run concurrently with the others on the same signer. Signing is not
 * deterministic (OpenPGP signatures carry a creation time and, with openpgp.js, a random salt), so
 * repeating a call gives a different but equally valid signature; every call that writes a file is
 * idempotent in effect and atomic (temp file + rename).
 */
import type { SigningKeyInfo } from './load-key.js';
import type { SignRpmResult } from './sign-rpm.js';

export type { SigningKeyInfo } from './load-key.js';
export type { SignRpmResult } from './sign-rpm.js';

/** Repository metadata to sign, by repository kind. */
export type RepoMetadataTarget =
  /** `repomd` is the path of repodata/repomd.xml; writes repomd.xml.asc beside it. */
  | { readonly kind: 'dnf'; readonly repomd: string }
  /** `release` is the path of dists/SUITE/Release; writes InRelease and Release.gpg beside it. */
  | { readonly kind: 'apt'; readonly release: string };

/** The outcome for one package of a batch: a refused package does not stop the others. */
export type SignRpmOutcome =
  | { readonly path: string; readonly ok: true; readonly result: SignRpmResult }
  | { readonly path: string; readonly ok: false; readonly error: Error };

export interface SignRpmsOptions {
  /** Called as each package finishes, in completion order (for progress output). */
  readonly onOutcome?: (outcome: SignRpmOutcome) => void;
}

export interface Signer {
  /** Public facts about the signing key. */
  readonly key: SigningKeyInfo;

  /**
   * One detached v4 signature of type 0x00 (binary document) over `data`: binary packet bytes, or the
   * same armored ("-----BEGIN PGP SIGNATURE-----"). This is what `gpg --detach-sign` makes and what
   * rpm, dnf and gpgv check.
   */
  signDetached(data: Uint8Array, format: 'armored'): Promise<string>;
  signDetached(data: Uint8Array, format?: 'binary'): Promise<Uint8Array>;

  /** `text` as an OpenPGP cleartext-signed message, as apt's InRelease is. */
  signCleartext(text: string): Promise<string>;

  /**
   * Signs one RPM in place as `rpmsign --addsign` on rpm 4.18 does, replacing any earlier signature.
   * Rejects with a `SignError` subclass that names the file and the problem, and then the file is
   * byte-for-byte what it was: not an RPM, truncated, a header or payload digest that does not match.
   */
  signRpm(path: string): Promise<SignRpmResult>;

  /**
   * Signs many RPMs, on several threads where the implementation has them. Resolves with one outcome per
   * path, in the order given; a refused package is reported in its outcome, never by rejecting. A
   * package whose thread died is reported as not signed; like every package, it is then either fully
   * signed or untouched, never half-written.
   */
  signRpms(paths: readonly string[], options?: SignRpmsOptions): Promise<SignRpmOutcome[]>;

  /**
   * Signs repository metadata and writes the signature files beside it; resolves with their paths.
   * Rejects with a `RepoMetadataError` when the metadata file cannot be read. Sign packages and run
   * createrepo_c (or write Release) first: the signature covers the metadata as it is now.
   */
  signRepoMetadata(target: RepoMetadataTarget): Promise<string[]>;

  /** Stops any worker threads. Idempotent; the signer must not be used afterwards. */
  close(): Promise<void>;
}
