export { DEFAULT_MAX_JOBS } from './check-config.js';
export { type LoadResult, loadConfig } from './load-config.js';
export { describePath, formatProblem, type Position, type Problem } from './problem.js';
export type * from './types.js';
export { ALBS_SCHEMA } from './validate-schema.js';
