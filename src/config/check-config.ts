import { type Combination, expandMatrix, productSize } from '../plan/expand-matrix.js';
import { findExpressions, hasExpression, interpolate, valueText } from '../plan/interpolate.js';
import { archesFor, BUILDERS, type Builder, crossArchName } from './arches.js';
import { didYouMean, nearest } from './nearest.js';
import { DEFAULT_MOCK_CONFIG } from './normalise.js';
import type { ParsedYaml, YamlPath } from './parse-yaml.js';
import type { Position, Problem } from './problem.js';
import type { PipelineConfig } from './types.js';

/** The most matrix combinations a pipeline may have, as in GitHub Actions. */
export const DEFAULT_MAX_JOBS = 256;
export const REPO_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface CheckOptions {
  maxJobs?: number;
}

/**
 * The checks a schema cannot express: forms that exclude each other, matrix keys that
 * expressions name, and everything that depends on a combination (its builder's arch names,
 * its rendered repo names). Runs on a schema-valid, normalised config.
 */
export function checkConfig(
  config: PipelineConfig,
  parsed: ParsedYaml,
  options: CheckOptions = {},
): Problem[] {
  const problems: Problem[] = [];
  const report = (severity: Problem['severity'], path: YamlPath, message: string, at?: Position) =>
    problems.push({ severity, file: config.file, ...(at ?? parsed.locate(path)), path, message });
  const error = (path: YamlPath, message: string, at?: Position) => report('error', path, message, at);

  checkSource(config, error, (path, message) => report('warning', path, message));
  checkTestSteps(parsed.value, error);
  if (config.on && !config.on.tags.length && !config.on.branches.length && !config.on.pullRequests) {
    report(
      'warning',
      ['on'],
      'nothing triggers this pipeline: "on" names no tags, no branches and no pull requests',
    );
  }

  const matrixKeys = new Set(config.matrix.axes.map((a) => a.key));
  config.matrix.exclude.forEach((entry, i) => {
    for (const key of Object.keys(entry)) {
      if (!matrixKeys.has(key)) {
        error(
          ['matrix', 'exclude', i, key],
          `matrix.exclude[${i}] names "${key}", which is not a matrix key${didYouMean(key, [...matrixKeys])}; exclude can only match the keys that list values`,
          parsed.locateKey(['matrix', 'exclude', i, key]),
        );
      }
    }
  });

  const maxJobs = options.maxJobs ?? DEFAULT_MAX_JOBS;
  // The product is counted before it is built: ten keys of ten values would not fit in memory.
  const product = productSize(config.matrix);
  if (product > Math.max(maxJobs * 64, 4096)) {
    error(
      ['matrix'],
      `the matrix has ${product} combinations before exclude; the limit is ${maxJobs} jobs: use fewer values or split the package`,
    );
    return problems;
  }
  const expansion = expandMatrix(config.matrix);
  for (const i of expansion.unusedExcludes) {
    report(
      'warning',
      ['matrix', 'exclude', i],
      `matrix.exclude[${i}] matches no combination, so it removes nothing; check its values`,
    );
  }
  const combinations = expansion.combinations;
  if (combinations.length > maxJobs) {
    error(
      ['matrix'],
      `the matrix expands to ${combinations.length} combinations; the limit is ${maxJobs} jobs: exclude some or split the package`,
    );
    return problems;
  }

  const allKeys = new Set(combinations.flatMap((c) => Object.keys(c.values)));
  for (const key of config.matrix.axes.map((a) => a.key)) allKeys.add(key);
  const badPaths = checkExpressions(parsed, allKeys, error);
  checkCombinations(config, combinations, error, badPaths);
  return problems;
}

type Report = (path: YamlPath, message: string, at?: Position) => void;

function checkSource(config: PipelineConfig, error: Report, warning: Report): void {
  const { spec, srpm, sha256, dir } = config.source;
  if (srpm !== undefined && spec !== undefined) {
    error(
      ['source', 'spec'],
      'source has both "spec" and "srpm"; give one: a spec in this repository, or a src.rpm link',
    );
  }
  if (srpm !== undefined && dir !== undefined) {
    error(
      ['source', 'dir'],
      'source has both "dir" and "srpm"; a src.rpm link carries its own sources, remove "dir"',
    );
  }
  if (srpm !== undefined && sha256 === undefined) {
    error(
      ['source', 'srpm'],
      'source.srpm needs source.sha256 (64 hex digits, as `sha256sum FILE` prints them) so a changed download is refused',
    );
  }
  if (sha256 !== undefined && srpm === undefined) {
    warning(
      ['source', 'sha256'],
      'source.sha256 is ignored without source.srpm; remove it or add the src.rpm link',
    );
  }
  for (const key of ['spec', 'dir'] as const) {
    const path = config.source[key];
    if (path !== undefined && (path.startsWith('/') || path.split('/').includes('..'))) {
      error(
        ['source', key],
        `source.${key} is "${path}"; it must be a relative path inside the repository, without ".."`,
      );
    }
  }
}

