/**
 * RSA header signatures made with node:crypto from one key object kept for the signer's lifetime.
 * openpgp.js imports the RSA key anew for every signature, which costs more than the RSA operation
 * itself; signing a batch of packages is dominated by it. The packet written here is what rpm 4.18
 * and gpg expect of a v4 binary-document signature (RFC 4880 5.2.3): SHA-256, a hashed creation time
 * and issuer fingerprint, the issuer key id unhashed, nothing critical.
 */
import { createHash, createPrivateKey, type KeyObject, sign } from 'node:crypto';
import type * as openpgp from 'openpgp';

const SIGNATURE_V4 = 4;
const BINARY_DOCUMENT = 0x00;
const PUBKEY_RSA = 1;
const HASH_SHA256 = 8;

type KeyPacketWithParams = {
  publicParams: { n: Uint8Array; e: Uint8Array };
  privateParams?: { d: Uint8Array; p: Uint8Array; q: Uint8Array; u: Uint8Array };
  getFingerprintBytes(): Uint8Array | null;
  getKeyID(): openpgp.KeyID;
};

export type HeaderSignatureMaker = (data: Uint8Array) => Uint8Array;

/** A maker of RSA signature packets for this signing (sub)key, or undefined for a key that is not RSA. */
export function nativeRsaSigner(
  signingKey: openpgp.PrivateKey | openpgp.Subkey,
  now: () => Date = () => new Date(),
): HeaderSignatureMaker | undefined {
  const { algorithm } = signingKey.getAlgorithmInfo();
  if (algorithm !== 'rsaSign' && algorithm !== 'rsaEncryptSign') return undefined;
  const packet = signingKey.keyPacket as unknown as KeyPacketWithParams;
  const fingerprint = packet.getFingerprintBytes();
  if (!packet.privateParams || !fingerprint || fingerprint.length !== 20) return undefined;
  const key = rsaKeyObject(packet.publicParams, packet.privateParams);
  const keyId = Buffer.from(packet.getKeyID().toHex(), 'hex');
  return (data) => signaturePacket(data, key, fingerprint, keyId, now());
}

/**
 * OpenPGP keeps p < q and u = p⁻¹ mod q; a JWK wants qi = q⁻¹ mod p. With p and q swapped the two
 * coincide, and only the CRT exponents need computing.
 */
function rsaKeyObject(
  pub: { n: Uint8Array; e: Uint8Array },
  priv: { d: Uint8Array; p: Uint8Array; q: Uint8Array; u: Uint8Array },
): KeyObject {
  const big = (bytes: Uint8Array) => BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
  const b64 = (value: bigint | Uint8Array) => {
    if (typeof value !== 'bigint') return Buffer.from(value).toString('base64url');
    let hex = value.toString(16);
    if (hex.length % 2) hex = `0${hex}`;
    return Buffer.from(hex, 'hex').toString('base64url');
  };
  const d = big(priv.d);
  const p = big(priv.q);
  const q = big(priv.p);
  return createPrivateKey({
    format: 'jwk',
    key: {
      kty: 'RSA',
      n: b64(pub.n),
      e: b64(pub.e),
      d: b64(priv.d),
      p: b64(p),
      q: b64(q),
      dp: b64(d % (p - 1n)),
      dq: b64(d % (q - 1n)),
      qi: b64(priv.u),
    },
  });
}

function subpacket(type: number, body: Uint8Array): Buffer {
  // Every subpacket here is shorter than 192 bytes: a one-octet length (type included).
  return Buffer.concat([Buffer.from([body.length + 1, type]), body]);
}

function signaturePacket(
  data: Uint8Array,
  key: KeyObject,
  fingerprint: Uint8Array,
  keyId: Buffer,
  at: Date,
): Buffer {
  const created = Buffer.alloc(4);
  created.writeUInt32BE(Math.floor(at.getTime() / 1000));
  const hashed = Buffer.concat([
    subpacket(2, created),
    subpacket(33, Buffer.concat([Buffer.from([4]), fingerprint])),
  ]);
  const unhashed = subpacket(16, keyId);
  const head = Buffer.alloc(6);
  head.writeUInt8(SIGNATURE_V4, 0);
  head.writeUInt8(BINARY_DOCUMENT, 1);
  head.writeUInt8(PUBKEY_RSA, 2);
  head.writeUInt8(HASH_SHA256, 3);
  head.writeUInt16BE(hashed.length, 4);
  const hashedPart = Buffer.concat([head, hashed]);
  const trailer = Buffer.alloc(6);
  trailer.writeUInt8(SIGNATURE_V4, 0);
  trailer.writeUInt8(0xff, 1);
  trailer.writeUInt32BE(hashedPart.length, 2);
  const signed = Buffer.concat([data, hashedPart, trailer]);
  const digest = createHash('sha256').update(signed).digest();
  const rsa = sign('sha256', signed, key);
  const unhashedLength = Buffer.alloc(2);
  unhashedLength.writeUInt16BE(unhashed.length);
  const body = Buffer.concat([hashedPart, unhashedLength, unhashed, digest.subarray(0, 2), mpi(rsa)]);
  return Buffer.concat([packetHeader(2, body.length), body]);
}

function mpi(value: Buffer): Buffer {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  const bytes = value.subarray(start);
  const bits = (bytes.length - 1) * 8 + (32 - Math.clz32(bytes[0] ?? 0));
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bits);
  return Buffer.concat([length, bytes]);
}

/** A new-format packet header (RFC 4880 4.2.2). */
function packetHeader(tag: number, length: number): Buffer {
  const first = 0xc0 | tag;
  if (length < 192) return Buffer.from([first, length]);
  if (length < 8384) {
    const l = length - 192;
    return Buffer.from([first, (l >> 8) + 192, l & 0xff]);
  }
  const out = Buffer.alloc(6);
  out.writeUInt8(first, 0);
  out.writeUInt8(0xff, 1);
  out.writeUInt32BE(length, 2);
  return out;
}
