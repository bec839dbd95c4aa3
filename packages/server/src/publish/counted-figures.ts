import { readRow, type ContestIndex } from '@canvass/core';
import { protocolKey } from '../tally/count-records.js';
import type { PublicationInput } from './publication-input.js';
import type { StationFigures } from './station-entries.js';

/** A publication input's counted protocols as station figures: what `tally.results` reads for a station. */
export class CountedFigures implements StationFigures {
  readonly #input: PublicationInput;

  constructor(input: PublicationInput) {
    this.#input = input;
  }

  figuresAt(contest: ContestIndex, at: number, out: Float64Array, offset = 0): boolean {
    const station = this.#input.index.election.divisions[at]?.id;
    const counted = station === undefined ? undefined : this.#input.counted.get(protocolKey(contest.contest.id, station));
    if (!counted) return false;
    if (offset === 0 && out.length === contest.layout.width) readRow(contest, counted.protocol, out);
    else out.set(readRow(contest, counted.protocol, new Float64Array(contest.layout.width)), offset);
    return true;
  }
}
