import { createHash } from 'node:crypto';
import { GitCacheInputError } from './git-cache-error.js';

/**
 * Checks of what the git cache is given, all made before any git process runs: a clone URL with a
 * transport that runs no program, a ref git would accept, a full commit id, a path inside a tree and
 * an auth header that is one header line.
 */

/**
 * Transports git may use for a mirror. ssh:// (and scp-like "host:path") runs ssh with options taken
 * from the URL, ext:: runs any command, fd:: talks to inherited descriptors: none of them may be
 * reached from a URL a webhook sent. file:// is for repositories on this host (tests, local mirrors).
 */
export const ALLOWED_PROTOCOLS = ['https', 'http', 'git', 'file'] as const;

export interface CloneUrl {
  /** The URL given to git and shown in messages and logs: without user name, password or fragment. */
  url: string;
  /** The mirror's directory name: a hash of the normalised URL, then a readable tail. */
  name: string;
  /** A user name and password in the URL, turned into a Basic Authorization header (http and https). */
  basicAuth?: string | undefined;
  /** The password of the URL, for redaction. */
  secrets: string[];
}

const MAX_URL = 2048;

/** A URL as an error may show it: anything before an "@" (a user name and password) hidden. */
function shownRaw(value: string): string {
  const hidden = value.replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)?[^/@]*@/, '$1***@');
  return JSON.stringify(hidden.length > 200 ? `${hidden.slice(0, 200)}...` : hidden);
}

export function parseCloneUrl(value: string): CloneUrl {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_URL) {
    throw new GitCacheInputError(
      `the clone URL ${shownRaw(String(value))} is empty or longer than ${MAX_URL} characters: give the repository's https clone URL`,
    );
  }
  // Spaces and control characters never belong in a clone URL; refusing them keeps what git is given
  // and what the messages show the same string.
  if (hasControlOrSpace(value)) {
    throw new GitCacheInputError(
      `the clone URL ${shownRaw(value)} contains spaces or control characters: give the repository's https clone URL`,
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new GitCacheInputError(
      `the clone URL ${shownRaw(value)} is not a URL (scp-like "host:path" addresses are ssh): give the repository's https clone URL`,
    );
  }
  const protocol = parsed.protocol.replace(/:$/, '');
  if (!(ALLOWED_PROTOCOLS as readonly string[]).includes(protocol)) {
    throw new GitCacheInputError(
      `the clone URL ${shownRaw(value)} uses the ${protocol} transport: the git cache fetches only over ` +
        `${ALLOWED_PROTOCOLS.map((p) => `${p}://`).join(', ')} (ssh and ext:: run programs); give the repository's https clone URL`,
    );
  }
  if (protocol === 'file') {
    if (parsed.host !== '' && parsed.host !== 'localhost') {
      throw new GitCacheInputError(
        `the clone URL ${shownRaw(value)} names host ${parsed.host}: a file:// URL is a path on this host, file:///path/to/repo`,
      );
    }
  } else if (parsed.hostname === '') {
    throw new GitCacheInputError(
      `the clone URL ${shownRaw(value)} has no host: give the repository's full clone URL`,
    );
  }
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  const secrets = password === '' ? [] : [password, parsed.password];
  const basicAuth =
    (user !== '' || password !== '') && (protocol === 'https' || protocol === 'http')
      ? `Authorization: Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
      : undefined;
  parsed.username = '';
  parsed.password = '';
  parsed.hash = '';
  const url = parsed.href;
  // One mirror per repository however its URL is spelled: host case, default port (both done by
  // URL), a trailing slash and a ".git" suffix do not make another repository on any forge.
  const path = parsed.pathname.replace(/\/+$/, '').replace(/\.git$/, '');
  const normalised = `${protocol}://${parsed.host}${path}${parsed.search}`;
  const hash = createHash('sha256').update(normalised).digest('hex').slice(0, 16);
  const tail = `${parsed.hostname}${path}`
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(-48)
    .replace(/^[-.]+/, '');
  return { url, name: tail === '' ? hash : `${hash}-${tail}`, basicAuth, secrets };
}

