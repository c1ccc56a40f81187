/** The fuzz properties at the size the unit suite affords; `npm run fuzz -- --runs N` runs them long. */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { FUZZ_TARGETS } from './properties';

describe('fuzz: every parser of outside input', () => {
  it.each(FUZZ_TARGETS.map((t) => [t.name, t] as const))('%s', (_name, t) => {
    fc.assert(t.property(), { numRuns: t.ciRuns });
  });
});
