/**
 * dpkg's version comparison (lib/dpkg/version.c: dpkg_version_compare), so that "the last N
 * versions" of a deb means what apt and `dpkg --compare-versions` mean by newer: the epoch first,
 * then upstream version and revision, each compared in alternating runs of non-digits (letters
 * before other characters, "~" before everything, even the end) and numbers (by value).
 */
import { parseDebianVersion } from '../sources/debian-control.js';

function order(code: number | undefined): number {
  if (code === undefined) return 0;
  if (code >= 48 && code <= 57) return 0;
  if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122)) return code;
  if (code === 126) return -1; // ~
  return code + 256;
}

const isDigit = (code: number | undefined) => code !== undefined && code >= 48 && code <= 57;

/** dpkg's verrevcmp: <0, 0 or >0 as `a` is older than, the same as, or newer than `b`. */
export function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  const at = (s: string, k: number) => (k < s.length ? s.charCodeAt(k) : undefined);
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(at(a, i))) || (j < b.length && !isDigit(at(b, j)))) {
      const ac = order(at(a, i));
      const bc = order(at(b, j));
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (at(a, i) === 48) i++;
    while (at(b, j) === 48) j++;
    while (isDigit(at(a, i)) && isDigit(at(b, j))) {
      if (!firstDiff) firstDiff = (at(a, i) ?? 0) - (at(b, j) ?? 0);
      i++;
      j++;
    }
    if (isDigit(at(a, i))) return 1;
    if (isDigit(at(b, j))) return -1;
    if (firstDiff) return firstDiff;
  }
  return 0;
}

/** Compares two Debian versions as `dpkg --compare-versions` does; throws on a string that is not one. */
export function compareDebianVersions(a: string, b: string): number {
  const va = parseDebianVersion(a);
  const vb = parseDebianVersion(b);
  if (!va || !vb) throw new Error(`not a Debian version: "${va ? b : a}"`);
  if (va.epoch !== vb.epoch) return va.epoch > vb.epoch ? 1 : -1;
  return Math.sign(verrevcmp(va.upstream, vb.upstream) || verrevcmp(va.revision, vb.revision));
}