function hasControlOrSpace(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code <= 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * git check-ref-format's rules for a full ref name (git-check-ref-format(1)), checked here so that a
 * wrong ref is refused without starting git; the tests compare this with git on random names.
 */
export function refFormatProblem(ref: string): string | undefined {
  if (ref.length > 1024) return 'is longer than 1024 characters';
  for (let i = 0; i < ref.length; i++) {
    const code = ref.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return 'contains a control character';
  }
  const bad = [' ', '~', '^', ':', '?', '*', '[', '\\'].find((c) => ref.includes(c));
  if (bad !== undefined) return `contains "${bad}"`;
  if (ref.includes('..')) return 'contains ".."';
  if (ref.includes('@{')) return 'contains "@{"';
  if (ref === '@') return 'is "@"';
  if (ref.endsWith('.')) return 'ends with "."';
  for (const component of ref.split('/')) {
    if (component === '') return 'has an empty component ("//", or a "/" at the start or end)';
    if (component.startsWith('.')) return `has a component starting with "." (${component})`;
    if (component.endsWith('.lock')) return `has a component ending with ".lock" (${component})`;
  }
  return undefined;
}

/** A full ref name, "refs/tags/v1.0", "refs/heads/main", "refs/pull/12/head". */
export function checkRef(ref: string, url: string): void {
  if (typeof ref !== 'string' || !ref.startsWith('refs/')) {
    throw new GitCacheInputError(
      `the ref ${JSON.stringify(ref)} for ${url} is not a full ref name: give it as refs/tags/NAME, refs/heads/NAME or refs/pull/N/head`,
    );
  }
  const problem = refFormatProblem(ref);
  if (problem !== undefined) {
    throw new GitCacheInputError(
      `the ref ${JSON.stringify(ref)} for ${url} ${problem}, which git does not allow in a ref name: give the ref as the forge sent it`,
    );
  }
}

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** A full commit id, SHA-1 (40 hex digits) or SHA-256 (64); returned in lower case. */
export function checkSha(sha: string, url: string): string {
  const lower = typeof sha === 'string' ? sha.toLowerCase() : '';
  if (!SHA.test(lower)) {
    throw new GitCacheInputError(
      `the commit ${JSON.stringify(String(sha).slice(0, 100))} for ${url} is not a full commit id: give all 40 (SHA-1) or 64 (SHA-256) hex digits, not a ref or an abbreviation`,
    );
  }
  return lower;
}

/** A path inside a tree as git writes it: relative, "/"-separated, no "." or ".." or empty component. */
export function checkTreePath(path: string, url: string): void {
  const problem =
    typeof path !== 'string' || path === ''
      ? 'is empty'
      : path.length > 4096
        ? 'is longer than 4096 characters'
        : path.includes('\0')
          ? 'contains a NUL character'
          : path.startsWith('/')
            ? 'is absolute'
            : path.split('/').some((c) => c === '' || c === '.' || c === '..')
              ? 'has an empty, "." or ".." component'
              : undefined;
  if (problem !== undefined) {
    throw new GitCacheInputError(
      `the path ${JSON.stringify(String(path).slice(0, 200))} to read from ${url} ${problem}: give a path relative to the repository's top, like SPECS/bash.spec`,
    );
  }
}

/**
 * The strings of an auth header that must never be shown: its value and the credential after the
 * scheme word ("abc" of "Authorization: token abc"). Refuses a header that is not one "Name: value"
 * line, since a line break would let the value add headers of its own. The message never quotes it.
 */
export function authHeaderSecrets(header: string, url: string): string[] {
  const colon = typeof header === 'string' ? header.indexOf(':') : -1;
  const name = colon > 0 ? header.slice(0, colon) : '';
  const value = colon > 0 ? header.slice(colon + 1).trim() : '';
  let control = false;
  for (let i = 0; i < (typeof header === 'string' ? header.length : 0); i++) {
    const code = header.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) control = true;
  }
  if (!/^[A-Za-z0-9-]+$/.test(name) || value === '' || control) {
    throw new GitCacheInputError(
      `the auth header for ${url} is not one "Name: value" line: give it like "Authorization: token ..." without line breaks`,
    );
  }
  const words = value.split(/\s+/);
  const credential = words[words.length - 1]!;
  return [header, value, credential];
}

/** `text` with every secret replaced, longest first so that a secret inside another goes too. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of [...secrets].filter((s) => s !== '').sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join('[redacted]');
  }
  return out;
}
