/**
 * An RPM package file as the signer sees it: the 96-byte lead, the signature header, its padding, the
 * main header and the payload; and the checks that a package is whole and unmodified before albs signs
 * it or says that it verifies.
 */
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { RpmDigestError, RpmFormatError } from './errors.js';
import {
  entryNumber,
  entryString,
  findEntry,
  HEADER_TAG,
  headerLengthAt,
  hex,
  parseHeader,
  type RpmHeader,
  SIG_TAG,
  signaturePadding,
} from './rpm-header.js';

export const LEAD_SIZE = 96;
const LEAD_MAGIC = Buffer.from([0xed, 0xab, 0xee, 0xdb]);
/** RPMSIGTYPE_HEADERSIG: the only signature type rpm 4 reads. */
const LEAD_SIGNATURE_TYPE = 5;
/** Enough for the headers of most packages in one read. */
const FIRST_READ = 256 * 1024;
export const COPY_CHUNK = 1024 * 1024;

export interface RpmPackage {
  readonly path: string;
  readonly fileSize: number;
  /** The file from byte 0 through at least the end of the main header. */
  readonly head: Buffer;
  readonly signature: RpmHeader;
  readonly header: RpmHeader;
  /** The main header bytes: what the header digests and the OpenPGP signature cover. */
  readonly headerBytes: Buffer;
  readonly payloadOffset: number;
}

/** Reads and checks the structure of the package open in `handle`; `path` is only for messages. */
export async function readRpmPackage(
  handle: FileHandle,
  path: string,
  fileSize: number,
): Promise<RpmPackage> {
  let head = Buffer.alloc(Math.min(fileSize, FIRST_READ));
  await readFully(handle, head, 0);

  const ensure = async (length: number, what: string): Promise<void> => {
    if (length <= head.length) return;
    if (length > fileSize) {
      throw new RpmFormatError(
        `${path}: truncated RPM: the ${what} ends at byte ${length} but the file has only ${fileSize} bytes; copy or download the package again`,
        { path },
      );
    }
    const grown = Buffer.alloc(length);
    head.copy(grown);
    await readFully(handle, grown.subarray(head.length), head.length);
    head = grown;
  };

  if (head.length < LEAD_MAGIC.length || !head.subarray(0, 4).equals(LEAD_MAGIC)) {
    throw new RpmFormatError(
      `${path}: not an RPM package (it starts with ${hex(head.subarray(0, 4)) || 'nothing'}, an RPM starts with ${hex(LEAD_MAGIC)}); pass .rpm files built by rpmbuild`,
      { path },
    );
  }
  await ensure(LEAD_SIZE + 16, 'lead');
  const major = head[4];
  const signatureType = head.readUInt16BE(78);
  if ((major !== 3 && major !== 4) || signatureType !== LEAD_SIGNATURE_TYPE) {
    throw new RpmFormatError(
      `${path}: unsupported RPM lead (format ${major}, signature type ${signatureType}; rpm 4 writes format 3 or 4 with type 5); rebuild the package with rpm 4`,
      { path },
    );
  }

  const signatureLength = headerLengthAt(head, LEAD_SIZE, 'signature', path)!;
  const headerOffset = LEAD_SIZE + signatureLength + signaturePadding(signatureLength);
  await ensure(headerOffset + 16, 'signature header');
  const signature = parseHeader(head, LEAD_SIZE, 'signature', path);
  const headerLength = headerLengthAt(head, headerOffset, 'main', path)!;
  await ensure(headerOffset + headerLength, 'main header');
  const header = parseHeader(head, headerOffset, 'main', path);
  const payloadOffset = headerOffset + headerLength;
  return {
    path,
    fileSize,
    head,
    signature,
    header,
    headerBytes: head.subarray(headerOffset, payloadOffset),
    payloadOffset,
  };
}

async function readFully(handle: FileHandle, into: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < into.length) {
    const { bytesRead } = await handle.read(into, done, into.length - done, position + done);
    if (bytesRead === 0) throw new Error(`file ended at byte ${position + done} while reading`);
    done += bytesRead;
  }
}

/** name-version-release.arch, for messages. */
export function packageLabel(pkg: RpmPackage): string {
  const get = (tag: number) => entryString(findEntry(pkg.header, tag));
  const name = get(HEADER_TAG.name);
  if (!name) return pkg.path;
  return `${name}-${get(HEADER_TAG.version) ?? '?'}-${get(HEADER_TAG.release) ?? '?'}.${get(HEADER_TAG.arch) ?? '?'}`;
}

