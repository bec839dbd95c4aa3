/**
 * Canvass CSV: one row per counted station protocol per contest, with where the station is, which version of the
 * protocol counts, its hash and whether it was accepted (docs/formats/canvass-csv.md).
 *
 * Two shapes share one column convention with the protocol files that `canvass tally` reads
 * (`files/protocol-file.ts`: `election,contest,station[,reason]`, one column per protocol line, one `votes:<option>`
 * column per option):
 * - `exportCsv`: the published export, with the extra columns `region`, `district`, `version`, `hash` and `status`
 *   and every contest in one file. The protocol reader rejects those extra columns (it reads every other column as
 *   a count), so this file is for people and audits, not for re-counting as it is.
 * - `exportProtocolCsv`: one contest, exactly the reader's columns; `canvass tally --protocols` reads it as it is.
 *   It equals `exportCsv`'s rows of that contest without the five extra columns.
 */
import { ancestry, type ContestId, type ContestIndex, type Division, type ElectionIndex, type OptionId } from '@canvass/core';
import type { CountedProtocol, PublicationInput } from '../../publish/publication-input.js';
import { protocolKey } from '../../tally/count-records.js';
import { csvText } from './csv-text.js';

/** The columns `exportCsv` adds to the protocol-file columns, in order after `contest`. */
export const CSV_EXTRA_COLUMNS = ['region', 'district', 'version', 'hash', 'status'] as const;

export function exportCsv(input: PublicationInput): string {
  return protocolRows(input, input.index.contests, true);
}

/** One contest's counted protocols in exactly the columns `canvass tally` reads. Throws for an unknown contest. */
export function exportProtocolCsv(input: PublicationInput, contest: ContestId): string {
  const index = input.index.contest(contest);
  if (!index) throw new Error(`contest "${contest}" is not part of election "${input.index.election.id}"`);
  return protocolRows(input, [index], false);
}

function protocolRows(input: PublicationInput, contests: readonly ContestIndex[], extra: boolean): string {
  const { index } = input;
  const lines = index.lines;
  const options: OptionId[] = [];
  for (const contest of contests) for (const option of contest.contest.options) if (!options.includes(option.id)) options.push(option.id);
  const header = [
    'election',
    'contest',
    ...(extra ? CSV_EXTRA_COLUMNS.slice(0, 2) : []),
    'station',
    ...(extra ? CSV_EXTRA_COLUMNS.slice(2) : []),
    'reason',
    ...lines,
    ...options.map((o) => `votes:${o}`),
  ];
  const rows: (string | number)[][] = [header];
  for (const contest of contests) {
    index.election.divisions.forEach((division, at) => {
      if (!contest.votesHere[at]) return;
      const counted = input.counted.get(protocolKey(contest.contest.id, division.id));
      if (!counted) return;
      rows.push(row(index, at, division, counted, lines, options, contest, extra));
    });
  }
  return csvText(rows);
}

function row(
  index: ElectionIndex,
  at: number,
  division: Division,
  counted: CountedProtocol,
  lines: readonly string[],
  options: readonly OptionId[],
  contest: ContestIndex,
  extra: boolean,
): (string | number)[] {
  const { protocol } = counted;
  const path = ancestry(index, at);
  // region: the first level below the top division; district: the second; neither is the station itself.
  const region = path.length > 2 ? (path[1] ?? '') : '';
  const district = path.length > 3 ? (path[2] ?? '') : '';
  const lineValues: Readonly<Record<string, number>> = protocol.lines;
  const votes: Readonly<Record<string, number>> = protocol.votes;
  return [
    protocol.election,
    protocol.contest,
    ...(extra ? [region, district] : []),
    division.id,
    ...(extra ? [counted.version, counted.hash, counted.accepted ? 'accepted' : 'entered'] : []),
    protocol.reason ?? '',
    ...lines.map((line) => lineValues[line] ?? 0),
    ...options.map((option) => (contest.optionIndex.has(option) ? (votes[option] ?? 0) : '')),
  ];
}
