/**
 * Verifies an RPM natively, checking what `rpmkeys --checksig` checks at `_pkgverify_level signature`:
 * the recorded size, the header digests, the payload and MD5 digests, and an OpenPGP header signature
 * (tag 268 or 267) made by one of the given keys. A package without such a signature fails.
 */
import { createHash, type Hash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import * as openpgp from 'openpgp';
import { findEntry, SIG_TAG } from './rpm-header.js';
import {
  COPY_CHUNK,
  checkHeaderDigests,
  checkPackageSize,
  digestMismatch,
  type ExpectedDigest,
  expectedMd5,
  expectedPayloadDigest,
  packageLabel,
  type RpmPackage,
  readRpmPackage,
} from './rpm-package.js';

export interface RpmVerification {
  readonly path: string;
  readonly ok: boolean;
  /** name-version-release.arch, when the header could be read. */
  readonly package: string | undefined;
  /** Key id (upper-case hex) of each good signature. */
  readonly signedBy: readonly string[];
  /** What failed, one sentence each; empty when ok. */
  readonly problems: readonly string[];
}

export async function verifyRpmFile(
  path: string,
  keys: readonly openpgp.PublicKey[],
): Promise<RpmVerification> {
  const problems: string[] = [];
  const signedBy: string[] = [];
  let pkg: RpmPackage;
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    const info = await stat(path);
    handle = await open(path, 'r');
    pkg = await readRpmPackage(handle, path, info.size);
  } catch (error) {
    await handle?.close();
    const message = error instanceof Error ? error.message : String(error);
    return { path, ok: false, package: undefined, signedBy, problems: [message] };
  }
  try {
    for (const check of [checkPackageSize, checkHeaderDigests]) {
      try {
        check(pkg);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    problems.push(...(await checkStreamDigests(pkg, handle)));
  } finally {
    await handle.close();
  }

  const signatures = [SIG_TAG.rsa, SIG_TAG.dsa].flatMap((tag) => {
    const entry = findEntry(pkg.signature, tag);
    return entry ? [{ tag, packet: entry.data }] : [];
  });
  if (signatures.length === 0) {
    problems.push(
      `${path}: not signed: no OpenPGP header signature (tag 268 or 267); sign it with \`albs sign rpm\``,
    );
  }
  for (const { tag, packet } of signatures) {
    const result = await verifyHeaderSignature(pkg.headerBytes, packet, keys);
    if (result.ok) signedBy.push(result.keyId);
    else problems.push(`${path}: bad header signature (tag ${tag}): ${result.reason}`);
  }
  return { path, ok: problems.length === 0, package: packageLabel(pkg), signedBy, problems };
}

async function checkStreamDigests(
  pkg: RpmPackage,
  handle: Awaited<ReturnType<typeof open>>,
): Promise<string[]> {
  const payload = expectedPayloadDigest(pkg);
  const md5 = expectedMd5(pkg);
  const runs: { digest: ExpectedDigest; hash: Hash; from: number }[] = [];
  if (payload) runs.push({ digest: payload, hash: createHash(payload.algorithm), from: pkg.payloadOffset });
  if (md5) runs.push({ digest: md5, hash: createHash('md5'), from: pkg.header.offset });
  if (runs.length === 0) return [];

  const feed = (data: Buffer, at: number) => {
    for (const run of runs) {
      if (at + data.length > run.from) run.hash.update(data.subarray(Math.max(0, run.from - at)));
    }
  };
  feed(pkg.head, 0);
  const chunk = Buffer.alloc(COPY_CHUNK);
  for (let position = pkg.head.length; position < pkg.fileSize; ) {
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
    if (bytesRead === 0) break;
    feed(chunk.subarray(0, bytesRead), position);
    position += bytesRead;
  }
  return runs.flatMap((run) => {
    const actual = run.hash.digest('hex');
    return actual === run.digest.expected ? [] : [digestMismatch(pkg, run.digest, actual).message];
  });
}

type SignatureCheck = { ok: true; keyId: string } | { ok: false; reason: string };

async function verifyHeaderSignature(
  header: Uint8Array,
  packet: Uint8Array,
  keys: readonly openpgp.PublicKey[],
): Promise<SignatureCheck> {
  let signature: openpgp.Signature;
  try {
    signature = await openpgp.readSignature({ binarySignature: packet });
  } catch (error) {
    return { ok: false, reason: `not an OpenPGP signature (${(error as Error).message})` };
  }
  // rpm reads exactly one signature packet; a second one would be ignored by it and must not count here.
  if (signature.packets.length !== 1) {
    return { ok: false, reason: `${signature.packets.length} signature packets, rpm accepts exactly one` };
  }
  const issuer = signature.getSigningKeyIDs()[0]?.toHex().toUpperCase() ?? 'unknown';
  const known = keys.some((key) => key.getKeys().some((k) => k.getKeyID().toHex().toUpperCase() === issuer));
  if (!known) return { ok: false, reason: `made by key ${issuer}, which is not among the given keys` };
  try {
    const message = await openpgp.createMessage({ binary: header });
    const { signatures } = await openpgp.verify({
      message,
      signature,
      verificationKeys: [...keys],
      format: 'binary',
    });
    const [first] = signatures;
    if (!first) return { ok: false, reason: 'no signature found' };
    await first.verified;
    return { ok: true, keyId: first.keyID.toHex().toUpperCase() };
  } catch (error) {
    return {
      ok: false,
      reason: `key ${issuer} does not verify it (${(error as Error).message.split('\n', 1)[0]})`,
    };
  }
}
