/**
 * Splits an integer total into integer parts proportional to weights, each part at most its cap, exactly summing to
 * the total (largest remainder, after water-filling the capped parts). Used to make synthetic station figures that
 * add up exactly to the official totals.
 */
export function apportion(total: number, weights: readonly number[], caps?: readonly number[]): number[] {
  const n = weights.length;
  if (!Number.isSafeInteger(total) || total < 0) throw new RangeError(`apportion: total must be a non-negative integer, got ${total}`);
  const cap = (i: number) => caps?.[i] ?? Number.POSITIVE_INFINITY;
  const capTotal = caps ? caps.reduce((a, b) => a + b, 0) : Number.POSITIVE_INFINITY;
  if (capTotal < total) throw new RangeError(`apportion: caps sum to ${capTotal}, below the total ${total}`);
  if (n === 0) {
    if (total === 0) return [];
    throw new RangeError('apportion: nothing to apportion into');
  }

  // Water-filling in reals: fix the parts that would exceed their caps, share the rest.
  const share = new Array<number>(n).fill(0);
  const fixed = new Array<boolean>(n).fill(false);
  let left = total;
  for (;;) {
    let weight = 0;
    for (let i = 0; i < n; i++) if (!fixed[i]) weight += Math.max(0, weights[i] ?? 0);
    let changed = false;
    for (let i = 0; i < n; i++) {
      if (fixed[i]) continue;
      const w = Math.max(0, weights[i] ?? 0);
      const x = weight > 0 ? (left * w) / weight : left / n;
      if (x > cap(i)) {
        share[i] = cap(i);
        fixed[i] = true;
        left -= cap(i);
        changed = true;
      }
    }
    if (!changed) {
      for (let i = 0; i < n; i++) {
        if (fixed[i]) continue;
        const w = Math.max(0, weights[i] ?? 0);
        share[i] = weight > 0 ? (left * w) / weight : left / n;
      }
      break;
    }
  }

  // Integer parts, then the largest remainders (never past a cap).
  const parts = share.map((x, i) => Math.min(Math.floor(x), cap(i)));
  let missing = total - parts.reduce((a, b) => a + b, 0);
  const order = share.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  while (missing > 0) {
    let progressed = false;
    for (const { i } of order) {
      if (missing === 0) break;
      if ((parts[i] ?? 0) < cap(i)) {
        parts[i] = (parts[i] ?? 0) + 1;
        missing--;
        progressed = true;
      }
    }
    if (!progressed) throw new Error('apportion: caps exhausted (bug)');
  }
  return parts;
}
