/**
 * Import of an OpenElections precinct CSV for one US state (docs/formats/openelections.md): the state is the top
 * division, its counties the next level, the precincts the polling stations; one plurality contest (one seat) per
 * `(office, district)` pair, its candidates the options with their party; one protocol per precinct and contest.
 *
 * Every inconsistency is reported with file, line and rule, and the offending row is left out rather than guessed
 * at: rows with the wrong number of fields, exact duplicate rows, a precinct listed twice for the same candidate of
 * an office, votes that are not whole numbers or are negative, candidates with more votes than the office's
 * `Total` row or than the precinct's `Ballots Cast`, and vote-method breakdowns that exceed `votes`.
 *
 * The state and election day come from the OpenElections file name (`20221108__vt__general__precinct.csv`) unless
 * given. Only a file without the required columns, or without a known election day, throws an `InputError`.
 */
import {
  ELECTION_FORMAT,
  MAX_COUNT,
  POLLING_STATION,
  asContestId,
  asDivisionId,
  asElectionId,
  asLineId,
  asOptionId,
  parseElection,
  type Contest,
  type ContestOption,
  type Division,
  type DivisionId,
  type Election,
  type LineId,
  type OptionId,
  type Protocol,
  type ProtocolTemplate,
  type Term,
} from '@canvass/core';
import { parse as parseCsv, type Info } from 'csv-parse/sync';
import { basename } from 'node:path';
import { inputError } from '../../files/input-error.js';
import { IdAllocator, ProblemList, electionProblems, slug, toCanvassId, type ImportedElection } from '../nist/import-support.js';
import { OE_BREAKDOWN_COLUMNS, OE_SPELLINGS } from './open-elections.js';

export interface OpenElectionsImportOptions {
  /** Two-letter state code; by default from the file name. */
  readonly state?: string | undefined;
  /** Election day, `YYYY-MM-DD`; by default from the file name. */
  readonly date?: string | undefined;
  /** Default: `<state>-<date>-<type>`, e.g. `vt-2022-11-08-general`. */
  readonly electionId?: string | undefined;
}

/** Line ids of the imported protocol template. */
export const OE_LINES = {
  registered: asLineId('registered'),
  ballotsCast: asLineId('ballots-cast'),
  invalid: asLineId('invalid'),
  underVotes: asLineId('under-votes'),
} as const;

const REQUIRED = ['county', 'precinct', 'office', 'candidate', 'votes'] as const;

interface Located<T> {
  readonly value: T;
  readonly line: number;
}

interface StationEntry {
  readonly county: string;
  readonly precinct: string;
  registered?: Located<number>;
  ballotsCast?: Located<number>;
}

interface Cell {
  readonly votes: Map<string, number>;
  over: number;
  under: number;
  invalid: number;
  total?: Located<number>;
}

interface ContestEntry {
  readonly office: string;
  readonly district: string;
  /** Candidate name → party (first non-empty one seen). */
  readonly options: Map<string, string>;
  /** Station key → the precinct's figures for this office. */
  readonly cells: Map<string, Cell>;
}

