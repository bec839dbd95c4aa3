/**
 * Exact percentages. A published percentage is `100 · part / whole` rounded half-up to a fixed number of
 * decimals, computed from the exact integers — never from an already-rounded float (DOMAIN.md §1: Tursynbekova's
 * 2.12497… must print 2.12, and 81.305… must print 81.31).
 */

/**
 * `100 · part / whole`, rounded half-up to `decimals` places, as text (`"81.31"`). `null` when `whole` is 0.
 * Inputs are non-negative integers.
 */
export function percent(part: number | bigint, whole: number | bigint, decimals = 2): string | null {
  const p = BigInt(part);
  const w = BigInt(whole);
  if (p < 0n || w < 0n) throw new RangeError('percent() takes non-negative counts');
  if (w === 0n) return null;
  const scale = 10n ** BigInt(decimals);
  // round half-up: floor((2·100·scale·p + w) / (2·w))
  const scaled = (2n * 100n * scale * p + w) / (2n * w);
  return formatScaled(scaled, decimals);
}

/** Formats an integer holding `value · 10^decimals` as a decimal string. */
export function formatScaled(scaled: bigint, decimals: number): string {
  if (decimals === 0) return scaled.toString();
  const digits = scaled.toString().padStart(decimals + 1, '0');
  return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/** An exact non-negative rational `num / den`. */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

/** Parses a decimal percentage such as `"5"` or `"3.5"` into the exact fraction of 1 it denotes (`5/100`). */
export function parsePercent(text: string): Rational {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new RangeError(`not a decimal percentage: ${text}`);
  const fraction = match[2] ?? '';
  const num = BigInt((match[1] ?? '0') + fraction);
  const den = 100n * 10n ** BigInt(fraction.length);
  return { num, den };
}

/**
 * Compares `part / whole` with the rational `share` without floats: negative, zero or positive as
 * `part/whole` is below, equal to or above it. `whole` must be positive.
 */
export function compareShare(part: number | bigint, whole: number | bigint, share: Rational): number {
  const left = BigInt(part) * share.den;
  const right = share.num * BigInt(whole);
  return left < right ? -1 : left > right ? 1 : 0;
}
