/** `npm run bench`: each benchmark prints its own result lines. Timings live here, never in tests. */
import { benchRun } from './run.js';
import { benchSign } from './sign.js';

await benchRun();
await benchSign();
