import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareShare, formatScaled, parsePercent, percent } from './percent.js';

/**
 * An independent reference: schoolbook long division of the decimal digits of 100·part by whole, one digit past
 * the last shown, then half-up rounding by carrying through the digit string.
 */
function longDivisionPercent(part: bigint, whole: bigint, decimals: number): string {
  const dividend = (part * 100n).toString();
  let rest = 0n;
  let integer = '';
  for (const digit of dividend) {
    rest = rest * 10n + BigInt(digit);
    integer += (rest / whole).toString();
    rest %= whole;
  }
  let fraction = '';
  for (let k = 0; k <= decimals; k++) {
    rest *= 10n;
    fraction += (rest / whole).toString();
    rest %= whole;
  }
  const next = Number(fraction.slice(-1));
  const digits = (integer + fraction.slice(0, -1)).split('').map(Number);
  if (next >= 5) {
    // The dropped tail is ≥ one half of the last place: carry one in.
    let i = digits.length - 1;
    while (i >= 0 && digits[i] === 9) digits[i--] = 0;
    if (i < 0) digits.unshift(1);
    else digits[i]! += 1;
  }
  const text = digits.join('');
  const intPart = text.slice(0, text.length - decimals).replace(/^0+(?=\d)/, '') || '0';
  return decimals === 0 ? intPart : `${intPart}.${text.slice(text.length - decimals)}`;
}

describe('percent: the published 2022 figures (DOMAIN.md §1)', () => {
  // Base: valid ballots = all candidates + against-all = 7,940,478.
  it.each([
    ['Tokayev', 6_456_393, '81.31'],
    ['Dairabayev', 271_641, '3.42'],
    ['Abden', 206_206, '2.60'],
    ['Kazhyken', 200_907, '2.53'],
    ['Auesbayev', 176_116, '2.22'],
    ['Tursynbekova', 168_731, '2.12'], // 2.12494… must not become 2.13 by double rounding via 2.125
    ['Against all', 460_484, '5.80'],
  ])('%s: %i of 7,940,478 → %s', (_name, votes, shown) => {
    expect(percent(votes, 7_940_478)).toBe(shown);
    expect(percent(BigInt(votes), 7_940_478n)).toBe(shown);
  });

  it('the seven figures sum to the base', () => {
    expect(6_456_393 + 271_641 + 206_206 + 200_907 + 176_116 + 168_731 + 460_484).toBe(7_940_478);
  });

  it('turnout: 8,300,046 of 11,953,465 → 69.44', () => {
    expect(percent(8_300_046, 11_953_465)).toBe('69.44');
  });
});

describe('percent: rounding', () => {
  it('exact values print with all their decimals', () => {
    expect(percent(1, 8)).toBe('12.50');
    expect(percent(1, 16)).toBe('6.25');
    expect(percent(0, 5)).toBe('0.00');
    expect(percent(5, 5)).toBe('100.00');
    expect(percent(7, 5)).toBe('140.00');
    expect(percent(5, 40_000)).toBe('0.01'); // 0.0125 % → 0.01 (below the half)
  });

  it('an exact half rounds up (not to even, not down)', () => {
    expect(percent(1, 20_000)).toBe('0.01'); // 0.005 %
    expect(percent(5, 20_000)).toBe('0.03'); // 0.025 % (to-even would give 0.02)
    expect(percent(1, 32)).toBe('3.13'); // 3.125 % (to-even would give 3.12)
    expect(percent(1, 16, 1)).toBe('6.3'); // 6.25 %
    expect(percent(1, 8, 0)).toBe('13'); // 12.5 %
    expect(percent(1, 40, 0)).toBe('3'); // 2.5 % (to-even would give 2)
    expect(percent(1_999, 200_000)).toBe('1.00'); // 0.9995 % carries into the units
    expect(percent(19_999, 200_000)).toBe('10.00'); // 9.9995 % carries into a new digit
  });

  it('just below a half rounds down', () => {
    expect(percent(49_999, 1_000_000_000)).toBe('0.00'); // 0.0049999 %
    expect(percent(14_999, 100_000_000)).toBe('0.01'); // 0.014999 %
    expect(percent(2_494_999, 1_000_000_000, 3)).toBe('0.249'); // 0.2494999 %
    expect(percent(1_989_999, 200_000_000)).toBe('0.99'); // 0.9949995 %
  });

  it('is computed from the integers, not from a float', () => {
    // 1.005 % — the float 1.005 is 1.00499999999999989…, so (1.005).toFixed(2) is "1.00".
    expect((1.005).toFixed(2)).toBe('1.00');
    expect(percent(201, 20_000)).toBe('1.01');
    // 100·part overflows 2^53: 2^60 / 2^62 = 25 %.
    expect(percent(2n ** 60n, 2n ** 62n)).toBe('25.00');
    expect(percent(2n ** 60n + 1n, 2n ** 62n, 20)).toBe('25.00000000000000002168');
  });

  it('other numbers of decimals', () => {
    expect(percent(2, 3, 0)).toBe('67');
    expect(percent(2, 3, 1)).toBe('66.7');
    expect(percent(2, 3)).toBe('66.67');
    expect(percent(1, 3, 4)).toBe('33.3333');
    expect(percent(1, 1_000_000, 4)).toBe('0.0001');
    expect(percent(1, 3_000_000, 4)).toBe('0.0000');
  });

  it('null when the whole is 0', () => {
    expect(percent(0, 0)).toBeNull();
    expect(percent(0n, 0n)).toBeNull();
  });

  it('rejects negative counts', () => {
    expect(() => percent(-1, 10)).toThrow(RangeError);
    expect(() => percent(1, -10)).toThrow(RangeError);
    expect(() => percent(-1, 0)).toThrow(RangeError);
  });

  it('matches an independent long division, half-up, for random integers', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.bigInt({ min: 0n, max: 1_000n }), fc.bigInt({ min: 0n, max: 10n ** 30n })),
        fc.oneof(fc.bigInt({ min: 1n, max: 1_000n }), fc.bigInt({ min: 1n, max: 10n ** 30n })),
        fc.integer({ min: 0, max: 8 }),
        (part, whole, decimals) => {
          expect(percent(part, whole, decimals)).toBe(longDivisionPercent(part, whole, decimals));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('matches the long division on shares at and around exact halves', () => {
    // part/whole = (2k + 1) / (2·10^(d+2)) is exactly half a unit of the d-th decimal: the hardest inputs.
    fc.assert(
      fc.property(fc.nat({ max: 100_000 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: -1, max: 1 }), (k, d, nudge) => {
        const whole = 2n * 10n ** BigInt(d + 2) * 7n;
        const part = (2n * BigInt(k) + 1n) * 7n + BigInt(nudge);
        expect(percent(part, whole, d)).toBe(longDivisionPercent(part, whole, d));
      }),
      { numRuns: 1000 },
    );
  });

  it('is monotone in the part: more votes never print a smaller figure', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000_000 }), fc.nat({ max: 10_000_000 }), fc.integer({ min: 1, max: 10_000_000 }), (x, y, whole) => {
        const [lo, hi] = x <= y ? [x, y] : [y, x];
        expect(Number(percent(lo, whole))).toBeLessThanOrEqual(Number(percent(hi, whole)));
      }),
    );
  });
});

