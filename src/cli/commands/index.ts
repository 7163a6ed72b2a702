import type { Command } from 'commander';
import { registerFarmWorkers } from './farm.js';
import { registerKeygen } from './keygen.js';
import { registerPlan } from './plan.js';
import { registerRun } from './run.js';
import { registerServe } from './serve.js';
import { registerSign } from './sign.js';
import { registerSources } from './sources.js';
import { registerSubmit } from './submit.js';
import { registerValidate } from './validate.js';
import { registerVerify } from './verify.js';

/** Every `albs` subcommand, in the order `albs --help` lists them. */
export function registerCommands(program: Command): void {
  registerValidate(program);
  registerPlan(program);
  registerRun(program);
  registerServe(program);
  registerFarmWorkers(program);
  registerSources(program);
  registerKeygen(program);
  registerSign(program);
  registerVerify(program);
  registerSubmit(program);
}
