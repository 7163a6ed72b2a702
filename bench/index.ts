/** `npm run bench`: each benchmark prints its own result lines. Timings live here, never in tests. */
import { benchBuild } from './build.js';
import { benchDispatch } from './dispatch.js';
import { benchGitCache } from './git-cache.js';
import { benchIntake } from './intake.js';
import { benchQuickstart } from './quickstart.js';
import { benchRun } from './run.js';
import { benchSign } from './sign.js';

await benchQuickstart();
await benchBuild();
await benchRun();
await benchSign();
await benchGitCache();
await benchIntake();
await benchDispatch();
