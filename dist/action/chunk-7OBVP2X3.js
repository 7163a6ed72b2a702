import { createRequire as __albsCreateRequire } from 'node:module'; const require = __albsCreateRequire(import.meta.url);

// src/action/child-secrets.ts
var SECRETS_FD = 3;
var SECRETS_FD_ENV = "ALBS_ACTION_SECRETS_FD";

export {
  SECRETS_FD,
  SECRETS_FD_ENV
};
