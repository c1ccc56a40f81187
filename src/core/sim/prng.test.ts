import { describe, expect, it } from 'vitest';
import { Prng } from './prng';

describe('Prng', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const a = new Prng(7),
      b = new Prng(7),
      c = new Prng(8);
    const sa = Array.from({ length: 5 }, () => a.nextU32());
    const sb = Array.from({ length: 5 }, () => b.nextU32());
    const sc = Array.from({ length: 5 }, () => c.nextU32());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
  });

  it('intBetween stays in range and reaches both ends', () => {
    const p = new Prng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = p.intBetween(3001, 3010);
      expect(v).toBeGreaterThanOrEqual(3001);
      expect(v).toBeLessThanOrEqual(3010);
      seen.add(v);
    }
    expect(seen.size).toBe(10);
  });
});
