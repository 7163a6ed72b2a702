import { CONTROL_CHARACTER, quote, shorten } from '../config/text.js';

/**
 * A webhook payload field that is missing or of the wrong type. Payloads are untrusted JSON (anyone
 * who can reach the server can post one that passes nothing but the signature check of a leaked
 * secret, and forges change shapes between versions): the parsers turn this into an IgnoredEvent
 * naming the field, never into a crash of the delivery handler.
 */
export class PayloadFieldError extends Error {
  override name = 'PayloadFieldError';
}

/** A value as a message shows it: short, quoted, control characters escaped (it is attacker text). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string ${quote(shorten(value, 48))}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return Array.isArray(value) ? 'an array' : 'an object';
}

/**
 * Text from a delivery (event name, delivery id, a ref already checked for control characters) as
 * an IgnoredEvent reason shows it: shortened, and quoted when it holds anything a log line must not.
 */
export function showText(text: string): string {
  const short = shorten(text, 100);
  return /[\p{Cc}"\\]/u.test(short) ? quote(short) : short;
}

/** The value at a dotted path (`pull_request.head.sha`), undefined when any step is not an object. */
export function at(payload: unknown, path: string): unknown {
  let value: unknown = payload;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    // Own properties only: a payload key "__proto__" or "constructor" must not reach Object.prototype.
    if (!Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function fail(path: string, value: unknown, expected: string): never {
  throw new PayloadFieldError(`${path} is ${describeValue(value)}, expected ${expected}`);
}

/** A non-empty string without control characters (it reaches logs, statuses and git arguments). */
export function requireString(payload: unknown, path: string): string {
  const value = at(payload, path);
  if (typeof value !== 'string' || value === '') fail(path, value, 'a non-empty string');
  if (CONTROL_CHARACTER.test(value)) fail(path, value, 'a string without control characters');
  return value;
}

/** The first of `paths` that holds a string; fails naming them all when none does. */
export function requireOneOf(payload: unknown, paths: string[]): string {
  for (const path of paths) {
    if (typeof at(payload, path) === 'string' && at(payload, path) !== '')
      return requireString(payload, path);
  }
  throw new PayloadFieldError(
    `${paths.join(' and ')} are ${paths.map((p) => describeValue(at(payload, p))).join(' and ')}, expected a non-empty string in one of them`,
  );
}

export function requireBoolean(payload: unknown, path: string): boolean {
  const value = at(payload, path);
  if (typeof value !== 'boolean') fail(path, value, 'true or false');
  return value;
}

/** A positive safe integer: ids and pull request numbers. */
export function requireId(payload: unknown, path: string): number {
  const value = at(payload, path);
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    fail(path, value, 'a positive integer');
  }
  return value;
}

/** Like requireId, but undefined when the field is absent or null. */
export function optionalId(payload: unknown, path: string): number | undefined {
  const value = at(payload, path);
  return value === undefined || value === null ? undefined : requireId(payload, path);
}

export function requireObject(payload: unknown, path: string): Record<string, unknown> {
  const value = at(payload, path);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(path, value, 'an object');
  return value as Record<string, unknown>;
}

/** A full commit id: 40 hex digits (SHA-1) or 64 (SHA-256, which Gitea repositories may use). */
const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const ZERO_SHA = /^0+$/;

export function requireSha(payload: unknown, path: string): string {
  const value = at(payload, path);
  if (typeof value !== 'string' || !SHA.test(value)) {
    fail(path, value, 'a commit id of 40 or 64 lower-case hex digits');
  }
  return value;
}

/** Whether a sha is all zeros: the "before" of a created ref, the "after" of a deleted one. */
export function isZeroSha(sha: string): boolean {
  return ZERO_SHA.test(sha);
}

/**
 * A short ref name (`v1.0`, `feature/x`) that git accepts as a ref component and that cannot be
 * read as an option when it reaches a git command line: the rules of git-check-ref-format, plus no
 * leading "-". The forge only sends names git accepted, so a failure here means a forged payload.
 */
export function requireRefName(name: string, path: string): string {
  const bad =
    name === '' ||
    name.startsWith('-') ||
    name.startsWith('/') ||
    name.endsWith('/') ||
    name.endsWith('.') ||
    name.endsWith('.lock') ||
    name.includes('..') ||
    name.includes('//') ||
    name.includes('@{') ||
    name === '@' ||
    /[\p{Cc} ~^:?*[\\]/u.test(name) ||
    name.split('/').some((part) => part.startsWith('.') || part.endsWith('.lock'));
  if (bad) fail(path, name, 'a ref name git accepts (see git check-ref-format)');
  return name;
}
