import type { MatrixInput } from '../plan/expand-matrix.js';
import type { ParsedYaml } from './parse-yaml.js';
import type {
  BuildConfig,
  LookasideConfig,
  PipelineConfig,
  PublishTarget,
  PublishWhen,
  TestStepConfig,
  TriggerFilter,
} from './types.js';

/** Test steps without a timeout of their own get this many seconds. */
export const DEFAULT_STEP_TIMEOUT = 30 * 60;
export const DEFAULT_BUILD_TIMEOUT = 2 * 60 * 60;
export const DEFAULT_MOCK_CONFIG = '${{ matrix.dist }}-${{ matrix.arch }}';
const GIB = 1024 ** 3;
/** build.limits without values of their own: what a large package (a kernel, a browser) needs. */
export const DEFAULT_LIMITS = { memory: 8 * GIB, tasks: 4096, disk: 50 * GIB } as const;
/** source.lookaside.max-size without a value of its own. */
export const DEFAULT_MAX_LOOKASIDE_BYTES = GIB;
const SIZE_UNITS: Record<string, number> = { KiB: 1024, MiB: 1024 ** 2, GiB: GIB, TiB: 1024 ** 4 };

type Raw = Record<string, unknown>;

/** "1h30m" or 5400 -> 5400. The schema has already checked the form. */
export function parseDuration(value: unknown, fallback: number): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return fallback;
  const units: Record<string, number> = { h: 3600, m: 60, s: 1 };
  let seconds = 0;
  for (const [, n, unit] of value.matchAll(/(\d+)([hms])/g)) seconds += Number(n) * (units[unit ?? 's'] ?? 1);
  return seconds;
}

/** "8GiB" or 8589934592 -> 8589934592. The schema has already checked the form. */
export function parseSize(value: unknown, fallback: number): number {
  if (typeof value === 'number') return value;
  const match = typeof value === 'string' ? /^(\d+)(KiB|MiB|GiB|TiB)$/.exec(value) : null;
  return match ? Number(match[1]) * (SIZE_UNITS[match[2]!] ?? 1) : fallback;
}

function obj(value: unknown): Raw {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : {};
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function env(value: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(obj(value)).map(([k, v]) => [k, String(v)]));
}

/** Fill in every default of a schema-valid document. */
export function normalise(parsed: ParsedYaml, file: string): PipelineConfig {
  const doc = obj(parsed.value);
  const source = obj(doc.source);
  const build = obj(doc.build);
  const mock = obj(build.mock);
  const dpkg = obj(build.dpkg);
  const limits = obj(build.limits);
  const concurrency = obj(doc.concurrency);
  return {
    version: 1,
    file,
    source: {
      ...(typeof source.spec === 'string' ? { spec: source.spec } : {}),
      ...(typeof source.srpm === 'string' ? { srpm: source.srpm } : {}),
      ...(typeof source.dsc === 'string' ? { dsc: source.dsc } : {}),
      ...(typeof source.sha256 === 'string' ? { sha256: source.sha256.toLowerCase() } : {}),
      ...(typeof source.dir === 'string' ? { dir: source.dir } : {}),
      ...(typeof source.tarball === 'string' ? { tarball: source.tarball } : {}),
      ...(typeof source['tarball-command'] === 'string' ? { tarballCommand: source['tarball-command'] } : {}),
      ...(source.lookaside !== undefined ? { lookaside: normaliseLookaside(source.lookaside) } : {}),
    },
    on: normaliseOn(doc.on),
    matrix: normaliseMatrix(doc.matrix),
    build: {
      builder: typeof build.builder === 'string' ? build.builder : 'rpmbuild',
      runsOn: Array.isArray(build['runs-on']) ? strings(build['runs-on']) : undefined,
      timeout: parseDuration(build.timeout, DEFAULT_BUILD_TIMEOUT),
      env: env(build.env),
      macros: env(build.macros),
      mock: {
        config: typeof mock.config === 'string' ? mock.config : DEFAULT_MOCK_CONFIG,
        options: strings(mock.options),
      },
      dpkg: {
        sbuild: dpkg.sbuild === true,
        dist: typeof dpkg.dist === 'string' ? dpkg.dist : undefined,
        options: strings(dpkg.options),
      },
      network: build.network === true,
      limits: {
        memory: parseSize(limits.memory, DEFAULT_LIMITS.memory),
        tasks: typeof limits.tasks === 'number' ? limits.tasks : DEFAULT_LIMITS.tasks,
        disk: parseSize(limits.disk, DEFAULT_LIMITS.disk),
      },
    } satisfies BuildConfig,
    test: (Array.isArray(doc.test) ? doc.test : []).map(normaliseTestStep),
    sign: { key: typeof obj(doc.sign).key === 'string' ? String(obj(doc.sign).key) : 'default' },
    publish: (Array.isArray(doc.publish) ? doc.publish : []).map(normalisePublish),
    failFast: typeof doc['fail-fast'] === 'boolean' ? doc['fail-fast'] : true,
    maxParallel: typeof doc['max-parallel'] === 'number' ? doc['max-parallel'] : null,
    concurrency: { cancelInProgress: concurrency['cancel-in-progress'] === true },
    locate: parsed.locate,
  };
}

