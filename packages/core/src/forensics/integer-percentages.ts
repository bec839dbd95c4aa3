/**
 * The integer-percentage test of Kobak, Shpilkin and Pshenichnikov ("Integer percentages as electoral falsification
 * fingerprints", Annals of Applied Statistics 10(1), 2016). Where results are written down to order ("70 % turnout,
 * 80 % for the leader"), stations whose turnout or leader's share is a whole percentage are more frequent than
 * chance allows. The test counts them and compares the count with its expectation had each station's figures been
 * drawn at random around its own observed rates.
 *
 * A station is considered when it has ballots in its boxes, at least 100 voters on its list, and a turnout and a
 * leader's share of at most 99 % (near 100 % every count is "integer"). Its turnout (ballots issued over voters on
 * the list) or its leader's share (votes over ballots in the boxes, valid and invalid) is integer when it lies within
 * ±0.05 of a whole percentage: decided exactly, in integers. The expectation is the sum over stations of the
 * probability that a binomial count — issued ~ Bin(voters, turnout), leader ~ Bin(ballots, share) — lands on an
 * integer percentage; "either" combines the two as independent. The probabilities are floating-point sums (a
 * statistic, not a result): they reproduce the paper's exact expectations for the Russian elections of 2011 and 2012
 * to the published decimal (integer-percentages.test.ts and the server's test on the real data).
 *
 * An excess is an indicator to look at, not proof: rounding by honest commissions, tiny stations and data entry can
 * all produce some. The standard deviation of each count under the null is given so that an excess can be read
 * against the noise (`excess / sd`).
 */
import type { ContestIndex } from '../election/index-election.js';
import { evaluate } from '../election/terms.js';
import type { Protocol } from '../model/protocol.js';
import { readRow } from '../protocol/validate-protocol.js';

/** The four figures of one station's protocol the test reads. */
export interface ForensicStation {
  /** Voters on the list. */
  readonly registered: number;
  /** Ballots issued to voters (the turnout's numerator). */
  readonly issued: number;
  /** Ballots found in the boxes: valid and invalid (the leader's share's denominator). */
  readonly received: number;
  /** Votes for the leader. */
  readonly leader: number;
}

export interface IntegerCounts {
  /** Turnout or leader's share (or both) integer. */
  readonly either: number;
  readonly leader: number;
  readonly turnout: number;
}

export interface IntegerPercentageTest {
  /** Stations that pass the paper's filter. */
  readonly considered: number;
  /** Stations left out by it (too small, no ballots, turnout or share above 99 %). */
  readonly excluded: number;
  readonly observed: IntegerCounts;
  readonly expected: IntegerCounts;
  /** Observed minus expected. */
  readonly excess: IntegerCounts;
  /** Standard deviation of each count under the null (independent stations). */
  readonly sd: IntegerCounts;
}

/** Whether `part / whole` is within ±0.05 of a whole percentage: 20·|100·part − m·whole| ≤ whole for the nearest m. */
export function isIntegerPercentage(part: number, whole: number): boolean {
  const r = (100 * part) % whole;
  return 20 * Math.min(r, whole - r) <= whole;
}

/** Whether a station passes the filter: ballots in the boxes, ≥ 100 voters, turnout and share ≤ 99 %. */
export function consideredStation(s: ForensicStation): boolean {
  return s.received > 0 && s.registered >= 100 && 100 * s.issued <= 99 * s.registered && 100 * s.leader <= 99 * s.received;
}

/** One considered station's part in the test: its integer flags and the probabilities of each. */
export interface IntegerPercentagePart {
  readonly leader: boolean;
  readonly turnout: boolean;
  /** P(integer leader's share) under Bin(ballots in the boxes, observed share). */
  readonly pLeader: number;
  /** P(integer turnout) under Bin(voters, observed turnout). */
  readonly pTurnout: number;
}

/** A station's part, or undefined when the filter leaves it out. */
export function integerPercentagePart(s: ForensicStation): IntegerPercentagePart | undefined {
  if (!consideredStation(s)) return undefined;
  return {
    leader: isIntegerPercentage(s.leader, s.received),
    turnout: isIntegerPercentage(s.issued, s.registered),
    pLeader: integerProbability(s.received, s.leader / s.received),
    pTurnout: integerProbability(s.registered, s.issued / s.registered),
  };
}

/** The test summed over stations' parts (so that a caller may keep the parts of stations that did not change). */
export class IntegerPercentageSum {
  #considered = 0;
  #excluded = 0;
  readonly #observed = { either: 0, leader: 0, turnout: 0 };
  readonly #expected = { either: 0, leader: 0, turnout: 0 };
  readonly #variance = { either: 0, leader: 0, turnout: 0 };

  /** Adds a station: its part, or undefined for one the filter left out. */
  add(part: IntegerPercentagePart | undefined): void {
    if (!part) {
      this.#excluded++;
      return;
    }
    this.#considered++;
    if (part.leader) this.#observed.leader++;
    if (part.turnout) this.#observed.turnout++;
    if (part.leader || part.turnout) this.#observed.either++;
    const pl = part.pLeader;
    const pt = part.pTurnout;
    const pe = pl + pt - pl * pt;
    this.#expected.leader += pl;
    this.#expected.turnout += pt;
    this.#expected.either += pe;
    this.#variance.leader += pl * (1 - pl);
    this.#variance.turnout += pt * (1 - pt);
    this.#variance.either += pe * (1 - pe);
  }

