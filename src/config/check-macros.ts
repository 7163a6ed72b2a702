import type { Combination } from '../plan/expand-matrix.js';
import { interpolate } from '../plan/interpolate.js';
import type { Report } from './problem.js';
import { CONTROL_CHARACTER, quote } from './text.js';
import type { PipelineConfig } from './types.js';

/** The directories albs sets for rpm itself: a build that moved them would write outside its workspace. */
export const RESERVED_MACROS = [
  '_topdir',
  '_sourcedir',
  '_specdir',
  '_builddir',
  '_buildrootdir',
  '_rpmdir',
  '_srcrpmdir',
  '_tmppath',
  '_dbpath',
] as const;

export const MACRO_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Why `--define "NAME VALUE"` may not be given, or undefined. A value is one line (rpm would read
 * the rest as another definition) and runs no command (`%(…)`, `%{lua:…}`): mock expands macros
 * outside any sandbox of albs's, and a macro is the package's setting, not a place for code.
 */
export function macroProblem(name: string, value: string): string | undefined {
  if (!MACRO_NAME.test(name)) {
    return `the macro name ${quote(name)} is not a name rpm takes: letters, digits and "_", not starting with a digit`;
  }
  if ((RESERVED_MACROS as readonly string[]).includes(name)) {
    return `the macro ${name} is set by albs (the build's directories are in its workspace): remove it`;
  }
  if (CONTROL_CHARACTER.test(value)) {
    return `the macro ${name} is ${quote(value)}, which holds a newline or another control character: give a one-line value`;
  }
  if (/%\(|%\{lua:|%\{\?*lua:/.test(value)) {
    return `the macro ${name} is ${quote(value)}, which runs code (%(…) or %{lua:…}): give a plain value, and put commands in the spec`;
  }
  return undefined;
}

/** build.macros, as written and as each combination renders it. */
export function checkMacros(
  config: PipelineConfig,
  combinations: Combination[],
  error: Report,
  badPaths: Set<string>,
): void {
  for (const [name, template] of Object.entries(config.build.macros)) {
    const path = ['build', 'macros', name];
    if (badPaths.has(path.join('.'))) continue;
    const problem =
      macroProblem(name, template) ??
      combinations.map((c) => macroProblem(name, interpolate(template, c.values))).find((p) => p);
    if (problem) error(path, `build.macros: ${problem}`);
  }
}