function normaliseLookaside(value: unknown): LookasideConfig {
  const lookaside = obj(value);
  return {
    ...(typeof lookaside.url === 'string' ? { url: lookaside.url } : {}),
    ...(typeof lookaside.metadata === 'string' ? { metadata: lookaside.metadata } : {}),
    maxSize: parseSize(lookaside['max-size'], DEFAULT_MAX_LOOKASIDE_BYTES),
  };
}

function normaliseOn(value: unknown): TriggerFilter | null {
  if (value === undefined) return null;
  const on = obj(value);
  return { tags: strings(on.tags), branches: strings(on.branches), pullRequests: on.pull_requests === true };
}

export function normaliseMatrix(value: unknown): MatrixInput {
  const matrix = obj(value);
  const entries = (list: unknown) => (Array.isArray(list) ? list.map(obj) : []);
  return {
    axes: Object.entries(matrix)
      .filter(([key, values]) => key !== 'include' && key !== 'exclude' && Array.isArray(values))
      .map(([key, values]) => ({ key, values: values as unknown[] })),
    include: entries(matrix.include),
    exclude: entries(matrix.exclude),
  };
}

function normaliseTestStep(item: unknown): TestStepConfig {
  if (typeof item === 'string') {
    const common = { name: item, timeout: DEFAULT_STEP_TIMEOUT, env: {}, network: false };
    if (item === 'install') return { kind: 'install', ...common, repos: [], gpgkeys: [], gpgcheck: true };
    if (item === 'lintian') return { kind: 'lintian', ...common, ignore: [] };
    return { kind: 'rpmlint', ...common, name: 'rpmlint', ignore: [] };
  }
  const step = obj(item);
  const common = {
    timeout: parseDuration(step.timeout, DEFAULT_STEP_TIMEOUT),
    env: env(step.env),
    network: step.network === true,
  };
  const named = (fallback: string) => (typeof step.name === 'string' ? step.name : fallback);
  if ('rpmlint' in step) {
    return { kind: 'rpmlint', name: named('rpmlint'), ...common, ignore: strings(obj(step.rpmlint).ignore) };
  }
  if ('lintian' in step) {
    return { kind: 'lintian', name: named('lintian'), ...common, ignore: strings(obj(step.lintian).ignore) };
  }
  if ('install' in step) {
    const install = obj(step.install);
    return {
      kind: 'install',
      name: named('install'),
      ...common,
      repos: strings(install.repos),
      gpgkeys: strings(install.gpgkeys),
      gpgcheck: install.gpgcheck !== false,
    };
  }
  const run = String(step.run ?? '');
  return { kind: 'run', name: named(commandName(run)), ...common, run };
}

/**
 * A run step's default name: its command's first line. A step name goes into logs and statuses on
 * one line, and a `run: |` script has many; the control characters a name may not hold become spaces.
 */
export function commandName(run: string): string {
  const lines = run.split('\n').filter((l) => l.trim() !== '');
  const first = (lines[0] ?? run).replace(/\p{Cc}+/gu, ' ').trim();
  return lines.length > 1 ? `${first} …` : first;
}

function normalisePublish(item: unknown): PublishTarget {
  const target = obj(item);
  const when = target.when;
  const list: PublishWhen[] =
    when === undefined
      ? ['tag', 'branch']
      : Array.isArray(when)
        ? (when as PublishWhen[])
        : [when as PublishWhen];
  return { repo: String(target.repo), when: list };
}
