import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';
import * as openpgp from 'openpgp';
import { SigningKeyError } from '../sign/errors.js';
import { signRepoMetadata } from '../sign/repo-metadata.js';
import type { Signer, SigningKeyInfo } from '../sign/signer.js';

/** The request job the server puts on `albs:sign` to have repository metadata signed. */
export const SIGN_METADATA = 'sign-metadata';

export type SignMetadataRequest = (
  | { key: string; op: 'detached'; data: string /* base64 */ }
  | { key: string; op: 'cleartext'; text: string }
) & {
  /**
   * By signer NAME: HMAC-SHA256 of the request under that signer's token. Runners can write to
   * Redis (BullMQ needs it), so a request on albs:sign proves it comes from the server this way:
   * only the server and each signer know a signer's token.
   */
  macs?: Record<string, string>;
};

/** What a request's MAC covers: the key, the operation and the digest of what is to be signed. */
function macInput(request: SignMetadataRequest): string {
  const payload = request.op === 'detached' ? Buffer.from(request.data, 'base64') : Buffer.from(request.text);
  return `${request.key}\n${request.op}\n${createHash('sha256').update(payload).digest('hex')}`;
}

export function signRequestMac(request: SignMetadataRequest, token: string): string {
  return createHmac('sha256', token).update(macInput(request)).digest('hex');
}

/** For the signer: true when the request carries a MAC by this signer's token, made by the server. */
export function requestFromServer(request: SignMetadataRequest, name: string, token: string): boolean {
  const mac = request.macs?.[name];
  if (typeof mac !== 'string') return false;
  const expected = Buffer.from(signRequestMac(request, token), 'hex');
  const given = Buffer.from(mac, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export type SignMetadataReply = { signature: string } | { message: string };

/** A signing key the signer published to the server (public facts only), by NAME. */
export type PublishedKey = SigningKeyInfo & { name: string };

/**
 * The keys of a farm, as the server sees them: it holds none. A key's public facts are what the
 * signer published (`<prefix>:signing-keys`, written by the server's runner API); signing
 * repository metadata is a `sign-metadata` request to the signer, and the server verifies every
 * signature it gets back against that public key before it writes it.
 */
export class RemoteKeyRing {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly request: (data: SignMetadataRequest) => Promise<unknown>,
    /** The signers of runner-tokens-file: each request carries a MAC for each. */
    private readonly signers: () => { name: string; token: string }[],
  ) {}

  private get key(): string {
    return `${this.prefix}:signing-keys`;
  }

  async publish(keys: readonly PublishedKey[]): Promise<void> {
    if (keys.length === 0) return;
    await this.redis.hset(this.key, Object.fromEntries(keys.map((k) => [k.name, JSON.stringify(k)])));
  }

  async info(name: string): Promise<PublishedKey> {
    const text = await this.redis.hget(this.key, name);
    if (text === null) {
      throw new SigningKeyError(
        `sign.key "${name}": no signer of this farm has the key "${name}"; start albs signer with --keys-dir holding ${name}.asc`,
      );
    }
    return JSON.parse(text) as PublishedKey;
  }

  async publicKey(name: string): Promise<string> {
    return (await this.info(name)).publicKeyArmored;
  }

  async signer(name: string): Promise<Signer> {
    const info = await this.info(name);
    const verificationKeys = await openpgp.readKey({ armoredKey: info.publicKeyArmored });
    const ask = (data: SignMetadataRequest) =>
      this.request({
        ...data,
        macs: Object.fromEntries(this.signers().map((s) => [s.name, signRequestMac(data, s.token)])),
      });
    const refuse = (what: string): never => {
      throw new SigningKeyError(`${what} happens on the signer (albs signer), never on the server`);
    };
    const signer: Signer = {
      key: info,
      signDetached: (async (data: Uint8Array, format: 'armored' | 'binary' = 'binary') => {
        const reply = (await ask({
          key: name,
          op: 'detached',
          data: Buffer.from(data).toString('base64'),
        })) as {
          signature?: unknown;
        };
        if (typeof reply?.signature !== 'string') throw new Error('the signer answered without a signature');
        const signature = await openpgp.readSignature({ armoredSignature: reply.signature });
        const message = await openpgp.createMessage({ binary: data });
        const result = await openpgp.verify({ message, signature, verificationKeys, expectSigned: true });
        await result.signatures[0]?.verified;
        return format === 'armored' ? reply.signature : signature.write();
      }) as Signer['signDetached'],
      signCleartext: async (text: string) => {
        const reply = (await ask({ key: name, op: 'cleartext', text })) as { message?: unknown };
        if (typeof reply?.message !== 'string')
          throw new Error('the signer answered without a signed message');
        const message = await openpgp.readCleartextMessage({ cleartextMessage: reply.message });
        const result = await openpgp.verify({ message, verificationKeys, expectSigned: true });
        await result.signatures[0]?.verified;
        if (normalise(String(result.data)) !== normalise(text))
          throw new Error('the signer signed a different text than the one sent');
        return reply.message;
      },
      signRpm: async () => refuse('signing a package'),
      signRpms: async () => refuse('signing packages'),
      signRepoMetadata: (target) => signRepoMetadata(signer, target),
      close: async () => {},
    };
    return signer;
  }
}

/** Cleartext signatures cover the text with trailing whitespace cut from each line and CRLF line ends. */
function normalise(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/\n+$/, '');
}
