import type { Combination } from '../plan/expand-matrix.js';
import { hasExpression, interpolate } from '../plan/interpolate.js';
import { describePath, type Position, type Report } from './problem.js';
import { quote } from './text.js';
import type { PipelineConfig } from './types.js';

const MIB = 1024 * 1024;
/** A gpgkeys entry: a key file on the runner (file:///PATH) or a link to one. */
export const KEY_URL = /^(?:file:\/\/\/|https?:\/\/)\S+$/;

/**
 * Network is for pipelines of trusted refs only: a pull request's code is anyone's, so a pipeline
 * that pull requests run (on.pull_requests, or no "on" at all) may not ask for it anywhere.
 */
export function checkNetwork(config: PipelineConfig, error: Report): void {
  if (config.on !== null && !config.on.pullRequests) return;
  const [why, fix] =
    config.on === null
      ? [
          'there is no "on", so every pull request runs this pipeline',
          'add an "on" that lists your tags and branches and leaves pull requests out',
        ]
      : ['on.pull_requests is true', 'set on.pull_requests: false'];
  const refuse = (path: (string | number)[]) =>
    error(
      path,
      `${describePath(path)} is true, but ${why}, and pull-request pipelines never get network; set network: false (and keep what it downloads in the repository), or ${fix}`,
    );
  if (config.build.network) refuse(['build', 'network']);
  config.test.forEach((step, i) => {
    if (step.network) refuse(['test', i, 'network']);
  });
}

/** Sizes the schema accepts but no build runs in: a number without a unit is bytes, and "8" means 8 bytes. */
export function checkLimits(config: PipelineConfig, doc: unknown, error: Report): void {
  const written = ((doc as { build?: { limits?: Record<string, unknown> } }).build?.limits ?? {}) as Record<
    string,
    unknown
  >;
  for (const [key, example] of [
    ['memory', '8GiB'],
    ['disk', '50GiB'],
  ] as const) {
    const raw = written[key];
    if (raw === undefined) continue;
    const value = config.build.limits[key];
    const shown = typeof raw === 'string' ? quote(raw) : String(raw);
    if (value < MIB) {
      error(
        ['build', 'limits', key],
        `build.limits.${key} is ${shown}, which is ${value} bytes (a number without a unit is bytes), under the 1 MiB a build needs; write a unit, e.g. ${example}`,
      );
    } else if (value > Number.MAX_SAFE_INTEGER) {
      error(
        ['build', 'limits', key],
        `build.limits.${key} is ${shown}, over the largest size albs can count (${Number.MAX_SAFE_INTEGER} bytes, about 8 PiB); give a smaller size`,
      );
    }
  }
}

/**
 * Packages from an install step's repos are checked against its gpgkeys unless it says gpgcheck:
 * false; a check with no keys would refuse every package, so it is refused here instead, and a
 * key link with `${{ }}` is checked as each combination renders it.
 */
export function checkInstallKeys(
  config: PipelineConfig,
  combinations: Combination[],
  error: Report,
  locateKey: (path: (string | number)[]) => Position,
  badPaths: Set<string>,
): void {
  config.test.forEach((step, i) => {
    if (step.kind !== 'install') return;
    if (step.repos.length > 0 && step.gpgcheck && step.gpgkeys.length === 0) {
      error(
        ['test', i, 'install', 'repos'],
        `test[${i}].install has repos but no gpgkeys, and the signatures of their packages are checked (gpgcheck is true unless set false); add gpgkeys: [the URL of each repository's key, file:///… or https://…], or gpgcheck: false to install from them unchecked`,
        locateKey(['test', i, 'install', 'repos']),
      );
    }
    step.gpgkeys.forEach((key, k) => {
      const path = ['test', i, 'install', 'gpgkeys', k];
      if (!hasExpression(key) || badPaths.has(path.join('.'))) return;
      const bad = [...new Set(combinations.map((c) => interpolate(key, c.values)))].filter(
        (url) => !KEY_URL.test(url),
      );
      if (bad.length) {
        error(
          path,
          `${describePath(path)} renders to ${bad.map(quote).join(', ')}; a key is a file:///PATH on the runner or an http(s):// link`,
        );
      }
    });
  });
}
