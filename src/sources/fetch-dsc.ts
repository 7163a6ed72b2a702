/**
 * Downloads a Debian source package from a .dsc link: the .dsc first, refused unless its SHA-256 is
 * the one in .albs.yml; then every file its Checksums-Sha256 lists, from the same directory on the
 * server, each refused unless it has exactly the size and SHA-256 the (now trusted) .dsc gives. File
 * names come from the .dsc, so each must be a plain name: none can write outside `destDir`.
 */
import { readFile } from 'node:fs/promises';
import { DSC_FILE_NAME, type Dsc, parseDsc } from './debian-control.js';
import { SourceError, SrpmTooLargeError } from './errors.js';
import { fetchSrpm, srpmFileName } from './fetch-srpm.js';

/** The most a whole source package may weigh: the .dsc and every file it lists. */
export const DEFAULT_MAX_SOURCE_BYTES = 1024 * 1024 * 1024;
/** A .dsc is a small text file. */
const MAX_DSC_BYTES = 1024 * 1024;

export interface FetchDscOptions {
  /** The http(s) link from source.dsc. */
  url: string;
  /** The .dsc's expected SHA-256 (source.sha256). */
  sha256: string;
  destDir: string;
  /** The most the listed files may weigh together; default 1 GiB. */
  maxBytes?: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export interface FetchedDsc {
  /** The checked .dsc, in destDir, beside its checked files. */
  dsc: string;
  parsed: Dsc;
  files: string[];
}

export async function fetchDsc(options: FetchDscOptions): Promise<FetchedDsc> {
  const { url, destDir, signal, log } = options;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_SOURCE_BYTES;
  const urlName = srpmFileName(new URL(url)).replace(/\.src\.rpm$/, '');
  const dscName = urlName.endsWith('.dsc') && DSC_FILE_NAME.test(urlName) ? urlName : 'source.dsc';
  const fetched = await fetchSrpm({
    url,
    sha256: options.sha256,
    destDir,
    maxBytes: MAX_DSC_BYTES,
    fileName: dscName,
    labels: { what: '.dsc', setting: 'source.dsc', expectedFrom: 'source.sha256 in .albs.yml' },
    ...(signal ? { signal } : {}),
    ...(log ? { log } : {}),
  });
  const parsed = parseDsc(await readFile(fetched.path, 'utf8'), dscName);
  const total = parsed.files.reduce((sum, f) => sum + f.size, 0);
  if (total > maxBytes) {
    throw new SrpmTooLargeError(
      `${dscName} lists ${total} bytes of files, over the ${maxBytes}-byte cap: nothing more was downloaded; raise the runner's source size cap if the package is right`,
    );
  }
  const files: string[] = [];
  for (const file of parsed.files) {
    if (file.name === dscName) {
      throw new SourceError(`${dscName} lists itself in Checksums-Sha256: fix the .dsc`);
    }
    // Beside the .dsc where it was finally found, after redirects.
    const fileUrl = new URL(encodeURIComponent(file.name), fetched.finalUrl).href;
    const got = await fetchSrpm({
      url: fileUrl,
      sha256: file.sha256,
      destDir,
      // The .dsc says how big the file is: a server sending more is refused while it sends.
      maxBytes: file.size,
      fileName: file.name,
      labels: { what: file.name, setting: 'source.dsc', expectedFrom: `the Checksums-Sha256 of ${dscName}` },
      ...(signal ? { signal } : {}),
      ...(log ? { log } : {}),
    });
    if (got.bytes !== file.size) {
      throw new SourceError(
        `${file.name} from ${fileUrl} has ${got.bytes} bytes but ${dscName} says ${file.size}: the server's files do not match the .dsc; fix the server or the link`,
      );
    }
    files.push(got.path);
  }
  return { dsc: fetched.path, parsed, files };
}
