/**
 * `${{ matrix.KEY }}` in a string is replaced by that key's value in the job's combination.
 * It is the only expression there is: anything else inside `${{ }}` is reported, never passed through.
 */

/** One `${{ ... }}` found in a string: its exact text, and the matrix key when it names one. */
export interface Expression {
  text: string;
  /** The matrix key, or undefined when the expression is not `matrix.KEY`. */
  key: string | undefined;
}

const EXPRESSION = /\$\{\{(.*?)\}\}/g;
const MATRIX_KEY = /^\s*matrix\.([A-Za-z_][A-Za-z0-9_-]*)\s*$/;

export function findExpressions(template: string): Expression[] {
  return [...template.matchAll(EXPRESSION)].map((m) => ({
    text: m[0],
    key: MATRIX_KEY.exec(m[1] ?? '')?.[1],
  }));
}

export function hasExpression(template: string): boolean {
  return template.includes('${{');
}

/** A matrix value as it reads inside a string: scalars as written, lists and maps as JSON. */
export function valueText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Replace every `${{ matrix.KEY }}`; a key missing from this combination renders empty, as in GitHub Actions. */
export function interpolate(template: string, values: Record<string, unknown>): string {
  return template.replace(EXPRESSION, (_, inner: string) => {
    const key = MATRIX_KEY.exec(inner)?.[1];
    // Own keys only: "constructor" or "toString" must not reach Object.prototype.
    return key === undefined || !Object.hasOwn(values, key) ? '' : valueText(values[key]);
  });
}
