/** Control characters (Unicode Cc: U+0000–U+001F, U+007F–U+009F): newlines, tabs, ESC and the 8-bit CSI. */
export const CONTROL_CHARACTER = /\p{Cc}/u;

/**
 * A string as a message shows it: JSON-quoted, every control character escaped (JSON.stringify leaves
 * DEL and the C1 controls raw, and those still drive a terminal).
 */
export function quote(text: string): string {
  return JSON.stringify(text).replace(
    /\p{Cc}/gu,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A long text cut in the middle for a message: "build.x86_64.aaaa…aaaa.el9". */
export function shorten(text: string, max = 64): string {
  if (text.length <= max) return text;
  const tail = Math.floor(max / 4);
  return `${text.slice(0, max - tail - 1)}…${text.slice(-tail)}`;
}