/**
 * The size rpmbuild recorded for header + payload must match the file: a shorter file was cut off in a
 * copy or download, a longer one has something appended.
 */
export function checkPackageSize(pkg: RpmPackage): void {
  const recorded =
    entryNumber(findEntry(pkg.signature, SIG_TAG.longSize)) ??
    entryNumber(findEntry(pkg.signature, SIG_TAG.size));
  if (recorded === undefined) return;
  const actual = pkg.fileSize - pkg.header.offset;
  if (actual < recorded) {
    throw new RpmFormatError(
      `${pkg.path}: truncated RPM: the package records ${recorded} bytes of header and payload but the file has ${actual}; copy or download the package again`,
      { path: pkg.path },
    );
  }
  if (actual > recorded) {
    throw new RpmFormatError(
      `${pkg.path}: ${actual - recorded} unexpected bytes after the end of the package (it records ${recorded} bytes of header and payload, the file has ${actual}); copy or download the package again`,
      { path: pkg.path },
    );
  }
}

/** The SHA-256 (tag 273) and SHA-1 (tag 269) digests of the main header, the way rpm checks them. */
export function checkHeaderDigests(pkg: RpmPackage): void {
  const sha256 = entryString(findEntry(pkg.signature, SIG_TAG.sha256));
  const sha1 = entryString(findEntry(pkg.signature, SIG_TAG.sha1));
  if (sha256 === undefined && sha1 === undefined) {
    throw new RpmDigestError(
      `${pkg.path}: the signature header has no header digest (tag 273 or 269), so nothing proves the header is the one rpmbuild wrote; rebuild the package with rpm 4.14 or later`,
      { path: pkg.path },
    );
  }
  for (const [name, algorithm, expected] of [
    ['SHA256 (tag 273)', 'sha256', sha256],
    ['SHA1 (tag 269)', 'sha1', sha1],
  ] as const) {
    if (expected === undefined) continue;
    const actual = createHash(algorithm).update(pkg.headerBytes).digest('hex');
    if (actual !== expected.toLowerCase()) {
      throw new RpmDigestError(
        `${pkg.path}: header digest mismatch: ${name} records ${expected} but the header hashes to ${actual}; the package was changed after it was built — rebuild it`,
        { path: pkg.path },
      );
    }
  }
}

// rpm's PGPHASHALGO numbers, as used in PAYLOADDIGESTALGO.
const HASH_NAMES: Readonly<Record<number, string>> = {
  1: 'md5',
  2: 'sha1',
  8: 'sha256',
  9: 'sha384',
  10: 'sha512',
};

export interface ExpectedDigest {
  readonly label: string;
  readonly algorithm: string;
  readonly expected: string;
}

/** The payload digest recorded in the main header, when it has one in an algorithm node knows. */
export function expectedPayloadDigest(pkg: RpmPackage): ExpectedDigest | undefined {
  const expected = entryString(findEntry(pkg.header, HEADER_TAG.payloadDigest));
  const algorithm = HASH_NAMES[entryNumber(findEntry(pkg.header, HEADER_TAG.payloadDigestAlgo)) ?? 8];
  if (expected === undefined || algorithm === undefined) return undefined;
  return {
    label: `payload ${algorithm.toUpperCase()} (tag 5092)`,
    algorithm,
    expected: expected.toLowerCase(),
  };
}

/** The legacy MD5 over header and payload (signature tag 1004), which rpmkeys still checks. */
export function expectedMd5(pkg: RpmPackage): ExpectedDigest | undefined {
  const entry = findEntry(pkg.signature, SIG_TAG.md5);
  if (entry?.data.length !== 16) return undefined;
  return { label: 'MD5 (tag 1004)', algorithm: 'md5', expected: entry.data.toString('hex') };
}

export function digestMismatch(pkg: RpmPackage, digest: ExpectedDigest, actual: string): RpmDigestError {
  return new RpmDigestError(
    `${pkg.path}: ${digest.label} digest mismatch: the package records ${digest.expected} but its bytes hash to ${actual}; the payload was changed or damaged after the package was built — rebuild it`,
    { path: pkg.path },
  );
}
