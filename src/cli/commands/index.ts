import type { Command } from 'commander';
import { registerPlan } from './plan.js';
import { registerValidate } from './validate.js';

/** Every `albs` subcommand, in the order `albs --help` lists them. */
export function registerCommands(program: Command): void {
  registerValidate(program);
  registerPlan(program);
}