export function importOpenElections(text: string, file: string, options: OpenElectionsImportOptions = {}): ImportedElection {
  const problems = new ProblemList();
  const fromName = fileNameParts(file);
  const date = options.date ?? fromName?.date;
  if (date === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(date))
    throw inputError(
      file,
      'oe-election-day',
      'the election day is not known: name the file as OpenElections does (e.g. 20221108__vt__general__precinct.csv) or give the date',
    );
  const state = (options.state ?? fromName?.state)?.toLowerCase();
  const type = fromName?.type ?? 'general';

  let records: { record: string[]; info: Info }[];
  try {
    // csv-parse's types do not model `info: true`, which wraps each record with where it was read.
    records = parseCsv(text, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as {
      record: string[];
      info: Info;
    }[];
  } catch (error) {
    throw inputError(file, 'csv-syntax', `not valid CSV: ${(error as Error).message}`);
  }
  const header = records[0]?.record.map((h) => h.trim().toLowerCase());
  if (!header) throw inputError(file, 'oe-header', `the file is empty; the first row names the columns (${REQUIRED.join(', ')}, …)`);
  for (const column of REQUIRED)
    if (!header.includes(column)) throw inputError(file, 'oe-header', `column "${column}" is missing from the header row`, { line: 1 });
  const col = (name: string) => header.indexOf(name);
  const breakdownColumns: ReadonlySet<string> = new Set(OE_BREAKDOWN_COLUMNS);
  const breakdown = header.flatMap((name, i) => (breakdownColumns.has(name) ? [i] : []));

  const stations = new Map<string, StationEntry>();
  const contests = new Map<string, ContestEntry>();
  const exact = new Map<string, number>();
  const keyed = new Map<string, number>();
  const unusable = new Set<string>();
  const blank = /^\s*$/;

  for (const { record, info } of records.slice(1)) {
    const line = info.lines - record.join('').split('\n').length + 1;
    const at = (name: string) => record[col(name)]?.trim() ?? '';
    // A precinct's office whose row had to be left out for its values has no complete protocol.
    const cellOf = () => [at('county'), at('precinct'), at('office'), col('district') >= 0 ? at('district') : ''].join('\u0000');
    const leftOut = ' the row is left out, and no protocol is made for this precinct and office';
    if (record.length !== header.length) {
      problems.push({
        file,
        line,
        rule: 'oe-column-count',
        message: `the row has ${record.length} fields but the header has ${header.length};${leftOut}`,
      });
      unusable.add(cellOf());
      continue;
    }
    if (record.every((cell) => blank.test(cell))) {
      problems.push({ file, line, rule: 'oe-empty-row', message: 'the row is empty; remove it' });
      continue;
    }
    const whole = record.join('\u0000');
    const first = exact.get(whole);
    if (first !== undefined) {
      problems.push({ file, line, rule: 'oe-duplicate-row', message: `the same row is at line ${first}; the duplicate is left out` });
      continue;
    }
    exact.set(whole, line);

    const county = at('county');
    const precinct = at('precinct');
    const office = at('office');
    const district = col('district') >= 0 ? at('district') : '';
    const party = col('party') >= 0 ? at('party') : '';
    const candidate = at('candidate');
    if (county === '' || precinct === '' || office === '') {
      problems.push({
        file,
        line,
        rule: 'oe-place-missing',
        message: 'county, precinct and office must all be given; the row is left out',
      });
      continue;
    }
    const officeKey = office.toLowerCase();
    const candidateKey = candidate.toLowerCase();
    const turnout =
      OE_SPELLINGS.registered.has(officeKey) || OE_SPELLINGS.registered.has(candidateKey)
        ? ('registered' as const)
        : OE_SPELLINGS.ballotsCast.has(officeKey) || OE_SPELLINGS.ballotsCast.has(candidateKey)
          ? ('ballotsCast' as const)
          : undefined;
    const rawVotes = at('votes');
    // Placeholder policy of OpenElections: turnout figures a source lacks are left empty.
    if (turnout !== undefined && rawVotes === '') continue;
    const votes = parseVotes(rawVotes);
    if (votes === undefined || votes < 0 || votes > MAX_COUNT) {
      problems.push({
        file,
        line,
        at: 'votes',
        rule: votes !== undefined && votes < 0 ? 'oe-votes-negative' : 'oe-votes-not-number',
        message:
          votes !== undefined && votes < 0
            ? `${rawVotes} votes: a count cannot be negative;${turnout === undefined ? leftOut : ' the row is left out'}`
            : `"${rawVotes}" is not a number of votes (a whole number from 0 to ${MAX_COUNT});${turnout === undefined ? leftOut : ' the row is left out'}`,
      });
      if (turnout === undefined) unusable.add(cellOf());
      continue;
    }
    if (breakdown.length > 0) {
      const parts = breakdown.reduce((sum, i) => sum + (parseVotes(record[i]?.trim() ?? '') ?? 0), 0);
      if (parts > votes)
        problems.push({
          file,
          line,
          rule: 'oe-breakdown-exceeds-votes',
          message: `the vote-method columns (${breakdown.map((i) => header[i]).join(', ')}) add up to ${parts}, more than votes (${votes})`,
        });
    }

    const stationKey = `${county}\u0000${precinct}`;
    let station = stations.get(stationKey);
    if (!station) stations.set(stationKey, (station = { county, precinct }));

    if (turnout !== undefined) {
      const known = station[turnout];
      if (known === undefined) station[turnout] = { value: votes, line };
      else if (known.value !== votes)
        problems.push({
          file,
          line,
          rule: 'oe-turnout-conflict',
          message: `precinct "${precinct}" of ${county} already has ${turnout === 'registered' ? 'Registered Voters' : 'Ballots Cast'} ${known.value} at line ${known.line}, not ${votes}; the row is left out`,
        });
      continue;
    }

    const name = candidate !== '' ? candidate : party;
    if (name === '') {
      problems.push({ file, line, rule: 'oe-candidate-missing', message: 'neither candidate nor party is given; the row is left out' });
      continue;
    }
    const key = [county, precinct, office, district, name].join('\u0000');
    const earlier = keyed.get(key);
    if (earlier !== undefined) {
      problems.push({
        file,
        line,
        rule: 'oe-precinct-repeated',
        message: `precinct "${precinct}" of ${county} already has a row for "${name}" in ${office}${district !== '' ? ` (district ${district})` : ''} at line ${earlier}; the later row is left out`,
      });
      continue;
    }
    keyed.set(key, line);

    const contestKey = `${office}\u0000${district}`;
    let contest = contests.get(contestKey);
    if (!contest) contests.set(contestKey, (contest = { office, district, options: new Map(), cells: new Map() }));
    let cell = contest.cells.get(stationKey);
    if (!cell) contest.cells.set(stationKey, (cell = { votes: new Map(), over: 0, under: 0, invalid: 0 }));
    const pseudo = name.toLowerCase();
    if (OE_SPELLINGS.total.has(pseudo)) cell.total = { value: votes, line };
    else if (OE_SPELLINGS.overVotes.has(pseudo)) cell.over += votes;
    else if (OE_SPELLINGS.underVotes.has(pseudo)) cell.under += votes;
    else if (OE_SPELLINGS.invalid.has(pseudo)) cell.invalid += votes;
    else {
      if (!contest.options.has(name) || contest.options.get(name) === '') contest.options.set(name, candidate !== '' ? party : '');
      cell.votes.set(name, votes);
    }
  }

  // Totals that do not add up.
  for (const contest of contests.values()) {
    const label = `${contest.office}${contest.district !== '' ? ` (district ${contest.district})` : ''}`;
    for (const [stationKey, cell] of contest.cells) {
      const station = stations.get(stationKey);
      const sum = [...cell.votes.values()].reduce((a, b) => a + b, 0);
      if (cell.total && sum > cell.total.value)
        problems.push({
          file,
          line: cell.total.line,
          rule: 'oe-total-exceeded',
          message: `the candidates for ${label} at precinct "${station?.precinct ?? ''}" have ${sum} votes, more than its total row (${cell.total.value})`,
        });
      const counted = sum + cell.over + cell.invalid;
      if (station?.ballotsCast && counted > station.ballotsCast.value)
        problems.push({
          file,
          line: station.ballotsCast.line,
          rule: 'oe-ballots-cast-exceeded',
          message: `${label} at precinct "${station.precinct}" has ${counted} votes and invalid ballots, more than the ${station.ballotsCast.value} ballots cast (one vote per ballot)`,
        });
    }
  }

  // The geography: state → county → precinct.
  const ids = new IdAllocator();
  const rootId = asDivisionId(ids.take(state !== undefined && /^[a-z]{2}$/.test(state) ? state : 'state'));
  const divisions: Division[] = [
    {
      id: rootId,
      kind: 'state',
      names: { en: state !== undefined ? state.toUpperCase() : 'State' },
      ...(state !== undefined && /^[a-z]{2}$/.test(state)
        ? { externalIds: { 'iso3166-2': `US-${state.toUpperCase()}`, 'ocd-id': `ocd-division/country:us/state:${state}` } }
        : {}),
    },
  ];
  const countyIds = new Map<string, DivisionId>();
  const stationIds = new Map<string, DivisionId>();
  const stationCounty = new Map<DivisionId, DivisionId>();
  for (const [key, station] of stations) {
    let county = countyIds.get(station.county);
    if (county === undefined) {
      county = asDivisionId(ids.take(`${rootId}-${slug(station.county) || 'county'}`));
      countyIds.set(station.county, county);
      divisions.push({ id: county, kind: 'county', parent: rootId, names: { en: station.county } });
    }
    const id = asDivisionId(ids.take(`${county}-${slug(station.precinct) || 'precinct'}`));
    stationIds.set(key, id);
    stationCounty.set(id, county);
    divisions.push({
      id,
      kind: POLLING_STATION,
      parent: county,
      names: { en: station.precinct },
      registered: station.registered?.value ?? 0,
    });
  }
  const inContests = [...stations.keys()].filter((key) => [...contests.values()].some((c) => c.cells.has(key)));
  const withoutRegistered = inContests.filter((key) => stations.get(key)?.registered === undefined);
  if (withoutRegistered.length > 0)
    problems.push({
      file,
      rule: 'oe-registered-missing',
      message: `${withoutRegistered.length} of ${inContests.length} precinct(s) have no "Registered Voters" row (e.g. "${stations.get(withoutRegistered[0] ?? '')?.precinct ?? ''}"); their registered voters are 0, so turnout cannot be computed there`,
    });
  const withBallotsCast = inContests.filter((key) => stations.get(key)?.ballotsCast !== undefined).length;
  const hasBallotsCast = inContests.length > 0 && withBallotsCast === inContests.length;
  if (withBallotsCast > 0 && !hasBallotsCast)
    problems.push({
      file,
      rule: 'oe-ballots-cast-partial',
      message: `only ${withBallotsCast} of ${inContests.length} precinct(s) have a "Ballots Cast" row; voters who took part are taken as the ballots counted in each office (votes plus invalid) everywhere`,
    });
  const hasUnderVotes = [...contests.values()].some((c) => [...c.cells.values()].some((cell) => cell.under > 0));

  // Contests and protocols.
  const electionId = asElectionId(toCanvassId(options.electionId ?? `${state ?? 'state'}-${date}-${type}`));
  const contestIds = new IdAllocator();
  const builtContests: Contest[] = [];
  const protocols: Protocol[] = [];
  for (const contest of contests.values()) {
    const optionIds = new IdAllocator();
    let againstAll = false;
    const ballot: ContestOption[] = [...contest.options].map(([name, party]) => {
      const isAgainstAll = !againstAll && party === '' && OE_SPELLINGS.againstAll.has(name.toLowerCase());
      if (isAgainstAll) againstAll = true;
      return {
        id: asOptionId(optionIds.take(slug(name) || 'option')),
        kind: isAgainstAll ? 'against-all' : 'candidate',
        names: { en: name },
        ...(party !== '' ? { party: { en: party } } : {}),
      };
    });
    const optionOf = new Map([...contest.options.keys()].map((name, i) => [name, ballot[i]?.id ?? asOptionId('')]));
    const stationsHere = [...contest.cells.keys()].map((key) => stationIds.get(key) ?? rootId);
    const counties = new Set(stationsHere.map((s) => stationCounty.get(s)));
    const [onlyCounty] = counties;
    const id = asContestId(
      contestIds.take(
        [slug(contest.office), ...(contest.district !== '' ? [slug(contest.district)] : [])].filter((s) => s !== '').join('-') || 'contest',
      ),
    );
    if (ballot.length === 0) {
      problems.push({ file, rule: 'oe-office-empty', message: `${contest.office} has no candidate rows; it is left out` });
      continue;
    }
    builtContests.push({
      id,
      kind: 'plurality',
      names: { en: contest.district !== '' ? `${contest.office}, district ${contest.district}` : contest.office },
      division: counties.size === 1 && onlyCounty !== undefined ? onlyCounty : rootId,
      options: ballot,
      rules: { percentBase: [{ options: 'all' }], seats: 1 },
    });
    for (const [key, cell] of contest.cells) {
      const station = stationIds.get(key);
      const entry = stations.get(key);
      if (station === undefined || !entry || unusable.has(`${key}\u0000${contest.office}\u0000${contest.district}`)) continue;
      const lines: Record<LineId, number> = {
        [OE_LINES.registered]: entry.registered?.value ?? 0,
        [OE_LINES.invalid]: cell.over + cell.invalid,
      };
      if (hasBallotsCast) lines[OE_LINES.ballotsCast] = entry.ballotsCast?.value ?? 0;
      if (hasUnderVotes) lines[OE_LINES.underVotes] = cell.under;
      const votes: Record<OptionId, number> = {};
      for (const [name, option] of optionOf) votes[option] = cell.votes.get(name) ?? 0;
      protocols.push({ election: electionId, contest: id, station, lines, votes });
    }
  }

  const election: Election = {
    format: ELECTION_FORMAT,
    id: electionId,
    names: { en: `${state !== undefined ? state.toUpperCase() : 'State'} ${type} election, ${date}` },
    date,
    timeZone: 'UTC',
    doubleEntry: false,
    protocol: template(hasBallotsCast, hasUnderVotes),
    turnoutSchedule: [],
    divisions,
    contests: builtContests,
  };
  const list = problems.list(file);
  const checked = parseElection(election);
  if (!checked.ok) list.push(...electionProblems(file, checked.error));
  return { election, protocols, problems: list };
}

/** `20221108__vt__general__precinct.csv` → 2022-11-08, `vt`, `general`. */
function fileNameParts(file: string): { date: string; state: string; type: string } | undefined {
  const [day, state, type] = basename(file)
    .replace(/\.csv$/i, '')
    .split('__');
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(day ?? '');
  if (!match || state === undefined || !/^[a-z]{2}$/i.test(state)) return undefined;
  return {
    date: `${match[1] ?? ''}-${match[2] ?? ''}-${match[3] ?? ''}`,
    state,
    type: type !== undefined && type !== '' ? type : 'general',
  };
}

/** A whole number of votes; OpenElections files sometimes write `3.0`. */
function parseVotes(text: string): number | undefined {
  return /^-?\d+(\.0+)?$/.test(text) ? Math.trunc(Number(text)) : undefined;
}

function template(hasBallotsCast: boolean, hasUnderVotes: boolean): ProtocolTemplate {
  const line = (id: LineId): Term => ({ line: id });
  return {
    lines: [
      { id: OE_LINES.registered, names: { en: 'Registered Voters' } },
      ...(hasBallotsCast ? [{ id: OE_LINES.ballotsCast, names: { en: 'Ballots Cast' } }] : []),
      { id: OE_LINES.invalid, names: { en: 'Invalid ballots (over votes and invalid ballots of the office)' } },
      ...(hasUnderVotes ? [{ id: OE_LINES.underVotes, names: { en: 'Under Votes' } }] : []),
    ],
    roles: {
      registered: [line(OE_LINES.registered)],
      participated: hasBallotsCast ? [line(OE_LINES.ballotsCast)] : [line(OE_LINES.invalid), { options: 'all' }],
      invalid: [line(OE_LINES.invalid)],
      valid: [{ options: 'all' }],
    },
    rules: {
      id: 'openelections-import',
      version: '1',
      source: 'Consistency of OpenElections precinct rows (warnings only)',
      relations: hasBallotsCast
        ? [
            {
              code: 'OE-1',
              severity: 'warning',
              left: [line(OE_LINES.ballotsCast)],
              op: 'ge',
              right: [line(OE_LINES.invalid), { options: 'all' }],
              message: { en: 'Ballots Cast ({left}) are fewer than the votes and invalid ballots of the office ({right}).' },
            },
            {
              code: 'OE-2',
              severity: 'warning',
              left: [line(OE_LINES.ballotsCast)],
              op: 'le',
              right: [line(OE_LINES.registered)],
              message: { en: 'Ballots Cast ({left}) exceed the Registered Voters ({right}).' },
            },
          ]
        : [],
    },
  };
}
