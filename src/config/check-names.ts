import type { Combination } from '../plan/expand-matrix.js';
import { interpolate, valueText } from '../plan/interpolate.js';
import { jobIdFor, MAX_JOB_ID_BYTES, repoJobIdFor, slug } from '../plan/job-ids.js';
import { describePath, type Report } from './problem.js';
import { CONTROL_CHARACTER, quote, shorten } from './text.js';
import type { PipelineConfig } from './types.js';

const NO_CONTROL = 'which may not hold control characters (newlines, tabs, escape sequences): remove them';

/**
 * Matrix values become job names, and step names lines of logs and commit statuses: a newline or an
 * escape sequence in them would forge lines or drive the terminal of whoever reads them.
 */
export function checkControlCharacters(config: PipelineConfig, doc: unknown, error: Report): void {
  const visit = (value: unknown, path: (string | number)[]) => {
    if (typeof value === 'string') {
      if (CONTROL_CHARACTER.test(value)) {
        error(
          path,
          `${describePath(path)} is ${quote(value)}; matrix values appear in job names, logs and commit statuses, ${NO_CONTROL}`,
        );
      }
    } else if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) visit(item, [...path, i]);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (CONTROL_CHARACTER.test(key)) {
          error(
            path,
            `${describePath(path)} has the key ${quote(key)}; matrix values appear in job names, logs and commit statuses, ${NO_CONTROL}`,
          );
        }
        visit(item, [...path, key]);
      }
    }
  };
  for (const axis of config.matrix.axes) {
    for (const [i, value] of axis.values.entries()) visit(value, ['matrix', axis.key, i]);
  }
  config.matrix.include.forEach((entry, i) => {
    for (const [key, value] of Object.entries(entry)) visit(value, ['matrix', 'include', i, key]);
  });

  const steps = (doc as { test?: unknown }).test;
  if (!Array.isArray(steps)) return;
  steps.forEach((step, i) => {
    const name = (step as { name?: unknown } | null)?.name;
    if (typeof name === 'string' && CONTROL_CHARACTER.test(name)) {
      error(
        ['test', i, 'name'],
        `test[${i}].name is ${quote(name)}; step names appear in logs and commit statuses, ${NO_CONTROL}`,
      );
    }
  });
}

const bytes = (text: string) => new TextEncoder().encode(text).length;

function tooLong(id: string): string {
  return `the job id ${quote(shorten(id))} is ${bytes(id)} bytes, over the ${MAX_JOB_ID_BYTES}-byte limit for job ids (they become file names)`;
}

/**
 * Job ids are the stage and the matrix values (build, test), or the stage and the repo name (sign,
 * publish). A build id too long is reported once per value that makes most of it, at that value;
 * test ids are a byte shorter than their build's.
 */
export function checkJobIds(
  config: PipelineConfig,
  combinations: Combination[],
  error: Report,
  badPaths: Set<string>,
): void {
  const reported = new Set<string>();
  for (const combination of combinations) {
    const id = jobIdFor('build', combination.values);
    if (bytes(id) <= MAX_JOB_ID_BYTES) continue;
    let longest: { key: string; length: number } | undefined;
    for (const [key, value] of Object.entries(combination.values)) {
      const length = slug(valueText(value)).length;
      if (!longest || length > longest.length) longest = { key, length };
    }
    const origin = (longest && combination.origins[longest.key]) ?? ['matrix'];
    if (reported.has(origin.join('.'))) continue;
    reported.add(origin.join('.'));
    error(
      origin,
      `${tooLong(id)}; it is the stage and the matrix values, and this value gives ${longest?.length ?? 0} bytes of it: use shorter matrix values`,
    );
  }
  config.publish.forEach((target, i) => {
    if (badPaths.has(`publish.${i}.repo`)) return;
    const ids = combinations.map((c) => repoJobIdFor('publish', interpolate(target.repo, c.values)));
    const id = ids.find((x) => bytes(x) > MAX_JOB_ID_BYTES);
    if (id === undefined) return;
    error(
      ['publish', i, 'repo'],
      `${tooLong(id)}; it is "publish." and the rendered repo name: use a shorter repo name`,
    );
  });
}
