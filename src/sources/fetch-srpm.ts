import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Sha256MismatchError, SrpmDownloadError, SrpmTooLargeError, SrpmUrlError } from './errors.js';
import { connectionFailure, getRaw } from './get-raw.js';

export const DEFAULT_MAX_SRPM_BYTES = 512 * 1024 * 1024;
export const MAX_REDIRECTS = 5;

export interface FetchSrpmOptions {
  /** The http(s) link from source.srpm. */
  url: string;
  /** The expected SHA-256, 64 hex digits (source.sha256). */
  sha256: string;
  /** Where the file goes; created when missing. */
  destDir: string;
  /** Largest download accepted, in bytes; default 512 MiB. */
  maxBytes?: number;
  signal?: AbortSignal;
  /** Lines for the job log: where it downloads from, redirects, the result. */
  log?: (line: string) => void;
  /**
   * How messages name the download, for other files than a src.rpm (a .dsc and the files it
   * lists). Default: the src.rpm of source.srpm, checked against source.sha256.
   */
  labels?: DownloadLabels;
  /** The local file name, already checked to be a plain safe name; default: from the URL. */
  fileName?: string;
}

export interface DownloadLabels {
  /** "src.rpm", ".dsc", "hello_1.0.orig.tar.gz". */
  what: string;
  /** The .albs.yml key that gave the link: "source.srpm". */
  setting: string;
  /** Where the expected SHA-256 came from: "source.sha256 in .albs.yml". */
  expectedFrom: string;
}

const SRPM_LABELS: DownloadLabels = {
  what: 'src.rpm',
  setting: 'source.srpm',
  expectedFrom: 'source.sha256 in .albs.yml',
};

export interface FetchedSrpm {
  /** Absolute path of the checked file, inside destDir. */
  path: string;
  bytes: number;
  sha256: string;
  /** The URL the file finally came from, after redirects. */
  finalUrl: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Downloads a src.rpm and returns it only once its SHA-256 is the expected one: the bytes go to a
 * temporary file in destDir while being hashed and counted, and the file is renamed into place only
 * after the digest matched, so no code (rpm, rpmbuild) ever reads an unchecked download. On any
 * failure nothing is left in destDir. The bytes hashed and kept are the ones on the wire, never
 * decoded (see getRaw): a digest is of the file as published.
 *
 * Only http and https, at most 5 redirects each checked again (a redirect to file:// or ftp:// is
 * refused), at most maxBytes (checked against Content-Length first, then while streaming, since a
 * server may lie or send none).
 */
export async function fetchSrpm(options: FetchSrpmOptions): Promise<FetchedSrpm> {
  const { destDir, signal, log = () => {} } = options;
  const labels = options.labels ?? SRPM_LABELS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_SRPM_BYTES;
  const expected = options.sha256.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(expected)) {
    throw new SrpmUrlError(
      `${labels.expectedFrom.replace(/ in .*/, '')} "${options.sha256}" is not a SHA-256 (64 hex digits): put the output of \`sha256sum FILE\` there`,
    );
  }
  const first = checkedUrl(options.url, options.url, labels);
  const name = options.fileName ?? srpmFileName(first);

  let url = first;
  let response: IncomingMessage;
  for (let redirects = 0; ; redirects++) {
    log(`downloading ${url.href}`);
    try {
      response = await getRaw(url, signal);
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new SrpmDownloadError(
        `could not download the ${labels.what} ${url.href}: ${connectionFailure(error)}; check ${labels.setting} in .albs.yml and that the server is reachable from this runner`,
        { cause: error },
      );
    }
    if (!REDIRECTS.has(response.statusCode ?? 0)) break;
    response.destroy();
    const location = response.headers.location;
    if (!location) {
      throw new SrpmDownloadError(
        `${url.href} answered ${response.statusCode} (a redirect) without a Location: fix the server or ${labels.setting}`,
      );
    }
    if (redirects + 1 > MAX_REDIRECTS) {
      throw new SrpmUrlError(
        `${options.url} redirects more than ${MAX_REDIRECTS} times (a loop?), last to ${location}: put the final link in ${labels.setting}`,
      );
    }
    url = checkedUrl(new URL(location, url).href, options.url, labels);
    log(`redirected to ${url.href}`);
  }