  result(): IntegerPercentageTest {
    const observed = { ...this.#observed };
    const expected = { ...this.#expected };
    return {
      considered: this.#considered,
      excluded: this.#excluded,
      observed,
      expected,
      excess: {
        either: observed.either - expected.either,
        leader: observed.leader - expected.leader,
        turnout: observed.turnout - expected.turnout,
      },
      sd: {
        either: Math.sqrt(this.#variance.either),
        leader: Math.sqrt(this.#variance.leader),
        turnout: Math.sqrt(this.#variance.turnout),
      },
    };
  }
}

export function integerPercentageTest(stations: Iterable<ForensicStation>): IntegerPercentageTest {
  const sum = new IntegerPercentageSum();
  for (const s of stations) sum.add(integerPercentagePart(s));
  return sum.result();
}

/**
 * The probability that k ~ Bin(n, p) makes k/n an integer percentage. Only the counts within `t` of the mean are
 * summed, `t` chosen by Bernstein's inequality, P(|k − np| ≥ t) ≤ 2·exp(−t² / (2(np(1−p) + t/3))), so that what is
 * left out weighs less than 10⁻²⁰; and of those only the few around each whole percentage: for m %, the k with
 * 2000·k within n of 20·m·n.
 */
export function integerProbability(n: number, p: number): number {
  if (n <= 0) return 0;
  if (p <= 0) return 1; // k = 0: 0 %
  if (p >= 1) return 1; // k = n: 100 %
  const logP = Math.log(p);
  const logQ = Math.log1p(-p);
  const logN = logFactorial(n);
  const mean = n * p;
  const spread = (BERNSTEIN + Math.sqrt(BERNSTEIN * BERNSTEIN + 12 * BERNSTEIN * n * p * (1 - p))) / 2 + 1;
  const from = Math.max(0, Math.floor((100 * (mean - spread)) / n) - 1);
  const to = Math.min(100, Math.ceil((100 * (mean + spread)) / n) + 1);
  let sum = 0;
  for (let m = from; m <= to; m++) {
    const lo = Math.max(0, Math.ceil((20 * m * n - n) / 2000));
    const hi = Math.min(n, Math.floor((20 * m * n + n) / 2000));
    for (let k = lo; k <= hi; k++) sum += Math.exp(logN - logFactorial(k) - logFactorial(n - k) + k * logP + (n - k) * logQ);
  }
  return Math.min(1, sum);
}

/** L/3 for L = 2·ln(2·10²⁰): t solves t² = L·(np(1−p) + t/3). */
const BERNSTEIN = (2 * Math.log(2e20)) / 3;

/** ln k!, from a table up to 2^16 and Stirling's series beyond (relative error below 10⁻¹⁵ there). */
const TABLE_SIZE = 1 << 16;
let table: Float64Array | undefined;

export function logFactorial(k: number): number {
  if (k < TABLE_SIZE) {
    table ??= buildTable();
    return table[k] ?? 0;
  }
  const k2 = k * k;
  return k * Math.log(k) - k + 0.5 * Math.log(2 * Math.PI * k) + 1 / (12 * k) - 1 / (360 * k * k2) + 1 / (1260 * k2 * k2 * k);
}

function buildTable(): Float64Array {
  const t = new Float64Array(TABLE_SIZE);
  for (let k = 2; k < TABLE_SIZE; k++) t[k] = (t[k - 1] ?? 0) + Math.log(k);
  return t;
}

/**
 * The test's figures of one station from its protocol row (the contest's layout, `readRow`): voters on the list,
 * ballots issued and ballots in the boxes by the election's roles (registered, participated, invalid + valid), and
 * the votes of the option at `leaderAt` (its position among the contest's options).
 */
export function forensicStation(contest: ContestIndex, row: ArrayLike<number>, leaderAt: number): ForensicStation {
  return {
    registered: evaluate(contest.roles.registered, row),
    issued: evaluate(contest.roles.participated, row),
    received: evaluate(contest.roles.invalid, row) + evaluate(contest.roles.valid, row),
    leader: row[contest.layout.lines.length + leaderAt] ?? 0,
  };
}

/**
 * The leader of a contest in a division: the option with the most votes (`votes`, in ballot order, as the tally
 * gives them), against-all excluded — the test is about a candidate's or list's result being written to order.
 * The first in ballot order among equals; undefined when no option has a vote.
 */
export function leadingOption(contest: ContestIndex, votes: readonly { readonly votes: number }[]): number | undefined {
  let best: number | undefined;
  contest.layout.options.forEach((option, i) => {
    const v = votes[i]?.votes ?? 0;
    if (option.kind === 'against-all' || v <= 0) return;
    if (best === undefined || v > (votes[best]?.votes ?? 0)) best = i;
  });
  return best;
}

/** The integer-percentage test over stations' protocols of one contest, the leader being the option at `leaderAt`. */
export function integerPercentagesOf(contest: ContestIndex, protocols: Iterable<Protocol>, leaderAt: number): IntegerPercentageTest {
  const row = new Float64Array(contest.layout.width);
  function* stations(): Generator<ForensicStation> {
    for (const protocol of protocols) yield forensicStation(contest, readRow(contest, protocol, row), leaderAt);
  }
  return integerPercentageTest(stations());
}
