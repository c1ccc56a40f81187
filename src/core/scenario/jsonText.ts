/**
 * JSON text → value, with a syntax error located by line and column. JSON.parse does the
 * parsing (its error texts differ between engines and rarely say where); when it refuses,
 * a small scanner walks the text to find the first offending character and say why in
 * words a scenario author understands (trailing comma, comment, single quotes…).
 */

export type JsonParse = { ok: true; value: unknown } | { ok: false; line: number; column: number; message: string };

export function parseJsonText(input: string): JsonParse {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    const found = locateJsonError(text) ?? { offset: 0, message: 'not valid JSON' };
    const offset = input.length - text.length + found.offset;
    return { ok: false, ...lineColumn(input, offset), message: found.message };
  }
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(0, offset), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

interface Found {
  offset: number;
  message: string;
}

class SyntaxFound {
  constructor(readonly found: Found) {}
}

const MAX_DEPTH = 500;

/** The first syntax error in `text`, or null when the scanner finds none. */
export function locateJsonError(text: string): Found | null {
  let i = 0;
  const fail = (offset: number, message: string): never => {
    throw new SyntaxFound({ offset, message });
  };
  const ws = () => {
    while (i < text.length) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
      else if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) fail(i, 'comments are not allowed in JSON');
      else break;
    }
  };
  const describe = (c: string | undefined) => (c === undefined ? 'the end of the file' : `"${c}"`);

  const string = () => {
    const start = i;
    i++; // opening quote
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c === 92) {
        const e = text[i + 1];
        if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else fail(i, `bad escape "\\${e ?? ''}" in a string`);
        continue;
      }
      if (c < 32) fail(i, c === 10 ? 'a line break inside a string must be written \\n' : 'a control character inside a string must be escaped');
      i++;
    }
    fail(start, 'this string is never closed (missing ")');
  };

  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '-' || m[0] === '') fail(i, 'bad number');
    i += m![0].length;
    if (/[0-9.eE]/.test(text[i] ?? '')) fail(i, 'bad number (no leading zeros, a digit on both sides of ".")');
  };

  const value = (depth: number): void => {
    if (depth > MAX_DEPTH) fail(i, `nested more than ${MAX_DEPTH} levels deep`);
    ws();
    const c = text[i];
    if (c === '{') return object(depth);
    if (c === '[') return array(depth);
    if (c === '"') return string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    if (c === undefined) fail(i, 'unexpected end of the file: a value is missing');
    if (c === "'") fail(i, 'strings need double quotes (") in JSON');
    if (c === '+' || c === '.') fail(i, 'bad number');
    const word = /^[A-Za-z_]\w*/.exec(text.slice(i, i + 40));
    if (word) fail(i, `unexpected word "${word[0]}" (strings need double quotes)`);
    fail(i, `unexpected ${describe(c)}: expected a value`);
  };

  const object = (depth: number) => {
    i++;
    ws();
    if (text[i] === '}') {
      i++;
      return;
    }
    for (;;) {
      ws();
      const c = text[i];
      if (c === '"') string();
      else if (c === '}') fail(i, 'a trailing comma before "}" is not allowed in JSON');
      else if (c === "'") fail(i, 'field names need double quotes (") in JSON');
      else if (c !== undefined && /[A-Za-z_$]/.test(c)) fail(i, 'field names need double quotes in JSON');
      else fail(i, c === undefined ? 'unexpected end of the file: an object is not closed (missing })' : `unexpected ${describe(c)}: expected a "field name"`);
      ws();
      if (text[i] !== ':') fail(i, `expected ":" after the field name, found ${describe(text[i])}`);
      i++;
      value(depth + 1);
      ws();
      const d = text[i];
      if (d === ',') {
        i++;
        continue;
      }
      if (d === '}') {
        i++;
        return;
      }
      fail(i, d === undefined ? 'unexpected end of the file: an object is not closed (missing })' : `expected "," or "}" after a value, found ${describe(d)} (a missing comma?)`);
    }
  };

  const array = (depth: number) => {
    i++;
    ws();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (;;) {
      ws();
      if (text[i] === ']') fail(i, 'a trailing comma before "]" is not allowed in JSON');
      value(depth + 1);
      ws();
      const d = text[i];
      if (d === ',') {
        i++;
        continue;
      }
      if (d === ']') {
        i++;
        return;
      }
      fail(i, d === undefined ? 'unexpected end of the file: an array is not closed (missing ])' : `expected "," or "]" after a value, found ${describe(d)} (a missing comma?)`);
    }
  };

  try {
    ws();
    if (i >= text.length) return { offset: i, message: 'the file is empty' };
    value(0);
    ws();
    if (i < text.length) fail(i, `unexpected ${describe(text[i])} after the end of the JSON value`);
    return null;
  } catch (e) {
    if (e instanceof SyntaxFound) return e.found;
    return { offset: i, message: 'not valid JSON' };
  }
}
