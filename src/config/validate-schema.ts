import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import schema from '../../schemas/albs.schema.json' with { type: 'json' };
import { validate as compiled } from './albs-schema-validator.generated.js';
import { BUILDERS } from './arches.js';
import { didYouMean } from './nearest.js';
import type { ParsedYaml, YamlPath } from './parse-yaml.js';
import { describePath, type Problem } from './problem.js';

/**
 * The schema compiled ahead of time by scripts/compile-schema.mjs (allErrors, verbose: errors carry
 * parentSchema): compiling it here cost every albs command about 130 ms before it could start.
 */
const validate = compiled as unknown as ValidateFunction;

/** The JSON Schema of .albs.yml, as editors and the README use it. */
export const ALBS_SCHEMA = schema;

/** Every schema violation of the parsed file, each worded for a packager and placed at its key or value. */
export function validateSchema(parsed: ParsedYaml, file: string): Problem[] {
  if (parsed.value === null || parsed.value === undefined) {
    return [
      {
        severity: 'error',
        file,
        line: 1,
        col: 1,
        path: [],
        message: 'the file is empty; a valid file starts with "version: 1"',
      },
    ];
  }
  if (validate(parsed.value)) return [];
  const errors = dropBranchNoise(validate.errors ?? []);
  return errors.map((e) => toProblem(e, parsed, file));
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

function show(value: unknown): string {
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

/** What a pattern means, by the path it applies to: a pattern is no explanation. */
function patternHint(path: YamlPath): string {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (last === 'srpm') return 'must be an http:// or https:// link to a .src.rpm';
  if (last === 'dsc') return 'must be an http:// or https:// link to a .dsc';
  if (last === 'sha256') return 'must be 64 hex digits, as `sha256sum FILE` prints them';
  if (last === 'key' && path[0] === 'sign') return 'must be a key name of letters, digits, ".", "_" and "-"';
  if (last === 'timeout') return 'must be a duration like 2h, 30m, 90s or 1h30m, or a number of seconds';
  if (parent === 'gpgkeys')
    return 'must be a key file on the runner (file:///PATH) or an http:// or https:// link';
  if (path[0] === 'matrix')
    return 'is not a valid matrix key: use letters, digits, "_" and "-", starting with a letter';
  if (parent === 'env' || last === 'env')
    return 'is not a valid environment variable name: use letters, digits and "_"';
  if (parent === 'macros')
    return 'is not an rpm macro name: use letters, digits and "_", not starting with a digit';
  if (last === 'url' && parent === 'lookaside')
    return 'must be an http:// or https:// URL with {hash} or other placeholders, e.g. https://sources.almalinux.org/{hash}';
  return 'has an unexpected form';
}

function toProblem(e: ErrorObject, parsed: ParsedYaml, file: string): Problem {
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
      message =
        key === 'version'
          ? 'missing "version": the file must start with "version: 1"'
          : `missing "${key}" in ${where}; add "${key}:" with a value`;
      break;
    }
    case 'const':
      message = `${where} is ${show(value)}; this albs-ci reads files of version ${show(e.params.allowedValue)}, so write "version: 1"`;
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
      message = anyOfMessage(path, value, where);
      break;
    case 'pattern':
      if (e.propertyName !== undefined) {
        problemPath = [...path, e.propertyName];
        at = parsed.locateKey(problemPath);
        message = `"${e.propertyName}" in ${where} ${patternHint(problemPath)}`;
      } else {
        message = `${where} is ${show(value)}; it ${patternHint(path)}`;
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

/** anyOf is used for values with two forms; say both forms. */
function anyOfMessage(path: YamlPath, value: unknown, where: string): string {
  const last = path[path.length - 1];
  if (last === 'builder') {
    return `${where} is ${show(value)}; expected one of ${BUILDERS.join(', ')} or an expression like \${{ matrix.builder }}${typeof value === 'string' ? didYouMean(value, BUILDERS) : ''}`;
  }
  if (last === 'timeout') {
    return `${where} is ${show(value)}; it must be a duration like 2h, 30m, 90s or 1h30m, or a number of seconds`;
  }
  if (last === 'memory' || last === 'disk') {
    // 8G, 8GB, 8gib: the unit a person meant, in the form albs reads.
    const unit = typeof value === 'string' ? /^\s*(\d+)\s*([KMGT])(?:i?B)?\s*$/i.exec(value) : null;
    const guess = unit ? `; did you mean "${unit[1]}${unit[2]!.toUpperCase()}iB"?` : '';
    return `${where} is ${show(value)}; it must be a size like 512MiB, 8GiB or 1TiB (units KiB, MiB, GiB, TiB), or a number of bytes${guess}`;
  }
  if (last === 'when') {
    const guess = typeof value === 'string' ? didYouMean(value, ['tag', 'branch']) : '';
    return `${where} is ${show(value)}; expected "tag", "branch" or a list of them${guess}`;
  }
  return `${where} is ${show(value)}, which has none of the accepted forms`;
}
