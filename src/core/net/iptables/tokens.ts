/** Splitting an iptables-restore line into words, as its own reader does: blanks separate,
 * double or single quotes group, a backslash inside quotes escapes the next character. */
export interface Token {
  text: string;
  /** 1-based column where the word starts. */
  col: number;
}

export type Tokens = { ok: true; tokens: Token[] } | { ok: false; col: number; message: string };

export function tokenizeLine(line: string): Tokens {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i]!)) i++;
    if (i >= line.length) break;
    const col = i + 1;
    let text = '';
    while (i < line.length && !/\s/.test(line[i]!)) {
      const c = line[i]!;
      if (c === '"' || c === "'") {
        const quote = c;
        i++;
        let closed = false;
        while (i < line.length) {
          const d = line[i]!;
          if (d === '\\' && i + 1 < line.length) {
            text += line[i + 1];
            i += 2;
          } else if (d === quote) {
            closed = true;
            i++;
            break;
          } else {
            text += d;
            i++;
          }
        }
        if (!closed) return { ok: false, col, message: 'unterminated quoted string' };
      } else {
        text += c;
        i++;
      }
    }
    tokens.push({ text, col });
  }
  return { ok: true, tokens };
}
