import { createRequire as __albsCreateRequire } from 'node:module'; const require = __albsCreateRequire(import.meta.url);
import {
  createCleartextMessage,
  createMessage,
  decryptKey,
  readKeys,
  readPrivateKeys,
  sign
} from "./chunk-7J3E33TS.js";
import {
  COPY_CHUNK,
  LEAD_SIZE,
  MAX_SIGNATURE_TAGS,
  SIGNATURE_TAGS,
  SIG_TAG,
  TAG_TYPE,
  checkHeaderDigests,
  checkPackageSize,
  digestMismatch,
  expectedPayloadDigest,
  packageLabel,
  readRpmPackage,
  serializeHeader,
  serializedHeaderLength,
  signaturePadding
} from "./chunk-ZQUDN2TT.js";
import {
  KEY_ENV,
  PASSPHRASE_ENV
} from "./chunk-PMF7ABEB.js";
import {
  RepoMetadataError,
  RpmFormatError,
  SignError,
  SigningKeyError,
  replaceFileAtomically,
  restoreSignError,
  writeFileAtomically
} from "./chunk-H2ZUATAW.js";

// src/sign/load-key.ts
import { readFile } from "node:fs/promises";
async function readKeyMaterial(options, env) {
  let armoredKey;
  let origin;
  if (options.keyFile !== void 0) {
    origin = options.keyFile;
    armoredKey = await readFile(options.keyFile, "utf8").catch((error) => {
      throw new SigningKeyError(
        `${options.keyFile}: cannot read the signing key (${error.code ?? error.message}); check --key`,
        { path: options.keyFile, cause: error }
      );
    });
  } else if (env[KEY_ENV]) {
    origin = `$${KEY_ENV}`;
    armoredKey = env[KEY_ENV];
  } else {
    throw new SigningKeyError(
      `no signing key: pass --key FILE or set ${KEY_ENV} to the armored private key (albs keygen makes one)`
    );
  }
  let passphrase;
  let passphraseOrigin;
  if (options.passphraseFile !== void 0) {
    passphraseOrigin = options.passphraseFile;
    passphrase = await readPassphraseFile(options.passphraseFile);
  } else if (env[PASSPHRASE_ENV] !== void 0) {
    passphraseOrigin = `$${PASSPHRASE_ENV}`;
    passphrase = env[PASSPHRASE_ENV];
  }
  return { armoredKey, passphrase, origin, passphraseOrigin };
}
async function readPassphraseFile(file) {
  const text = await readFile(file, "utf8").catch((error) => {
    throw new SigningKeyError(`${file}: cannot read the passphrase file (${error.code ?? error.message})`, {
      path: file,
      cause: error
    });
  });
  const passphrase = text.split(/\r?\n/, 1)[0] ?? "";
  if (passphrase === "") {
    throw new SigningKeyError(`${file}: the passphrase file is empty; put the passphrase on its first line`, {
      path: file
    });
  }
  return passphrase;
}
var PRIVATE_ARMOR = "-----BEGIN PGP PRIVATE KEY BLOCK-----";
var PUBLIC_ARMOR = "-----BEGIN PGP PUBLIC KEY BLOCK-----";
async function unlockKey(material) {
  const { origin } = material;
  const fail = (message, cause) => new SigningKeyError(`${origin}: ${message}`, {
    path: origin.startsWith("$") ? void 0 : origin,
    cause
  });
  if (!material.armoredKey.includes(PRIVATE_ARMOR)) {
    if (material.armoredKey.includes(PUBLIC_ARMOR)) {
      throw fail("this is a public key, which cannot sign; pass the private key (signing-key.asc)");
    }
    throw fail(
      `not an armored OpenPGP private key (no "${PRIVATE_ARMOR}" line); export one with \`gpg --armor --export-secret-keys KEYID\` or make one with \`albs keygen\``
    );
  }
  let keys;
  try {
    keys = await readPrivateKeys({ armoredKeys: material.armoredKey });
  } catch (error) {
    throw fail(`cannot parse the private key (${describe(error)}); export it again`, error);
  }
  const [first, ...more] = keys;
  if (!first) throw fail("the key block holds no key; export it again");
  if (more.length > 0) {
    throw fail(`the key block holds ${keys.length} keys; export only the one that signs`);
  }
  let privateKey = first;
  if (!privateKey.isDecrypted()) {
    if (material.passphrase === void 0) {
      throw fail(
        `the key is protected by a passphrase: pass --passphrase-file FILE or set ${PASSPHRASE_ENV}`
      );
    }
    try {
      privateKey = await decryptKey({ privateKey, passphrase: material.passphrase });
    } catch (error) {
      throw fail(
        `the passphrase from ${material.passphraseOrigin} does not unlock the key (${describe(error)}); check the passphrase`,
        error
      );
    }
  }
  let signing;
  try {
    signing = await privateKey.getSigningKey();
  } catch (error) {
    throw fail(
      `the key has no usable signing key (${describe(error)}); use a key with the sign capability that is neither expired nor revoked`,
      error
    );
  }
  const keyId = signing.getKeyID().toHex().toUpperCase();
  const { algorithm, bits, curve } = signing.getAlgorithmInfo();
  const version = signing.keyPacket.version;
  let rpmTag;
  let name;
  if (algorithm === "rsaSign" || algorithm === "rsaEncryptSign") {
    rpmTag = 268;
    name = "RSA";
  } else if (algorithm === "dsa") {
    rpmTag = 267;
    name = "DSA";
  } else if (algorithm === "eddsaLegacy" && curve === "ed25519Legacy") {
    rpmTag = 267;
    name = "EdDSA";
  } else {
    throw fail(
      `signing key ${keyId} uses ${algorithm}${curve ? ` (${curve})` : ""}, which rpm 4.18 cannot verify; use an RSA or legacy Ed25519 key (\`albs keygen --type rsa4096|ed25519\`)`
    );
  }
  if (version !== 4) {
    throw fail(`signing key ${keyId} is a version ${version} key; rpm 4.18 verifies only version 4 keys`);
  }
  return {
    privateKey,
    signingKeyId: signing.getKeyID(),
    info: {
      fingerprint: privateKey.getFingerprint().toUpperCase(),
      keyId,
      algorithm: name,
      bits,
      userIds: privateKey.getUserIDs(),
      rpmTag,
      publicKeyArmored: privateKey.toPublic().armor()
    }
  };
}
async function readVerificationKeys(file) {
  const text = await readFile(file, "utf8").catch((error) => {
    throw new SigningKeyError(
      `${file}: cannot read the public key (${error.code ?? error.message}); check --key`,
      {
        path: file,
        cause: error
      }
    );
  });
  try {
    const keys = await readKeys({ armoredKeys: text });
    return keys.map((k) => k.toPublic());
  } catch (error) {
    throw new SigningKeyError(
      `${file}: not an armored OpenPGP public key (${describe(error)}); export one with \`gpg --armor --export KEYID\` or use the signing-key.pub.asc albs keygen wrote`,
      { path: file, cause: error }
    );
  }
}
function describe(error) {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n", 1)[0] ?? message;
}

