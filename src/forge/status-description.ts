/** GitHub answers 422 to a commit status description longer than this; Gitea shows it in one line. */
export const MAX_DESCRIPTION = 140;

/**
 * A status description cut to MAX_DESCRIPTION characters, the last one "…" when cut. Counted and cut
 * by code point: cutting UTF-16 units could split a surrogate pair and send broken text.
 */
export function fitDescription(text: string, max = MAX_DESCRIPTION): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
