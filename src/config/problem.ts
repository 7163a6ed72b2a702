/** Where a problem is: 1-based line and column in the file as the user wrote it. */
export interface Position {
  line: number;
  col: number;
}

/** One finding about a .albs.yml: every problem carries a position, whole-file ones 1:1. */
export interface Problem extends Position {
  severity: 'error' | 'warning';
  file: string;
  message: string;
  /** The path of the key or value at fault, e.g. ["build", "timeout"]; empty for the whole file. */
  path: (string | number)[];
}

/** How a check reports a problem at a path: at its value's position unless `at` says where. */
export type Report = (path: (string | number)[], message: string, at?: Position) => void;

/** The line a CLI prints for a problem: FILE:LINE:COL: error: MESSAGE. */
export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.col}: ${p.severity}: ${p.message}`;
}

/** Errors before warnings, then in file order; duplicates (same place, same words) once. */
export function sortProblems(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const key = `${p.severity}\0${p.line}\0${p.col}\0${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const rank = (p: Problem) => (p.severity === 'error' ? 0 : 1);
  return unique.sort((a, b) => rank(a) - rank(b) || a.line - b.line || a.col - b.col);
}

/** How a path reads in a message: build.timeout, publish[0].repo. */
export function describePath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    out += typeof part === 'number' ? `[${part}]` : out ? `.${part}` : part;
  }
  return out || 'the file';
}
