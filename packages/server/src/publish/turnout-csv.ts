/**
 * `turnout.csv`: the latest turnout report of each station at each scheduled cut-off, as published during election
 * day. Columns: `election,station,at,participated,registered` — `at` is the local `HH:MM` of the election's
 * schedule, `registered` the election-day list size when the report gave one (else empty). Rows are ordered by
 * cut-off (schedule order), then by station (definition order), so the same reports always give the same bytes.
 */
import type { TurnoutReport } from '@canvass/core';
import { csvField } from './csv-field.js';
import type { PublicationInput } from './publication-input.js';

export const TURNOUT_COLUMNS = ['election', 'station', 'at', 'participated', 'registered'] as const;

const CHUNK = 1 << 20;

export function* turnoutCsvChunks(input: PublicationInput): Generator<string, void, undefined> {
  const { index } = input;
  const schedule = new Map(index.election.turnoutSchedule.map((at, i) => [at, i]));
  const position = (report: TurnoutReport) => index.divisionIndex(report.station) ?? Number.MAX_SAFE_INTEGER;
  const sorted = [...input.turnout].sort(
    (a, b) =>
      (schedule.get(a.at) ?? schedule.size) - (schedule.get(b.at) ?? schedule.size) ||
      (a.at < b.at ? -1 : a.at > b.at ? 1 : 0) ||
      position(a) - position(b),
  );
  let chunk = `${TURNOUT_COLUMNS.join(',')}\n`;
  for (const report of sorted) {
    chunk += `${csvField(report.election)},${csvField(report.station)},${csvField(report.at)},${report.participated},${
      report.registered === undefined ? '' : String(report.registered)
    }\n`;
    if (chunk.length >= CHUNK) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}
