/**
 * Reads `stations.csv` back into counted protocols: the rows are checked and their protocol hashes recomputed by
 * the byte reader (workers/stations-reader.cjs, in the worker thread or here), then each row that passed is counted
 * into a fresh tally by division index, and its figures stay where the reader put them (one typed-array row per
 * protocol) so that station-level results can be recomputed without holding a million protocol objects.
 */
import {
  MAX_COUNT,
  type ContestId,
  type ContestIndex,
  type DivisionId,
  type ElectionIndex,
  type Protocol,
  type Tally,
  type TallyError,
} from '@canvass/core';
import { readStationsBytes, type ReadOptions, type StationsBytesReading } from '../../workers/stations-reader.cjs';
import { STATIONS_FILE } from '../publish/snapshot-layout.js';
import { STATIONS_FIXED_COLUMNS, VOTES_PREFIX } from '../publish/stations-csv.js';
import type { VerifyProblem } from './verify-report.js';

/** How the byte reader is told about the file; without `columns`, every count column is taken at its word. */
export function stationsReadOptions(electionId: string, index?: ElectionIndex): ReadOptions {
  return {
    electionId,
    file: STATIONS_FILE,
    fixedColumns: STATIONS_FIXED_COLUMNS,
    votesPrefix: VOTES_PREFIX,
    maxCount: MAX_COUNT,
    columns: index && {
      lines: index.lines,
      options: index.contests.flatMap((c) => c.contest.options.map((o) => o.id)),
    },
  };
}

/**
 * Whether a reading made before the election was known (`speculative`) is the one the election calls for: same
 * election id, and every count column a line or option of the election. Otherwise read again with the columns.
 */
export function readingHolds(reading: StationsBytesReading, options: ReadOptions, index: ElectionIndex): boolean {
  if (!reading.speculative) return true;
  if (options.electionId !== index.election.id) return false;
  const exact = stationsReadOptions(index.election.id, index).columns;
  return reading.columns.every((c) => (c.kind === 'vote' ? exact?.options.includes(c.id) : exact?.lines.includes(c.id)));
}

/** Reads the file here, in this thread (no worker, or a speculative reading that did not hold). */
export function readStationsHere(bytes: Uint8Array, options: ReadOptions): StationsBytesReading {
  return readStationsBytes(bytes, options);
}

const EMPTY_FIGURES = new Uint32Array(0);

/** The figures of every counted protocol, by contest and division index. */
export class StationRows {
  readonly #width: number;
  /** Where each counted row's figures are: its part (`#partOf`), whose rows start at `#partStart`. */
  readonly #parts: readonly Uint32Array[];
  readonly #partStart: Int32Array;
  readonly #partOf: Uint16Array | undefined;
  /** Per contest ordinal: the counted row of each division index, or −1. */
  readonly #rowAt: Int32Array[];
  /** Per contest ordinal: the column of each layout position (lines, then options), or −1 (counted as 0). */
  readonly #columnOf: Int32Array[];

