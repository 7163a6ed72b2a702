/**
 * Why a package's source could not be had. Each message names the thing, the value and the fix;
 * a build step turns them into the job's failure reason, so they are the user's fault to fix, not
 * the runner's.
 */
export class SourceError extends Error {
  override name = 'SourceError';
}

/** No spec, several specs, or a spec path that is not there. */
export class SpecNotFoundError extends SourceError {
  override name = 'SpecNotFoundError';
}

/** A src.rpm link that is not http(s), or redirects somewhere that is not, or too often. */
export class SrpmUrlError extends SourceError {
  override name = 'SrpmUrlError';
}

/** The server answered with an error, or the connection failed. */
export class SrpmDownloadError extends SourceError {
  override name = 'SrpmDownloadError';
}

/** The download is larger than the cap. */
export class SrpmTooLargeError extends SourceError {
  override name = 'SrpmTooLargeError';
}

/** "SHA-256", "SHA-1", "MD5": a hash type as people write it. */
export function hashName(type: string): string {
  return type.toUpperCase().replace(/^SHA(\d)/, 'SHA-$1');
}

/** The download's digest is not the one expected (source.sha256, a .dsc, a lookaside metadata file). */
export class DigestMismatchError extends SourceError {
  override name = 'DigestMismatchError';
  constructor(
    readonly url: string,
    readonly hashType: string,
    readonly expected: string,
    readonly actual: string,
    labels: { what: string; expectedFrom: string },
  ) {
    super(
      `the ${labels.what} downloaded from ${url} has ${hashName(hashType)} ${actual}, but ${labels.expectedFrom} says ${expected}: ` +
        (labels.expectedFrom.includes('.albs.yml')
          ? 'the file was deleted and nothing was built; if the new file is the one you want, put its sha256 in .albs.yml'
          : 'the file was deleted and nothing was built; the server holds a file that does not match the digest it should have, fix it or point the link elsewhere'),
    );
  }
}
