/**
 * The package's .albs.yml, read and checked as `albs run` reads it, its problems turned into
 * annotations at their line and column of the file as the workspace names it (so that they show on
 * a pull request's diff).
 */
import { isAbsolute, join, relative, resolve } from 'node:path';
import { findConfig, readConfigText } from '../cli/read-config.js';
import { loadConfig, type PipelineConfig } from '../config/index.js';
import { InputError } from './inputs.js';
import type { Workflow } from './workflow-commands.js';

export interface PackageConfig {
  /** The package directory, absolute. */
  dir: string;
  /** The config file as annotations name it: relative to GITHUB_WORKSPACE when inside it. */
  file: string;
  /** null when invalid: its problems were annotated. */
  config: PipelineConfig | null;
  errors: number;
}

export async function readPackageConfig(
  workspace: string,
  path: string,
  workflow: Workflow,
): Promise<PackageConfig> {
  const dir = resolve(workspace, path);
  let text: string;
  let file: string;
  try {
    const found = await findConfig(dir);
    text = await readConfigText(found.file);
    const inside = relative(workspace, found.file);
    file = inside.startsWith('..') || isAbsolute(inside) ? found.file : inside;
  } catch (error) {
    throw new InputError(
      `input path is "${path}" (${dir}): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const loaded = loadConfig(text, file);
  for (const problem of loaded.problems) {
    workflow.annotate(problem.severity, problem.message, {
      title: `${file}: ${problem.severity === 'error' ? 'invalid' : 'warning'}`,
      file,
      line: problem.line,
      col: problem.col,
    });
  }
  return {
    dir,
    file,
    config: loaded.config,
    errors: loaded.problems.filter((p) => p.severity === 'error').length,
  };
}

/** The default OUT: the runner's temporary directory, emptied after every job. */
export function defaultOut(env: NodeJS.ProcessEnv, workspace: string): string {
  return env.RUNNER_TEMP ? join(env.RUNNER_TEMP, 'albs-out') : join(workspace, '.albs', 'out');
}
