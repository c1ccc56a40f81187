import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { internetChecksum, onesComplementSum } from './checksum';

describe('internetChecksum (RFC 1071)', () => {
  it('matches the worked example of RFC 1071 §3', () => {
    // 0001 + f203 + f4f5 + f6f7 = 2ddf0 → folded ddf2 → complement 220d
    const b = Uint8Array.from([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]);
    expect(onesComplementSum(b)).toBe(0xddf2);
    expect(internetChecksum(b)).toBe(0x220d);
  });

  it('pads an odd trailing byte with zero', () => {
    expect(internetChecksum(Uint8Array.from([0x12, 0x34, 0x56]))).toBe(internetChecksum(Uint8Array.from([0x12, 0x34, 0x56, 0x00])));
  });

  it('data with its checksum appended sums to zero (what receivers check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        const even = data.length % 2 === 0 ? data : Uint8Array.from([...data, 0]);
        const c = internetChecksum(even);
        const withSum = Uint8Array.from([...even, c >>> 8, c & 0xff]);
        expect(internetChecksum(withSum)).toBe(0);
      }),
    );
  });

  it('an initial partial sum equals summing the concatenation', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }).filter((a) => a.length % 2 === 0),
        fc.uint8Array({ maxLength: 64 }),
        (a, b) => {
          expect(internetChecksum(b, onesComplementSum(a))).toBe(internetChecksum(Uint8Array.from([...a, ...b])));
        },
      ),
    );
  });
});

describe('onesComplementSum', () => {
  /** The RFC 1071 loop, one 16-bit word at a time: what the unrolled version must equal. */
  const wordByWord = (bytes: Uint8Array, initial: number): number => {
    let sum = initial;
    for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i]! << 8) | (bytes[i + 1] ?? 0);
    while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
    return sum;
  };

  it('equals the word-by-word sum for any length, content and initial sum', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1600 }), fc.integer({ min: 0, max: 0x3ffff }), (data, initial) => {
        expect(onesComplementSum(data, initial)).toBe(wordByWord(data, initial));
      }),
      { numRuns: 500 },
    );
    const ff = new Uint8Array(65535).fill(0xff);
    expect(onesComplementSum(ff, 0x3fffc)).toBe(wordByWord(ff, 0x3fffc));
  });
});
