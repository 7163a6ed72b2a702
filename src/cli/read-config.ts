import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { formatProblem, type LoadResult, loadConfig } from '../config/index.js';
import { MAX_CONFIG_BYTES } from '../config/parse-yaml.js';
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
    const inner = await stat(file).catch(() => null);
    if (inner === null || !inner.isFile()) {
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
  const info = await stat(found.file);
  // Checked before reading: a pipeline file is a few KB, a 10 GB file is a mistake.
  const result: LoadResult =
    info.size > MAX_CONFIG_BYTES
      ? {
          config: null,
          problems: [
            {
              severity: 'error',
              file: found.file,
              line: 1,
              col: 1,
              path: [],
              message: `the file is ${info.size} bytes, over the ${MAX_CONFIG_BYTES}-byte limit for a pipeline file; keep .albs.yml small`,
            },
          ],
        }
      : loadConfig(await readText(found.file), found.file);
  for (const problem of result.problems) process.stderr.write(`${formatProblem(problem)}\n`);
  return { found, result };
}

async function readText(file: string): Promise<string> {
  return readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new CliError(
      `${file}: cannot read it (${error.code ?? error.message}); check its permissions`,
      EXIT.usage,
      {
        cause: error,
      },
    );
  });
}
