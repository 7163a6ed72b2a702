import { createRequire as __albsCreateRequire } from 'node:module'; const require = __albsCreateRequire(import.meta.url);
import {
  OpenpgpSigner
} from "./chunk-4WGGEO7Q.js";
import "./chunk-7J3E33TS.js";
import "./chunk-ZQUDN2TT.js";
import "./chunk-PMF7ABEB.js";
import {
  serializeSignError
} from "./chunk-H2ZUATAW.js";
import "./chunk-FXWFLUK2.js";

// src/sign/sign-worker.ts
import { parentPort, workerData } from "node:worker_threads";
var port = parentPort;
if (!port) throw new Error("sign-worker.js runs only as a worker thread");
var reply = (message) => port.postMessage(message);
try {
  const signer = await OpenpgpSigner.create(workerData, { threads: 1, threadPool: false });
  port.on("message", (request) => {
    signer.signRpm(request.path).then(
      (result) => reply({ type: "signed", id: request.id, result }),
      (error) => reply({ type: "refused", id: request.id, error: serializeSignError(error) })
    );
  });
  reply({ type: "ready" });
} catch (error) {
  reply({ type: "failed", error: serializeSignError(error) });
}
