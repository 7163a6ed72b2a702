import { OpenpgpSigner, readKeyMaterial } from '../../src/sign/index.js';
import { makeKey } from './helpers.js';
import { describeSigner } from './signer-conformance.js';

// One thread: worker threads run the built JavaScript, which sign-pool.test.ts covers.
describeSigner('OpenpgpSigner, RSA-4096', async () => {
  const key = await makeKey('rsa4096');
  return { signer: key.signer, publicKey: key.publicKey };
});

describeSigner('OpenpgpSigner, Ed25519 with a passphrase', async () => {
  const key = await makeKey('ed25519', 'conformance');
  const material = await readKeyMaterial({ keyFile: key.privateKey }, { ALBS_KEY_PASSPHRASE: 'conformance' });
  return { signer: await OpenpgpSigner.create(material, { threads: 1 }), publicKey: key.publicKey };
});
