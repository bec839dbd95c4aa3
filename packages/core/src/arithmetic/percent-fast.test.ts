import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percent } from './percent.js';
import { percentFast, percentHundredths } from './percent-fast.js';

const LIMIT = Math.floor(Number.MAX_SAFE_INTEGER / 20003);

describe('percentFast', () => {
  it('prints what the bigint percent prints, for station-sized counts', () => {
    fc.assert(
      fc.property(fc.nat(100_000_000), fc.nat(100_000_000), (part, whole) => {
        expect(percentFast(part, whole)).toBe(percent(part, whole));
      }),
      { numRuns: 20_000 },
    );
  });

  it('prints what the bigint percent prints, for any safe integers (fast range, its edge and beyond)', () => {
    const count = fc.oneof(
      fc.maxSafeNat(),
      fc.integer({ min: LIMIT - 1000, max: LIMIT + 1000 }),
      fc.integer({ min: 0, max: LIMIT }),
      fc.integer({ min: 0, max: 1000 }),
    );
    fc.assert(
      fc.property(count, count, (part, whole) => {
        expect(percentFast(part, whole)).toBe(percent(part, whole));
      }),
      { numRuns: 20_000 },
    );
  });

  it('rounds exact halves up and keeps what lies just below a half down', () => {
    // 1/8 = 12.5 % exactly; 2.12497… % stays 2.12; 81.305 % goes to 81.31.
    for (const [part, whole] of [
      [1, 8],
      [212497, 10_000_000],
      [16261, 20000],
      [1, 3],
      [2, 3],
      [0, 5],
      [5, 5],
      [7, 2],
      [LIMIT, LIMIT],
      [LIMIT - 1, LIMIT],
    ] as const)
      expect(percentFast(part, whole)).toBe(percent(part, whole));
  });

  it('is null for a zero base and refuses negative counts as percent does', () => {
    expect(percentFast(3, 0)).toBeNull();
    expect(() => percentFast(-1, 5)).toThrow(RangeError);
    expect(() => percentFast(1, -5)).toThrow(RangeError);
  });

  it('gives hundredths in range and -1 outside it', () => {
    expect(percentHundredths(16261, 20000)).toBe(8131);
    expect(percentHundredths(1, 0)).toBe(-1);
    expect(percentHundredths(-1, 3)).toBe(-1);
    expect(percentHundredths(LIMIT + 1, 3)).toBe(-1);
    expect(percentHundredths(0.5, 3)).toBe(-1);
  });
});
