/**
 * The `Signer` on openpgp.js: no gpg, no agent, the key unlocked in this process only. Many packages
 * are signed on worker threads, each unlocking its own copy of the key from memory.
 */
import * as openpgp from 'openpgp';
import { type KeyMaterial, type SigningKeyInfo, type UnlockedKey, unlockKey } from './load-key.js';
import { type HeaderSignatureMaker, nativeHeaderSigner } from './native-signature.js';
import { signRepoMetadata } from './repo-metadata.js';
import { SignPool } from './sign-pool.js';
import { type RpmHeaderSigner, type SignRpmResult, signRpmFile } from './sign-rpm.js';
import type { RepoMetadataTarget, Signer, SignRpmOutcome, SignRpmsOptions } from './signer.js';

export interface OpenpgpSignerOptions {
  /**
   * Threads that sign packages at once, this one included; 1 signs on this thread only. Usually
   * `os.availableParallelism()`. Worker threads need the compiled sign-worker.js beside this file.
   */
  readonly threads: number;
  /**
   * Where RSA and Ed25519 header signatures are computed: false on this thread, for a signing worker
   * (itself one of the threads signing); else on libuv's thread pool (see native-signature.ts).
   */
  readonly threadPool?: boolean | undefined;
  /** Where to say what was signed; pino loggers fit. Only public facts are logged, never key material. */
  readonly log?: SignLog | undefined;
}

/** The part of a pino logger the signer uses. */
export interface SignLog {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

const silent: SignLog = { debug() {}, info() {}, warn() {} };

/** Fewer packages than this are signed on this thread: starting workers would cost more than it saves. */
const MIN_PACKAGES_FOR_WORKERS = 4;

export class OpenpgpSigner implements Signer, RpmHeaderSigner {
  private pool: SignPool | undefined;
  private closed = false;

  private constructor(
    private readonly unlocked: UnlockedKey,
    private readonly material: KeyMaterial,
    private readonly threads: number,
    private readonly log: SignLog,
    /** Header signatures straight from node:crypto (see native-signature.ts); undefined for other keys. */
    private readonly nativeHeaderSigner: HeaderSignatureMaker | undefined,
  ) {}

  /** Unlocks the key; rejects with a `SigningKeyError` when it cannot make signatures rpm 4.18 accepts. */
  static async create(material: KeyMaterial, options: OpenpgpSignerOptions): Promise<OpenpgpSigner> {
    const unlocked = await unlockKey(material);
    const log = options.log ?? silent;
    const { fingerprint, keyId, algorithm, bits } = unlocked.info;
    log.info({ origin: material.origin, fingerprint, keyId, algorithm, bits }, 'signing key unlocked');
    const signingKey = await unlocked.privateKey.getSigningKey(unlocked.signingKeyId);
    const threads = Math.max(1, Math.floor(options.threads));
    const native = nativeHeaderSigner(signingKey, { threadPool: options.threadPool ?? true });
    return new OpenpgpSigner(unlocked, material, threads, log, native);
  }

  get key(): SigningKeyInfo {
    return this.unlocked.info;
  }

  get rpmTag(): 267 | 268 {
    return this.unlocked.info.rpmTag;
  }

  signDetached(data: Uint8Array, format: 'armored'): Promise<string>;
  signDetached(data: Uint8Array, format?: 'binary'): Promise<Uint8Array>;
  async signDetached(
    data: Uint8Array,
    format: 'armored' | 'binary' = 'binary',
  ): Promise<string | Uint8Array> {
    const message = await openpgp.createMessage({ binary: data });
    const options = {
      message,
      signingKeys: this.unlocked.privateKey,
      // Pin the (sub)key checked at unlock time; rpm wants exactly one signature.
      signingKeyIDs: this.unlocked.signingKeyId,
      detached: true,
    };
    return format === 'armored'
      ? openpgp.sign({ ...options, format: 'armored' })
      : openpgp.sign({ ...options, format: 'binary' });
  }

  async signHeader(header: Uint8Array): Promise<Uint8Array> {
    if (this.nativeHeaderSigner) return this.nativeHeaderSigner(header);
    return this.signDetached(header, 'binary');
  }

  async signCleartext(text: string): Promise<string> {
    const message = await openpgp.createCleartextMessage({ text });
    const signed = await openpgp.sign({
      message,
      signingKeys: this.unlocked.privateKey,
      signingKeyIDs: this.unlocked.signingKeyId,
    });
    // openpgp.js writes the text with CRLF line ends; apt's parser would keep the CRs in field values.
    // The signature covers canonical (CRLF) text whatever the file uses, so LF verifies the same.
    return signed.replaceAll('\r\n', '\n');
  }

  async signRpm(path: string): Promise<SignRpmResult> {
    try {
      const result = await signRpmFile(path, this);
      this.logOutcome({ path, ok: true, result });
      return result;
    } catch (error) {
      this.logOutcome({ path, ok: false, error: error as Error });
      throw error;
    }
  }

  async signRpms(paths: readonly string[], options: SignRpmsOptions = {}): Promise<SignRpmOutcome[]> {
    const workers =
      paths.length < MIN_PACKAGES_FOR_WORKERS ? 0 : Math.min(this.threads - 1, paths.length - 1);
    if (this.closed) throw new Error('OpenpgpSigner used after close()');
    this.pool ??= new SignPool(this.material, this.threads - 1);
    const started = performance.now();
    const outcomes = await this.pool.run(
      paths,
      workers,
      (path) => signRpmFile(path, this),
      (outcome) => {
        this.logOutcome(outcome);
        options.onOutcome?.(outcome);
      },
    );
    const signed = outcomes.filter((o) => o.ok).length;
    const ms = Math.round(performance.now() - started);
    const threads = this.pool.workerCount + 1;
    this.log.info({ signed, refused: outcomes.length - signed, threads, ms }, 'packages signed');
    return outcomes;
  }

  private logOutcome(outcome: SignRpmOutcome): void {
    if (outcome.ok) {
      const { path, package: pkg, layout } = outcome.result;
      this.log.debug({ path, package: pkg, layout, keyId: this.key.keyId }, 'package signed');
    } else {
      this.log.warn({ path: outcome.path, error: outcome.error.message }, 'package not signed');
    }
  }

  async signRepoMetadata(target: RepoMetadataTarget): Promise<string[]> {
    const written = await signRepoMetadata(this, target);
    this.log.info({ ...target, written, keyId: this.key.keyId }, 'repository metadata signed');
    return written;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.pool?.close();
    this.pool = undefined;
  }
}
