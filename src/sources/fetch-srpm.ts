import { join } from 'node:path';
import { type DownloadLabels, download } from './download.js';
import { SrpmUrlError } from './errors.js';

export const DEFAULT_MAX_SRPM_BYTES = 512 * 1024 * 1024;

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
  /** Tries after the first on a 5xx answer or a dropped connection; default 2. */
  retries?: number;
  /** Milliseconds before the first retry; default 1000. */
  retryDelay?: number;
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

/**
 * Downloads a src.rpm (or a .dsc, or a file a .dsc lists) into destDir and returns it only once its
 * SHA-256 is the expected one (see download: nothing unchecked is ever left where rpm could read it).
 */
export async function fetchSrpm(options: FetchSrpmOptions): Promise<FetchedSrpm> {
  const labels = options.labels ?? SRPM_LABELS;
  const expected = options.sha256.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(expected)) {
    throw new SrpmUrlError(
      `${labels.expectedFrom.replace(/ in .*/, '')} "${options.sha256}" is not a SHA-256 (64 hex digits): put the output of \`sha256sum FILE\` there`,
    );
  }
  let name = options.fileName;
  if (name === undefined) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch (error) {
      throw new SrpmUrlError(
        `${labels.setting} "${options.url}" is not a URL: write a full http(s):// link`,
        {
          cause: error,
        },
      );
    }
    name = srpmFileName(url);
  }
  const got = await download({
    url: options.url,
    digest: { type: 'sha256', hex: expected },
    path: join(options.destDir, name),
    maxBytes: options.maxBytes ?? DEFAULT_MAX_SRPM_BYTES,
    labels,
    signal: options.signal,
    log: options.log,
    retries: options.retries ?? 2,
    retryDelay: options.retryDelay,
  });
  return { path: got.path, bytes: got.bytes, sha256: expected, finalUrl: got.finalUrl };
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
