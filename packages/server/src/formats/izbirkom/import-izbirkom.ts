/**
 * Imports the Russian CEC's station tables (one row per polling station: region, territorial commission (TIK),
 * station (UIK), the 18 protocol lines and each option's votes, and the CEC page of the TIK), as scraped from
 * izbirkom.ru by Sergey Shpilkin, into a Canvass election definition and one protocol per station.
 *
 * Geography: country `ru` → region (`ru-r01`, by the CEC's subject code) → TIK (`ru-r01-t003`, by the number the
 * CEC puts before its name) → station (`ru-r01-t003-u0001`, by its number). The original names are kept in `ru`.
 *
 * Rows that cannot be read (wrong number of columns, a count that is not a whole non-negative number, a station
 * listed twice with different figures) are reported with file, line, column and rule, and skipped whole: a station
 * is imported from one clean row or not at all. A row repeated exactly is imported once and the repeat reported.
 * Control relations are not checked here: a protocol that breaks one is still the commission's protocol, and
 * `validateProtocol` reports it against the election's rule pack.
 */
import {
  ELECTION_FORMAT,
  MAX_COUNT,
  POLLING_STATION,
  asDivisionId,
  type Division,
  type Election,
  type LineId,
  type OptionId,
  type Protocol,
  type StationId,
} from '@canvass/core';
import { parse as parseCsv } from 'csv-parse/sync';
import { unzipSync } from 'fflate';
import { InputError, type InputProblem } from '../../files/input-error.js';
import {
  IZBIRKOM_ELECTIONS,
  KEY_HEADERS,
  RU_COUNTRY,
  URL_HEADER,
  expectedHeader,
  lineNames,
  normalizeHeader,
  type IzbirkomElection,
} from './izbirkom-elections.js';
import { RU_LINE_ORDER, RU_ROLES } from './ru-rule-pack.js';
import { findRuRegion } from './ru-regions.js';
import { transliterateRu } from './transliterate-ru.js';

