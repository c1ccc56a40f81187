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
      fc.property(fc.uint8Array({ maxLength: 64 }).filter((a) => a.length % 2 === 0), fc.uint8Array({ maxLength: 64 }), (a, b) => {
        expect(internetChecksum(b, onesComplementSum(a))).toBe(internetChecksum(Uint8Array.from([...a, ...b])));
      }),
    );
  });
});
