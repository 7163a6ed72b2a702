import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { SpecNotFoundError } from './errors.js';
import { insideDir } from './inside-dir.js';

/**
 * The spec to build in `dir` (the repository, or its `source.dir`): `spec` when given (relative to
 * `dir`, and inside it), else the one *.spec at the top of `dir` or in its SPECS/ (the dist-git
 * layout). Returns an absolute path. Two candidates are an error rather than a guess: building the
 * wrong one would look like success.
 */
export async function findSpec(dir: string, spec?: string): Promise<string> {
  const root = resolve(dir);
  if (spec !== undefined) {
    const path = resolve(root, spec);
    if (isAbsolute(spec) || !insideDir(root, path)) {
      throw new SpecNotFoundError(
        `source.spec "${spec}" is outside the package source ${root}: name a spec file inside it, relative to it`,
      );
    }
    const found = await stat(path).catch(() => undefined);
    if (!found?.isFile()) {
      const candidates = await candidateSpecs(root);
      throw new SpecNotFoundError(
        `source.spec "${spec}" does not exist in ${root}` +
          (candidates.length > 0
            ? `; specs found there: ${candidates.join(', ')}`
            : '; no *.spec is there (at the top or in SPECS/)') +
          ': fix source.spec in .albs.yml',
      );
    }
    return path;
  }

  const candidates = await candidateSpecs(root);
  if (candidates.length === 1) return join(root, candidates[0]!);
  if (candidates.length === 0) {
    const top = await readdir(root).catch(() => undefined);
    if (top === undefined)
      throw new SpecNotFoundError(`the package source ${root} does not exist: check source.dir in .albs.yml`);
    throw new SpecNotFoundError(
      `no *.spec found at the top of ${root} or in its SPECS/ (found: ${top.length > 0 ? top.sort().join(', ') : 'nothing'}): ` +
        'add the spec, or set source.spec (or source.srpm) in .albs.yml',
    );
  }
  throw new SpecNotFoundError(
    `${candidates.length} specs found in ${root}: ${candidates.join(', ')}; ` +
      'set source.spec in .albs.yml to the one to build',
  );
}

/** *.spec files at the top and in SPECS/, relative to `root`, sorted. */
async function candidateSpecs(root: string): Promise<string[]> {
  const found: string[] = [];
  for (const sub of ['', 'SPECS']) {
    const entries = await readdir(join(root, sub), { withFileTypes: true }).catch(() => []);
    for (const e of entries)
      if (e.name.endsWith('.spec') && (e.isFile() || e.isSymbolicLink()))
        found.push(sub ? `${sub}/${e.name}` : e.name);
  }
  return found.sort();
}
