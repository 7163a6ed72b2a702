#!/usr/bin/env node
// Bundles the GitHub Action into dist/action/ (committed: a runner runs action.yml's
// `runs.main` from the repository as it is, with no npm install): three ESM entries and the
// chunks they share, all in one directory, since code finds its neighbours by import.meta.url.
//   index.js        the action (runs.main)
//   albs.js         `albs run`, started by index.js as a child with a clean environment
//   sign-worker.js  the signer's worker thread, which src/sign/sign-pool.ts loads from beside itself
// usage: node scripts/build-action.mjs [--outdir DIR]   (default dist/action; DIR is emptied first)
// test/action/bundle.test.ts builds into a temporary directory and fails when dist/action differs.
import { mkdir, readdir, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--outdir');
const outdir = resolve(root, at === -1 ? 'dist/action' : process.argv[at + 1]);

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: {
    index: 'src/action/index.ts',
    albs: 'src/action/albs-child.ts',
    'sign-worker': 'src/sign/sign-worker.ts',
  },
  outdir,
  bundle: true,
  splitting: true,
  chunkNames: 'chunk-[hash]',
  format: 'esm',
  platform: 'node',
  // What runs.using gives is node24; the tests run the bundle on the Node the project supports.
  target: 'node20',
  // CommonJS packages inside an ESM bundle still call require() for Node's own modules.
  banner: {
    js: "import { createRequire as __albsCreateRequire } from 'node:module'; const require = __albsCreateRequire(import.meta.url);",
  },
  legalComments: 'eof',
  logLevel: 'warning',
  metafile: true,
});
const files = (await readdir(outdir)).sort();
let total = 0;
for (const info of Object.values(result.metafile.outputs)) total += info.bytes;
console.log(
  `build-action: ${files.length} files, ${(total / 1024 / 1024).toFixed(2)} MiB in ${outdir}: ${files.join(' ')}`,
);
