/**
 * `percent(part, whole)` (two decimals, half-up) in double arithmetic, for the hot loops that print or check
 * millions of station percentages. Exact, not approximate: the result is identical to the bigint `percent` for every
 * pair of non-negative safe integers (property-tested against it); outside the range where the double arithmetic
 * below is provably exact it defers to the bigint computation.
 *
 * Why it is exact. The value printed is `q = floor((20000·part + whole) / (2·whole))` hundredths of a percent
 * (`percent`'s half-up formula with scale 100). When `20000·part + 3·whole ≤ 2^53`, the numerator `n` and the
 * denominator `d = 2·whole` are integers held exactly in a double, `n / d` is correctly rounded, so its floor is
 * `q` or off by one when the quotient lies within one rounding error of an integer; the products `q'·d` compared
 * with `n` to correct it are at most `n + d ≤ 2^53`, hence exact too.
 */
import { percent } from './percent.js';

/** Parts up to here (and wholes up to three times as much) take the double path: 2^53 / 20003, rounded down. */
const FAST_LIMIT = Math.floor(Number.MAX_SAFE_INTEGER / 20003);

/**
 * `percent(part, whole, 2)` in hundredths (`"81.31"` is 8131), or −1 when `part` or `whole` is outside the range
 * where the double path is exact (negative, non-integer, or above `FAST_LIMIT`): use `percent` then. `whole` must not
 * be 0 (the percentage is null).
 */
export function percentHundredths(part: number, whole: number): number {
  if (!(part >= 0 && whole > 0 && part <= FAST_LIMIT && whole <= FAST_LIMIT && Number.isInteger(part) && Number.isInteger(whole)))
    return -1;
  const n = 20000 * part + whole;
  const d = 2 * whole;
  let q = Math.floor(n / d);
  if (q * d > n) q--;
  else if ((q + 1) * d <= n) q++;
  return q;
}

/** Exactly `percent(part, whole)`, errors included (two decimals, half-up; null when `whole` is 0), faster in range. */
export function percentFast(part: number, whole: number): string | null {
  const q = percentHundredths(part, whole);
  if (q < 0) return percent(part, whole);
  const hundredths = q % 100;
  return `${(q - hundredths) / 100}.${hundredths < 10 ? '0' : ''}${hundredths}`;
}
