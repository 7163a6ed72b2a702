import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { packageVersion } from '../cli/version.js';
import {
  DigestMismatchError,
  hashName,
  SrpmDownloadError,
  SrpmTooLargeError,
  SrpmUrlError,
} from './errors.js';
import { connectionFailure, getRaw } from './get-raw.js';

export const MAX_REDIRECTS = 5;
/** The digests a download can be checked with, by their name in node:crypto. */
export const HASH_TYPES = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'] as const;
export type HashType = (typeof HASH_TYPES)[number];

/** How messages name a download: what it is, which setting gave the link, where its digest came from. */
export interface DownloadLabels {
  /** "src.rpm", ".dsc", "hello_1.0.orig.tar.gz". */
  what: string;
  /** What to raise when the file is larger than the cap; default: the runner's download size cap. */
  cap?: string;
  /** Where the link came from: "source.srpm", "the lookaside URL of .bash.metadata". */
  setting: string;
  /** Where the expected digest came from: "source.sha256 in .albs.yml". */
  expectedFrom: string;
}

export interface DownloadOptions {
  url: string;
  /** The expected digest, lower-case hex, and its kind. */
  digest: { type: HashType; hex: string };
  /** The file to make; it appears only once its digest matched (temp file beside it, then rename). */
  path: string;
  maxBytes: number;
  labels: DownloadLabels;
  /** How the log names the file once it is in; default its file name. */
  name?: string | undefined;
  signal?: AbortSignal | undefined;
  log?: ((line: string) => void) | undefined;
  /** Tries after the first on a 5xx answer, a dropped connection or a stalled transfer; default 0. */
  retries?: number | undefined;
  /** Milliseconds before the first retry, doubled for each next; default 1000. */
  retryDelay?: number | undefined;
  /** A transfer silent for this many milliseconds is given up (and retried); default 60000. */
  idleTimeout?: number | undefined;
}

export interface Downloaded {
  path: string;
  bytes: number;
  /** The URL the file finally came from, after redirects. */
  finalUrl: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** A failure worth another try: the server or the network, not the request. */
class TransientError extends SrpmDownloadError {
  override name = 'TransientError';
}

/**
 * Downloads `url` to `path` and returns only once the file's digest is the expected one: the bytes
 * go to a temporary file beside `path` while being hashed and counted, and are renamed into place
 * only after the digest matched, so nothing ever reads an unchecked download. On any failure
 * nothing is left. The bytes hashed and kept are the ones on the wire, never decoded (getRaw).
 *
 * Only http and https, at most 5 redirects each checked again (a redirect to file:// or ftp:// is
 * refused), at most maxBytes (checked against Content-Length first, then while streaming, since a
 * server may lie or send none). Sends albs-ci's own User-Agent: some mirrors refuse library defaults.
 */
export async function download(options: DownloadOptions): Promise<Downloaded> {
  const { signal, log = () => {} } = options;
  const retries = options.retries ?? 0;
  let delay = options.retryDelay ?? 1000;
  for (let attempt = 0; ; attempt++) {
    try {
      return await downloadOnce(options);
    } catch (error) {
      if (!(error instanceof TransientError) || attempt >= retries || signal?.aborted) throw error;
      log(
        `${error.message.replace(/;.*$/, '')}; trying again in ${delay / 1000} s (${attempt + 1} of ${retries})`,
      );
      await sleep(delay, undefined, signal ? { signal } : {});
      delay *= 2;
    }
  }
}

async function downloadOnce(options: DownloadOptions): Promise<Downloaded> {
  const { signal, log = () => {}, labels, maxBytes, digest } = options;
  const idle = options.idleTimeout ?? 60_000;
  const first = checkedUrl(options.url, options.url, labels);
  let url = first;
  let response: IncomingMessage;
  for (let redirects = 0; ; redirects++) {
    log(`downloading ${url.href}`);
    try {
      response = await getRaw(url, { signal, userAgent: `albs-ci/${packageVersion()}`, idleTimeout: idle });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new TransientError(
        `could not download the ${labels.what} ${url.href}: ${connectionFailure(error)}; check ${labels.setting} and that the server is reachable from this runner`,
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
    const Failure = status >= 500 || status === 408 || status === 429 ? TransientError : SrpmDownloadError;
    throw new Failure(
      `could not download the ${labels.what} ${url.href}: HTTP ${status} ${response.statusMessage ?? ''}; check ${labels.setting}`,
    );
  }
  const declared = Number(response.headers['content-length'] ?? Number.NaN);
  if (declared > maxBytes) {
    response.destroy();
    throw tooLarge(labels, url.href, `${declared} bytes (Content-Length)`, maxBytes);
  }
  const encoding = response.headers['content-encoding'];
  if (encoding !== undefined && encoding !== 'identity') {
    log(`the server labels it Content-Encoding: ${encoding}; it is kept and checked as served, not decoded`);
  }

  const dir = dirname(options.path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(options.path)}.${randomUUID()}.part`);
  const hash = createHash(digest.type);
  let bytes = 0;
  try {
    await pipeline(
      response,
      async function* count(source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          bytes += chunk.length;
          if (bytes > maxBytes) throw tooLarge(labels, url.href, `more than ${maxBytes} bytes`, maxBytes);
          hash.update(chunk);
          yield chunk;
        }
      },
      createWriteStream(temp, { flags: 'wx', mode: 0o644 }),
      { signal },
    );
    const actual = hash.digest('hex');
    if (actual !== digest.hex)
      throw new DigestMismatchError(url.href, digest.type, digest.hex, actual, labels);
    await rename(temp, options.path);
    log(
      `downloaded ${options.name ?? basename(options.path)}: ${bytes} bytes, ${hashName(digest.type)} ${actual} as expected`,
    );
    return { path: options.path, bytes, finalUrl: url.href };
  } catch (error) {
    await rm(temp, { force: true });
    if (error instanceof DigestMismatchError || error instanceof SrpmTooLargeError || signal?.aborted)
      throw error;
    throw new TransientError(
      `could not download the ${labels.what} ${url.href}: ${error instanceof Error ? error.message : String(error)}; try again, or check the server`,
      { cause: error },
    );
  }
}

/** Parses `href` and accepts only http(s); `original` is the link as written, for the message. */
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

function tooLarge(labels: DownloadLabels, url: string, size: string, maxBytes: number): SrpmTooLargeError {
  return new SrpmTooLargeError(
    `the ${labels.what} at ${url} is ${size}, over the ${maxBytes}-byte cap: nothing was kept; raise ${labels.cap ?? "the runner's download size cap"} if the file is right`,
  );
}
