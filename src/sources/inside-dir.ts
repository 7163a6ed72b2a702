import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * Whether `path` lies below `dir` (never `dir` itself), both resolved first: "..", a sibling
 * ("../dir-other") and another root are outside, while a name that only starts with ".."
 * ("..notes") is inside. Compares the paths as written and follows no symlink: code that then
 * reads through links must compare real paths (fs.realpath), as copyTree does.
 */
export function insideDir(dir: string, path: string): boolean {
  const rel = relative(resolve(dir), resolve(path));
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}
