/**
 * Proportional seat allocation among party lists, exactly as the laws define it.
 *
 * - `hare-largest-remainder` (Hamilton): quota V/S; each list gets ⌊v·S/V⌋ seats, the rest go to the largest
 *   remainders (v·S mod V, all over the same denominator V). Kazakhstan, Constitutional Law "On Elections" art. 97-1:
 *   Mazhilis party-list seats among lists with ≥ 5 %, remainders tie → list registered earlier.
 * - `droop-largest-remainder`: quota q = ⌊V/(S+1)⌋ + 1; each list gets ⌊v/q⌋, the rest by largest remainder v mod q.
 *   (With this quota the automatic seats never exceed S.)
 * - `dhondt`: highest averages with divisors 1, 2, 3, … (Jefferson).
 * - `sainte-lague`: divisors 1, 3, 5, … (Webster).
 * - `modified-sainte-lague`: divisors 1.4, 3, 5, … (Norway, Sweden before 2018).
 *
 * All comparisons are exact: quotients are compared by cross-multiplication in bigint, never as floats.
 * Ties that decide a seat are settled only by the documented `tieBreak`; with `report` they are returned as a tie.
 */
import type { SeatMethod, TieBreak } from '../model/election.js';

export interface SeatParty {
  readonly id: string;
  /** Non-negative integer. */
  readonly votes: number;
  /** Registration order (lower = registered earlier), for `earlier-registration` tie-breaks. */
  readonly order: number;
}

export type SeatAllocation =
  | { readonly kind: 'seats'; readonly seats: Readonly<Record<string, number>> }
  | {
      readonly kind: 'tie';
      /** Seats settled before the tie. */
      readonly seats: Readonly<Record<string, number>>;
      /** Lists tied for the remaining seats. */
      readonly tied: readonly string[];
      /** Seats the tied lists compete for (fewer than `tied.length`, unless no list has a vote). */
      readonly remaining: number;
    };

export interface SeatRequest {
  readonly method: SeatMethod;
  readonly seats: number;
  /** Lists taking part in the allocation (already past the threshold), in ballot order. */
  readonly parties: readonly SeatParty[];
  readonly tieBreak: TieBreak;
}

export function allocateSeats(request: SeatRequest): SeatAllocation {
  const { method, seats, parties } = request;
  if (!Number.isInteger(seats) || seats < 0) throw new RangeError(`seats must be a non-negative integer, got ${seats}`);
  for (const party of parties) {
    if (!Number.isSafeInteger(party.votes) || party.votes < 0)
      throw new RangeError(`votes of "${party.id}" must be a non-negative integer`);
  }
  switch (method) {
    case 'hare-largest-remainder':
    case 'droop-largest-remainder':
      return largestRemainder(request, method);
    case 'dhondt':
      return highestAverages(request, (k) => ({ num: BigInt(k + 1), den: 1n }));
    case 'sainte-lague':
      return highestAverages(request, (k) => ({ num: BigInt(2 * k + 1), den: 1n }));
    case 'modified-sainte-lague':
      // First divisor 1.4 = 7/5, then 3, 5, 7, …
      return highestAverages(request, (k) => (k === 0 ? { num: 7n, den: 5n } : { num: BigInt(2 * k + 1), den: 1n }));
  }
}

/** Orders tied lists by the tie-break rule: the first ones win. */
function tieOrder(tieBreak: TieBreak): ((a: SeatParty, b: SeatParty) => number) | undefined {
  switch (tieBreak) {
    case 'report':
      return undefined;
    case 'earlier-registration':
      return (a, b) => a.order - b.order;
    case 'more-votes-then-earlier-registration':
      return (a, b) => b.votes - a.votes || a.order - b.order;
  }
}

/**
 * Gives `remaining` seats to the best of `candidates`, which are sorted best-first by `compare` (0 = tied), one
 * seat each; if seats are left after the last candidate, another round follows in the same order.
 * Returns the tied group when a tie straddles the last seat and the rule does not settle it.
 */
