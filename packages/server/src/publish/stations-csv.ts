/**
 * `stations.csv`: every counted protocol of every contest, one row each, with the version that counts, whether the
 * higher commission accepted it, and its protocol hash. It is the evidence a verifier recomputes every published
 * result from (with `election.json`), so it holds every line and every vote exactly as counted.
 *
 * Columns (docs/publication.md):
 * `election,contest,station,version,accepted,hash,reason`, then one column per protocol line of the election's
 * template (the line id as header), then one `votes:<option>` column per option of every contest (in ballot order,
 * contests in definition order; an option id shared by two contests is one column). A cell is empty when the
 * protocol has no such entry (another contest's option, or a reason that was not given), so the protocol, and with
 * it its hash, can be rebuilt from the row exactly.
 */
import type { ContestIndex, Election, LineId, OptionId } from '@canvass/core';
import { protocolKey } from '../tally/count-records.js';
import { csvField } from './csv-field.js';
import type { CountedProtocol, PublicationInput } from './publication-input.js';

export const STATIONS_FIXED_COLUMNS = ['election', 'contest', 'station', 'version', 'accepted', 'hash', 'reason'] as const;
export const VOTES_PREFIX = 'votes:';

export interface StationsCsvColumns {
  readonly lines: readonly LineId[];
  readonly options: readonly OptionId[];
  readonly header: readonly string[];
}

export function stationsCsvColumns(election: Election): StationsCsvColumns {
  const lines = election.protocol.lines.map((line) => line.id);
  const options: OptionId[] = [];
  const seen = new Set<string>();
  for (const contest of election.contests)
    for (const option of contest.options) {
      if (seen.has(option.id)) continue;
      seen.add(option.id);
      options.push(option.id);
    }
  return { lines, options, header: [...STATIONS_FIXED_COLUMNS, ...lines, ...options.map((o) => `${VOTES_PREFIX}${o}`)] };
}

/** One row (without the line break). Throws if the protocol has an entry no column can hold: it was not validated. */
export function stationsCsvRow(columns: StationsCsvColumns, counted: CountedProtocol): string {
  const { protocol } = counted;
  let out = `${csvField(protocol.election)},${csvField(protocol.contest)},${csvField(protocol.station)},${counted.version},${counted.accepted},${counted.hash},${
    protocol.reason === undefined ? '' : csvField(protocol.reason)
  }`;
  const lines: Readonly<Record<string, number>> = protocol.lines;
  const votes: Readonly<Record<string, number>> = protocol.votes;
  let used = 0;
  for (const line of columns.lines) {
    const value = lines[line];
    if (value !== undefined) used++;
    out += `,${value === undefined ? '' : String(value)}`;
  }
  for (const option of columns.options) {
    const value = votes[option];
    if (value !== undefined) used++;
    out += `,${value === undefined ? '' : String(value)}`;
  }
  if (used !== Object.keys(lines).length + Object.keys(votes).length)
    throw new Error(
      `the counted protocol of station "${protocol.station}" (contest "${protocol.contest}") has a line or option that is not in the election; counted protocols must be validated`,
    );
  return out;
}

const CHUNK = 1 << 20;

/**
 * The rows of `stations.csv` in chunks of about a megabyte: contests in definition order, stations in definition
 * order, only stations with a counted protocol. `stats.rows` counts the rows written.
 */
export function* stationsCsvChunks(input: PublicationInput, stats?: { rows: number }): Generator<string, void, undefined> {
  const { index } = input;
  const columns = stationsCsvColumns(index.election);
  let chunk = `${columns.header.map(csvField).join(',')}\n`;
  for (const contest of index.contests) {
    for (const at of stationsOf(contest)) {
      const division = index.election.divisions[at];
      if (!division) continue;
      const counted = input.counted.get(protocolKey(contest.contest.id, division.id));
      if (!counted) continue;
      chunk += `${stationsCsvRow(columns, counted)}\n`;
      if (stats) stats.rows++;
      if (chunk.length >= CHUNK) {
        yield chunk;
        chunk = '';
      }
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** Division indices of the stations that vote in `contest`, in definition order. */
export function* stationsOf(contest: ContestIndex): Generator<number, void, undefined> {
  const votesHere = contest.votesHere;
  for (let at = 0; at < votesHere.length; at++) if (votesHere[at]) yield at;
}