// src/sign/native-signature.ts
import { createHash, createPrivateKey, sign as sign2 } from "node:crypto";
var SIGNATURE_V4 = 4;
var BINARY_DOCUMENT = 0;
var PUBKEY_RSA = 1;
var PUBKEY_EDDSA_LEGACY = 22;
var HASH_SHA256 = 8;
var onThreadPool = (algorithm, data, key) => new Promise(
  (resolve, reject) => sign2(algorithm, data, key, (error, signature) => error ? reject(error) : resolve(signature))
);
var onThisThread = async (algorithm, data, key) => sign2(algorithm, data, key);
function nativeHeaderSigner(signingKey, options) {
  const now = options.now ?? (() => /* @__PURE__ */ new Date());
  const packet = signingKey.keyPacket;
  const fingerprint = packet.getFingerprintBytes();
  if (!packet.privateParams || !fingerprint || fingerprint.length !== 20) return void 0;
  const algorithm = nativeAlgorithm(signingKey, packet, options.threadPool ? onThreadPool : onThisThread);
  if (!algorithm) return void 0;
  const keyId = Buffer.from(packet.getKeyID().toHex(), "hex");
  return (data) => signaturePacket(data, algorithm, fingerprint, keyId, now());
}
function nativeAlgorithm(signingKey, packet, signAsync) {
  const { algorithm, curve } = signingKey.getAlgorithmInfo();
  const pub = packet.publicParams;
  const priv = packet.privateParams ?? {};
  if ((algorithm === "rsaSign" || algorithm === "rsaEncryptSign") && pub.n && pub.e && priv.d && priv.p && priv.q && priv.u) {
    const key = rsaKeyObject({ n: pub.n, e: pub.e }, { d: priv.d, p: priv.p, q: priv.q, u: priv.u });
    return { id: PUBKEY_RSA, sign: async (signed) => mpi(await signAsync("sha256", signed, key)) };
  }
  if (algorithm === "eddsaLegacy" && curve === "ed25519Legacy" && pub.Q?.length === 33 && priv.seed?.length === 32) {
    const key = createPrivateKey({
      format: "jwk",
      key: {
        kty: "OKP",
        crv: "Ed25519",
        d: Buffer.from(priv.seed).toString("base64url"),
        x: Buffer.from(pub.Q.subarray(1)).toString("base64url")
      }
    });
    return {
      id: PUBKEY_EDDSA_LEGACY,
      sign: async (_signed, digest) => {
        const rs = await signAsync(null, digest, key);
        return Buffer.concat([mpi(rs.subarray(0, 32)), mpi(rs.subarray(32))]);
      }
    };
  }
  return void 0;
}
function rsaKeyObject(pub, priv) {
  const big = (bytes) => BigInt(`0x${Buffer.from(bytes).toString("hex") || "0"}`);
  const b64 = (value) => {
    if (typeof value !== "bigint") return Buffer.from(value).toString("base64url");
    let hex = value.toString(16);
    if (hex.length % 2) hex = `0${hex}`;
    return Buffer.from(hex, "hex").toString("base64url");
  };
  const d = big(priv.d);
  const p = big(priv.q);
  const q = big(priv.p);
  return createPrivateKey({
    format: "jwk",
    key: {
      kty: "RSA",
      n: b64(pub.n),
      e: b64(pub.e),
      d: b64(priv.d),
      p: b64(p),
      q: b64(q),
      dp: b64(d % (p - 1n)),
      dq: b64(d % (q - 1n)),
      qi: b64(priv.u)
    }
  });
}
function subpacket(type, body) {
  return Buffer.concat([Buffer.from([body.length + 1, type]), body]);
}
async function signaturePacket(data, algorithm, fingerprint, keyId, at) {
  const created = Buffer.alloc(4);
  created.writeUInt32BE(Math.floor(at.getTime() / 1e3));
  const hashed = Buffer.concat([
    subpacket(2, created),
    subpacket(33, Buffer.concat([Buffer.from([4]), fingerprint]))
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
  trailer.writeUInt8(255, 1);
  trailer.writeUInt32BE(hashedPart.length, 2);
  const signed = Buffer.concat([data, hashedPart, trailer]);
  const digest = createHash("sha256").update(signed).digest();
  const unhashedLength = Buffer.alloc(2);
  unhashedLength.writeUInt16BE(unhashed.length);
  const body = Buffer.concat([
    hashedPart,
    unhashedLength,
    unhashed,
    digest.subarray(0, 2),
    await algorithm.sign(signed, digest)
  ]);
  return Buffer.concat([packetHeader(2, body.length), body]);
}
function mpi(value) {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  const bytes = value.subarray(start);
  const bits = (bytes.length - 1) * 8 + (32 - Math.clz32(bytes[0] ?? 0));
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bits);
  return Buffer.concat([length, bytes]);
}
function packetHeader(tag, length) {
  const first = 192 | tag;
  if (length < 192) return Buffer.from([first, length]);
  if (length < 8384) {
    const l = length - 192;
    return Buffer.from([first, (l >> 8) + 192, l & 255]);
  }
  const out = Buffer.alloc(6);
  out.writeUInt8(first, 0);
  out.writeUInt8(255, 1);
  out.writeUInt32BE(length, 2);
  return out;
}

// src/sign/repo-metadata.ts
import { readFile as readFile2 } from "node:fs/promises";
import { dirname, join } from "node:path";
async function signRepoMetadata(signer, target) {
  if (target.kind === "dnf") {
    const repomd = await readMetadata(target.repomd, "run createrepo_c on the repository first");
    const signature = await signer.signDetached(repomd, "armored");
    const asc = `${target.repomd}.asc`;
    await writeFileAtomically(asc, signature);
    return [asc];
  }
  const release = await readMetadata(target.release, "write the Release file first");
  const dir = dirname(target.release);
  const inRelease = join(dir, "InRelease");
  const releaseGpg = join(dir, "Release.gpg");
  const [cleartext, detached] = await Promise.all([
    signer.signCleartext(release.toString("utf8")),
    signer.signDetached(release, "armored")
  ]);
  await writeFileAtomically(inRelease, cleartext);
  await writeFileAtomically(releaseGpg, detached);
  return [inRelease, releaseGpg];
}
async function readMetadata(path, fix) {
  return readFile2(path).catch((error) => {
    throw new RepoMetadataError(
      `${path}: cannot read the metadata to sign (${error.code ?? error.message}); ${fix}`,
      {
        path,
        cause: error
      }
    );
  });
}

// src/sign/sign-pool.ts
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
var IN_FLIGHT_PER_THREAD = 16;
var DEFAULT_WORKER_URL = new URL("./sign-worker.js", import.meta.url);
var PoolWorker = class {
  ready;
  worker;
  pending = /* @__PURE__ */ new Map();
  nextId = 0;
  runs = 0;
  dead;
  constructor(material, workerUrl) {
    const data = {
      armoredKey: material.armoredKey,
      passphrase: material.passphrase,
      origin: material.origin,
      passphraseOrigin: material.passphraseOrigin
    };
    this.worker = new Worker(workerUrl, { workerData: data });
    let markReady;
    let markFailed;
    this.ready = new Promise((resolve, reject) => {
      markReady = resolve;
      markFailed = reject;
    });
    this.ready.catch(() => void 0);
    this.worker.on("message", (reply) => {
      if (reply.type === "ready") markReady();
      else if (reply.type === "failed") this.die(restoreSignError(reply.error), markFailed);
      else {
        const waiter = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        if (reply.type === "signed") waiter?.resolve(reply.result);
        else waiter?.reject(restoreSignError(reply.error));
      }
    });
    this.worker.on(
      "error",
      (error) => this.die(
        new SignError(`a signing worker thread failed: ${error.message}`, { cause: error }),
        markFailed
      )
    );
    this.worker.on(
      "exit",
      (code) => this.die(new SignError(`a signing worker thread exited with code ${code}`), markFailed)
    );
  }
  sign(path) {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, path });
    });
  }
  get alive() {
    return this.dead === void 0;
  }
  /** An idle pool must not keep the process alive; a busy one must (runs may overlap). */
  setBusy(busy) {
    this.runs += busy ? 1 : -1;
    if (this.runs > 0) this.worker.ref();
    else this.worker.unref();
  }
  async terminate() {
    this.dead ??= new SignError("the signing worker pool was closed");
    await this.worker.terminate();
  }
  die(error, markFailed) {
    if (this.dead) return;
    this.dead = error;
    markFailed(error);
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
};
var WORKER_START_MS = 150;
var SAMPLE = 8;
var THREAD_POOL_SIZE = Number(process.env.UV_THREADPOOL_SIZE) || 4;
var BUSY = 0.8;
var SignPool = class {
  constructor(material, maxWorkers, workerUrl = DEFAULT_WORKER_URL) {
    this.material = material;
    this.maxWorkers = maxWorkers;
    this.workerUrl = workerUrl;
  }
  material;
  maxWorkers;
  workerUrl;
  workers = [];
  /**
   * Signs `paths` with `signLocal` on this thread and up to `workers` worker threads at once. One
   * outcome per path, in the order of `paths`.
   */
  async run(paths, workers, signLocal, onOutcome) {
    const limit = Math.min(workers, this.maxWorkers);
    this.workers = this.workers.filter((w) => w.alive);
    const outcomes = new Array(paths.length);
    let next = 0;
    let done = 0;
    let firstDone = 0;
    let loopAtFirstDone = performance.eventLoopUtilization();
    const take = () => next < paths.length ? next++ : void 0;
    let workerFailure;
    const active = [];
    const workerRuns = [];
    const drain = async (sign3, worker) => {
      for (let i = take(); i !== void 0; i = take()) {
        const path = paths[i];
        let outcome;
        try {
          outcome = { path, ok: true, result: await sign3(path) };
        } catch (error) {
          outcome = { path, ok: false, error: error instanceof Error ? error : new Error(String(error)) };
        }
        outcomes[i] = outcome;
        if (++done === 1) {
          firstDone = performance.now();
          loopAtFirstDone = performance.eventLoopUtilization();
        }
        onOutcome?.(outcome);
        if (worker && !worker.alive) return;
        if (!worker) considerWorkers();
      }
    };
    const use = (worker) => {
      worker.setBusy(true);
      active.push(worker);
      workerRuns.push(
        worker.ready.then(
          () => Promise.all(repeat(() => drain((path) => worker.sign(path), worker))).then(() => void 0),
          (error) => {
            workerFailure = error;
          }
        )
      );
    };
    const considerWorkers = () => {
      if (active.length >= limit || done < SAMPLE) return;
      const elapsed = performance.now() - firstDone;
      const left = (paths.length - next) * elapsed / (done - 1);
      if (left / (active.length + 2) <= WORKER_START_MS) return;
      const busy = performance.eventLoopUtilization(loopAtFirstDone).utilization;
      if (availableParallelism() <= THREAD_POOL_SIZE + 1 && busy < BUSY) return;
      this.workers.push(new PoolWorker(this.material, this.workerUrl));
      use(this.workers[this.workers.length - 1]);
    };
    for (const worker of this.workers.slice(0, limit)) use(worker);
    try {
      await Promise.all(repeat(() => drain(signLocal)));
      await Promise.all(workerRuns);
    } finally {
      for (const w of active) w.setBusy(false);
    }
    return paths.map(
      (path, i) => outcomes[i] ?? {
        path,
        ok: false,
        error: workerFailure ?? new SignError(`${path}: not signed: no signer was left to take it`, { path })
      }
    );
  }
  /** Worker threads running now (they stay for later batches until `close`). */
  get workerCount() {
    return this.workers.filter((w) => w.alive).length;
  }
  async close() {
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((w) => w.terminate()));
  }
};
function repeat(start) {
  return Array.from({ length: IN_FLIGHT_PER_THREAD }, start);
}

