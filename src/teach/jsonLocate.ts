/**
 * Where a JSON path is in the file's text: ["steps", 2, "predict", "answer"] → line 41,
 * column 17 (of the value). A small scanner over well-formed JSON (the text has already
 * been parsed once); it returns null when the path is not there (e.g. a missing field:
 * then the nearest existing parent is reported by the caller). Pure.
 */
import { lineColumn } from '../core/index';

type Key = string | number;

export function locatePath(text: string, path: readonly Key[]): { line: number; column: number } | null {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n\ufeff'.includes(text[i]!)) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return '';
    }
  };
  const skip = (): void => {
    ws();
    const c = text[i];
    if (c === '"') return void str();
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) return void i++;
      for (;;) {
        ws();
        if (c === '{') {
          str();
          ws();
          i++; // ':'
        }
        skip();
        ws();
        if (text[i] === ',') i++;
        else {
          i++;
          return;
        }
      }
    }
    while (i < text.length && !',}] \t\r\n'.includes(text[i]!)) i++;
  };
  ws();
  for (const key of path) {
    ws();
    const c = text[i];
    if (c === '{' && typeof key === 'string') {
      i++;
      let found = false;
      for (;;) {
        ws();
        if (text[i] === '}' || i >= text.length) break;
        const k = str();
        ws();
        i++; // ':'
        ws();
        if (k === key) {
          found = true;
          break;
        }
        skip();
        ws();
        if (text[i] === ',') i++;
      }
      if (!found) return null;
    } else if (c === '[' && typeof key === 'number') {
      i++;
      for (let n = 0; n < key; n++) {
        ws();
        if (text[i] === ']') return null;
        skip();
        ws();
        if (text[i] === ',') i++;
        else return null;
      }
      ws();
      if (text[i] === ']') return null;
    } else return null;
  }
  ws();
  return lineColumn(text, i);
}
