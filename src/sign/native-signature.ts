/**
 * Header signatures made with node:crypto from one key object kept for the signer's lifetime, for
 * RSA and legacy EdDSA (Ed25519) keys. openpgp.js imports the key anew for every signature, which
 * for RSA costs more than the signing itself; a batch of packages is dominated by it. The packet
 * written here is what rpm 4.18 and gpg expect of a v4 binary-document signature (RFC 4880 5.2.3):
 * SHA-256, a hashed creation time and issuer fingerprint, the issuer key id unhashed, nothing critical.
 */
import { createHash, createPrivateKey, type KeyObject, sign } from 'node:crypto';
import type * as openpgp from 'openpgp';

const SIGNATURE_V4 = 4;
const BINARY_DOCUMENT = 0x00;
const PUBKEY_RSA = 1;
const PUBKEY_EDDSA_LEGACY = 22;
const HASH_SHA256 = 8;

type KeyPacketWithParams = {
  publicParams: { n?: Uint8Array; e?: Uint8Array; Q?: Uint8Array };
  privateParams?: { d?: Uint8Array; p?: Uint8Array; q?: Uint8Array; u?: Uint8Array; seed?: Uint8Array };
  getFingerprintBytes(): Uint8Array | null;
  getKeyID(): openpgp.KeyID;
};

export type HeaderSignatureMaker = (data: Uint8Array) => Promise<Uint8Array>;

/** The public-key algorithm id and how to turn the signed bytes (and their digest) into its MPIs. */
interface NativeAlgorithm {
  id: number;
  sign(signed: Buffer, digest: Buffer): Promise<Buffer>;
}

type SignWith = (algorithm: string | null, data: Buffer, key: KeyObject) => Promise<Buffer>;

/**
 * crypto.sign with a callback: the private-key operation runs on libuv's thread pool, not on the
 * calling thread, so a few packages in flight keep several cores busy (an RSA-4096 signature is
 * about 5 ms of CPU, more than the rest of signing a small package) without starting worker threads,
 * which cost more than that to start. The pool is one per process (4 threads unless
 * UV_THREADPOOL_SIZE says otherwise): worker threads sign on their own thread instead.
 */
const onThreadPool: SignWith = (algorithm, data, key) =>
  new Promise((resolve, reject) =>
    sign(algorithm, data, key, (error, signature) => (error ? reject(error) : resolve(signature))),
  );
const onThisThread: SignWith = async (algorithm, data, key) => sign(algorithm, data, key);

export interface NativeSignerOptions {
  /** Sign on libuv's thread pool (the main thread) or on the calling thread (a signing worker). */
  readonly threadPool: boolean;
  readonly now?: () => Date;
}

/** A maker of signature packets for this signing (sub)key, or undefined for a key type it does not do. */
export function nativeHeaderSigner(
  signingKey: openpgp.PrivateKey | openpgp.Subkey,
  options: NativeSignerOptions,
): HeaderSignatureMaker | undefined {
  const now = options.now ?? (() => new Date());
  const packet = signingKey.keyPacket as unknown as KeyPacketWithParams;
  const fingerprint = packet.getFingerprintBytes();
  if (!packet.privateParams || !fingerprint || fingerprint.length !== 20) return undefined;
  const algorithm = nativeAlgorithm(signingKey, packet, options.threadPool ? onThreadPool : onThisThread);
  if (!algorithm) return undefined;
  const keyId = Buffer.from(packet.getKeyID().toHex(), 'hex');
  return (data) => signaturePacket(data, algorithm, fingerprint, keyId, now());
}

function nativeAlgorithm(
  signingKey: openpgp.PrivateKey | openpgp.Subkey,
  packet: KeyPacketWithParams,
  signAsync: SignWith,
): NativeAlgorithm | undefined {
  const { algorithm, curve } = signingKey.getAlgorithmInfo();
  const pub = packet.publicParams;
  const priv = packet.privateParams ?? {};
  if (
    (algorithm === 'rsaSign' || algorithm === 'rsaEncryptSign') &&
    pub.n &&
    pub.e &&
    priv.d &&
    priv.p &&
    priv.q &&
    priv.u
  ) {
    const key = rsaKeyObject({ n: pub.n, e: pub.e }, { d: priv.d, p: priv.p, q: priv.q, u: priv.u });
    return { id: PUBKEY_RSA, sign: async (signed) => mpi(await signAsync('sha256', signed, key)) };
  }
  // Legacy EdDSA signs the digest itself, not the data; Q is 0x40 followed by the 32-byte point.
  if (
    algorithm === 'eddsaLegacy' &&
    curve === 'ed25519Legacy' &&
    pub.Q?.length === 33 &&
    priv.seed?.length === 32
  ) {
    const key = createPrivateKey({
      format: 'jwk',
      key: {
        kty: 'OKP',
        crv: 'Ed25519',
        d: Buffer.from(priv.seed).toString('base64url'),
        x: Buffer.from(pub.Q.subarray(1)).toString('base64url'),
      },
    });
    return {
      id: PUBKEY_EDDSA_LEGACY,
      sign: async (_signed, digest) => {
        const rs = await signAsync(null, digest, key);
        return Buffer.concat([mpi(rs.subarray(0, 32)), mpi(rs.subarray(32))]);
      },
    };
  }
  return undefined;
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

async function signaturePacket(
  data: Uint8Array,
  algorithm: NativeAlgorithm,
  fingerprint: Uint8Array,
  keyId: Buffer,
  at: Date,
): Promise<Buffer> {
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
  head.writeUInt8(algorithm.id, 2);
  head.writeUInt8(HASH_SHA256, 3);
  head.writeUInt16BE(hashed.length, 4);
  const hashedPart = Buffer.concat([head, hashed]);
  const trailer = Buffer.alloc(6);
  trailer.writeUInt8(SIGNATURE_V4, 0);
  trailer.writeUInt8(0xff, 1);
  trailer.writeUInt32BE(hashedPart.length, 2);
  const signed = Buffer.concat([data, hashedPart, trailer]);
  const digest = createHash('sha256').update(signed).digest();
  const unhashedLength = Buffer.alloc(2);
  unhashedLength.writeUInt16BE(unhashed.length);
  const body = Buffer.concat([
    hashedPart,
    unhashedLength,
    unhashed,
    digest.subarray(0, 2),
    await algorithm.sign(signed, digest),
  ]);
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
