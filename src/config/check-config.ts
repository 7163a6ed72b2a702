import { type Combination, expandMatrix, productSize } from '../plan/expand-matrix.js';
import { findExpressions, hasExpression, interpolate, valueText } from '../plan/interpolate.js';
import { archesFor, BUILDERS, type Builder, crossArchName, familyOf, type PackageFamily } from './arches.js';
import { checkBuildOptions } from './build-options.js';
import { checkMacros } from './check-macros.js';
import { checkControlCharacters, checkJobIds } from './check-names.js';
import { checkInstallKeys, checkLimits, checkNetwork } from './check-sandbox.js';
import { LOOKASIDE_PLACEHOLDERS, unknownPlaceholders } from './lookaside-url.js';
import { didYouMean, nearest } from './nearest.js';
import { DEFAULT_MOCK_CONFIG } from './normalise.js';
import type { ParsedYaml, YamlPath } from './parse-yaml.js';
import { describePath, type Position, type Problem, type Report } from './problem.js';
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
  checkTimeouts(config, error);
  checkTestSteps(parsed.value, error);
  checkControlCharacters(config, parsed.value, error);
  checkNetwork(config, error);
  checkLimits(config, parsed.value, error);
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
      `the matrix has ${product} combinations before exclude; the limit is ${maxJobs} (one build job each): use fewer values or split the package`,
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
  const everyAxisHasValues = config.matrix.axes.every((a) => a.values.length > 0);
  if (combinations.length === 0 && config.matrix.axes.length > 0 && everyAxisHasValues) {
    error(
      ['matrix', 'exclude'],
      'matrix.exclude removes every combination, so nothing would be built; remove an exclude entry or add an include',
      parsed.locateKey(['matrix', 'exclude']),
    );
    return problems;
  }
  if (combinations.length > maxJobs) {
    error(
      ['matrix'],
      `the matrix expands to ${combinations.length} combinations; the limit is ${maxJobs} (one build job each): exclude some or split the package`,
    );
    return problems;
  }

  const allKeys = new Set(combinations.flatMap((c) => Object.keys(c.values)));
  for (const key of config.matrix.axes.map((a) => a.key)) allKeys.add(key);
  const badPaths = checkExpressions(parsed, allKeys, error);
  // A config without a matrix still builds once.
  const all = combinations.length ? combinations : [{ values: {}, origins: {} }];
  const builders = checkCombinations(config, all, error, badPaths);
  checkBuildOptions(config, builders, error, badPaths, matrixText);
  checkInstallKeys(config, all, error, parsed.locateKey, badPaths);
  checkMacros(config, all, error, badPaths);
  checkJobIds(config, all, error, badPaths);
  return problems;
}

/** The longest timeout albs accepts: a week. Longer is a typo (600h for 600s), and timers cap near 24 days. */
export const MAX_TIMEOUT = 7 * 24 * 60 * 60;

function checkTimeouts(config: PipelineConfig, error: Report): void {
  const check = (seconds: number, path: YamlPath) => {
    if (seconds > MAX_TIMEOUT) {
      error(
        path,
        `${describePath(path)} is ${seconds} s, over the ${MAX_TIMEOUT} s (7 days) albs allows; give a shorter timeout`,
      );
    }
  };
  check(config.build.timeout, ['build', 'timeout']);
  for (const [i, step] of config.test.entries()) check(step.timeout, ['test', i, 'timeout']);
}

