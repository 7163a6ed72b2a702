/**
 * Matrix expansion with GitHub Actions' semantics:
 * 1. the cartesian product of every key's values, the first key varying slowest;
 * 2. minus every combination that an `exclude` entry matches on all the entry's keys;
 * 3. each `include` entry, in order, is merged into every combination where it overwrites no
 *    ORIGINAL value (values added by an earlier include may be overwritten); an entry that
 *    fits no combination becomes a combination of its own, which later includes never extend.
 * Every value remembers where it came from, so that a caller can point at the YAML that made it.
 */

export type MatrixValue = unknown;
/** Where a value was written: a path into the config (matrix.arch[1], matrix.include[0].arch). */
export type Origin = (string | number)[];

export interface MatrixInput {
  /** The matrix keys in file order, each with its values. */
  axes: { key: string; values: MatrixValue[] }[];
  include: Record<string, MatrixValue>[];
  exclude: Record<string, MatrixValue>[];
}

export interface Combination {
  values: Record<string, MatrixValue>;
  /** For each key, where its value was written. */
  origins: Record<string, Origin>;
}

export interface Expansion {
  combinations: Combination[];
  /** Indexes of exclude entries that removed nothing: usually a typo in a value. */
  unusedExcludes: number[];
}

/** How many combinations the product has before exclude and include: checked before expanding. */
export function productSize(input: MatrixInput): number {
  if (input.axes.length === 0) return 0;
  return input.axes.reduce((n, axis) => n * axis.values.length, 1);
}

export function expandMatrix(input: MatrixInput, matrixPath: Origin = ['matrix']): Expansion {
  let combinations: Combination[] = input.axes.length === 0 ? [] : [{ values: {}, origins: {} }];
  for (const { key, values } of input.axes) {
    const next: Combination[] = [];
    for (const combination of combinations) {
      values.forEach((value, index) => {
        next.push({
          values: { ...combination.values, [key]: value },
          origins: { ...combination.origins, [key]: [...matrixPath, key, index] },
        });
      });
    }
    combinations = next;
  }

  const product = combinations;
  const unusedExcludes = input.exclude.flatMap((entry, i) =>
    product.some((c) => matches(c.values, entry)) ? [] : [i],
  );
  combinations = product.filter((c) => !input.exclude.some((entry) => matches(c.values, entry)));

  const originals = combinations.map((c) => ({ ...c.values }));
  const added: Combination[] = [];
  input.include.forEach((entry, includeIndex) => {
    let merged = false;
    combinations.forEach((combination, i) => {
      const original = originals[i]!;
      const fits = Object.entries(entry).every(
        ([k, v]) => !Object.hasOwn(original, k) || deepEqual(original[k], v),
      );
      if (!fits) return;
      merged = true;
      for (const [k, v] of Object.entries(entry)) {
        combination.values[k] = v;
        combination.origins[k] = [...matrixPath, 'include', includeIndex, k];
      }
    });
    if (!merged) {
      const origins: Record<string, Origin> = {};
      for (const k of Object.keys(entry)) origins[k] = [...matrixPath, 'include', includeIndex, k];
      added.push({ values: { ...entry }, origins });
    }
  });
  return { combinations: [...combinations, ...added], unusedExcludes };
}

/**
 * True when every key of `entry` is in `values` with a matching value. The match is partial at every
 * depth, as GitHub Actions does for exclude: {os: {name: el8}} matches {os: {name: el8, arch: x86_64}}.
 */
function matches(values: Record<string, MatrixValue>, entry: Record<string, MatrixValue>): boolean {
  return Object.entries(entry).every(([k, v]) => Object.hasOwn(values, k) && partialMatch(values[k], v));
}

function partialMatch(value: unknown, pattern: unknown): boolean {
  if (pattern === null || typeof pattern !== 'object' || Array.isArray(pattern))
    return deepEqual(value, pattern);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.entries(pattern).every(
    ([k, v]) => Object.hasOwn(value, k) && partialMatch((value as Record<string, unknown>)[k], v),
  );
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
