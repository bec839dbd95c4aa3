/**
 * Who wins, as the law decides it, from a contest's exact totals.
 *
 * - `majority-runoff` (Kazakhstan, Constitution art. 41 and Constitutional Law "On Elections" art. 59): elected in
 *   the first round with more than 50 % of the percentage base (valid ballots incl. against-all); otherwise a second
 *   round between the two candidates with the most votes. Against-all is in the base but is never elected and never
 *   in a runoff. No turnout threshold.
 * - `plurality`: the `seats` candidates with the most votes (single-member districts: the one with the most).
 * - `party-list`: lists at or over the threshold on its base share the seats by the contest's method
 *   (see `allocate-seats.ts`); against-all never takes seats.
 *
 * Exact ties that decide a place are reported as ties — never broken silently — unless the contest's documented
 * tie-break settles them (party lists only; candidate ties go to the commission: lot or re-vote).
 */
import type { Contest, ContestOption } from '../model/election.js';
import type { OptionId } from '../model/ids.js';
import { assertNever } from '../model/result.js';
import { compareShare, parsePercent } from '../arithmetic/percent.js';
import { allocateSeats, type SeatParty } from '../seats/allocate-seats.js';

export type Outcome =
  | { readonly kind: 'elected'; readonly elected: readonly OptionId[] }
  | { readonly kind: 'runoff'; readonly runoff: readonly OptionId[] }
  | { readonly kind: 'seats'; readonly seats: Readonly<Record<string, number>>; readonly qualified: readonly OptionId[] }
  | {
      readonly kind: 'tie';
      /** What the tie decides. */
      readonly for: 'elected' | 'runoff' | 'seats';
      /** Options tied for the last place(s). */
      readonly tied: readonly OptionId[];
      /** Options whose place is settled regardless of the tie (elected, in the runoff, or their seats so far). */
      readonly settled: readonly OptionId[];
      /** Places the tied options compete for. */
      readonly places: number;
      readonly seats?: Readonly<Record<string, number>> | undefined;
    }
  | { readonly kind: 'no-votes' };

/** Totals a decision needs: each option's votes (ballot order) and the bases, all exact integers. */
export interface OutcomeInput {
  readonly votes: readonly number[];
  readonly percentBase: number;
  /** Party lists: the threshold base. */
  readonly thresholdBase?: number | undefined;
}

export function decideOutcome(contest: Contest, input: OutcomeInput): Outcome {
  switch (contest.kind) {
    case 'majority-runoff':
      return majorityRunoff(contest, input);
    case 'plurality':
      return plurality(contest.options, input, contest.rules.seats);
    case 'party-list':
      return partyList(contest, input);
    default:
      return assertNever(contest, 'contest kind');
  }
}

interface Ranked {
  readonly id: OptionId;
  readonly votes: number;
}

/** Candidates (never against-all), most votes first; equal votes keep ballot order (display only, never decisive). */
function rankCandidates(options: readonly ContestOption[], votes: readonly number[]): Ranked[] {
  return options
    .map((option, i) => ({ option, votes: votes[i] ?? 0 }))
    .filter(({ option }) => option.kind !== 'against-all')
    .map(({ option, votes: v }) => ({ id: option.id, votes: v }))
    .sort((a, b) => b.votes - a.votes);
}

/**
 * The top `places` of `ranked`, or the tie that straddles the boundary: candidates with the same votes as the one
 * in the last place and the one just after it.
 */
function top(ranked: readonly Ranked[], places: number): { settled: OptionId[]; tied: OptionId[]; open: number } {
  if (ranked.length <= places) return { settled: ranked.map((r) => r.id), tied: [], open: 0 };
  const last = ranked[places - 1];
  const next = ranked[places];
  if (!last || !next || last.votes !== next.votes) return { settled: ranked.slice(0, places).map((r) => r.id), tied: [], open: 0 };
  const settled = ranked.filter((r) => r.votes > last.votes).map((r) => r.id);
  const tied = ranked.filter((r) => r.votes === last.votes).map((r) => r.id);
  return { settled, tied, open: places - settled.length };
}

function majorityRunoff(contest: Extract<Contest, { kind: 'majority-runoff' }>, input: OutcomeInput): Outcome {
  if (input.percentBase <= 0) return { kind: 'no-votes' };
  const ranked = rankCandidates(contest.options, input.votes);
  const leader = ranked[0];
  if (!leader || leader.votes === 0) return { kind: 'no-votes' };
  const threshold = parsePercent(contest.rules.winThreshold.percent);
  const cmp = compareShare(leader.votes, input.percentBase, threshold);
  const wins = contest.rules.winThreshold.strict ? cmp > 0 : cmp >= 0;
  if (wins) {
    const first = top(ranked, 1);
    if (first.tied.length > 0) return { kind: 'tie', for: 'elected', tied: first.tied, settled: [], places: 1 };
    return { kind: 'elected', elected: first.settled };
  }
  const places = Math.min(contest.rules.runoffSize, ranked.length);
  const runoff = top(ranked, places);
  if (runoff.tied.length > 0) return { kind: 'tie', for: 'runoff', tied: runoff.tied, settled: runoff.settled, places: runoff.open };
  return { kind: 'runoff', runoff: runoff.settled };
}

function plurality(options: readonly ContestOption[], input: OutcomeInput, seats: number): Outcome {
  const ranked = rankCandidates(options, input.votes);
  if (ranked.every((r) => r.votes === 0)) return { kind: 'no-votes' };
  const winners = top(ranked, seats);
  if (winners.tied.length > 0) return { kind: 'tie', for: 'elected', tied: winners.tied, settled: winners.settled, places: winners.open };
  return { kind: 'elected', elected: winners.settled };
}

function partyList(contest: Extract<Contest, { kind: 'party-list' }>, input: OutcomeInput): Outcome {
  const base = input.thresholdBase ?? input.percentBase;
  if (base <= 0) return { kind: 'no-votes' };
  const threshold = parsePercent(contest.rules.threshold.percent);
  const lists: SeatParty[] = [];
  contest.options.forEach((option, i) => {
    if (option.kind === 'against-all') return;
    lists.push({ id: option.id, votes: input.votes[i] ?? 0, order: option.registrationOrder ?? i + 1 });
  });
  const qualified = lists.filter((list) => {
    const cmp = compareShare(list.votes, base, threshold);
    return contest.rules.threshold.inclusive ? cmp >= 0 : cmp > 0;
  });
  if (qualified.length === 0) {
    // No list passed the threshold: nothing to allocate. Laws have fallbacks (e.g. the two largest lists take part);
    // applying one is the commission's decision, so it is not guessed here.
    return { kind: 'seats', seats: Object.fromEntries(lists.map((l) => [l.id, 0])), qualified: [] };
  }
  const allocation = allocateSeats({
    method: contest.rules.method,
    seats: contest.rules.seats,
    parties: qualified,
    tieBreak: contest.rules.tieBreak,
  });
  const seats: Record<string, number> = Object.fromEntries(lists.map((l) => [l.id, allocation.seats[l.id] ?? 0]));
  const qualifiedIds = qualified.map((q) => q.id as OptionId);
  if (allocation.kind === 'tie') {
    const settled = qualifiedIds.filter((id) => (seats[id] ?? 0) > 0);
    return { kind: 'tie', for: 'seats', tied: allocation.tied as OptionId[], settled, places: allocation.remaining, seats };
  }
  return { kind: 'seats', seats, qualified: qualifiedIds };
}
