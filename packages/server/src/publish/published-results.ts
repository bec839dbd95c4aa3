import type { DivisionResults, ResultsOptions } from '@canvass/core';
import { protocolKey } from '../tally/count-records.js';
import type { PublicationInput } from './publication-input.js';

/**
 * The options every published result is computed with: the status the input gives each contest, and the counted
 * protocol of each station for station-level results.
 */
export function publishedResultsOptions(input: PublicationInput): ResultsOptions {
  return {
    status: (contest) => input.status(contest),
    stationProtocol: (station, contest) => input.counted.get(protocolKey(contest, station))?.protocol,
  };
}

/** `results/<division>.json`: the tally's `DivisionResults` exactly as `canvass tally --format json` prints it. */
export const divisionResultsText = (results: DivisionResults): string => `${JSON.stringify(results)}\n`;

/** `station-results/<parent>.json`: a JSON array, one station's `DivisionResults` per line. */
export const stationGroupText = (items: readonly string[]): string => `[\n${items.join(',\n')}\n]\n`;

/** Division indices of the polling stations directly under division `at`, in definition order. */
export function stationChildren(isStation: Uint8Array, childStart: Int32Array, childList: Int32Array, at: number): number[] {
  const out: number[] = [];
  for (let k = childStart[at] ?? 0; k < (childStart[at + 1] ?? 0); k++) {
    const child = childList[k] ?? -1;
    if (child >= 0 && isStation[child]) out.push(child);
  }
  return out;
}
