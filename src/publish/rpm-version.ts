/**
 * rpm's version comparison (rpmvercmp), so that "the last N versions" means what rpm and dnf
 * mean by newer: 1.10 > 1.9, 1.0~rc1 < 1.0, 1.0^post > 1.0, letters < digits.
 */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  const isAlnum = (c: string | undefined) => c !== undefined && /[A-Za-z0-9]/.test(c);
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(a[i]) && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !isAlnum(b[j]) && b[j] !== '~' && b[j] !== '^') j++;
    // A tilde sorts before anything, even the end of the string.
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    // A caret sorts after the end of the string but before anything else.
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;
    const numeric = /[0-9]/.test(a[i]!);
    const segment = numeric ? /^[0-9]+/ : /^[A-Za-z]+/;
    const sa = segment.exec(a.slice(i))?.[0] ?? '';
    const sb = segment.exec(b.slice(j))?.[0] ?? '';
    // A numeric segment is newer than an alphabetic one.
    if (sb === '') return numeric ? 1 : -1;
    i += sa.length;
    j += sb.length;
    // Numbers compare by value: leading zeros do not count, a longer number is bigger.
    const ca = numeric ? sa.replace(/^0+/, '') : sa;
    const cb = numeric ? sb.replace(/^0+/, '') : sb;
    if (numeric && ca.length !== cb.length) return ca.length > cb.length ? 1 : -1;
    if (ca !== cb) return ca > cb ? 1 : -1;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

export interface Evr {
  epoch: number;
  version: string;
  release: string;
}

export function compareEvr(a: Evr, b: Evr): number {
  if (a.epoch !== b.epoch) return a.epoch > b.epoch ? 1 : -1;
  return rpmvercmp(a.version, b.version) || rpmvercmp(a.release, b.release);
}
