import { expect } from 'vitest';
import { loadConfig, type PipelineConfig } from '../../src/config/index.js';
import { buildPlan, type Plan, type Trigger } from '../../src/plan/index.js';

/** Load a config that must be valid; fails the test with its problems otherwise. */
export function mustLoad(text: string): PipelineConfig {
  const result = loadConfig(text, '.albs.yml');
  expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
  return result.config!;
}

export function planOf(text: string, trigger: Trigger = { event: 'branch', ref: 'main' }): Plan {
  return buildPlan(mustLoad(text), trigger);
}

/** The matrix of each build job, in plan order: what GitHub Actions would list as the jobs. */
export function combinationsOf(text: string): Record<string, unknown>[] {
  return planOf(text)
    .jobs.filter((j) => j.stage === 'build')
    .map((j) => j.matrix);
}

export function errorsOf(text: string): string[] {
  return loadConfig(text, '.albs.yml')
    .problems.filter((p) => p.severity === 'error')
    .map((p) => `${p.line}:${p.col} ${p.message}`);
}