function checkSource(config: PipelineConfig, error: Report, warning: Report): void {
  const { spec, srpm, dsc, sha256, dir, tarball, tarballCommand, lookaside } = config.source;
  if (srpm !== undefined && spec !== undefined) {
    error(
      ['source', 'spec'],
      'source has both "spec" and "srpm"; give one: a spec in this repository, or a src.rpm link',
    );
  }
  if (srpm !== undefined && dsc !== undefined) {
    error(
      ['source', 'dsc'],
      'source has both "srpm" and "dsc", and one sha256 cannot check both; give one, or build them from two .albs.yml files',
    );
  }
  for (const [key, link] of [
    ['srpm', srpm],
    ['dsc', dsc],
  ] as const) {
    if (link === undefined) continue;
    const what = key === 'srpm' ? 'a src.rpm' : 'a .dsc';
    if (dir !== undefined) {
      error(
        ['source', 'dir'],
        `source has both "dir" and "${key}"; ${what} link carries its own sources, remove "dir"`,
      );
    }
    if (sha256 === undefined) {
      error(
        ['source', key],
        `source.${key} needs source.sha256 (64 hex digits, as \`sha256sum FILE\` prints them) so a changed download is refused`,
      );
    }
  }
  if (sha256 !== undefined && srpm === undefined && dsc === undefined) {
    warning(
      ['source', 'sha256'],
      'source.sha256 is ignored without source.srpm or source.dsc; remove it or add the link',
    );
  }
  if (tarball !== undefined && tarballCommand !== undefined) {
    error(
      ['source', 'tarball-command'],
      'source has both "tarball" and "tarball-command"; give one: a tarball in the repository, or the command that makes it',
    );
  }
  if (dsc !== undefined) {
    for (const [key, value] of [
      ['tarball', tarball],
      ['tarball-command', tarballCommand],
    ] as const) {
      if (value !== undefined)
        error(
          ['source', key],
          `source has both "${key}" and "dsc"; a .dsc lists its own upstream tarball, remove "${key}"`,
        );
    }
  }
  const paths: [YamlPath, string | undefined][] = [
    [['source', 'spec'], spec],
    [['source', 'dir'], dir],
    [['source', 'tarball'], tarball],
    [['source', 'lookaside', 'metadata'], lookaside?.metadata],
  ];
  for (const [path, value] of paths) {
    if (value !== undefined && (value.startsWith('/') || value.split('/').includes('..'))) {
      error(
        path,
        `${describePath(path)} is "${value}"; it must be a relative path inside the repository, without ".."`,
      );
    }
  }
  if (lookaside !== undefined) {
    for (const [key, link] of [
      ['srpm', srpm],
      ['dsc', dsc],
    ] as const) {
      if (link !== undefined)
        error(
          ['source', 'lookaside'],
          `source has both "lookaside" and "${key}"; a ${key === 'srpm' ? 'src.rpm' : '.dsc'} link carries its own sources, remove "lookaside"`,
        );
    }
    const unknown = lookaside.url === undefined ? [] : unknownPlaceholders(lookaside.url);
    if (unknown.length > 0) {
      error(
        ['source', 'lookaside', 'url'],
        `source.lookaside.url has ${unknown.map((p) => `{${p}}`).join(', ')}, which albs does not fill in; the placeholders are ${LOOKASIDE_PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}`,
      );
    }
  }
}