function award(
  candidates: readonly SeatParty[],
  remaining: number,
  compare: (a: SeatParty, b: SeatParty) => number,
  tieBreak: TieBreak,
  seats: Record<string, number>,
): { tied: string[]; remaining: number } | undefined {
  let i = 0;
  while (remaining > 0 && candidates.length > 0) {
    if (i >= candidates.length) i = 0;
    const first = candidates[i];
    if (!first) break;
    let j = i + 1;
    while (j < candidates.length && compare(first, candidates[j] as SeatParty) === 0) j++;
    const group = candidates.slice(i, j);
    if (group.length <= remaining) {
      for (const p of group) seats[p.id] = (seats[p.id] ?? 0) + 1;
      remaining -= group.length;
      i = j;
      continue;
    }
    const order = tieOrder(tieBreak);
    if (!order) return { tied: group.map((p) => p.id), remaining };
    for (const p of [...group].sort(order).slice(0, remaining)) seats[p.id] = (seats[p.id] ?? 0) + 1;
    remaining = 0;
  }
  return undefined;
}

function largestRemainder(request: SeatRequest, method: 'hare-largest-remainder' | 'droop-largest-remainder'): SeatAllocation {
  const { parties, tieBreak } = request;
  const S = BigInt(request.seats);
  const V = parties.reduce((sum, p) => sum + BigInt(p.votes), 0n);
  const seats: Record<string, number> = Object.fromEntries(parties.map((p) => [p.id, 0]));
  if (V === 0n) {
    if (request.seats === 0) return { kind: 'seats', seats };
    return { kind: 'tie', seats, tied: parties.map((p) => p.id), remaining: request.seats };
  }
  // Hare: seats·v / V, remainder (seats·v mod V). Droop: v / q, remainder v mod q. Within a method every remainder
  // has the same denominator, so remainders compare as integers.
  const quota = method === 'droop-largest-remainder' ? V / (S + 1n) + 1n : 0n;
  const remainder = new Map<string, bigint>();
  let given = 0n;
  for (const p of parties) {
    const v = BigInt(p.votes);
    const [whole, rest] = method === 'hare-largest-remainder' ? [(v * S) / V, (v * S) % V] : [v / quota, v % quota];
    seats[p.id] = Number(whole);
    remainder.set(p.id, rest);
    given += whole;
  }
  const byRemainder = (a: SeatParty, b: SeatParty) => {
    const ra = remainder.get(a.id) ?? 0n;
    const rb = remainder.get(b.id) ?? 0n;
    return ra > rb ? -1 : ra < rb ? 1 : 0;
  };
  // A list without votes never gets a seat. With the Droop quota and fewer votes than about S² (e.g. the first
  // partial results of the night) the quota can leave more seats than there are lists with votes: the remainder
  // round then repeats in the same order (`award`). With the Hare quota one round always suffices.
  const ranked = parties.filter((p) => p.votes > 0).sort(byRemainder);
  const tie = award(ranked, Number(S - given), byRemainder, tieBreak, seats);
  return tie ? { kind: 'tie', seats, ...tie } : { kind: 'seats', seats };
}

interface Fraction {
  readonly num: bigint;
  readonly den: bigint;
}

function highestAverages(request: SeatRequest, divisor: (seatsHeld: number) => Fraction): SeatAllocation {
  const { parties, tieBreak } = request;
  const seats: Record<string, number> = Object.fromEntries(parties.map((p) => [p.id, 0]));
  if (request.seats > 0 && parties.every((p) => p.votes === 0)) {
    return { kind: 'tie', seats, tied: parties.map((p) => p.id), remaining: request.seats };
  }
  // quotient = votes / divisor = votes·den / num
  const quotient = (p: SeatParty): Fraction => {
    const d = divisor(seats[p.id] ?? 0);
    return { num: BigInt(p.votes) * d.den, den: d.num };
  };
  const byQuotient = (a: SeatParty, b: SeatParty) => {
    const qa = quotient(a);
    const qb = quotient(b);
    const left = qa.num * qb.den;
    const right = qb.num * qa.den;
    return left > right ? -1 : left < right ? 1 : 0;
  };
  let remaining = request.seats;
  while (remaining > 0) {
    const ranked = [...parties].sort(byQuotient);
    const best = ranked[0];
    if (!best) break;
    // Everyone tied with the best quotient; if they all fit, they all get a seat (order does not matter).
    const group = ranked.filter((p) => byQuotient(best, p) === 0);
    if (group.length <= remaining) {
      for (const p of group) seats[p.id] = (seats[p.id] ?? 0) + 1;
      remaining -= group.length;
      continue;
    }
    const tie = award(group, remaining, () => 0, tieBreak, seats);
    if (tie) return { kind: 'tie', seats, ...tie };
    remaining = 0;
  }
  return { kind: 'seats', seats };
}
