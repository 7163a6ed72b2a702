import { lstat } from 'node:fs/promises';

/**
 * Whether something is at `path`, the path itself rather than what it points to (lstat): a dangling
 * symlink exists. Errors other than ENOENT (EACCES, ENOTDIR) are thrown, not taken for absence.
 */
export async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    (error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    },
  );
}