function checkTestSteps(doc: unknown, error: Report): void {
  const steps = (doc as { test?: unknown }).test;
  if (!Array.isArray(steps)) return;
  steps.forEach((step, i) => {
    if (step === null || typeof step !== 'object') return;
    const kinds = ['run', 'rpmlint', 'lintian', 'install'].filter((k) => k in step);
    if (kinds.length === 0) {
      error(
        ['test', i],
        `test[${i}] says neither what to run nor which check; add "run: COMMAND", or write rpmlint, lintian or install`,
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

/** "the build (builder: dpkg, arch: amd64)", or "the build" without a matrix. */
/** "arch: x86_64, dist: almalinux-9", or empty without a matrix. */
function matrixText(combination: Combination): string {
  return Object.entries(combination.values)
    .map(([k, v]) => `${k}: ${valueText(v)}`)
    .join(', ');
}

function theBuild(combination: Combination): string {
  const text = matrixText(combination);
  return text ? `the build (${text})` : 'the build';
}

function describe(combination: Combination): string {
  return `(${matrixText(combination) || 'no matrix'})`;
}

/** Checks per combination; returns each combination's rendered builder, when it is valid. */
function checkCombinations(
  config: PipelineConfig,
  all: Combination[],
  error: Report,
  badPaths: Set<string>,
): Map<Combination, Builder> {
  /** The family each combination builds, when its builder is valid. */
  const families = new Map<Combination, PackageFamily>();
  const builders = new Map<Combination, Builder>();
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
    families.set(combination, familyOf(builder as Builder));
    builders.set(combination, builder as Builder);
    if (Object.hasOwn(values, 'arch')) checkArch(combination, builder as Builder, error);
    if (builder === 'mock') {
      const missing = findExpressions(config.build.mock.config)
        .map((e) => e.key)
        .filter((k): k is string => k !== undefined && !Object.hasOwn(values, k));
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
  checkFamilies(config, families, error);
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
  return builders;
}

/**
 * What only one package family can use: rpmlint and src.rpm links for rpm builders, lintian and
 * .dsc links for dpkg; and a repository, which holds one family (dnf or apt). One error per place,
 * naming the first combination that breaks it.
 */
function checkFamilies(
  config: PipelineConfig,
  families: Map<Combination, PackageFamily>,
  error: Report,
): void {
  const firstOf = (family: PackageFamily) => [...families].find(([, f]) => f === family)?.[0];
  const firstRpm = firstOf('rpm');
  const firstDeb = firstOf('deb');
  const both = firstRpm !== undefined && firstDeb !== undefined;
  const shared = both ? '; a matrix over builder can share only install and run: steps' : '';
  config.test.forEach((step, i) => {
    if (step.kind === 'rpmlint' && firstDeb) {
      error(
        ['test', i],
        `test[${i}] is rpmlint, which checks RPMs, but ${theBuild(firstDeb)} makes Debian packages (builder dpkg): use lintian instead${shared}`,
      );
    }
    if (step.kind === 'lintian' && firstRpm) {
      error(
        ['test', i],
        `test[${i}] is lintian, which checks Debian packages, but ${theBuild(firstRpm)} makes RPMs: use rpmlint instead${shared}`,
      );
    }
  });
  if (config.source.srpm !== undefined && firstDeb) {
    error(
      ['source', 'srpm'],
      `source.srpm is a src.rpm, which dpkg cannot build, but ${theBuild(firstDeb)} uses builder dpkg: use source.dsc for a Debian source package, or an rpm builder`,
    );
  }
  if (config.source.lookaside !== undefined && firstDeb) {
    error(
      ['source', 'lookaside'],
      `source.lookaside fetches the sources of an RPM dist-git repository, but ${theBuild(firstDeb)} uses builder dpkg: give a 3.0 (quilt) package its tarball with source.tarball or source.tarball-command`,
    );
  }
  if (config.source.dsc !== undefined && firstRpm) {
    error(
      ['source', 'dsc'],
      `source.dsc is a Debian source package, which only builder dpkg builds, but ${theBuild(firstRpm)} makes RPMs: use builder: dpkg, or source.srpm for a src.rpm`,
    );
  }
  // Per trigger kind, as the plan groups them: a rendered repo name must see builds of one family.
  const reported = new Set<number>();
  for (const when of ['tag', 'branch'] as const) {
    const seen = new Map<string, { family: PackageFamily; combination: Combination }>();
    config.publish.forEach((target, i) => {
      if (!target.when.includes(when) || reported.has(i)) return;
      for (const [combination, family] of families) {
        const repo = interpolate(target.repo, combination.values);
        const first = seen.get(repo);
        if (!first) {
          seen.set(repo, { family, combination });
        } else if (first.family !== family) {
          const [rpm, deb] =
            family === 'rpm' ? [combination, first.combination] : [first.combination, combination];
          error(
            ['publish', i, 'repo'],
            `publish[${i}].repo renders to "${repo}" for both RPMs, from ${theBuild(rpm)}, and Debian packages, from ${theBuild(deb)}; a repository holds one family (dnf or apt): give each family its own repo name, e.g. with \${{ matrix.builder }} in it`,
          );
          reported.add(i);
          return;
        }
      }
    });
  }
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
  error(
    origin,
    `arch "${text}" is not ${family === 'RPM' ? 'an' : 'a'} ${family} arch name (builder ${builder})${hint}`,
  );
}
