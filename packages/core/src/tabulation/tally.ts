/**
 * The running count: counted protocols aggregated into every division of each contest, exactly.
 *
 * Each counted protocol is added once into every ancestor of its station inside the contest's subtree, so a
 * division's totals are always the sum of its stations' protocols (and of its children's totals). Adding and
 * removing are O(depth × width), which is what lets the server keep live results current as protocols arrive and
 * are corrected, and lets a million protocols be tabulated in well under a second.
 *
 * Arithmetic: counts are integers ≤ MAX_COUNT (10^8) per line per station, so any sum over fewer than 90 million
 * stations stays below 2^53 and is exact in a double. Percentages are computed from these integers with bigint.
 */
import type { ContestIndex, ElectionIndex } from '../election/index-election.js';
import { evaluate } from '../election/terms.js';
import { percentFast } from '../arithmetic/percent-fast.js';
import type { ContestId, DivisionId, ElectionId, LineId, OptionId } from '../model/ids.js';
import type { Protocol } from '../model/protocol.js';
import { err, ok, type Result } from '../model/result.js';
import { decideOutcome, type Outcome } from '../outcome/decide-outcome.js';
import { readRow } from '../protocol/validate-protocol.js';

/** NIST SP 1500-100 `ResultsStatus`, as Canvass uses it. */
export type ResultsStatus = 'unofficial-partial' | 'unofficial-complete' | 'certified' | 'recount' | 'correction';
export const RESULTS_STATUSES: readonly ResultsStatus[] = [
  'unofficial-partial',
  'unofficial-complete',
  'certified',
  'recount',
  'correction',
];

export interface OptionResult {
  readonly option: OptionId;
  readonly votes: number;
  /** `votes / percentBase`, two decimals, half-up; null while the base is 0. */
  readonly percent: string | null;
}

export interface ContestResults {
  readonly contest: ContestId;
  readonly status: ResultsStatus;
  readonly stations: { readonly reported: number; readonly total: number };
  /** Voters on the lists of the reporting stations (the protocols' registered line). */
  readonly registered: number;
  readonly participated: number;
  readonly invalid: number;
  readonly valid: number;
  /** participated / registered, two decimals, half-up. */
  readonly turnoutPercent: string | null;
  readonly options: readonly OptionResult[];
  /** At the contest's own division only: who is elected, the runoff, the seats, or a tie. */
  readonly outcome?: Outcome | undefined;
  /** Voters on the lists of all stations, per the election definition. */
  readonly registeredTotal: number;
  /** Share of `registeredTotal` on the lists of stations that have reported, per the definition. */
  readonly registeredCoveredPercent: string | null;
  /** The percentage base (Kazakhstan: valid ballots incl. against-all). */
  readonly percentBase: number;
  /** Every protocol line, summed. */
  readonly lines: Readonly<Record<LineId, number>>;
}

export interface DivisionResults {
  readonly election: ElectionId;
  readonly division: DivisionId;
  readonly contests: readonly ContestResults[];
}

export type TallyError =
  | { readonly kind: 'contest-unknown'; readonly contest: string }
  | { readonly kind: 'station-unknown'; readonly station: string }
  | { readonly kind: 'station-outside-contest'; readonly station: string; readonly contest: string }
  | { readonly kind: 'already-counted'; readonly station: string; readonly contest: string }
  | { readonly kind: 'not-counted'; readonly station: string; readonly contest: string };

interface ContestState {
  readonly index: ContestIndex;
  readonly sums: Float64Array;
  readonly reported: Int32Array;
  readonly reportedRegistered: Float64Array;
  readonly counted: Uint8Array;
  readonly scratch: Float64Array;
}

export interface ResultsOptions {
  /** The status to report per contest; by default partial or complete from the stations reported. */
  readonly status?: ((contest: ContestId, complete: boolean) => ResultsStatus) | undefined;
  /** The counted protocol of a station, for station-level results (the tally itself keeps only sums). */
  readonly stationProtocol?: ((station: DivisionId, contest: ContestId) => Protocol | undefined) | undefined;
}

