import { createRequire as __albsCreateRequire } from 'node:module'; const require = __albsCreateRequire(import.meta.url);
import {
  PRIVATE_KEY_FILE,
  PUBLIC_KEY_FILE,
  generateSigningKey
} from "./chunk-6OB7K25S.js";
import "./chunk-7J3E33TS.js";
import "./chunk-H2ZUATAW.js";
import "./chunk-FXWFLUK2.js";
export {
  PRIVATE_KEY_FILE,
  PUBLIC_KEY_FILE,
  generateSigningKey
};