  const status = response.statusCode ?? 0;
  if (status < 200 || status > 299) {
    response.destroy();
    throw new SrpmDownloadError(
      `could not download the ${labels.what} ${url.href}: HTTP ${status} ${response.statusMessage ?? ''}; check ${labels.setting} in .albs.yml`,
    );
  }
  const declared = Number(response.headers['content-length'] ?? Number.NaN);
  if (declared > maxBytes) {
    response.destroy();
    throw tooLarge(url.href, `${declared} bytes (Content-Length)`, maxBytes, labels);
  }
  const encoding = response.headers['content-encoding'];
  if (encoding !== undefined && encoding !== 'identity') {
    log(`the server labels it Content-Encoding: ${encoding}; it is kept and checked as served, not decoded`);
  }

  await mkdir(destDir, { recursive: true });
  const path = join(destDir, name);
  const temp = join(destDir, `.${name}.${randomUUID()}.part`);
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    await pipeline(
      response,
      async function* count(source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          bytes += chunk.length;
          if (bytes > maxBytes) throw tooLarge(url.href, `more than ${maxBytes} bytes`, maxBytes, labels);
          hash.update(chunk);
          yield chunk;
        }
      },
      createWriteStream(temp, { flags: 'wx', mode: 0o644 }),
      { signal },
    );
    const actual = hash.digest('hex');
    if (actual !== expected) throw new Sha256MismatchError(options.url, expected, actual, labels);
    await rename(temp, path);
    log(`downloaded ${name}: ${bytes} bytes, SHA-256 ${actual} as expected`);
    return { path, bytes, sha256: actual, finalUrl: url.href };
  } catch (error) {
    await rm(temp, { force: true });
    if (error instanceof Sha256MismatchError || error instanceof SrpmTooLargeError || signal?.aborted)
      throw error;
    throw new SrpmDownloadError(
      `could not download the ${labels.what} ${url.href}: ${error instanceof Error ? error.message : String(error)}; try again, or check the server`,
      { cause: error },
    );
  }
}

/** Parses `href` and accepts only http(s); `original` is the link the user wrote, for the message. */
function checkedUrl(href: string, original: string, labels: DownloadLabels): URL {
  let url: URL;
  try {
    url = new URL(href);
  } catch (error) {
    throw new SrpmUrlError(`${labels.setting} "${href}" is not a URL: write a full http(s):// link`, {
      cause: error,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    const what =
      href === original ? `${labels.setting} "${href}"` : `${original} redirects to "${href}", which`;
    throw new SrpmUrlError(
      `${what} is a ${url.protocol.replace(/:$/, '')} link: only http and https are fetched; use an http(s) link`,
    );
  }
  return url;
}

function tooLarge(url: string, size: string, maxBytes: number, labels: DownloadLabels): SrpmTooLargeError {
  return new SrpmTooLargeError(
    `the ${labels.what} at ${url} is ${size}, over the ${maxBytes}-byte cap: nothing was kept; raise the runner's ${labels.what === 'src.rpm' ? 'src.rpm' : 'download'} size cap if the file is right`,
  );
}

/**
 * The local file name for a link: its last path segment, decoded, cut after any path separator it
 * decodes to, and limited to a safe alphabet, so no URL (`..%2F..%2Fetc`) can name a file outside
 * the destination directory, a hidden file, or nothing.
 */
export function srpmFileName(url: URL): string {
  const segment = url.pathname.split('/').pop() ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    decoded = segment;
  }
  const base = decoded.split(/[/\\]/).pop() ?? '';
  const safe = base
    .replace(/[^A-Za-z0-9._+~-]/g, '_')
    .replace(/^[.]+/, '')
    .slice(0, 200);
  if (safe === '') return 'download.src.rpm';
  return safe.endsWith('.rpm') ? safe : `${safe}.src.rpm`;
}
