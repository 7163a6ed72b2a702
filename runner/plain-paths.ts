import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';

/**
 * What rpm takes literally in a path. It expands macros in the paths it is given (`rpm -qp
 * DIR%(cmd)/x.src.rpm` runs cmd) and in some paths twice, rpmbuild pastes paths unquoted into
 * the %prep and %build scripts it runs (a space splits them), and rpm splits directory lists on
 * ':'. Letters, digits and `/ . _ + -` are safe in all three.
 */
const PLAIN_PATH = /^[A-Za-z0-9/._+-]*$/;

export function isPlainPath(path: string): boolean {
  return PLAIN_PATH.test(path);
}

/** Plain aliases of directories whose own path is not plain. */
export interface PlainPaths {
  /** `path` under the alias of the aliased directory holding it; unchanged when none does. */
  map(path: string): string;
  /** Each aliased directory and its alias, for the log; empty when every directory was plain. */
  readonly aliases: readonly { name: string; real: string; alias: string }[];
  /** Removes the aliases: the symlinks only, never what they point to. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Gives each directory of `dirs` whose path is not plain (see PLAIN_PATH) a plain alias: a
 * symlink BASE/albs-paths-XXXXXX/NAME pointing to it. A step given the aliases runs rpm on any
 * --out and any repository location; a plain directory is not aliased and nothing is created.
 *
 * A path under the alias compares unequal to the same file's real path: code that asks whether
 * one path lies inside another must compare real paths (fs.realpath), as copyTree does.
 */
export async function plainPaths(dirs: Record<string, string>, base: string = tmpdir()): Promise<PlainPaths> {
  const unplain = Object.entries(dirs)
    .map(([name, dir]) => ({ name, real: resolve(dir) }))
    .filter((d) => !isPlainPath(d.real));
  if (unplain.length === 0) return { map: (path) => path, aliases: [], close: async () => {} };
  // The runner's own TMPDIR may be as unplain as the directories; /tmp never is.
  const home = await mkdtemp(join(isPlainPath(resolve(base)) ? resolve(base) : '/tmp', 'albs-paths-'));
  const aliases = unplain.map((d) => ({ ...d, alias: join(home, d.name) }));
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= rm(home, { recursive: true, force: true });
    return closed;
  };
  try {
    for (const a of aliases) await symlink(a.real, a.alias, 'dir');
  } catch (error) {
    await close();
    throw error;
  }
  // The deepest aliased directory holding a path wins: the workspace may lie inside the repository.
  const byDepth = [...aliases].sort((a, b) => b.real.length - a.real.length);
  return {
    map(path) {
      const full = resolve(path);
      const holder = byDepth.find((a) => full === a.real || full.startsWith(`${a.real}${sep}`));
      return holder ? holder.alias + full.slice(holder.real.length) : path;
    },
    aliases,
    close,
  };
}