export interface IzbirkomFile {
  /** The file's name, as problems should name it; `.csv` or `.zip` (`.csv.zip`) decides how it is read. */
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface IzbirkomOptions {
  /** The election the tables belong to; by default recognised from the header of each table. */
  readonly election?: IzbirkomElection | undefined;
  /** List at most this many problems (default 1000); the rest are counted in one last problem. */
  readonly maxProblems?: number | undefined;
}

/** Where a protocol came from: the table (a zip's entry is named `archive.zip/entry.csv`) and its 1-based line. */
export interface RecordOrigin {
  readonly file: string;
  readonly line: number;
}

export interface IzbirkomImport {
  /** The election the tables were recognised as. */
  readonly source: IzbirkomElection;
  readonly election: Election;
  /** One protocol per imported station, in the order of the tables. */
  readonly protocols: Protocol[];
  readonly origins: ReadonlyMap<StationId, RecordOrigin>;
  /** Every row or file that was not imported, and why. Empty for a clean import. */
  readonly problems: InputProblem[];
}

const DEFAULT_MAX_PROBLEMS = 1000;
const LINE_COUNT = RU_LINE_ORDER.length;
const FIRST_COUNT = KEY_HEADERS.length;

interface Table {
  readonly file: string;
  readonly header: readonly string[];
  readonly rows: readonly string[][];
  /** 1-based file line each row ends on (its only line, unless a quoted cell spans lines). */
  readonly lines: readonly number[];
}

interface StationRow {
  readonly file: string;
  readonly line: number;
  readonly region: string;
  readonly tik: string;
  readonly uik: number;
  /** The 18 lines, then the options' votes. */
  readonly counts: readonly number[];
  readonly url: string | undefined;
}

/** A row that named its station but could not be read; it still counts as a listing of that station. */
interface BrokenRow {
  readonly file: string;
  readonly line: number;
}

/**
 * Imports CEC station tables (`.csv`, or `.zip` archives of them) of one election. Throws `InputError` only when not
 * one table can be read as a table of that election (or, without `options.election`, of any election Canvass knows);
 * every other problem is returned with the import.
 */
export function importIzbirkom(files: readonly IzbirkomFile[], options: IzbirkomOptions = {}): IzbirkomImport {
  const max = options.maxProblems ?? DEFAULT_MAX_PROBLEMS;
  const problems: InputProblem[] = [];
  let omitted = 0;
  const report = (problem: InputProblem) => {
    if (problems.length < max) problems.push(problem);
    else omitted++;
  };

  let election = options.election;
  const tables: { table: Table; hasUrl: boolean }[] = [];
  for (const table of readTables(files, report)) {
    const recognised = recognise(table, election, report);
    if (!recognised) continue;
    election ??= recognised.election;
    tables.push({ table, hasUrl: recognised.hasUrl });
  }
  if (!election || tables.length === 0) {
    throw new InputError(
      problems.length > 0
        ? problems
        : [{ file: '(no files)', rule: 'izbirkom-no-tables', message: 'give at least one CEC station table (.csv or .csv.zip)' }],
    );
  }

  const source = election;
  const groups = new Map<string, (StationRow | BrokenRow)[]>();
  for (const { table, hasUrl } of tables) readRows(table, source, hasUrl, groups, report);

  const accepted: StationRow[] = [];
  for (const group of groups.values()) {
    const chosen = resolve(group, report);
    if (chosen) accepted.push(chosen);
  }

  const built = build(source, accepted);
  if (omitted > 0) {
    problems.push({
      file: files.map((f) => f.name).join(', '),
      rule: 'izbirkom-too-many-problems',
      message: `${omitted} more ${omitted === 1 ? 'problem is' : 'problems are'} not listed; fix the ones above first`,
    });
  }
  return { source, ...built, problems };
}

function readTables(files: readonly IzbirkomFile[], report: (p: InputProblem) => void): Table[] {
  const tables: Table[] = [];
  for (const file of files) {
    const lower = file.name.toLowerCase();
    if (lower.endsWith('.zip')) {
      let entries: Record<string, Uint8Array>;
      try {
        entries = unzipSync(file.bytes, {
          filter: (entry) => entry.name.toLowerCase().endsWith('.csv') && !entry.name.startsWith('__MACOSX/'),
        });
      } catch (error) {
        report({ file: file.name, rule: 'izbirkom-zip', message: `not a readable zip archive: ${(error as Error).message}` });
        continue;
      }
      const names = Object.keys(entries).sort();
      if (names.length === 0) report({ file: file.name, rule: 'izbirkom-zip', message: 'the archive holds no .csv table' });
      for (const name of names) {
        const table = readTable(`${file.name}/${name}`, entries[name] ?? new Uint8Array(), report);
        if (table) tables.push(table);
      }
    } else if (lower.endsWith('.csv')) {
      const table = readTable(file.name, file.bytes, report);
      if (table) tables.push(table);
    } else {
      report({ file: file.name, rule: 'izbirkom-file-type', message: 'expected a .csv table or a .zip archive of .csv tables' });
    }
  }
  return tables;
}

function readTable(file: string, bytes: Uint8Array, report: (p: InputProblem) => void): Table | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    report({ file, rule: 'izbirkom-encoding', message: 'the table is not UTF-8 text; save it as UTF-8 CSV' });
    return undefined;
  }
  const lines: number[] = [];
  let records: string[][];
  try {
    records = parseCsv(text, {
      relax_column_count: true,
      skip_empty_lines: true,
      on_record: (record: string[], context) => {
        lines.push(context.lines);
        return record;
      },
    });
  } catch (error) {
    const at = (error as { lines?: unknown }).lines;
    report({
      file,
      ...(typeof at === 'number' ? { line: at } : {}),
      rule: 'izbirkom-csv-syntax',
      message: `not valid CSV: ${(error as Error).message}`,
    });
    return undefined;
  }
  const header = records[0];
  if (!header) {
    report({ file, rule: 'izbirkom-header', message: 'the table is empty; its first row names the columns (region,tik,uik,…)' });
    return undefined;
  }
  return { file, header: header.map(normalizeHeader), rows: records.slice(1), lines: lines.slice(1) };
}

