import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compressToEncodedURIComponent } from 'lz-string';
import { decodeShare, encodeShare } from './share';

describe('share link', () => {
  it('round-trips any JSON value and step', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat({ max: 1_000_000 }), (value, step) => {
        const hash = encodeShare(value, step);
        expect(hash.startsWith('#s=')).toBe(true);
        const back = decodeShare(hash);
        expect(back).toEqual({ ok: true, file: JSON.parse(JSON.stringify(value)), step });
      }),
    );
  });

  it('accepts the fragment without "#" and defaults a missing step to 0', () => {
    const hash = encodeShare({ name: 'x' }, 0)
      .replace(/&step=0$/, '')
      .slice(1);
    expect(decodeShare(hash)).toEqual({ ok: true, file: { name: 'x' }, step: 0 });
  });

  it('keeps "+" in the data (URLSearchParams would turn it into a space)', () => {
    // Find a payload whose encoding contains "+" to prove the splitter keeps it.
    let value = 0;
    while (!compressToEncodedURIComponent(JSON.stringify({ v: value })).includes('+')) value++;
    expect(decodeShare(encodeShare({ v: value }, 3))).toEqual({ ok: true, file: { v: value }, step: 3 });
  });

  it('explains a truncated link', () => {
    const hash = encodeShare({ name: 'A scenario with a long enough name to cut', hosts: [1, 2, 3] }, 5);
    const cut = hash.slice(0, hash.indexOf('&') - 7) + hash.slice(hash.indexOf('&'));
    const r = decodeShare(cut);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/damaged or cut short/);
  });

  it('never throws on garbage, and names what is wrong', () => {
    fc.assert(
      fc.property(fc.string(), (junk) => {
        const r = decodeShare(`#s=${junk}&step=1`);
        if (!r.ok) expect(r.message.length).toBeGreaterThan(10);
      }),
    );
    expect(decodeShare('')).toEqual({ ok: false, message: expect.stringMatching(/no scenario/) });
    expect(decodeShare('#s=%%%%&step=2')).toMatchObject({ ok: false });
    expect(decodeShare(`${encodeShare({}, 1).split('&')[0]}&step=-4`)).toMatchObject({ ok: false, message: expect.stringMatching(/step/) });
  });
});
