import { createRequire as __albsCreateRequire } from 'node:module'; const require = __albsCreateRequire(import.meta.url);

// src/sign/key-options.ts
var KEY_ENV = "ALBS_SIGNING_KEY";
var PASSPHRASE_ENV = "ALBS_KEY_PASSPHRASE";
var KEY_TYPES = ["rsa4096", "ed25519"];

export {
  KEY_ENV,
  PASSPHRASE_ENV,
  KEY_TYPES
};