function checkTestSteps(doc: unknown, error: Report): void {
  const steps = (doc as { test?: unknown }).test;
  if (!Array.isArray(steps)) return;
  steps.forEach((step, i) => {
    if (step === null || typeof step !== 'object') return;
    const kinds = ['run', 'rpmlint', 'install'].filter((k) => k in step);
    if (kinds.length === 0) {
      error(
        ['test', i],
        `test[${i}] says neither what to run nor which check; add "run: COMMAND", or write rpmlint or install`,
      );
    } else if (kinds.length > 1) {
      error(
        ['test', i],
        `test[${i}] has ${kinds.map((k) => `"${k}"`).join(' and ')}; a step is one of them, split it into ${kinds.length} steps`,
      );
    }
  });
}

/** Every `${{ }}` in the sections that interpolate must name a matrix key. Returns the paths where one does not. */
function checkExpressions(parsed: ParsedYaml, keys: Set<string>, error: Report): Set<string> {
  const bad = new Set<string>();
  const known = [...keys];
  const visit = (value: unknown, path: YamlPath) => {
    if (typeof value === 'string') {
      if (!hasExpression(value)) return;
      for (const expression of findExpressions(value)) {
        const at = parsed.locateInString(path, expression.text);
        if (expression.key === undefined) {
          bad.add(path.join('.'));
          error(
            path,
            `${expression.text} is not an expression albs-ci knows; the only one is \${{ matrix.KEY }}`,
            at,
          );
        } else if (!keys.has(expression.key)) {
          bad.add(path.join('.'));
          const hint =
            didYouMean(expression.key, known) ||
            (known.length ? `; the matrix keys are ${known.join(', ')}` : '; the matrix has no keys');
          error(path, `${expression.text} names "${expression.key}", which is not a matrix key${hint}`, at);
        }
      }
      if (/\$\{\{(?![\s\S]*?\}\})/.test(value)) {
        bad.add(path.join('.'));
        error(path, `"${value}" opens "\${{" without closing "}}"`, parsed.locate(path));
      }
    } else if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) visit(item, [...path, i]);
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
    }
  };
  const doc = parsed.value as Record<string, unknown>;
  for (const section of ['build', 'test', 'publish']) visit(doc[section], [section]);
  return bad;
}

function describe(combination: Combination): string {
  const parts = Object.entries(combination.values).map(([k, v]) => `${k}: ${valueText(v)}`);
  return parts.length ? `(${parts.join(', ')})` : '(no matrix)';
}

function checkCombinations(
  config: PipelineConfig,
  combinations: Combination[],
  error: Report,
  badPaths: Set<string>,
): void {
  // A config without a matrix still builds once.
  const all = combinations.length ? combinations : [{ values: {}, origins: {} }];
  for (const combination of all) {
    const { values } = combination;
    if (badPaths.has('build.builder')) continue;
    const builder = interpolate(config.build.builder, values);
    if (!(BUILDERS as readonly string[]).includes(builder)) {
      error(
        ['build', 'builder'],
        `build.builder renders to "${builder}" for ${describe(combination)}; expected one of ${BUILDERS.join(', ')}${didYouMean(builder, BUILDERS)}`,
      );
      continue;
    }
    if ('arch' in values) checkArch(combination, builder as Builder, error);
    if (builder === 'mock') {
      const missing = findExpressions(config.build.mock.config)
        .map((e) => e.key)
        .filter((k): k is string => k !== undefined && !(k in values));
      if (missing.length) {
        error(
          config.build.mock.config === DEFAULT_MOCK_CONFIG
            ? ['build', 'builder']
            : ['build', 'mock', 'config'],
          `mock needs a config for ${describe(combination)}: the default "<dist>-<arch>" uses matrix.${missing.join(' and matrix.')}, which it lacks; set build.mock.config`,
        );
      }
    }
  }
  // One error per target, naming every bad name it renders to: a matrix of 20 would say it 20 times.
  config.publish.forEach((target, i) => {
    if (badPaths.has(`publish.${i}.repo`)) return;
    const bad = [...new Set(all.map((c) => interpolate(target.repo, c.values)))].filter(
      (r) => !REPO_NAME.test(r),
    );
    if (bad.length === 0) return;
    error(
      ['publish', i, 'repo'],
      `publish[${i}].repo renders to ${bad.map((r) => JSON.stringify(r)).join(', ')}; a repo name must start with a letter or digit and hold only letters, digits, ".", "_" and "-"`,
    );
  });
}

function checkArch(combination: Combination, builder: Builder, error: Report): void {
  const arch = combination.values.arch;
  const valid = archesFor(builder);
  if (typeof arch === 'string' && valid.includes(arch)) return;
  const origin = combination.origins.arch ?? ['matrix', 'arch'];
  const text = valueText(arch);
  const guess = crossArchName(text, builder) ?? nearest(text, valid);
  const family = builder === 'dpkg' ? 'Debian' : 'RPM';
  const hint = guess ? `; did you mean "${guess}"?` : `; the ${family} arch names are ${valid.join(', ')}`;
  error(origin, `arch "${text}" is not an ${family} arch name (builder ${builder})${hint}`);
}
