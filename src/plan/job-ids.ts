import { valueText } from './interpolate.js';

/**
 * The longest job id, in bytes. Ids name files and directories (logs/<id>.log, work/<id>/,
 * artifacts/<id>/), and a file name has at most 255 bytes on Linux file systems: 200 leaves room
 * for the suffixes a runner adds. Validation refuses a config whose ids would be longer.
 */
export const MAX_JOB_ID_BYTES = 200;

/** A value as it may appear in a job id: lower case, [a-z0-9._-] only (so a byte per character). */
export function slug(value: string): string {
  const s = value
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '');
  return s || 'x';
}

/** The id a matrix job wants: "build.x86_64.almalinux-9". */
export function jobIdFor(stage: string, values: Record<string, unknown>): string {
  return [stage, ...Object.values(values).map((v) => slug(valueText(v)))].join('.');
}

/** The id a sign or publish job wants: "publish.almalinux-9". */
export function repoJobIdFor(stage: 'sign' | 'publish', repo: string): string {
  return `${stage}.${slug(repo)}`;
}

/**
 * Job ids must be unique; two jobs whose values read alike get -2, -3 … in order. A suffix never
 * takes an id over MAX_JOB_ID_BYTES: the wanted id is cut to make room for it.
 */
export class JobIds {
  private readonly taken = new Set<string>();
  take(wanted: string): string {
    let id = wanted;
    for (let n = 2; this.taken.has(id); n++) {
      const suffix = `-${n}`;
      id = `${wanted.slice(0, MAX_JOB_ID_BYTES - suffix.length)}${suffix}`;
    }
    this.taken.add(id);
    return id;
  }
}