  constructor(index: ElectionIndex, reading: StationsBytesReading) {
    this.#width = reading.columns.length;
    const parts = reading.figureParts ?? [{ start: 0, figures: reading.figures }];
    this.#parts = parts.map((p) => p.figures);
    this.#partStart = Int32Array.from(parts, (p) => p.start);
    if (parts.length > 1) {
      const partOf = new Uint16Array(reading.counted);
      parts.forEach((p, k) => partOf.fill(k, p.start, parts[k + 1]?.start ?? reading.counted));
      this.#partOf = partOf;
    }
    this.#rowAt = index.contests.map(() => new Int32Array(index.divisionCount).fill(-1));
    this.#columnOf = index.contests.map((contest) => {
      const { lines, options, width } = contest.layout;
      const columnOf = new Int32Array(width).fill(-1);
      reading.columns.forEach((column, at) => {
        const position =
          column.kind === 'line' ? lines.indexOf(column.id as never) : lines.length + options.findIndex((o) => o.id === column.id);
        if (position >= 0 && (column.kind === 'line' || position >= lines.length)) columnOf[position] = at;
      });
      return columnOf;
    });
  }

  /** Puts the figures of counted row `row` for `contest` into `out` (the contest's layout) from `offset` on. */
  fill(contest: ContestIndex, row: number, out: Float64Array, offset = 0): Float64Array {
    const columnOf = this.#columnOf[contest.ordinal];
    const part = this.#partOf?.[row] ?? 0;
    const figures = this.#parts[part] ?? EMPTY_FIGURES;
    const base = (row - (this.#partStart[part] ?? 0)) * this.#width;
    const width = contest.layout.width;
    for (let k = 0; k < width; k++) {
      const column = columnOf?.[k] ?? -1;
      out[offset + k] = column < 0 ? 0 : (figures[base + column] ?? 0);
    }
    return out;
  }

  /** Marks `row` as the counted protocol of station `at` in `contest`. */
  keep(contest: ContestIndex, at: number, row: number): void {
    const rowAt = this.#rowAt[contest.ordinal];
    if (rowAt) rowAt[at] = row;
  }

  /** The figures of station `at` in `contest` (its layout) into `out` from `offset`, or false when it has no counted protocol. */
  figuresAt(contest: ContestIndex, at: number, out: Float64Array, offset = 0): boolean {
    const row = this.#rowAt[contest.ordinal]?.[at] ?? -1;
    if (row < 0) return false;
    this.fill(contest, row, out, offset);
    return true;
  }
}

/** The counted protocol of a station as `ResultsOptions.stationProtocol` wants it (the precise, slow path). */
export class ProtocolFigures {
  readonly #index: ElectionIndex;
  readonly #rows: StationRows;
  /** The division index of the station being recomputed, when the caller knows it: saves looking its id up again. */
  hint = -1;

  constructor(index: ElectionIndex, rows: StationRows) {
    this.#index = index;
    this.#rows = rows;
  }

  /** The protocol as the tally reads it (lines and votes; every entry present, absent ones as 0). */
  protocol(station: DivisionId, contestId: ContestId): Protocol | undefined {
    const contest = this.#index.contest(contestId);
    const at = this.#index.election.divisions[this.hint]?.id === station ? this.hint : this.#index.divisionIndex(station);
    if (!contest || at === undefined) return undefined;
    const { lines, options, width } = contest.layout;
    const row = new Float64Array(width);
    if (!this.#rows.figuresAt(contest, at, row)) return undefined;
    const lineValues: Record<string, number> = {};
    for (let i = 0; i < lines.length; i++) lineValues[lines[i] ?? ''] = row[i] ?? 0;
    const votes: Record<string, number> = {};
    for (let i = 0; i < options.length; i++) votes[options[i]?.id ?? ''] = row[lines.length + i] ?? 0;
    return { election: this.#index.election.id, contest: contest.contest.id, station, lines: lineValues, votes };
  }
}

const TALLY_MESSAGES: Record<TallyError['kind'], string> = {
  'contest-unknown': 'the contest is not part of the election',
  'station-unknown': 'no such polling station in the election',
  'station-outside-contest': 'the station does not vote in this contest',
  'already-counted': 'a second row for the same station and contest',
  'not-counted': 'not counted',
};

const cellDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Counts every row that passed the reader's checks into `tally` by division index, keeping its figures in `rows`,
 * and reports the reader's problems and the tally's refusals (unknown contest or station, a station outside the
 * contest, a second row) together in file order.
 */
export function countStations(
  reading: StationsBytesReading,
  bytes: Uint8Array,
  index: ElectionIndex,
  tally: Tally,
  rows: StationRows,
  report: (problem: VerifyProblem) => void,
): void {
  const refusals: VerifyProblem[] = [];
  const contests = reading.contests.map((id) => index.contest(id));
  const divisions = index.election.divisions;
  const scratch = index.contests.map((c) => new Float64Array(c.layout.width));
  const { rowContest, rowLine, rowStation, stationText } = reading;
  let last = -1;
  // Functions of the row number, not closures made per row (a million rows).
  const station = (r: number) => {
    const start = rowStation[2 * r] ?? -1;
    return start < 0 ? (stationText[r] ?? '') : cellDecoder.decode(bytes.subarray(start, rowStation[2 * r + 1] ?? -1));
  };
  const refuse = (r: number, kind: TallyError['kind']) => {
    refusals.push({
      kind: 'station-row',
      file: STATIONS_FILE,
      line: rowLine[r] ?? 0,
      station: station(r),
      column: kind === 'contest-unknown' ? 'contest' : 'station',
      message: TALLY_MESSAGES[kind],
    });
  };
  for (let r = 0; r < reading.counted; r++) {
    const start = rowStation[2 * r] ?? -1;
    const end = rowStation[2 * r + 1] ?? -1;
    const contest = contests[rowContest[r] ?? 0];
    if (!contest) {
      refuse(r, 'contest-unknown');
      continue;
    }
    // Rows come in definition order: try the division after the last one before looking the id up.
    let at = last + 1;
    if (start < 0 || !sameId(bytes, start, end, divisions[at]?.id)) at = index.divisionIndex(station(r)) ?? -1;
    if (at < 0) {
      refuse(r, 'station-unknown');
      continue;
    }
    last = at;
    const values = rows.fill(contest, r, scratch[contest.ordinal] ?? new Float64Array(contest.layout.width));
    const added = tally.addRow(contest, at, values);
    if (!added.ok) {
      refuse(r, added.error.kind);
      continue;
    }
    rows.keep(contest, at, r);
  }
  // Both lists are in file order; a row's own problems come before the tally's refusal of it.
  let k = 0;
  for (const problem of reading.problems) {
    const line = 'line' in problem ? problem.line : 0;
    while (k < refusals.length && lineOf(refusals[k]) < line) report(refusals[k++] as VerifyProblem);
    report(problem);
  }
  while (k < refusals.length) report(refusals[k++] as VerifyProblem);
}

const lineOf = (problem: VerifyProblem | undefined): number => (problem && 'line' in problem ? problem.line : 0);

/** Whether bytes[start, end) spell `id` (ASCII: division ids are). */
function sameId(bytes: Uint8Array, start: number, end: number, id: string | undefined): boolean {
  if (id?.length !== end - start) return false;
  for (let i = 0; i < id.length; i++) if (bytes[start + i] !== id.charCodeAt(i)) return false;
  return true;
}
