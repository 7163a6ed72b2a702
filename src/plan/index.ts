export { buildPlan } from './build-plan.js';
export { type Combination, expandMatrix, type MatrixInput } from './expand-matrix.js';
export { matchTrigger, shortRef } from './match-trigger.js';
export type * from './types.js';
export { PLAN_VERSION } from './types.js';
