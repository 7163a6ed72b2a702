/**
 * Puts an OpenPGP header signature into an RPM the way rpmsign 4.18 does: one tag (268 RSA, 267
 * DSA/EdDSA) holding a binary v4 signature over the main header bytes, every older signature removed,
 * and RESERVEDSPACE (tag 1008) shrunk by what the signature takes so the file keeps its size. When the
 * package has no reserved space, or the signature does not fit, the signature header grows instead.
 *
 * The package is checked first (structure, recorded size, header digests, payload digest while it is
 * copied) and the new file replaces the old one by rename: a refused or failed package is untouched.
 */
import { createHash } from 'node:crypto';
import { open, realpath, stat } from 'node:fs/promises';
import { replaceFileAtomically } from '../store/atomic-write.js';
import { RpmFormatError, SignError } from './errors.js';
import {
  type HeaderEntry,
  MAX_SIGNATURE_TAGS,
  SIG_TAG,
  SIGNATURE_TAGS,
  serializedHeaderLength,
  serializeHeader,
  signaturePadding,
  TAG_TYPE,
} from './rpm-header.js';
import {
  COPY_CHUNK,
  checkHeaderDigests,
  checkPackageSize,
  digestMismatch,
  expectedPayloadDigest,
  LEAD_SIZE,
  packageLabel,
  type RpmPackage,
  readRpmPackage,
} from './rpm-package.js';

/** What signing an RPM needs from a key. */
export interface RpmHeaderSigner {
  /** 268 for RSA keys, 267 for DSA and EdDSA keys. */
  readonly rpmTag: 267 | 268;
  /** Exactly one binary v4 OpenPGP signature packet (type 0x00) over `header`. */
  signHeader(header: Uint8Array): Promise<Uint8Array>;
}

export interface SignRpmResult {
  readonly path: string;
  /** name-version-release.arch from the header. */
  readonly package: string;
  /** `reserved-space`: the signature took reserved space and the size is unchanged; `rewritten`: it did not fit. */
  readonly layout: 'reserved-space' | 'rewritten';
  readonly sizeBefore: number;
  readonly sizeAfter: number;
  /** Signature tags the package had before, now replaced. */
  readonly replaced: readonly number[];
}

export async function signRpmFile(path: string, signer: RpmHeaderSigner): Promise<SignRpmResult> {
  // Sign the file a symlink points to, and replace that file, not the link.
  const target = await realpath(path).catch((error: NodeJS.ErrnoException) => {
    throw new SignError(`${path}: cannot open the package (${error.code ?? error.message}); check the path`, {
      path,
      cause: error,
    });
  });
  const info = await stat(target);
  if (!info.isFile()) {
    throw new SignError(`${path}: not a regular file; pass .rpm files`, { path });
  }
  const handle = await open(target, 'r');
  try {
    const pkg = await readRpmPackage(handle, path, info.size);
    checkPackageSize(pkg);
    checkHeaderDigests(pkg);
    const packet = await signer.signHeader(pkg.headerBytes);
    const { signatureHeader, layout, replaced } = newSignatureHeader(pkg, signer.rpmTag, Buffer.from(packet));
    const padding = Buffer.alloc(signaturePadding(signatureHeader.length));
    const payloadDigest = expectedPayloadDigest(pkg);
    const hash = payloadDigest ? createHash(payloadDigest.algorithm) : undefined;

    await replaceFileAtomically(
      target,
      info.mode,
      async (out) => {
        const fromHead = pkg.head.subarray(pkg.header.offset);
        hash?.update(pkg.head.subarray(pkg.payloadOffset));
        await out.writev([pkg.head.subarray(0, LEAD_SIZE), signatureHeader, padding, fromHead]);
        const chunk = Buffer.alloc(Math.min(COPY_CHUNK, Math.max(0, info.size - pkg.head.length)));
        for (let position = pkg.head.length; position < info.size; ) {
          const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
          if (bytesRead === 0) break;
          const data = chunk.subarray(0, bytesRead);
          hash?.update(data);
          await out.write(data);
          position += bytesRead;
        }
        if (hash && payloadDigest) {
          const actual = hash.digest('hex');
          if (actual !== payloadDigest.expected) throw digestMismatch(pkg, payloadDigest, actual);
        }
      },
      { uid: info.uid, gid: info.gid },
    );
    const sizeAfter = info.size - (pkg.header.offset - LEAD_SIZE) + signatureHeader.length + padding.length;
    return { path, package: packageLabel(pkg), layout, sizeBefore: info.size, sizeAfter, replaced };
  } finally {
    await handle.close();
  }
}

interface NewSignatureHeader {
  signatureHeader: Buffer;
  layout: SignRpmResult['layout'];
  replaced: number[];
}

/** The signature header with `packet` in place of any earlier signature, sized as rpmsign sizes it. */
export function newSignatureHeader(pkg: RpmPackage, tag: number, packet: Buffer): NewSignatureHeader {
  const old = pkg.signature;
  const replaced = old.entries.filter((e) => SIGNATURE_TAGS.includes(e.tag)).map((e) => e.tag);
  const kept = old.entries.filter((e) => !SIGNATURE_TAGS.includes(e.tag) && e.tag !== SIG_TAG.reservedSpace);
  const reserved = old.entries.find((e) => e.tag === SIG_TAG.reservedSpace);
  const entries: HeaderEntry[] = [...kept, { tag, type: TAG_TYPE.bin, count: packet.length, data: packet }];
  const regionTag = SIG_TAG.headerSignatures;
  // The region entry counts too; rpm refuses a signature header with more tags.
  if (entries.length + 1 > MAX_SIGNATURE_TAGS) {
    throw new RpmFormatError(
      `${pkg.path}: the signature header already has ${old.entries.length + 1} tags; with a signature it would exceed rpm's limit of ${MAX_SIGNATURE_TAGS} — rebuild the package`,
      { path: pkg.path },
    );
  }

  if (reserved) {
    const reservedEntry = (size: number): HeaderEntry => ({
      tag: SIG_TAG.reservedSpace,
      type: TAG_TYPE.bin,
      count: size,
      data: Buffer.alloc(size),
    });
    // The reserved bytes have alignment 1, so one byte more of them is one byte more of header, unless
    // a tag sorted after them needs alignment; then the estimate is off and the rewrite path is taken.
    const withOneByte = serializedHeaderLength([...entries, reservedEntry(1)]);
    const size = 1 + old.length - withOneByte;
    if (size >= 1 && serializedHeaderLength([...entries, reservedEntry(size)]) === old.length) {
      return {
        signatureHeader: serializeHeader(regionTag, [...entries, reservedEntry(size)]),
        layout: 'reserved-space',
        replaced,
      };
    }
    entries.push(reserved);
  }
  return { signatureHeader: serializeHeader(regionTag, entries), layout: 'rewritten', replaced };
}