interface HeaderMismatch {
  readonly column: number;
  readonly expected: string;
  readonly found: string;
}

function compareHeader(header: readonly string[], election: IzbirkomElection): { hasUrl: boolean } | HeaderMismatch {
  const expected = expectedHeader(election);
  for (let c = 0; c < expected.length; c++) {
    const want = expected[c] ?? '';
    const got = header[c];
    if (got !== want) return { column: c, expected: want, found: got ?? '(nothing: the header ends here)' };
  }
  if (header.length === expected.length) return { hasUrl: false };
  if (header.length === expected.length + 1 && header[expected.length] === URL_HEADER) return { hasUrl: true };
  return { column: expected.length, expected: `"${URL_HEADER}" or the end of the header`, found: header[expected.length] ?? '' };
}

const describeMismatch = (m: HeaderMismatch) => `column ${m.column + 1} is "${m.found}", expected "${m.expected}"`;

/** Which election the table belongs to, judged by its header; reports the table when none fits. */
function recognise(
  table: Table,
  election: IzbirkomElection | undefined,
  report: (p: InputProblem) => void,
): { election: IzbirkomElection; hasUrl: boolean } | undefined {
  const candidates = election ? [election, ...IZBIRKOM_ELECTIONS.filter((e) => e !== election)] : IZBIRKOM_ELECTIONS;
  const compared = candidates.map((candidate) => ({ candidate, result: compareHeader(table.header, candidate) }));
  for (const { candidate, result } of compared) {
    if (!('hasUrl' in result)) continue;
    if (!election || candidate === election) return { election: candidate, hasUrl: result.hasUrl };
    report({
      file: table.file,
      line: 1,
      rule: 'izbirkom-mixed-elections',
      message: `this is a table of ${candidate.key}, but the import is of ${election.key}; import each election on its own`,
    });
    return undefined;
  }
  let closest: { election: IzbirkomElection; mismatch: HeaderMismatch } | undefined;
  for (const { candidate, result } of compared) {
    if ('hasUrl' in result) continue;
    if (!closest || result.column > closest.mismatch.column) closest = { election: candidate, mismatch: result };
    if (election) break; // only the import's own election is worth comparing with
  }
  if (!closest) return undefined;
  report({
    file: table.file,
    line: 1,
    at: `column ${closest.mismatch.column + 1}`,
    ...(election
      ? {
          rule: 'izbirkom-header',
          message: `the header is not that of the ${election.key} table: ${describeMismatch(closest.mismatch)}`,
        }
      : {
          rule: 'izbirkom-unknown-election',
          message: `the header matches no election Canvass knows (${IZBIRKOM_ELECTIONS.map((e) => e.key).join(', ')}); the closest, ${
            closest.election.key
          }, differs: ${describeMismatch(closest.mismatch)}`,
        }),
  });
  return undefined;
}

const stationKey = (region: string, tik: string, uik: number) => `${region}\u0000${tik}\u0000${uik}`;

