import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { didYouMean } from './nearest.js';
import type { ParsedYaml, YamlPath } from './parse-yaml.js';
import { describePath, type Problem } from './problem.js';

/**
 * What a schema's own values mean, for the messages ajv cannot word: a pattern or an anyOf is no
 * explanation to the person who wrote the file. Each file format (.albs.yml, the albs serve
 * configuration) gives its own; a hook that returns undefined leaves the generic wording.
 */
export interface SchemaWording {
  /** The problem of an empty document, at 1:1. */
  empty: string;
  /** What a value (or a key, under propertyNames) at this path must look like: "must be …". */
  patternHint(path: YamlPath): string;
  /** A value with several accepted forms that has none of them. */
  anyOf?(path: YamlPath, value: unknown, where: string): string | undefined;
  /** A required key that is missing from the mapping at `where`. */
  required?(key: string, where: string): string | undefined;
  /** A value that is not the one constant the schema allows. */
  constant?(where: string, value: unknown, allowed: unknown): string | undefined;
}

/**
 * Every violation of a schema compiled with allErrors and verbose (errors carry parentSchema: the
 * keys a mapping accepts), each worded for a person and placed at its key or value.
 */
export function schemaProblems(
  validate: ValidateFunction,
  wording: SchemaWording,
  parsed: ParsedYaml,
  file: string,
): Problem[] {
  if (parsed.value === null || parsed.value === undefined) {
    return [{ severity: 'error', file, line: 1, col: 1, path: [], message: wording.empty }];
  }
  if (validate(parsed.value)) return [];
  const errors = dropBranchNoise(validate.errors ?? []);
  return errors.map((e) => toProblem(e, wording, parsed, file));
}

/**
 * ajv reports an anyOf/if failure together with the failure of every branch. Keep one error per
 * place: the anyOf itself (worded from its branches) and nothing from inside it or from `if`.
 */
function dropBranchNoise(errors: ErrorObject[]): ErrorObject[] {
  const inBranch = (e: ErrorObject, at: string) =>
    e.keyword !== 'anyOf' &&
    e.schemaPath.includes('/anyOf/') &&
    (e.instancePath === at || e.instancePath.startsWith(`${at}/`));
  // When a branch failed deeper inside the value (a bad item in a list form), that error is the precise one.
  const deeper = new Set(
    errors
      .filter(
        (a) =>
          a.keyword === 'anyOf' &&
          errors.some((e) => inBranch(e, a.instancePath) && e.instancePath !== a.instancePath),
      )
      .map((a) => a.instancePath),
  );
  return errors.filter((e) => {
    // if/then and propertyNames each add a summary beside the error that says what is wrong.
    if (e.keyword === 'if' || e.keyword === 'propertyNames') return false;
    if (e.keyword === 'anyOf') return !deeper.has(e.instancePath);
    const owner = errors.find((a) => a.keyword === 'anyOf' && inBranch(e, a.instancePath));
    if (!owner) return true;
    return deeper.has(owner.instancePath) && e.instancePath !== owner.instancePath;
  });
}

function pathOf(pointer: string): YamlPath {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** A value as a message shows it. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

function valueAt(root: unknown, path: YamlPath): unknown {
  let node = root;
  for (const step of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[step];
  }
  return node;
}

/** Keys a mapping at this schema location accepts, for "did you mean". */
function knownKeys(parentSchema: unknown): string[] {
  const props = (parentSchema as { properties?: Record<string, unknown> }).properties;
  return props ? Object.keys(props) : [];
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping (key: value lines)',
  array: 'a list',
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
};

/** The anyOf of a size ($defs/size: 8GiB or bytes), with the unit a person likely meant. */
export function sizeMessage(where: string, value: unknown): string {
  // 8G, 8GB, 8gib: the unit a person meant, in the form albs reads.
  const unit = typeof value === 'string' ? /^\s*(\d+)\s*([KMGT])(?:i?B)?\s*$/i.exec(value) : null;
  const guess = unit ? `; did you mean "${unit[1]}${unit[2]!.toUpperCase()}iB"?` : '';
  return `${where} is ${show(value)}; it must be a size like 512MiB, 8GiB or 1TiB (units KiB, MiB, GiB, TiB), or a number of bytes${guess}`;
}

function toProblem(e: ErrorObject, wording: SchemaWording, parsed: ParsedYaml, file: string): Problem {
  const path = pathOf(e.instancePath);
  const value = valueAt(parsed.value, path);
  const where = describePath(path);
  let at = parsed.locate(path);
  let problemPath = path;
  let message: string;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      problemPath = [...path, key];
      at = parsed.locateKey(problemPath);
      const known = knownKeys(e.parentSchema);
      const section = path.length ? ` in ${where}` : '';
      message =
        `unknown key "${key}"${section}` +
        (didYouMean(key, known) || (known.length ? `; the keys here are ${known.join(', ')}` : ''));
      break;
    }
    case 'required': {
      const key = String(e.params.missingProperty);
      message = wording.required?.(key, where) ?? `missing "${key}" in ${where}; add "${key}:" with a value`;
      break;
    }
    case 'const':
      message =
        wording.constant?.(where, value, e.params.allowedValue) ??
        `${where} is ${show(value)}; it must be ${show(e.params.allowedValue)}`;
      break;
    case 'type': {
      const wanted = String(e.params.type)
        .split(',')
        .map((t) => TYPE_WORDS[t] ?? t)
        .join(' or ');
      message = `${where} must be ${wanted}, not ${show(value)}`;
      break;
    }
    case 'enum': {
      const allowed = (e.params.allowedValues as unknown[]).map((v) => String(v));
      message = `${where} is ${show(value)}; expected one of ${allowed.join(', ')}${typeof value === 'string' ? didYouMean(value, allowed) : ''}`;
      break;
    }
    case 'anyOf':
      message =
        wording.anyOf?.(path, value, where) ??
        `${where} is ${show(value)}, which has none of the accepted forms`;
      break;
    case 'pattern':
      if (e.propertyName !== undefined) {
        problemPath = [...path, e.propertyName];
        at = parsed.locateKey(problemPath);
        message = `"${e.propertyName}" in ${where} ${wording.patternHint(problemPath)}`;
      } else {
        message = `${where} is ${show(value)}; it ${wording.patternHint(path)}`;
      }
      break;
    case 'minItems':
      message = `${where} is an empty list; give at least ${e.params.limit} value${e.params.limit === 1 ? '' : 's'} or remove the key`;
      break;
    case 'minLength':
      message = `${where} is empty; give a value or remove the key`;
      break;
    case 'minProperties':
      message = `${where} is an empty mapping; give at least one key or remove it`;
      break;
    case 'minimum':
      message = `${where} is ${show(value)}; it must be at least ${e.params.limit}`;
      break;
    case 'maximum':
      message = `${where} is ${show(value)}; it must be at most ${e.params.limit}`;
      break;
    case 'uniqueItems':
      message = `${where} lists the same value twice; remove the repeat`;
      break;
    default:
      message = `${where}: ${e.message ?? 'is invalid'}`;
  }
  return { severity: 'error', file, ...at, path: problemPath, message };
}
