import { randomBytes } from 'node:crypto';
import { type FileHandle, link, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * A temporary file beside `target`, so that the final rename stays on one filesystem and is atomic.
 * Dot-prefixed so that createrepo_c and directory listings skip it.
 */
export function tempPathFor(target: string): string {
  return join(
    dirname(target),
    `.${basename(target)}.albs-${process.pid}-${randomBytes(6).toString('hex')}.tmp`,
  );
}

/**
 * Writes a file through `fill` into a temporary file and renames it over `target`: readers see the old
 * file or the new one, never a mixture, and a failure leaves `target` as it was.
 */
export async function replaceFileAtomically(
  target: string,
  mode: number,
  fill: (handle: FileHandle) => Promise<void>,
  owner?: { uid: number; gid: number },
): Promise<void> {
  const temp = tempPathFor(target);
  const handle = await open(temp, 'wx', 0o600);
  let renamed = false;
  try {
    await fill(handle);
    // chmod after creating: the umask must not change the mode of a file we replace.
    await handle.chmod(mode & 0o7777);
    if (owner && (owner.uid !== process.getuid?.() || owner.gid !== process.getgid?.())) {
      // Only root can give a file away; anyone else keeps the file as theirs, as rpmsign does.
      await handle.chown(owner.uid, owner.gid).catch(() => undefined);
    }
    // The data must be on disk before the rename makes it the only copy.
    await handle.datasync();
    await handle.close();
    await rename(temp, target);
    renamed = true;
  } finally {
    if (!renamed) {
      await handle.close().catch(() => undefined);
      await unlink(temp).catch(() => undefined);
    }
  }
}

/** `replaceFileAtomically` for data already in memory; new files get mode 0644 unless told otherwise. */
export async function writeFileAtomically(
  target: string,
  data: Uint8Array | string,
  mode = 0o644,
): Promise<void> {
  await replaceFileAtomically(target, mode, async (handle) => {
    await handle.writeFile(data);
  });
}

/**
 * Creates `target` with `data` only if it does not exist yet; the check and the creation are one
 * atomic step (link(2) fails on an existing name), and a reader never sees a partly written file.
 * Resolves false when `target` already exists.
 */
export async function writeNewFile(
  target: string,
  data: Uint8Array | string,
  mode: number,
): Promise<boolean> {
  const temp = tempPathFor(target);
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.chmod(mode);
    await handle.datasync();
    await handle.close();
    await link(temp, target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
  }
}