function readRows(
  table: Table,
  election: IzbirkomElection,
  hasUrl: boolean,
  groups: Map<string, (StationRow | BrokenRow)[]>,
  report: (p: InputProblem) => void,
): void {
  const { file } = table;
  const width = table.header.length;
  const countNames = [...RU_LINE_ORDER.map((l) => l.id), ...election.contest.options.map((o) => `votes:${o.id}`)];
  const countEnd = FIRST_COUNT + countNames.length;
  table.rows.forEach((cells, r) => {
    const line = table.lines[r] ?? r + 2;
    if (cells.length !== width) {
      report({
        file,
        line,
        rule: 'izbirkom-column-count',
        message: `the row has ${cells.length} columns, the header ${width}; quote any name that contains a comma`,
      });
      return;
    }
    const faults: InputProblem[] = [];
    const problem = (c: number, name: string, rule: string, message: string) => {
      faults.push({ file, line, at: `column ${c + 1} (${name})`, rule, message });
    };
    const region = (cells[0] ?? '').trim();
    const tik = (cells[1] ?? '').trim();
    const uikCell = (cells[2] ?? '').trim();
    if (region === '') problem(0, 'region', 'izbirkom-station-key', 'the region is empty; every row names its region');
    if (tik === '') problem(1, 'tik', 'izbirkom-station-key', 'the territorial commission is empty; every row names its TIK');
    const uik = /^\d{1,6}$/.test(uikCell) ? Number(uikCell) : undefined;
    if (uik === undefined) problem(2, 'uik', 'izbirkom-uik', `"${uikCell}" is not a station number; write the UIK number in digits`);

    const counts: number[] = [];
    for (let c = FIRST_COUNT; c < countEnd; c++) {
      const name = countNames[c - FIRST_COUNT] ?? '';
      const cell = (cells[c] ?? '').trim();
      if (/^\d+$/.test(cell)) {
        const value = Number(cell);
        if (value > MAX_COUNT)
          problem(c, name, 'izbirkom-count-range', `${cell} is more than any polling station can count (${MAX_COUNT})`);
        counts.push(value);
      } else if (cell === '') {
        problem(c, name, 'izbirkom-count-missing', 'the count is empty; write 0 if there is nothing to count');
      } else if (/^-\d+$/.test(cell)) {
        problem(c, name, 'izbirkom-count-negative', `${cell} is negative; a count is 0 or more`);
      } else {
        problem(c, name, 'izbirkom-count-integer', `"${cell}" is not a whole number; write the count in digits only`);
      }
    }

    faults.forEach(report);
    if (region === '' || tik === '' || uik === undefined) return;
    const key = stationKey(region, tik, uik);
    const row: StationRow | BrokenRow =
      faults.length > 0 ? { file, line } : { file, line, region, tik, uik, counts, url: hasUrl ? cells[countEnd]?.trim() : undefined };
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  });
}

const isStationRow = (row: StationRow | BrokenRow): row is StationRow => 'counts' in row;
const sameCounts = (a: StationRow, b: StationRow) => a.counts.every((v, i) => v === b.counts[i]);

function where(row: BrokenRow, relativeTo: BrokenRow): string {
  return row.file === relativeTo.file ? `line ${row.line}` : `${row.file} line ${row.line}`;
}

/** The one row to import for a station, or none when its listings disagree; reports every row left out. */
function resolve(group: readonly (StationRow | BrokenRow)[], report: (p: InputProblem) => void): StationRow | undefined {
  const [first, ...rest] = group;
  if (!first || !isStationRow(first)) {
    if (first && rest.length > 0) reportConflict(group, report);
    return undefined;
  }
  if (rest.length === 0) return first;
  if (rest.every((row) => isStationRow(row) && sameCounts(row, first))) {
    for (const row of rest) {
      report({
        file: row.file,
        line: row.line,
        rule: 'izbirkom-duplicate-row',
        message: `this row repeats ${where(first, row)} (${stationName(first)}) figure for figure; the repeat is ignored, delete it`,
      });
    }
    return first;
  }
  reportConflict(group, report);
  return undefined;
}

function reportConflict(group: readonly (StationRow | BrokenRow)[], report: (p: InputProblem) => void): void {
  const named = group.find(isStationRow);
  for (const row of group) {
    if (!isStationRow(row)) continue; // already reported for its own faults
    const others = group.filter((other) => other !== row).map((other) => where(other, row));
    report({
      file: row.file,
      line: row.line,
      rule: 'izbirkom-station-twice',
      message: `station ${named ? stationName(named) : ''} is also listed at ${others.join(', ')} with different or unreadable figures; none of its rows is imported — keep exactly one row per station`,
    });
  }
}

const stationName = (row: StationRow) => `${row.region} / ${row.tik} / УИК ${row.uik}`;

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const leadingNumber = (name: string) => {
  const match = /^(\d{1,4})\s/.exec(name);
  return match ? Number(match[1]) : undefined;
};

