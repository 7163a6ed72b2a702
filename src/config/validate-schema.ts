import type { ValidateFunction } from 'ajv/dist/2020.js';
import schema from '../../schemas/albs.schema.json' with { type: 'json' };
import { validate as compiled } from './albs-schema-validator.generated.js';
import { BUILDERS } from './arches.js';
import { didYouMean } from './nearest.js';
import type { ParsedYaml, YamlPath } from './parse-yaml.js';
import type { Problem } from './problem.js';
import { type SchemaWording, schemaProblems, show, sizeMessage } from './schema-problems.js';

/**
 * The schema compiled ahead of time by scripts/compile-schema.mjs (allErrors, verbose: errors carry
 * parentSchema): compiling it here cost every albs command about 130 ms before it could start.
 */
const validate = compiled as unknown as ValidateFunction;

/** The JSON Schema of .albs.yml, as editors and the README use it. */
export const ALBS_SCHEMA = schema;

/** Every schema violation of the parsed file, each worded for a packager and placed at its key or value. */
export function validateSchema(parsed: ParsedYaml, file: string): Problem[] {
  return schemaProblems(validate, ALBS_WORDING, parsed, file);
}

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

/** anyOf is used for values with two forms; say both forms. */
function anyOfMessage(path: YamlPath, value: unknown, where: string): string {
  const last = path[path.length - 1];
  if (last === 'builder') {
    return `${where} is ${show(value)}; expected one of ${BUILDERS.join(', ')} or an expression like \${{ matrix.builder }}${typeof value === 'string' ? didYouMean(value, BUILDERS) : ''}`;
  }
  if (last === 'timeout') {
    return `${where} is ${show(value)}; it must be a duration like 2h, 30m, 90s or 1h30m, or a number of seconds`;
  }
  if (last === 'memory' || last === 'disk') return sizeMessage(where, value);
  if (last === 'when') {
    const guess = typeof value === 'string' ? didYouMean(value, ['tag', 'branch']) : '';
    return `${where} is ${show(value)}; expected "tag", "branch" or a list of them${guess}`;
  }
  return `${where} is ${show(value)}, which has none of the accepted forms`;
}

const ALBS_WORDING: SchemaWording = {
  empty: 'the file is empty; a valid file starts with "version: 1"',
  patternHint,
  anyOf: anyOfMessage,
  required: (key) =>
    key === 'version' ? 'missing "version": the file must start with "version: 1"' : undefined,
  constant: (where, value, allowed) =>
    `${where} is ${show(value)}; this albs-ci reads files of version ${show(allowed)}, so write "version: 1"`,
};
