import { cp, mkdir, readdir, realpath } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { StepContext } from './types.js';

export interface CopyTreeOptions {
  /** Left out with everything under them. Compared as real paths, so an alias or a symlink also matches. */
  leaveOut: readonly string[];
  /** Also left out: entries at the top of `from` whose name matches. */
  leaveOutAtTop?: RegExp;
}

/**
 * Copies the tree `from` to `to` without the paths in `leaveOut`, keeping symlinks as they are and
 * timestamps. fs.cp alone cannot do it: it refuses a destination inside its source even when a
 * filter would skip it, so the walk goes down only into the directories that hold a left-out path
 * and copies everything else whole.
 */
export async function copyTree(from: string, to: string, options: CopyTreeOptions): Promise<void> {
  const root = await realpath(from);
  const left = new Set(await Promise.all(options.leaveOut.map(realOrResolved)));
  const holdsLeft = (dir: string) => [...left].some((path) => path.startsWith(`${dir}${sep}`));
  const walk = async (src: string, dest: string): Promise<void> => {
    await mkdir(dest, { recursive: true });
    for (const entry of await readdir(src, { withFileTypes: true })) {
      const path = join(src, entry.name);
      if (left.has(path) || (src === root && options.leaveOutAtTop?.test(entry.name))) continue;
      if (entry.isDirectory() && holdsLeft(path)) await walk(path, join(dest, entry.name));
      else
        await cp(path, join(dest, entry.name), {
          recursive: true,
          verbatimSymlinks: true,
          preserveTimestamps: true,
        });
    }
  };
  await walk(root, to);
}

/**
 * What a copy of the package repository must leave out: the runner's output, which may lie
 * inside it (`albs run` keeps it in REPO/.albs) — the directory holding both the workspace and
 * the artifacts when that is inside the repository, since it holds other jobs' files too, else
 * just those two — and whatever the job's sandbox hides (a key file kept in the repository).
 * Real paths.
 */
export async function runnerOutputs(
  context: Pick<StepContext, 'repoDir' | 'workspace' | 'artifacts' | 'sandbox'>,
): Promise<string[]> {
  const repo = await realOrResolved(context.repoDir);
  const workspace = await realOrResolved(context.workspace);
  const artifacts = await realOrResolved(context.artifacts);
  const output = commonAncestor(workspace, artifacts);
  const hidden = await Promise.all((context.sandbox?.policy.hidden ?? []).map(realOrResolved));
  return [...(output.startsWith(`${repo}${sep}`) ? [output] : [workspace, artifacts]), ...hidden];
}

/** The real path, or for a path that does not exist (nothing there to leave out) the absolute one. */
function realOrResolved(path: string): Promise<string> {
  return realpath(path).catch(() => resolve(path));
}

function commonAncestor(a: string, b: string): string {
  const left = a.split(sep);
  const right = b.split(sep);
  let i = 0;
  while (i < left.length && left[i] === right[i]) i++;
  return left.slice(0, i).join(sep) || sep;
}