export class Tally {
  readonly #index: ElectionIndex;
  readonly #contests: ContestState[];
  readonly #byId: Map<string, ContestState>;
  #version = 0;

  constructor(index: ElectionIndex) {
    this.#index = index;
    this.#contests = index.contests.map((c) => ({
      index: c,
      sums: new Float64Array(c.rowDivision.length * c.layout.width),
      reported: new Int32Array(c.rowDivision.length),
      reportedRegistered: new Float64Array(c.rowDivision.length),
      counted: new Uint8Array(index.divisionCount),
      scratch: new Float64Array(c.layout.width),
    }));
    this.#byId = new Map(this.#contests.map((s) => [s.index.contest.id, s]));
  }

  get index(): ElectionIndex {
    return this.#index;
  }

  /** Increases with every change; a cheap results version for caches. */
  get version(): number {
    return this.#version;
  }

  /** Counts a protocol. Validate it first: the tally checks only where it belongs, not its arithmetic. */
  add(protocol: Protocol): Result<void, TallyError> {
    return this.#apply(protocol, 1);
  }

  /** Takes a counted protocol out again (before its correction is added). Pass the values that were added. */
  remove(protocol: Protocol): Result<void, TallyError> {
    return this.#apply(protocol, -1);
  }

  isCounted(contest: ContestId, station: DivisionId): boolean {
    const state = this.#byId.get(contest);
    const at = this.#index.divisionIndex(station);
    return state !== undefined && at !== undefined && state.counted[at] === 1;
  }

  /**
   * Counts a station's figures given as a row in the contest's layout (the template's lines, then the options in
   * ballot order), at division index `at`: what `add` does once it has read the protocol, for callers that hold
   * figures in typed arrays rather than as protocols (the snapshot verifier reads a million rows this way).
   */
  addRow(contest: ContestIndex, at: number, row: ArrayLike<number>): Result<void, TallyError> {
    const state = this.#contests[contest.ordinal];
    if (state?.index !== contest) return err({ kind: 'contest-unknown', contest: contest.contest.id });
    const station = this.#index.election.divisions[at]?.id;
    if (station === undefined) return err({ kind: 'station-unknown', station: String(at) });
    const checked = this.#check(state, at, station, 1);
    if (!checked.ok) return checked;
    for (let k = 0; k < state.scratch.length; k++) state.scratch[k] = row[k] ?? 0;
    this.#sum(state, at, 1);
    return checked;
  }

  #apply(protocol: Protocol, sign: 1 | -1): Result<void, TallyError> {
    const state = this.#byId.get(protocol.contest);
    if (!state) return err({ kind: 'contest-unknown', contest: protocol.contest });
    const at = this.#index.divisionIndex(protocol.station);
    if (at === undefined) return err({ kind: 'station-unknown', station: protocol.station });
    const checked = this.#check(state, at, protocol.station, sign);
    if (!checked.ok) return checked;
    readRow(state.index, protocol, state.scratch);
    this.#sum(state, at, sign);
    return checked;
  }

  #check(state: ContestState, at: number, station: string, sign: 1 | -1): Result<void, TallyError> {
    const { index: contest, counted } = state;
    const id = contest.contest.id;
    if (!contest.votesHere[at]) return err({ kind: 'station-outside-contest', station, contest: id });
    if (sign === 1 && counted[at]) return err({ kind: 'already-counted', station, contest: id });
    if (sign === -1 && !counted[at]) return err({ kind: 'not-counted', station, contest: id });
    return ok(undefined);
  }

  /** Adds (or takes out) `state.scratch`, the station's row, into every aggregation row above station `at`. */
  #sum(state: ContestState, at: number, sign: 1 | -1): void {
    const { index: contest, counted, sums, reported, reportedRegistered, scratch } = state;
    counted[at] = sign === 1 ? 1 : 0;
    const width = contest.layout.width;
    const registered = this.#index.election.divisions[at]?.registered ?? 0;
    const parent = this.#index.parent;
    const rowOf = contest.rowOf;
    for (let p = parent[at] ?? -1; p >= 0; p = parent[p] ?? -1) {
      const row = rowOf[p] ?? -1;
      if (row < 0) break;
      const offset = row * width;
      for (let k = 0; k < width; k++) sums[offset + k] = (sums[offset + k] ?? 0) + sign * (scratch[k] ?? 0);
      reported[row] = (reported[row] ?? 0) + sign;
      reportedRegistered[row] = (reportedRegistered[row] ?? 0) + sign * registered;
    }
    this.#version++;
  }

  /** Results of every contest that covers `division`, or undefined for an unknown division. */
  results(division: DivisionId, options: ResultsOptions = {}): DivisionResults | undefined {
    const at = this.#index.divisionIndex(division);
    if (at === undefined) return undefined;
    const contests: ContestResults[] = [];
    for (const state of this.#contests) {
      const result = this.#contestResults(state, at, options);
      if (result) contests.push(result);
    }
    return { election: this.#index.election.id, division, contests };
  }

  #contestResults(state: ContestState, at: number, options: ResultsOptions): ContestResults | undefined {
    const contest = state.index;
    const width = contest.layout.width;
    let values: ArrayLike<number>;
    let offset = 0;
    let reported: number;
    let total: number;
    let registeredTotal: number;
    let registeredReported: number;
    if (contest.votesHere[at]) {
      const division = this.#index.election.divisions[at];
      const protocol = state.counted[at] ? options.stationProtocol?.(division?.id as DivisionId, contest.contest.id) : undefined;
      values = protocol ? readRow(contest, protocol) : new Float64Array(width);
      reported = protocol ? 1 : 0;
      total = 1;
      registeredTotal = division?.registered ?? 0;
      registeredReported = protocol ? registeredTotal : 0;
    } else {
      const row = contest.rowOf[at] ?? -1;
      if (row < 0) return undefined;
      values = state.sums;
      offset = row * width;
      reported = state.reported[row] ?? 0;
      total = contest.stationsPerRow[row] ?? 0;
      registeredTotal = contest.registeredPerRow[row] ?? 0;
      registeredReported = state.reportedRegistered[row] ?? 0;
    }
    const { lines, options: ballot } = contest.layout;
    const registered = evaluate(contest.roles.registered, values, offset);
    const participated = evaluate(contest.roles.participated, values, offset);
    const base = evaluate(contest.percentBase, values, offset);
    const votes = ballot.map((_, i) => values[offset + lines.length + i] ?? 0);
    const complete = reported === total;
    return {
      contest: contest.contest.id,
      status: options.status?.(contest.contest.id, complete) ?? (complete ? 'unofficial-complete' : 'unofficial-partial'),
      stations: { reported, total },
      registered,
      participated,
      invalid: evaluate(contest.roles.invalid, values, offset),
      valid: evaluate(contest.roles.valid, values, offset),
      turnoutPercent: percentFast(participated, registered),
      options: ballot.map((option, i) => ({ option: option.id, votes: votes[i] ?? 0, percent: percentFast(votes[i] ?? 0, base) })),
      outcome:
        at === contest.root
          ? decideOutcome(contest.contest, {
              votes,
              percentBase: base,
              thresholdBase: contest.thresholdBase ? evaluate(contest.thresholdBase, values, offset) : undefined,
            })
          : undefined,
      registeredTotal,
      registeredCoveredPercent: percentFast(registeredReported, registeredTotal),
      percentBase: base,
      lines: Object.fromEntries(lines.map((line, i) => [line, values[offset + i] ?? 0])),
    };
  }
}

export interface TabulateOutcome {
  readonly tally: Tally;
  /** Protocols that could not be counted, by position in the input. */
  readonly rejected: readonly { readonly position: number; readonly error: TallyError }[];
}

/**
 * Tabulates a stream of protocols (one per station and contest; validate them first). Takes any iterable, so a
 * caller can stream a million protocols without building an array.
 */
export function tabulate(index: ElectionIndex, protocols: Iterable<Protocol>): TabulateOutcome {
  const tally = new Tally(index);
  const rejected: { position: number; error: TallyError }[] = [];
  let position = 0;
  for (const protocol of protocols) {
    const result = tally.add(protocol);
    if (!result.ok) rejected.push({ position, error: result.error });
    position++;
  }
  return { tally, rejected };
}
