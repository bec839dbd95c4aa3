/**
 * Export of the counted station protocols as an OpenElections precinct CSV (docs/formats/openelections.md):
 * - `county`: the first-level division above the station (a region, a city of republican significance, "abroad");
 *   `precinct`: the station's name (with its id in brackets when two stations of one county share a name);
 * - `office`: the contest's name; `district`: the name of the contest's division unless it is the whole election;
 * - one row per option: `candidate` is the option's name (against-all is "Against all"), `party` its affiliation,
 *   or for a party list the list's own name;
 * - per station, the OpenElections pseudo-offices `Registered Voters` and `Ballots Cast` (voters who took part),
 *   taken from the station's first counted contest; per station and office, the pseudo-candidate
 *   `Invalid Ballots`.
 * Names are in English unless another language is asked for (falling back to English, then to any name).
 */
import { ancestry, evaluate, localize, readRow, type ContestIndex } from '@canvass/core';
import type { PublicationInput } from '../../publish/publication-input.js';
import { protocolKey } from '../../tally/count-records.js';
import { csvText } from '../csv/csv-text.js';
import { OE_AGAINST_ALL, OE_BALLOTS_CAST, OE_COLUMNS, OE_INVALID, OE_REGISTERED } from './open-elections.js';

export interface OpenElectionsExportOptions {
  /** Language of the names (BCP 47), default `en`. */
  readonly language?: string | undefined;
}

export function exportOpenElections(input: PublicationInput, options: OpenElectionsExportOptions = {}): string {
  const { index } = input;
  const language = options.language ?? 'en';
  const divisions = index.election.divisions;
  const name = (at: number) => {
    const division = divisions[at];
    return division ? localize(division.names, language) : '';
  };
  const rootAt = index.parent.findIndex((p) => p < 0);
  const countyOf = (at: number) => {
    const path = ancestry(index, at);
    const county = path.length > 2 ? path[1] : path[0];
    return county !== undefined ? name(index.divisionIndex(county) ?? -1) : '';
  };

  // Precinct names must identify the station within its county.
  const stations: number[] = [];
  for (let at = 0; at < divisions.length; at++) if (index.isStation[at]) stations.push(at);
  const seen = new Map<string, number>();
  for (const at of stations) {
    const key = `${countyOf(at)}\u0000${name(at)}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const precinctOf = (at: number) => {
    const plain = name(at);
    return (seen.get(`${countyOf(at)}\u0000${plain}`) ?? 0) > 1 ? `${plain} (${divisions[at]?.id ?? ''})` : plain;
  };

  const rows: (string | number)[][] = [[...OE_COLUMNS]];
  for (const at of stations) {
    const station = divisions[at];
    if (!station) continue;
    const counted = index.contests
      .filter((contest) => contest.votesHere[at])
      .map((contest) => ({ contest, protocol: input.counted.get(protocolKey(contest.contest.id, station.id))?.protocol }))
      .filter((c): c is { contest: ContestIndex; protocol: NonNullable<typeof c.protocol> } => c.protocol !== undefined);
    const first = counted[0];
    if (!first) continue;
    const county = countyOf(at);
    const precinct = precinctOf(at);
    const firstRow = readRow(first.contest, first.protocol);
    rows.push([county, precinct, OE_REGISTERED, '', '', '', evaluate(first.contest.roles.registered, firstRow)]);
    rows.push([county, precinct, OE_BALLOTS_CAST, '', '', '', evaluate(first.contest.roles.participated, firstRow)]);
    for (const { contest, protocol } of counted) {
      const office = localize(contest.contest.names, language);
      const district = contest.root === rootAt ? '' : name(contest.root);
      const votes: Readonly<Record<string, number>> = protocol.votes;
      for (const option of contest.contest.options) {
        const party = option.kind === 'list' ? localize(option.names, language) : option.party ? localize(option.party, language) : '';
        const candidate = option.kind === 'against-all' ? OE_AGAINST_ALL : localize(option.names, language);
        rows.push([county, precinct, office, district, party, candidate, votes[option.id] ?? 0]);
      }
      rows.push([county, precinct, office, district, '', OE_INVALID, evaluate(contest.roles.invalid, readRow(contest, protocol))]);
    }
  }
  return csvText(rows);
}
