import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The disk space `dir` takes, as du counts it (allocated blocks, not file lengths, since the cap is
 * about the disk): every entry below it, symlinks counted as themselves and never followed. The
 * entries of a directory are looked at together, not one after another: a mirror's loose objects
 * are many small files. Entries that vanish while it walks (git replacing a pack) count as nothing.
 */
export async function dirSize(dir: string): Promise<number> {
  let own: number;
  let entries: string[];
  try {
    own = (await lstat(dir)).blocks * 512;
    entries = await readdir(dir);
  } catch (error) {
    if (isGone(error)) return 0;
    throw error;
  }
  const sizes = await Promise.all(
    entries.map(async (name) => {
      const path = join(dir, name);
      try {
        const stat = await lstat(path);
        return stat.isDirectory() ? dirSize(path) : stat.blocks * 512;
      } catch (error) {
        if (isGone(error)) return 0;
        throw error;
      }
    }),
  );
  return sizes.reduce((sum, size) => sum + size, own);
}

function isGone(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