interface TikNode {
  readonly division: Division;
  readonly stations: Division[];
}
interface RegionNode {
  readonly division: Division;
  readonly tiks: Map<string, TikNode>;
  readonly tikIds: Set<string>;
}

function build(
  source: IzbirkomElection,
  rows: readonly StationRow[],
): { election: Election; protocols: Protocol[]; origins: Map<StationId, RecordOrigin> } {
  const regions = new Map<string, RegionNode>();
  const regionIds = new Set<string>();
  const protocols: Protocol[] = [];
  const origins = new Map<StationId, RecordOrigin>();
  const options = source.contest.options;

  for (const row of rows) {
    let region = regions.get(row.region);
    if (!region) {
      const known = findRuRegion(row.region);
      const number = leadingNumber(row.region);
      let id = known ? `ru-r${known.code}` : number !== undefined ? `ru-r${pad(number, 2)}` : '';
      if (id === '' || regionIds.has(id)) id = `ru-rx${pad(regionIds.size + 1, 2)}`;
      regionIds.add(id);
      region = {
        division: {
          id: asDivisionId(id),
          kind: 'region',
          parent: RU_COUNTRY,
          names: { ru: row.region, en: known?.en ?? transliterateRu(row.region) },
          ...(known ? { externalIds: { 'ru-subject-code': known.code } } : {}),
        },
        tiks: new Map(),
        tikIds: new Set(),
      };
      regions.set(row.region, region);
    }

    let tik = region.tiks.get(row.tik);
    if (!tik) {
      const number = leadingNumber(row.tik);
      let id = number !== undefined ? `${region.division.id}-t${pad(number, 3)}` : '';
      if (id === '' || region.tikIds.has(id)) id = `${region.division.id}-tx${pad(region.tikIds.size + 1, 3)}`;
      region.tikIds.add(id);
      tik = {
        division: {
          id: asDivisionId(id),
          kind: 'territorial-commission',
          parent: region.division.id,
          names: { ru: row.tik, en: `${transliterateRu(row.tik)} territorial commission` },
          ...(row.url ? { externalIds: { izbirkom: row.url } } : {}),
        },
        stations: [],
      };
      region.tiks.set(row.tik, tik);
    }

    const station: StationId = asDivisionId(`${tik.division.id}-u${pad(row.uik, 4)}`);
    const voters = row.counts[0] ?? 0;
    tik.stations.push({
      id: station,
      kind: POLLING_STATION,
      parent: tik.division.id,
      names: { ru: `УИК № ${row.uik}`, en: `Polling station ${row.uik}` },
      registered: voters,
    });
    const lines: Record<LineId, number> = {};
    RU_LINE_ORDER.forEach((line, i) => (lines[line.id] = row.counts[i] ?? 0));
    const votes: Record<OptionId, number> = {};
    options.forEach((option, i) => (votes[option.id] = row.counts[LINE_COUNT + i] ?? 0));
    protocols.push({ election: source.id, contest: source.contest.id, station, lines, votes });
    origins.set(station, { file: row.file, line: row.line });
  }

  const divisions: Division[] = [
    {
      id: RU_COUNTRY,
      kind: 'country',
      names: { ru: 'Российская Федерация', en: 'Russian Federation', kk: 'Ресей Федерациясы' },
      externalIds: { 'ocd-id': 'ocd-division/country:ru' },
    },
  ];
  for (const region of regions.values()) {
    divisions.push(region.division);
    for (const tik of region.tiks.values()) divisions.push(tik.division, ...tik.stations);
  }

  const election: Election = {
    format: ELECTION_FORMAT,
    id: source.id,
    names: source.names,
    date: source.date,
    timeZone: 'Europe/Moscow',
    doubleEntry: false,
    protocol: { lines: lineNames(source), roles: RU_ROLES, rules: source.rules },
    turnoutSchedule: [],
    divisions,
    contests: [source.contest],
  };
  return { election, protocols, origins };
}