// src/sign/sign-rpm.ts
import { createHash as createHash2 } from "node:crypto";
import { open, realpath, stat } from "node:fs/promises";
async function signRpmFile(path, signer) {
  const target = await realpath(path).catch((error) => {
    throw new SignError(`${path}: cannot open the package (${error.code ?? error.message}); check the path`, {
      path,
      cause: error
    });
  });
  const info = await stat(target);
  if (!info.isFile()) {
    throw new SignError(`${path}: not a regular file; pass .rpm files`, { path });
  }
  const handle = await open(target, "r");
  try {
    const pkg = await readRpmPackage(handle, path, info.size);
    checkPackageSize(pkg);
    checkHeaderDigests(pkg);
    const packet = await signer.signHeader(pkg.headerBytes);
    const { signatureHeader, layout, replaced } = newSignatureHeader(pkg, signer.rpmTag, Buffer.from(packet));
    const padding = Buffer.alloc(signaturePadding(signatureHeader.length));
    const payloadDigest = expectedPayloadDigest(pkg);
    const hash = payloadDigest ? createHash2(payloadDigest.algorithm) : void 0;
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
          const actual = hash.digest("hex");
          if (actual !== payloadDigest.expected) throw digestMismatch(pkg, payloadDigest, actual);
        }
      },
      { uid: info.uid, gid: info.gid }
    );
    const sizeAfter = info.size - (pkg.header.offset - LEAD_SIZE) + signatureHeader.length + padding.length;
    return { path, package: packageLabel(pkg), layout, sizeBefore: info.size, sizeAfter, replaced };
  } finally {
    await handle.close();
  }
}
function newSignatureHeader(pkg, tag, packet) {
  const old = pkg.signature;
  const replaced = old.entries.filter((e) => SIGNATURE_TAGS.includes(e.tag)).map((e) => e.tag);
  const kept = old.entries.filter((e) => !SIGNATURE_TAGS.includes(e.tag) && e.tag !== SIG_TAG.reservedSpace);
  const reserved = old.entries.find((e) => e.tag === SIG_TAG.reservedSpace);
  const entries = [...kept, { tag, type: TAG_TYPE.bin, count: packet.length, data: packet }];
  const regionTag = SIG_TAG.headerSignatures;
  if (entries.length + 1 > MAX_SIGNATURE_TAGS) {
    throw new RpmFormatError(
      `${pkg.path}: the signature header already has ${old.entries.length + 1} tags; with a signature it would exceed rpm's limit of ${MAX_SIGNATURE_TAGS} \u2014 rebuild the package`,
      { path: pkg.path }
    );
  }
  if (reserved) {
    const reservedEntry = (size2) => ({
      tag: SIG_TAG.reservedSpace,
      type: TAG_TYPE.bin,
      count: size2,
      data: Buffer.alloc(size2)
    });
    const withOneByte = serializedHeaderLength([...entries, reservedEntry(1)]);
    const size = 1 + old.length - withOneByte;
    if (size >= 1 && serializedHeaderLength([...entries, reservedEntry(size)]) === old.length) {
      return {
        signatureHeader: serializeHeader(regionTag, [...entries, reservedEntry(size)]),
        layout: "reserved-space",
        replaced
      };
    }
    entries.push(reserved);
  }
  return { signatureHeader: serializeHeader(regionTag, entries), layout: "rewritten", replaced };
}

