import { escapeHtml } from './html.js';

/**
 * Log text to HTML: every character escaped, ANSI SGR colours and bold as spans with classes
 * (`ansi-fg-1`, `ansi-bold`), every other escape sequence dropped. Stateful, so that a log read
 * in pieces (the live tail) keeps a colour that a piece leaves open.
 */
export class AnsiRenderer {
  private fg: number | null = null;
  private bg: number | null = null;
  private bold = false;
  /** An escape sequence cut by the end of a piece: finished by the next one. */
  private carry = '';

  render(piece: string): string {
    const text = this.carry + piece;
    this.carry = '';
    let out = '';
    let open = this.openSpan();
    out += open;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes start with ESC.
    const sequence = /\x1b(?:\[([0-9;?]*)([A-Za-z])|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;
    let last = 0;
    for (let match = sequence.exec(text); match !== null; match = sequence.exec(text)) {
      out += escapeHtml(text.slice(last, match.index));
      last = match.index + match[0].length;
      if (match[2] !== 'm') continue;
      this.apply(match[1] ?? '');
      if (open) out += '</span>';
      open = this.openSpan();
      out += open;
    }
    let rest = text.slice(last);
    const cut = rest.lastIndexOf('\x1b');
    // An ESC near the end with no complete sequence after it waits for the next piece.
    if (cut !== -1 && rest.length - cut < 32) {
      this.carry = rest.slice(cut);
      rest = rest.slice(0, cut);
    }
    out += escapeHtml(rest.replace(/\r(?!\n)/g, ''));
    if (open) out += '</span>';
    return out;
  }

  private apply(params: string): void {
    const codes = params === '' ? [0] : params.split(';').map((p) => Number(p) || 0);
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i]!;
      if (code === 0) {
        this.fg = null;
        this.bg = null;
        this.bold = false;
      } else if (code === 1) this.bold = true;
      else if (code === 22) this.bold = false;
      else if (code >= 30 && code <= 37) this.fg = code - 30;
      else if (code >= 90 && code <= 97) this.fg = code - 90 + 8;
      else if (code === 39) this.fg = null;
      else if (code >= 40 && code <= 47) this.bg = code - 40;
      else if (code >= 100 && code <= 107) this.bg = code - 100 + 8;
      else if (code === 49) this.bg = null;
      else if (code === 38 || code === 48) {
        // 256-colour and RGB colours: the first 16 map to classes, the rest are skipped.
        if (codes[i + 1] === 5) {
          const n = codes[i + 2] ?? 0;
          if (n < 16) {
            if (code === 38) this.fg = n;
            else this.bg = n;
          }
          i += 2;
        } else if (codes[i + 1] === 2) i += 4;
      }
    }
  }

  private openSpan(): string {
    const classes = [
      ...(this.bold ? ['ansi-bold'] : []),
      ...(this.fg !== null ? [`ansi-fg-${this.fg}`] : []),
      ...(this.bg !== null ? [`ansi-bg-${this.bg}`] : []),
    ];
    return classes.length === 0 ? '' : `<span class="${classes.join(' ')}">`;
  }
}
