import { createRequire as __albsCreateRequire } from 'node:module'; const require = __albsCreateRequire(import.meta.url);
import {
  generateKey,
  readKey
} from "./chunk-7J3E33TS.js";
import {
  SigningKeyError,
  writeNewFile
} from "./chunk-H2ZUATAW.js";

// src/sign/generate-key.ts
import { mkdir, stat } from "node:fs/promises";
import { join } from "node:path";
var PRIVATE_KEY_FILE = "signing-key.asc";
var PUBLIC_KEY_FILE = "signing-key.pub.asc";
async function generateSigningKey(dir, options) {
  const privateKeyPath = join(dir, PRIVATE_KEY_FILE);
  const publicKeyPath = join(dir, PUBLIC_KEY_FILE);
  for (const path of [privateKeyPath, publicKeyPath]) {
    if (await exists(path)) {
      throw new SigningKeyError(
        `${path} already exists; albs keygen never overwrites a key \u2014 choose another --out directory or move the old key away`,
        { path }
      );
    }
  }
  await mkdir(dir, { recursive: true, mode: 448 });
  const algorithm = options.type === "rsa4096" ? { type: "rsa", rsaBits: 4096 } : { type: "ecc", curve: "ed25519Legacy" };
  const { privateKey, publicKey } = await generateKey({
    ...algorithm,
    userIDs: [{ name: options.name, email: options.email }],
    subkeys: [],
    format: "armored",
    config: { v6Keys: false },
    ...options.passphrase === void 0 ? {} : { passphrase: options.passphrase }
  });
  const parsed = await readKey({ armoredKey: publicKey });
  if (!await writeNewFile(privateKeyPath, privateKey, 384)) {
    throw new SigningKeyError(
      `${privateKeyPath} appeared while the key was being made; nothing was overwritten`,
      {
        path: privateKeyPath
      }
    );
  }
  if (!await writeNewFile(publicKeyPath, publicKey, 420)) {
    throw new SigningKeyError(
      `${publicKeyPath} appeared while the key was being made; the new private key is in ${privateKeyPath}`,
      { path: publicKeyPath }
    );
  }
  return {
    privateKeyPath,
    publicKeyPath,
    fingerprint: parsed.getFingerprint().toUpperCase(),
    userId: parsed.getUserIDs()[0] ?? `${options.name} <${options.email}>`
  };
}
async function exists(path) {
  return stat(path).then(
    () => true,
    (error) => {
      if (error.code === "ENOENT") return false;
      throw new SigningKeyError(
        `${path}: cannot check for an existing key (${error.code ?? error.message}); --out must be a directory`,
        { cause: error }
      );
    }
  );
}

export {
  PRIVATE_KEY_FILE,
  PUBLIC_KEY_FILE,
  generateSigningKey
};
