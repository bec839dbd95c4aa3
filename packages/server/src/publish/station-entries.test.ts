import { describe, expect, it } from 'vitest';
import { generateKz2022President } from '../demo-data/generate-kz.js';
import { CountedFigures } from './counted-figures.js';
import type { PublicationInput } from './publication-input.js';
import { publishedResultsOptions, stationChildren, stationGroupText } from './published-results.js';
import { publicationInputFromProtocols } from './reference-input.js';
import { StationEntries } from './station-entries.js';
import { syntheticPublicationInput } from './synthetic-input.js';
import { TINY_ELECTION, TINY_PROTOCOLS } from './tiny-election.js';

const now = new Date('2022-11-21T04:00:00Z');
const ledgerHead = { seq: 1, hash: 'ab'.repeat(32) };

/** Every station group's text from the template, and from the results objects as `tally.results` gives them. */
function bothWays(input: PublicationInput): { written: string[]; stringified: string[] } {
  const { index, tally } = input;
  const entries = new StationEntries(index, new CountedFigures(input), (contest) => input.status(contest as never));
  const options = publishedResultsOptions(input);
  const written: string[] = [];
  const stringified: string[] = [];
  index.election.divisions.forEach((_, at) => {
    const stations = stationChildren(index.isStation, index.childStart, index.childList, at);
    if (stations.length === 0) return;
    written.push(entries.text(stations) ?? '(not covered)');
    stringified.push(
      stationGroupText(stations.map((s) => JSON.stringify(tally.results(index.election.divisions[s]?.id ?? ('?' as never), options)))),
    );
  });
  return { written, stringified };
}

describe('StationEntries.text', () => {
  const kz = generateKz2022President();
  it.each([
    [
      'the 2022 reference election, every protocol counted',
      () => publicationInputFromProtocols(kz.election, kz.protocols, { now, ledgerHead }),
    ],
    [
      'the 2022 reference election, one protocol in three counted (stations not reported, status partial)',
      () =>
        publicationInputFromProtocols(
          kz.election,
          kz.protocols.filter((_, i) => i % 3 === 0),
          { now, ledgerHead },
        ),
    ],
    ['the tiny election (two contests)', () => publicationInputFromProtocols(TINY_ELECTION, TINY_PROTOCOLS, { now, ledgerHead })],
    [
      'a synthetic election of 5,000 stations',
      () => syntheticPublicationInput({ stations: 5000, regions: 4, districts: 20, options: 10 }, now),
    ],
  ])('writes what JSON.stringify of the results gives, for %s', (_, make) => {
    const { written, stringified } = bothWays(make());
    expect(written.length).toBeGreaterThan(0);
    expect(written).toEqual(stringified);
  });
});
