import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lineColumn, locateJsonError, parseJsonText } from './jsonText';

describe('parseJsonText', () => {
  it('parses valid JSON, ignoring a byte-order mark', () => {
    expect(parseJsonText('\uFEFF{"a": [1, 2]}')).toEqual({ ok: true, value: { a: [1, 2] } });
  });

  it.each([
    ['missing comma', '{\n  "a": 1\n  "b": 2\n}', 3, 3, /expected "," or "}" after a value, found """ \(a missing comma\?\)/],
    ['trailing comma in an array', '[1,\n 2,\n]', 3, 1, /trailing comma before "]"/],
    ['single quotes', "{'a': 1}", 1, 2, /double quotes/],
    ['unquoted field name', '{ name: "x" }', 1, 3, /field names need double quotes/],
    ['unterminated string', '{"a": "abc', 1, 7, /never closed/],
    ['line break inside a string', '{"a": "ab\ncd"}', 1, 10, /line break inside a string/],
    ['block comment', '/* scenario */ {}', 1, 1, /comments are not allowed/],
    ['empty file', '   \n', 2, 1, /empty/],
    ['text after the value', '{} {}', 1, 4, /after the end of the JSON value/],
    ['a bare word', '{"a": yes}', 1, 7, /unexpected word "yes"/],
    ['leading zero', '{"port": 021}', 1, 11, /bad number/],
    ['unclosed object', '{"a": 1', 1, 8, /object is not closed/],
  ])('%s', (_name, text, line, column, message) => {
    const r = parseJsonText(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect([r.line, r.column]).toEqual([line, column]);
    expect(r.message).toMatch(message);
  });
});

describe('the error locator agrees with JSON.parse', () => {
  const accepts = (t: string) => {
    try {
      JSON.parse(t);
      return true;
    } catch {
      return false;
    }
  };

  it('finds nothing wrong in valid JSON', () => {
    fc.assert(
      fc.property(fc.json(), (t) => {
        expect(locateJsonError(t)).toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it('finds an error in every text JSON.parse refuses', () => {
    const mutated = fc
      .tuple(fc.json(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', '/', "'", 'x', '\n', '0', '-', '.'))
      .map(([t, n, ins]) => t.slice(0, n % (t.length + 1)) + ins + t.slice((n % (t.length + 1)) + 1));
    fc.assert(
      fc.property(fc.oneof(mutated, fc.string({ maxLength: 40 })), (t) => {
        if (!accepts(t)) expect(locateJsonError(t)).not.toBeNull();
      }),
      { numRuns: 1000 },
    );
  });

  it('lineColumn counts from 1', () => {
    expect(lineColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});
