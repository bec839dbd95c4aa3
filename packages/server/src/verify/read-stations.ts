/**
 * Reads `stations.csv` back into protocols: checks each row, recomputes its protocol hash, counts it in a fresh
 * tally, and keeps its figures (compactly, one typed-array row per station and contest) so that station-level
 * results can be recomputed afterwards without holding a million protocol objects.
 */
import {
  MAX_COUNT,
  readRow,
  type ContestId,
  type ContestIndex,
  type DivisionId,
  type ElectionIndex,
  type LineId,
  type Protocol,
  type Tally,
  type TallyError,
} from '@canvass/core';
import { jsonString, sha256HexFast } from '../publish/canonical-protocol.js';
import { STATIONS_FILE } from '../publish/snapshot-layout.js';
import { STATIONS_FIXED_COLUMNS, VOTES_PREFIX } from '../publish/stations-csv.js';
import { CsvReader, CsvSyntaxError } from './csv-records.js';
import type { VerifyProblem } from './verify-report.js';

/** The figures of every counted protocol, by contest and station, for `ResultsOptions.stationProtocol`. */
export class ProtocolFigures {
  readonly #index: ElectionIndex;
  readonly #rows: (Float64Array | undefined)[];
  /**
   * The division index of the station whose results are being recomputed, when the caller knows it: saves looking
   * the station's id up again (a hash lookup among a million ids costs about as much as the rest of the call).
   */
  hint = -1;

  constructor(index: ElectionIndex) {
    this.#index = index;
    this.#rows = index.contests.map(() => undefined);
  }

