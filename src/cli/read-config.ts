import type { Stats } from 'node:fs';
import { constants, open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { formatProblem, type LoadResult, loadConfig } from '../config/index.js';
import { type FileKind, MAX_CONFIG_BYTES, PIPELINE_FILE } from '../config/parse-yaml.js';
import { CliError, EXIT } from './exit-codes.js';

export const CONFIG_NAME = '.albs.yml';

export interface ConfigFile {
  /** The path as the user gave it (or DIR/.albs.yml), used in every problem line. */
  file: string;
  /** The directory the package lives in. */
  dir: string;
}

/** PATH may be a file or a directory holding .albs.yml. A path that is neither is a usage error. */
export async function findConfig(path: string): Promise<ConfigFile> {
  const info = await stat(path).catch(() => null);
  if (info === null)
    throw new CliError(
      `${path}: no such file or directory; give a .albs.yml or the directory that holds one`,
      EXIT.usage,
    );
  if (info.isDirectory()) {
    // FILE as the user gave it: "./pkg/" stays "./pkg/.albs.yml" in every problem line.
    const file =
      path === '.' ? CONFIG_NAME : path.endsWith('/') ? `${path}${CONFIG_NAME}` : `${path}/${CONFIG_NAME}`;
    // Anything there is returned: readConfigText says what is wrong with a .albs.yml that is no regular file.
    if ((await stat(file).catch(() => null)) === null) {
      throw new CliError(
        `${path} holds no ${CONFIG_NAME}; create one (see the README) or give the file's path`,
        EXIT.usage,
      );
    }
    return { file, dir: path };
  }
  return { file: path, dir: join(path, '..') };
}

/** Read and load a config, printing every problem on stderr. */
export async function readConfig(path: string): Promise<{ found: ConfigFile; result: LoadResult }> {
  const found = await findConfig(path);
  const result = loadConfig(await readConfigText(found.file), found.file);
  for (const problem of result.problems) process.stderr.write(`${formatProblem(problem)}\n`);
  return { found, result };
}

function kindOf(info: Stats): string {
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  if (info.isDirectory()) return 'a directory';
  return 'not a regular file';
}

/**
 * The text of a pipeline file (or another `kind` of configuration file), refused (exit 2, like a
 * missing file) unless it is a regular file of at most MAX_CONFIG_BYTES of UTF-8. Checked before
 * reading: a FIFO would block the read forever and /dev/zero never ends. The open does not block
 * either (O_NONBLOCK), and the file is checked again through the open descriptor, since the path
 * may have been replaced in between.
 */
export async function readConfigText(file: string, kind: FileKind = PIPELINE_FILE): Promise<string> {
  const refuse = (what: string, fix: string, cause?: unknown): never => {
    throw new CliError(`${file}: ${what}; ${fix}`, EXIT.usage, { cause });
  };
  const check = (info: Stats) => {
    if (!info.isFile()) {
      refuse(
        `${kindOf(info)}, not a regular file`,
        `albs reads ${kind.contents} from a regular file: give the path of one`,
      );
    }
    if (info.size > MAX_CONFIG_BYTES) tooBig(`${info.size} bytes`);
  };
  const tooBig = (size: string) =>
    refuse(`${size}, over the ${MAX_CONFIG_BYTES}-byte (1 MiB) limit for ${kind.noun}`, kind.smaller);
  const unreadable = (error: NodeJS.ErrnoException) =>
    refuse(
      `cannot read it (${error.code ?? error.message})`,
      'check that it exists and its permissions',
      error,
    );

  check(await stat(file).catch(unreadable));
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY).catch(
    unreadable,
  );
  try {
    check(await handle.stat());
    // One byte more than the limit: a file that grew since the check is still caught.
    const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null).catch(unreadable);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > MAX_CONFIG_BYTES) tooBig(`more than ${MAX_CONFIG_BYTES} bytes (it grew while being read)`);
    return decodeUtf8(file, buffer.subarray(0, length));
  } finally {
    await handle.close();
  }
}

/** UTF-8 or a CliError naming the first byte that is not, by line and column. */
function decodeUtf8(file: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    // The shortest prefix that fails to decode ends at the bad byte; what decodes before it is valid.
    let low = 0;
    let high = bytes.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid + 1), { stream: true });
        low = mid + 1;
      } catch {
        high = mid;
      }
    }
    const valid = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(0, low), {
      stream: true,
    });
    const offset = new TextEncoder().encode(valid).length;
    const lines = valid.replace(/^\uFEFF/, '').split('\n');
    const col = [...(lines[lines.length - 1] ?? '')].length + 1;
    const byte = (bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    throw new CliError(
      `${file}: not valid UTF-8 (byte 0x${byte} at line ${lines.length}, column ${col}); save it as UTF-8, e.g. with iconv -f LATIN1 -t UTF-8`,
      EXIT.usage,
      { cause: error },
    );
  }
}