describe('formatScaled', () => {
  it('places the decimal point and pads with zeros', () => {
    expect(formatScaled(8131n, 2)).toBe('81.31');
    expect(formatScaled(5n, 2)).toBe('0.05');
    expect(formatScaled(0n, 2)).toBe('0.00');
    expect(formatScaled(5n, 0)).toBe('5');
    expect(formatScaled(123_456n, 3)).toBe('123.456');
  });
});

describe('parsePercent', () => {
  it('reads a decimal percentage as the exact fraction of 1', () => {
    expect(parsePercent('5')).toEqual({ num: 5n, den: 100n });
    expect(parsePercent('50')).toEqual({ num: 50n, den: 100n });
    expect(parsePercent('3.5')).toEqual({ num: 35n, den: 1_000n });
    expect(parsePercent('0.25')).toEqual({ num: 25n, den: 10_000n });
    expect(parsePercent('100')).toEqual({ num: 100n, den: 100n });
    expect(parsePercent('0')).toEqual({ num: 0n, den: 100n });
  });

  it('rejects anything that is not a plain decimal', () => {
    for (const text of ['', 'abc', '-5', '5.', '.5', '5 %', '1e2', ' 5', '5,5']) {
      expect(() => parsePercent(text), text).toThrow(RangeError);
    }
  });
});

describe('compareShare', () => {
  it('compares part/whole with a share exactly', () => {
    const five = parsePercent('5');
    expect(compareShare(5, 100, five)).toBe(0);
    expect(compareShare(4, 100, five)).toBe(-1);
    expect(compareShare(6, 100, five)).toBe(1);
    // Mazhilis 2023: Baytaq 146,431 of 6,366,441 is 2.30 %, OSDP 331,058 is 5.20 %.
    expect(compareShare(146_431, 6_366_441, five)).toBe(-1);
    expect(compareShare(331_058, 6_366_441, five)).toBe(1);
    expect(compareShare(1, 2, parsePercent('50'))).toBe(0);
    expect(compareShare(7, 200, parsePercent('3.5'))).toBe(0);
    expect(compareShare(69, 2_000, parsePercent('3.5'))).toBe(-1);
  });

  it('beyond float precision', () => {
    // (2^53 + 1) / 2^54 is a hair above one half; as doubles the numerator rounds to 2^53 and it looks equal.
    expect(compareShare(2n ** 53n + 1n, 2n ** 54n, parsePercent('50'))).toBe(1);
    expect(compareShare(2n ** 53n - 1n, 2n ** 54n, parsePercent('50'))).toBe(-1);
  });

  it('agrees with cross-multiplication for random counts and shares', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 1_000_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.nat({ max: 100 }),
        fc.nat({ max: 999 }),
        (part, whole, units, thousandths) => {
          const text = `${units}.${String(thousandths).padStart(3, '0')}`;
          // part/whole vs (units·1000 + thousandths) / 100,000
          const left = part * 100_000;
          const right = (units * 1000 + thousandths) * whole;
          expect(compareShare(part, whole, parsePercent(text))).toBe(Math.sign(left - right));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