// src/sign/openpgp-signer.ts
var silent = { debug() {
}, info() {
}, warn() {
} };
var MIN_PACKAGES_FOR_WORKERS = 4;
var OpenpgpSigner = class _OpenpgpSigner {
  constructor(unlocked, material, threads, log, nativeHeaderSigner2) {
    this.unlocked = unlocked;
    this.material = material;
    this.threads = threads;
    this.log = log;
    this.nativeHeaderSigner = nativeHeaderSigner2;
  }
  unlocked;
  material;
  threads;
  log;
  nativeHeaderSigner;
  pool;
  closed = false;
  /** Unlocks the key; rejects with a `SigningKeyError` when it cannot make signatures rpm 4.18 accepts. */
  static async create(material, options) {
    const unlocked = await unlockKey(material);
    const log = options.log ?? silent;
    const { fingerprint, keyId, algorithm, bits } = unlocked.info;
    log.info({ origin: material.origin, fingerprint, keyId, algorithm, bits }, "signing key unlocked");
    const signingKey = await unlocked.privateKey.getSigningKey(unlocked.signingKeyId);
    const threads = Math.max(1, Math.floor(options.threads));
    const native = nativeHeaderSigner(signingKey, { threadPool: options.threadPool ?? true });
    return new _OpenpgpSigner(unlocked, material, threads, log, native);
  }
  get key() {
    return this.unlocked.info;
  }
  get rpmTag() {
    return this.unlocked.info.rpmTag;
  }
  async signDetached(data, format = "binary") {
    const message = await createMessage({ binary: data });
    const options = {
      message,
      signingKeys: this.unlocked.privateKey,
      // Pin the (sub)key checked at unlock time; rpm wants exactly one signature.
      signingKeyIDs: this.unlocked.signingKeyId,
      detached: true
    };
    return format === "armored" ? sign({ ...options, format: "armored" }) : sign({ ...options, format: "binary" });
  }
  async signHeader(header) {
    if (this.nativeHeaderSigner) return this.nativeHeaderSigner(header);
    return this.signDetached(header, "binary");
  }
  async signCleartext(text) {
    const message = await createCleartextMessage({ text });
    const signed = await sign({
      message,
      signingKeys: this.unlocked.privateKey,
      signingKeyIDs: this.unlocked.signingKeyId
    });
    return signed.replaceAll("\r\n", "\n");
  }
  async signRpm(path) {
    try {
      const result = await signRpmFile(path, this);
      this.logOutcome({ path, ok: true, result });
      return result;
    } catch (error) {
      this.logOutcome({ path, ok: false, error });
      throw error;
    }
  }
  async signRpms(paths, options = {}) {
    const workers = paths.length < MIN_PACKAGES_FOR_WORKERS ? 0 : Math.min(this.threads - 1, paths.length - 1);
    if (this.closed) throw new Error("OpenpgpSigner used after close()");
    this.pool ??= new SignPool(this.material, this.threads - 1);
    const started = performance.now();
    const outcomes = await this.pool.run(
      paths,
      workers,
      (path) => signRpmFile(path, this),
      (outcome) => {
        this.logOutcome(outcome);
        options.onOutcome?.(outcome);
      }
    );
    const signed = outcomes.filter((o) => o.ok).length;
    const ms = Math.round(performance.now() - started);
    const threads = this.pool.workerCount + 1;
    this.log.info({ signed, refused: outcomes.length - signed, threads, ms }, "packages signed");
    return outcomes;
  }
  logOutcome(outcome) {
    if (outcome.ok) {
      const { path, package: pkg, layout } = outcome.result;
      this.log.debug({ path, package: pkg, layout, keyId: this.key.keyId }, "package signed");
    } else {
      this.log.warn({ path: outcome.path, error: outcome.error.message }, "package not signed");
    }
  }
  async signRepoMetadata(target) {
    const written = await signRepoMetadata(this, target);
    this.log.info({ ...target, written, keyId: this.key.keyId }, "repository metadata signed");
    return written;
  }
  async close() {
    this.closed = true;
    await this.pool?.close();
    this.pool = void 0;
  }
};

export {
  readKeyMaterial,
  readPassphraseFile,
  readVerificationKeys,
  OpenpgpSigner
};
