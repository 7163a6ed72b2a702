import { type CheckOptions, checkConfig } from './check-config.js';
import { normalise } from './normalise.js';
import { parseYaml } from './parse-yaml.js';
import { type Problem, sortProblems } from './problem.js';
import type { PipelineConfig } from './types.js';
import { validateSchema } from './validate-schema.js';

export interface LoadResult {
  /** The config with defaults, or null when any problem is an error. */
  config: PipelineConfig | null;
  /** Errors first, then warnings, each with its position. */
  problems: Problem[];
}

/**
 * Read a .albs.yml from its text. Never throws on any input: every problem comes back with
 * FILE, LINE and COL, all of them at once rather than the first one.
 */
export function loadConfig(text: string, file: string, options: CheckOptions = {}): LoadResult {
  const result = parseYaml(text, file);
  if (!result.ok) return { config: null, problems: sortProblems(result.problems) };
  const schemaProblems = validateSchema(result.parsed, file);
  if (result.parsed.value === null || typeof result.parsed.value !== 'object') {
    return { config: null, problems: sortProblems(schemaProblems) };
  }
  // Normalising is lenient, so the deeper checks still run beside schema errors; what they say about
  // a place the schema already faulted would only repeat it.
  const config = normalise(result.parsed, file);
  const faulted = schemaProblems.map((p) => p.path.join('.'));
  const overlaps = (p: Problem) => {
    const at = p.path.join('.');
    return faulted.some(
      (f) => f === '' || at === '' || at.startsWith(`${f}.`) || f.startsWith(`${at}.`) || f === at,
    );
  };
  const deeper = checkConfig(config, result.parsed, options).filter((p) => !overlaps(p));
  const problems = sortProblems([...schemaProblems, ...deeper]);
  return { config: problems.some((p) => p.severity === 'error') ? null : config, problems };
}
