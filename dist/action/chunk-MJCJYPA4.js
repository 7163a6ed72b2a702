import { createRequire as __albsCreateRequire } from 'node:module'; const require = __albsCreateRequire(import.meta.url);
import {
  OpenpgpSigner,
  readKeyMaterial,
  readPassphraseFile,
  readVerificationKeys
} from "./chunk-4WGGEO7Q.js";
import {
  generateSigningKey
} from "./chunk-6OB7K25S.js";
import {
  createMessage,
  readSignature,
  verify
} from "./chunk-7J3E33TS.js";
import {
  COPY_CHUNK,
  SIG_TAG,
  checkHeaderDigests,
  checkPackageSize,
  digestMismatch,
  expectedMd5,
  expectedPayloadDigest,
  findEntry,
  packageLabel,
  readRpmPackage
} from "./chunk-ZQUDN2TT.js";
import {
  KEY_ENV,
  KEY_TYPES,
  PASSPHRASE_ENV
} from "./chunk-PMF7ABEB.js";
import {
  RepoMetadataError,
  RpmDigestError,
  RpmFormatError,
  SignError,
  SigningKeyError
} from "./chunk-H2ZUATAW.js";
import "./chunk-FXWFLUK2.js";

// src/sign/verify-rpm.ts
import { createHash } from "node:crypto";
import { open, stat } from "node:fs/promises";
async function verifyRpmFile(path, keys) {
  const problems = [];
  const signedBy = [];
  let pkg;
  let handle;
  try {
    const info = await stat(path);
    handle = await open(path, "r");
    pkg = await readRpmPackage(handle, path, info.size);
  } catch (error) {
    await handle?.close();
    const message = error instanceof Error ? error.message : String(error);
    return { path, ok: false, package: void 0, signedBy, problems: [message] };
  }
  try {
    for (const check of [checkPackageSize, checkHeaderDigests]) {
      try {
        check(pkg);
      } catch (error) {
        problems.push(error.message);
      }
    }
    problems.push(...await checkStreamDigests(pkg, handle));
  } finally {
    await handle.close();
  }
  const signatures = [SIG_TAG.rsa, SIG_TAG.dsa].flatMap((tag) => {
    const entry = findEntry(pkg.signature, tag);
    return entry ? [{ tag, packet: entry.data }] : [];
  });
  if (signatures.length === 0) {
    problems.push(
      `${path}: not signed: no OpenPGP header signature (tag 268 or 267); sign it with \`albs sign rpm\``
    );
  }
  for (const { tag, packet } of signatures) {
    const result = await verifyHeaderSignature(pkg.headerBytes, packet, keys);
    if (result.ok) signedBy.push(result.keyId);
    else problems.push(`${path}: bad header signature (tag ${tag}): ${result.reason}`);
  }
  return { path, ok: problems.length === 0, package: packageLabel(pkg), signedBy, problems };
}
async function checkStreamDigests(pkg, handle) {
  const payload = expectedPayloadDigest(pkg);
  const md5 = expectedMd5(pkg);
  const runs = [];
  if (payload) runs.push({ digest: payload, hash: createHash(payload.algorithm), from: pkg.payloadOffset });
  if (md5) runs.push({ digest: md5, hash: createHash("md5"), from: pkg.header.offset });
  if (runs.length === 0) return [];
  const feed = (data, at) => {
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
    const actual = run.hash.digest("hex");
    return actual === run.digest.expected ? [] : [digestMismatch(pkg, run.digest, actual).message];
  });
}
async function verifyHeaderSignature(header, packet, keys) {
  let signature;
  try {
    signature = await readSignature({ binarySignature: packet });
  } catch (error) {
    return { ok: false, reason: `not an OpenPGP signature (${error.message})` };
  }
  if (signature.packets.length !== 1) {
    return { ok: false, reason: `${signature.packets.length} signature packets, rpm accepts exactly one` };
  }
  const issuer = signature.getSigningKeyIDs()[0]?.toHex().toUpperCase() ?? "unknown";
  const known = keys.some((key) => key.getKeys().some((k) => k.getKeyID().toHex().toUpperCase() === issuer));
  if (!known) return { ok: false, reason: `made by key ${issuer}, which is not among the given keys` };
  try {
    const message = await createMessage({ binary: header });
    const { signatures } = await verify({
      message,
      signature,
      verificationKeys: [...keys],
      format: "binary"
    });
    const [first] = signatures;
    if (!first) return { ok: false, reason: "no signature found" };
    await first.verified;
    return { ok: true, keyId: first.keyID.toHex().toUpperCase() };
  } catch (error) {
    return {
      ok: false,
      reason: `key ${issuer} does not verify it (${error.message.split("\n", 1)[0]})`
    };
  }
}
export {
  KEY_ENV,
  KEY_TYPES,
  OpenpgpSigner,
  PASSPHRASE_ENV,
  RepoMetadataError,
  RpmDigestError,
  RpmFormatError,
  SignError,
  SigningKeyError,
  generateSigningKey,
  readKeyMaterial,
  readPassphraseFile,
  readVerificationKeys,
  verifyRpmFile
};
