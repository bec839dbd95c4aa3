import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  consideredStation,
  integerPercentageTest,
  integerProbability,
  isIntegerPercentage,
  logFactorial,
  type ForensicStation,
} from './integer-percentages.js';

/** The definition, in exact rationals: some whole m with |100·part/whole − m| ≤ 1/20. */
function integerByDefinition(part: number, whole: number): boolean {
  const p = BigInt(part) * 100n;
  const w = BigInt(whole);
  const m = p / w; // floor
  const below = p - m * w; // 100·part − m·whole ≥ 0
  const above = (m + 1n) * w - p;
  return 20n * below <= w || 20n * above <= w;
}

/** P(k/n integer) by summing the whole binomial distribution, for small n. */
function integerProbabilityBrute(n: number, p: number): number {
  let sum = 0;
  let logBinom = 0; // ln C(n, 0)
  for (let k = 0; k <= n; k++) {
    if (k > 0) logBinom += Math.log(n - k + 1) - Math.log(k);
    if (isIntegerPercentage(k, n)) sum += Math.exp(logBinom + k * Math.log(p) + (n - k) * Math.log1p(-p));
  }
  return sum;
}

describe('integer percentages', () => {
  it('decides a whole percentage within ±0.05 exactly, boundaries included', () => {
    expect(isIntegerPercentage(700, 1000)).toBe(true); // 70 %
    expect(isIntegerPercentage(7005, 10_000)).toBe(true); // 70.05 %: on the boundary, counted
    expect(isIntegerPercentage(7006, 10_000)).toBe(false); // 70.06 %
    expect(isIntegerPercentage(6995, 10_000)).toBe(true); // 69.95 %
    expect(isIntegerPercentage(1, 3)).toBe(false); // 33.33 %
    expect(isIntegerPercentage(0, 120)).toBe(true); // 0 %
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (whole, f) => {
        const part = Math.floor(f * whole);
        expect(isIntegerPercentage(part, whole)).toBe(integerByDefinition(part, whole));
      }),
      { numRuns: 5000 },
    );
  });

  it('gives the binomial probability of landing on a whole percentage, as summing every count does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.double({ min: 0.001, max: 0.999, noNaN: true }), (n, p) => {
        // The reference accumulates its own rounding over n terms: ten decimals.
        expect(integerProbability(n, p)).toBeCloseTo(integerProbabilityBrute(n, p), 10);
      }),
      { numRuns: 300 },
    );
    // A station of 100 voters: every count is a whole percentage.
    expect(integerProbability(100, 0.6)).toBeCloseTo(1, 12);
    expect(integerProbability(500, 0)).toBe(1);
  });

  it('continues ln k! smoothly from its table into Stirling’s series', () => {
    const boundary = 1 << 16;
    for (const k of [boundary, boundary + 1, 1_000_000]) {
      expect(logFactorial(k) - logFactorial(k - 1)).toBeCloseTo(Math.log(k), 9);
    }
    // ln(10⁸!) is about 1.7·10⁹: a difference of two such values keeps about seven decimals.
    expect(logFactorial(100_000_000) - logFactorial(99_999_999)).toBeCloseTo(Math.log(100_000_000), 6);
    expect(logFactorial(10)).toBeCloseTo(Math.log(3_628_800), 12);
  });

  it('counts, expects and leaves out stations as the paper does', () => {
    const stations: ForensicStation[] = [
      { registered: 1000, issued: 700, received: 690, leader: 345 }, // turnout 70 %, share 50 %: both
      { registered: 1000, issued: 712, received: 700, leader: 351 }, // 71.2 %, 50.14 %: neither
      { registered: 99, issued: 50, received: 50, leader: 25 }, // fewer than 100 voters: left out
      { registered: 1000, issued: 995, received: 990, leader: 500 }, // turnout above 99 %: left out
      { registered: 1000, issued: 800, received: 790, leader: 789 }, // share above 99 %: left out
      { registered: 1000, issued: 0, received: 0, leader: 0 }, // no ballots: left out
    ];
    const test = integerPercentageTest(stations);
    expect(test.considered).toBe(2);
    expect(test.excluded).toBe(4);
    expect(test.observed).toEqual({ either: 1, leader: 1, turnout: 1 });
    const expected = (s: ForensicStation) => ({
      leader: integerProbability(s.received, s.leader / s.received),
      turnout: integerProbability(s.registered, s.issued / s.registered),
    });
    const [a, b] = stations.slice(0, 2).map(expected);
    expect(test.expected.leader).toBeCloseTo((a?.leader ?? 0) + (b?.leader ?? 0), 12);
    expect(test.expected.either).toBeCloseTo(
      [a, b].reduce((sum, e) => sum + (e ? e.leader + e.turnout - e.leader * e.turnout : 0), 0),
      12,
    );
    expect(test.excess.either).toBeCloseTo(1 - test.expected.either, 12);
    expect(stations.map(consideredStation)).toEqual([true, true, false, false, false, false]);
  });

  it('finds no excess where figures are drawn at random around their rates', () => {
    // 20,000 stations of 300–3,000 voters, counts drawn from the binomial model itself: the observed count stays
    // within a few standard deviations of its expectation (seeded, so the draw is the same every run).
    // mulberry32: a small seeded generator, exact in 32-bit integer arithmetic.
    let seed = 12345;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    };
    const binomial = (n: number, p: number) => {
      let k = 0;
      for (let i = 0; i < n; i++) if (random() < p) k++;
      return k;
    };
    const stations: ForensicStation[] = [];
    for (let i = 0; i < 20_000; i++) {
      const registered = 300 + Math.floor(random() * 2700);
      const issued = binomial(registered, 0.4 + 0.4 * random());
      const received = issued;
      stations.push({ registered, issued, received, leader: binomial(received, 0.3 + 0.4 * random()) });
    }
    const test = integerPercentageTest(stations);
    expect(test.considered).toBe(20_000);
    expect(Math.abs(test.excess.either)).toBeLessThan(4 * test.sd.either);
    // And where every station was written to order at 70 %, the excess is the whole count.
    const ordered = stations.map((s) => ({ ...s, issued: Math.round(0.7 * s.registered) }));
    const rigged = integerPercentageTest(ordered.map((s) => ({ ...s, received: s.issued, leader: Math.min(s.leader, s.issued) })));
    expect(rigged.excess.turnout).toBeGreaterThan(20 * rigged.sd.turnout);
  });
});
