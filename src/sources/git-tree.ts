/**
 * Entries of a git tree object as `git cat-file --batch` gives it: "<mode> <name>\0<id>" after each
 * other, the mode in octal digits ("40000" for a tree), the id raw (20 bytes for SHA-1, 32 for
 * SHA-256).
 */

export interface TreeEntry {
  /** As git ls-tree shows it: six octal digits, canonical ("100644", "100755", "120000", "040000", "160000"). */
  mode: string;
  /** Hex. */
  oid: string;
}

/**
 * The first entry called `name` in `tree`; undefined when there is none. A tree that is not in
 * git's format is an error, as git ls-tree fails on it.
 */
export function findTreeEntry(tree: Buffer, name: Buffer, idBytes: number): TreeEntry | undefined {
  let at = 0;
  while (at < tree.length) {
    const space = tree.indexOf(0x20, at);
    const nul = space < 0 ? -1 : tree.indexOf(0, space + 1);
    if (space <= at || nul < 0 || nul + 1 + idBytes > tree.length) {
      throw new Error(`the tree entry at byte ${at} is cut short`);
    }
    let mode = 0;
    for (let i = at; i < space; i++) {
      const digit = tree[i]! - 0x30;
      if (digit < 0 || digit > 7) throw new Error(`the tree entry at byte ${at} has a malformed mode`);
      mode = mode * 8 + digit;
    }
    const next = nul + 1 + idBytes;
    if (nul - space - 1 === name.length && tree.compare(name, 0, name.length, space + 1, nul) === 0) {
      return {
        mode: canonicalMode(mode).toString(8).padStart(6, '0'),
        oid: tree.toString('hex', nul + 1, next),
      };
    }
    at = next;
  }
  return undefined;
}

/** What git makes of a tree entry's mode when it reads it (canon_mode in git's cache.h). */
function canonicalMode(mode: number): number {
  const type = mode & 0o170000;
  if (type === 0o100000) return mode & 0o100 ? 0o100755 : 0o100644;
  if (type === 0o120000) return 0o120000;
  if (type === 0o040000) return 0o040000;
  return 0o160000;
}
