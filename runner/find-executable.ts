import { accessSync, constants, statSync } from 'node:fs';
import { join } from 'node:path';

/** The first executable file `name` in PATH's directories, or undefined. */
export function findExecutable(name: string, path: string): string | undefined {
  for (const dir of path.split(':')) {
    if (dir === '') continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      if (statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}
