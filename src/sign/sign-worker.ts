/**
 * Entry of a signing worker thread (see sign-pool.ts). The key arrives as armored text in `workerData`,
 * in memory only, and is unlocked here: it is never written to disk and never sent back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serializeSignError } from './errors.js';
import type { KeyMaterial } from './load-key.js';
import { OpenpgpSigner } from './openpgp-signer.js';
import type { WorkerReply, WorkerRequest } from './sign-pool.js';

const port = parentPort;
if (!port) throw new Error('sign-worker.js runs only as a worker thread');

const reply = (message: WorkerReply) => port.postMessage(message);

try {
  const signer = await OpenpgpSigner.create(workerData as KeyMaterial, { threads: 1, threadPool: false });
  port.on('message', (request: WorkerRequest) => {
    signer.signRpm(request.path).then(
      (result) => reply({ type: 'signed', id: request.id, result }),
      (error: unknown) => reply({ type: 'refused', id: request.id, error: serializeSignError(error) }),
    );
  });
  reply({ type: 'ready' });
} catch (error) {
  reply({ type: 'failed', error: serializeSignError(error) });
}
