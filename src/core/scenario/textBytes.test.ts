import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { decodeTextBytes } from './textBytes';
import { loadScenario } from './load';

const json = readFileSync('src/scenarios/seed-passive-session.json', 'utf8');
const utf16le = (s: string, bom: boolean) => Buffer.concat([Buffer.from(bom ? [0xff, 0xfe] : []), Buffer.from(s, 'utf16le')]);
const utf16be = (s: string, bom: boolean) => {
  const le = Buffer.from(s, 'utf16le');
  for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return Buffer.concat([Buffer.from(bom ? [0xfe, 0xff] : []), le]);
};

describe('a scenario file saved as UTF-8 with a BOM or as UTF-16 loads', () => {
  const cases: [string, Buffer, string][] = [
    ['UTF-8', Buffer.from(json), 'utf-8'],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]), 'utf-8 with BOM'],
    ['UTF-16 LE with BOM (Notepad "Unicode")', utf16le(json, true), 'utf-16le'],
    ['UTF-16 BE with BOM', utf16be(json, true), 'utf-16be'],
    ['UTF-16 LE without BOM', utf16le(json, false), 'utf-16le'],
    ['UTF-16 BE without BOM', utf16be(json, false), 'utf-16be'],
  ];
  it.each(cases)('%s', (_name, bytes, encoding) => {
    const d = decodeTextBytes(new Uint8Array(bytes));
    expect(d.encoding).toBe(encoding);
    expect(d.text).toBe(json);
    expect(d.note === null).toBe(!encoding.startsWith('utf-16'));
    if (d.note) expect(d.note).toMatch(/This file is UTF-16.*save it as UTF-8/);
    expect(loadScenario(d.text).ok).toBe(true);
  });

  it('a text with a BOM still in it (decoded elsewhere) loads too', () => {
    expect(loadScenario('\uFEFF' + json).ok).toBe(true);
  });

  it('bytes that are not UTF-8 do not throw: the loader points at the line', () => {
    const d = decodeTextBytes(new Uint8Array([0x7b, 0x0a, 0xc3, 0x28, 0x0a]));
    expect(d.text).toContain('\uFFFD');
    const r = loadScenario(d.text);
    expect(!r.ok && r.errors[0]!.line).toBe(2);
  });
});
