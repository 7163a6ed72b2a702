/** dist/action/index.js, what action.yml's `runs.main` names: the runner starts it with node24. */
import { fileURLToPath } from 'node:url';
import { runAction } from './main.js';

process.exitCode = await runAction({
  env: process.env,
  write: (text) => process.stdout.write(text),
  // dist/action/index.js (and src/action/index.ts alike) is two levels below the action's root.
  actionRoot: fileURLToPath(new URL('../..', import.meta.url)),
  euid: process.geteuid?.() ?? 0,
});
