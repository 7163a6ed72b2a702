import picomatch from 'picomatch';
import type { TriggerFilter } from '../config/types.js';
import type { Trigger } from './types.js';

/** `refs/tags/v1` and `refs/heads/main` as users also write them: v1, main. */
export function shortRef(ref: string): string {
  return ref.replace(/^refs\/(tags|heads)\//, '');
}

/**
 * Whether `on` lets this trigger start a pipeline: null when it does, else the reason it does not.
 * Patterns are read in order, as GitHub Actions does: a match includes, a later `!pattern` match excludes again.
 */
export function matchTrigger(on: TriggerFilter | null, trigger: Trigger): string | null {
  if (on === null) return null;
  const ref = shortRef(trigger.ref);
  if (trigger.event === 'pull_request') {
    return on.pullRequests
      ? null
      : 'pull requests do not trigger this pipeline: on.pull_requests is not true';
  }
  const [patterns, key, noun] =
    trigger.event === 'tag' ? [on.tags, 'on.tags', 'tag'] : [on.branches, 'on.branches', 'branch'];
  if (matchesGlobs(ref, patterns)) return null;
  return patterns.length
    ? `${noun} "${ref}" matches none of ${key} (${patterns.join(', ')})`
    : `${noun} pushes do not trigger this pipeline: ${key} is empty`;
}

export function matchesGlobs(name: string, patterns: readonly string[]): boolean {
  let matched = false;
  for (const pattern of patterns) {
    if (pattern.startsWith('!')) {
      if (matched && picomatch.isMatch(name, pattern.slice(1), { dot: true })) matched = false;
    } else if (!matched && picomatch.isMatch(name, pattern, { dot: true })) {
      matched = true;
    }
  }
  return matched;
}
