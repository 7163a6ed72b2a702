/**
 * Errors of the signing edge. Every message names the thing (a file, an environment variable), the bad
 * value and the fix, and never contains key material: messages reach logs, job pages and stderr.
 *
 * The classes take a finished message so that an error raised in a worker thread can be rebuilt, with
 * its class, on the main thread (see `restoreSignError`).
 */
export class SignError extends Error {
  override name = 'SignError';
  /** The file the error is about, when there is one. */
  readonly path: string | undefined;
  constructor(message: string, options?: { path?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.path = options?.path;
  }
}

/** The key (or its passphrase) cannot be read, unlocked or used to sign: nothing can start. */
export class SigningKeyError extends SignError {
  override name = 'SigningKeyError';
}

/** A file is not an RPM package, is truncated, or has a header rpm itself would reject. */
export class RpmFormatError extends SignError {
  override name = 'RpmFormatError';
}

/** A digest recorded in an RPM does not match its bytes: the package changed after it was built. */
export class RpmDigestError extends SignError {
  override name = 'RpmDigestError';
}

/** Repository metadata to sign is missing or unreadable. */
export class RepoMetadataError extends SignError {
  override name = 'RepoMetadataError';
}

const classes = { SignError, SigningKeyError, RpmFormatError, RpmDigestError, RepoMetadataError } as const;

/** The plain shape in which an error crosses a worker-thread boundary. */
export interface SerializedSignError {
  name: string;
  message: string;
  path: string | undefined;
}

export function serializeSignError(error: unknown): SerializedSignError {
  if (error instanceof SignError) return { name: error.name, message: error.message, path: error.path };
  const message = error instanceof Error ? error.message : String(error);
  return { name: 'Error', message, path: undefined };
}

/** Rebuilds an error serialised by `serializeSignError`, keeping its class when it is one of ours. */
export function restoreSignError(serialized: SerializedSignError): Error {
  const known = classes[serialized.name as keyof typeof classes];
  if (known) return new known(serialized.message, { path: serialized.path });
  return new Error(serialized.message);
}