  put(contest: ContestIndex, at: number, protocol: Protocol): void {
    const width = contest.layout.width;
    let rows = this.#rows[contest.ordinal];
    if (!rows) {
      rows = new Float64Array(this.#index.divisionCount * width);
      this.#rows[contest.ordinal] = rows;
    }
    readRow(contest, protocol, rows.subarray(at * width, (at + 1) * width));
  }

  /** The protocol as the tally reads it (lines and votes; every entry present, absent ones as 0). */
  protocol(station: DivisionId, contestId: ContestId): Protocol | undefined {
    const contest = this.#index.contest(contestId);
    const at = this.#index.election.divisions[this.hint]?.id === station ? this.hint : this.#index.divisionIndex(station);
    if (!contest || at === undefined) return undefined;
    const rows = this.#rows[contest.ordinal];
    if (!rows) return undefined;
    const { lines, options, width } = contest.layout;
    const offset = at * width;
    const lineValues: Record<string, number> = {};
    for (let i = 0; i < lines.length; i++) lineValues[lines[i] ?? ''] = rows[offset + i] ?? 0;
    const votes: Record<string, number> = {};
    for (let i = 0; i < options.length; i++) votes[options[i]?.id ?? ''] = rows[offset + lines.length + i] ?? 0;
    return {
      election: this.#index.election.id,
      contest: contest.contest.id,
      station,
      lines: lineValues,
      votes,
    };
  }
}

export interface StationsReading {
  /** Data rows read. */
  readonly rows: number;
  /** False when the file could not be read to the end (bad header or CSV syntax): results are not recomputed. */
  readonly complete: boolean;
}

interface CountColumn {
  readonly kind: 'line' | 'vote';
  readonly id: string;
  /** Position in the row. */
  readonly at: number;
  /** `"<id>":`, the key as the canonical JSON writes it. */
  readonly key: string;
}

/** What the header says: where each fixed column is, and the count columns in row order and in canonical (sorted) order. */
interface Plan {
  readonly width: number;
  readonly fixed: Readonly<Record<(typeof STATIONS_FIXED_COLUMNS)[number], number>>;
  readonly counts: readonly CountColumn[];
  readonly sortedLines: readonly CountColumn[];
  readonly sortedVotes: readonly CountColumn[];
}

/** Counts as RFC 8785 writes integers: no sign, no leading zeros, at most MAX_COUNT (checked separately). */
const COUNT = /^(0|[1-9][0-9]{0,8})$/;
const VERSION = /^[1-9][0-9]{0,8}$/;

const TALLY_MESSAGES: Record<TallyError['kind'], string> = {
  'contest-unknown': 'the contest is not part of the election',
  'station-unknown': 'no such polling station in the election',
  'station-outside-contest': 'the station does not vote in this contest',
  'already-counted': 'a second row for the same station and contest',
  'not-counted': 'not counted',
};

const byId = (a: CountColumn, b: CountColumn) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The canonical JSON of a row's counts, written straight from the cells: keys in sorted order, cells already in
 * canonical integer form (checked by `COUNT`), empty cells absent. Equal to the `lines`/`votes` object of
 * `canonicalJson(protocol)` for the protocol the row holds (tested).
 */
function canonicalCounts(fields: readonly string[], columns: readonly CountColumn[]): string {
  let out = '{';
  let first = true;
  for (const column of columns) {
    const cell = fields[column.at] ?? '';
    if (cell === '') continue;
    out += first ? `${column.key}${cell}` : `,${column.key}${cell}`;
    first = false;
  }
  return `${out}}`;
}

export function readStations(
  text: string,
  index: ElectionIndex,
  tally: Tally,
  /** Where to keep each protocol's figures; only needed when station-level results are to be recomputed. */
  figures: ProtocolFigures | undefined,
  report: (problem: VerifyProblem) => void,
): StationsReading {
  const file = STATIONS_FILE;
  const electionId = index.election.id;
  let plan: Plan | undefined;
  let usable = true;
  let rows = 0;

  const rowProblem = (line: number, message: string, extra: { station?: string; column?: string } = {}) => {
    report({ kind: 'station-row', file, line, ...extra, message });
  };

  const readHeader = (fields: readonly string[], line: number): Plan | undefined => {
    const fixed: Record<string, number> = {};
    const counts: CountColumn[] = [];
    const seen = new Set<string>();
    fields.forEach((name, at) => {
      if (seen.has(name)) {
        rowProblem(line, `column "${name}" appears twice`, { column: name });
        return;
      }
      seen.add(name);
      if ((STATIONS_FIXED_COLUMNS as readonly string[]).includes(name)) {
        fixed[name] = at;
        return;
      }
      const kind = columnKind(name, index);
      if (!kind) {
        rowProblem(line, `column "${name}" is neither a protocol line nor an option of the election`, { column: name });
        return;
      }
      const id = kind === 'vote' ? name.slice(VOTES_PREFIX.length) : name;
      counts.push({ kind, id, at, key: `${jsonString(id)}:` });
    });
    const missing = STATIONS_FIXED_COLUMNS.filter((name) => fixed[name] === undefined);
    if (missing.length > 0) {
      rowProblem(line, `the header lacks the column(s) ${missing.join(', ')}`);
      return undefined;
    }
    return {
      width: fields.length,
      fixed: fixed as Plan['fixed'],
      counts,
      sortedLines: counts.filter((c) => c.kind === 'line').sort(byId),
      sortedVotes: counts.filter((c) => c.kind === 'vote').sort(byId),
    };
  };

  const readDataRow = (p: Plan, fields: readonly string[], line: number) => {
    rows++;
    const { fixed } = p;
    const station = fields[fixed.station] ?? '';
    if (fields.length !== p.width) {
      rowProblem(line, `${fields.length} fields, the header has ${p.width}`, { station });
      return;
    }
    const election = fields[fixed.election] ?? '';
    const contestId = fields[fixed.contest] ?? '';
    const version = fields[fixed.version] ?? '';
    const accepted = fields[fixed.accepted] ?? '';
    const hash = fields[fixed.hash] ?? '';
    const reason = fields[fixed.reason] ?? '';
    let bad = 0;
    const problem = (column: string, message: string) => {
      rowProblem(line, message, { station, column });
      bad++;
    };
    if (election !== electionId) problem('election', `election "${election}" is not "${electionId}"`);
    if (!VERSION.test(version)) problem('version', `"${version}" is not a version number (1, 2, …)`);
    if (accepted !== 'true' && accepted !== 'false') problem('accepted', `"${accepted}" is not true or false`);
    const lines: Record<string, number> = {};
    const votes: Record<string, number> = {};
    for (const column of p.counts) {
      const cell = fields[column.at] ?? '';
      if (cell === '') continue;
      const value = Number(cell);
      if (!COUNT.test(cell) || value > MAX_COUNT) {
        problem(
          column.kind === 'vote' ? `${VOTES_PREFIX}${column.id}` : column.id,
          `"${cell}" is not a count (a whole number from 0 to ${MAX_COUNT}, digits only)`,
        );
        continue;
      }
      if (column.kind === 'line') lines[column.id] = value;
      else votes[column.id] = value;
    }
    if (bad > 0) return;
    const canonical = `{"contest":${jsonString(contestId)},"election":${jsonString(election)},"lines":${canonicalCounts(fields, p.sortedLines)}${
      reason === '' ? '' : `,"reason":${JSON.stringify(reason)}`
    },"station":${jsonString(station)},"votes":${canonicalCounts(fields, p.sortedVotes)}}`;
    const recomputed = sha256HexFast(canonical);
    if (recomputed !== hash) report({ kind: 'protocol-hash', file, line, contest: contestId, station, published: hash, recomputed });
    const protocol = (reason === ''
      ? { election, contest: contestId, station, lines, votes }
      : { election, contest: contestId, station, lines, votes, reason }) as unknown as Protocol;
    const added = tally.add(protocol);
    if (!added.ok) {
      rowProblem(line, TALLY_MESSAGES[added.error.kind], {
        station,
        column: added.error.kind === 'contest-unknown' ? 'contest' : 'station',
      });
      return;
    }
    if (!figures) return;
    const contest = index.contest(contestId);
    const at = index.divisionIndex(station);
    if (contest && at !== undefined) figures.put(contest, at, protocol);
  };

  const reader = new CsvReader(text);
  try {
    const header = reader.next();
    plan = header ? readHeader(header, reader.line) : undefined;
    if (header && !plan) usable = false;
    if (plan) for (let fields = reader.next(); fields; fields = reader.next()) readDataRow(plan, fields, reader.line);
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    rowProblem(error.line, `not valid CSV: ${error.message}; the rest of the file is not read`);
    return { rows, complete: false };
  }
  if (!plan && usable) {
    rowProblem(1, 'the file is empty; it starts with a header row');
    return { rows, complete: false };
  }
  return { rows, complete: usable };
}

function columnKind(name: string, index: ElectionIndex): CountColumn['kind'] | undefined {
  if (name.startsWith(VOTES_PREFIX)) {
    const id = name.slice(VOTES_PREFIX.length);
    return index.election.contests.some((c) => c.options.some((o) => o.id === id)) ? 'vote' : undefined;
  }
  return index.lines.includes(name as LineId) ? 'line' : undefined;
}
