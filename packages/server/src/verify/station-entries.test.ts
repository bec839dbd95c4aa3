import { Tally, percentHundredths, type ResultsStatus } from '@canvass/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentHundredths as walkerHundredths } from '../../workers/station-walk.cjs';
import { buildSnapshot } from '../publish/build-snapshot.js';
import { kz2022PublicationInput, publicationInputFromProtocols } from '../publish/reference-input.js';
import { stationChildren } from '../publish/published-results.js';
import type { PublicationInput } from '../publish/publication-input.js';
import { STATIONS_FILE, stationResultsPath } from '../publish/snapshot-layout.js';
import { TINY_ELECTION, TINY_PROTOCOLS } from '../publish/tiny-election.js';
import { StationRows, countStations, readStationsHere, stationsReadOptions } from './read-stations.js';
import { StationEntries } from '../publish/station-entries.js';

/** Every station-results file of the input's snapshot, and a checker built from its stations.csv as the verifier builds it. */
function setUp(input: PublicationInput) {
  const { index } = input;
  const snapshot = buildSnapshot(input);
  const csv = snapshot.files.get(STATIONS_FILE) ?? new Uint8Array();
  const reading = readStationsHere(csv, stationsReadOptions(index.election.id, index));
  const rows = new StationRows(index, reading);
  const problems: unknown[] = [];
  countStations(reading, csv, index, new Tally(index), rows, (p) => problems.push(p));
  expect(problems).toEqual([]);
  const status = snapshot.manifest.status;
  const entries = new StationEntries(
    index,
    rows,
    (contest, complete): ResultsStatus => status[contest] ?? (complete ? 'unofficial-complete' : 'unofficial-partial'),
  );
  const groups = index.election.divisions.flatMap((division, at) => {
    const stations = stationChildren(index.isStation, index.childStart, index.childList, at);
    const bytes = snapshot.files.get(stationResultsPath(division.id));
    return stations.length > 0 && bytes ? [{ stations, bytes }] : [];
  });
  return { entries, groups };
}

describe('StationEntries', () => {
  it('matches every station-results file the publisher writes (KZ 2022)', () => {
    const { entries, groups } = setUp(kz2022PublicationInput());
    expect(groups.length).toBe(167);
    for (const { stations, bytes } of groups) expect(entries.matches(bytes, stations)).toBe(true);
  });

  it('matches stations without a protocol and stations voting in two contests (tiny election, part counted)', () => {
    const input = publicationInputFromProtocols(TINY_ELECTION, TINY_PROTOCOLS.slice(0, 3), {
      now: new Date('2030-03-03T15:00:00Z'),
      ledgerHead: { seq: 3, hash: 'ab'.repeat(32) },
    });
    const { entries, groups } = setUp(input);
    expect(groups.length).toBeGreaterThan(1);
    for (const { stations, bytes } of groups) expect(entries.matches(bytes, stations)).toBe(true);
  });

  it('does not match a file with any one byte changed, added or removed', () => {
    const { entries, groups } = setUp(kz2022PublicationInput());
    const { stations, bytes } = groups[0] ?? { stations: [], bytes: new Uint8Array() };
    for (let at = 0; at < Math.min(bytes.length, 3000); at += 7) {
      const changed = bytes.slice();
      changed[at] = (changed[at] ?? 0) === 0x30 ? 0x31 : 0x30;
      expect(entries.matches(changed, stations)).toBe(false);
    }
    expect(entries.matches(bytes.subarray(0, bytes.length - 1), stations)).toBe(false);
    expect(entries.matches(new Uint8Array([...bytes, 10]), stations)).toBe(false);
    expect(entries.matches(bytes, stations.slice(1))).toBe(false);
  });

  it('computes percentages in the walker exactly as the core does (its copy of percentHundredths)', () => {
    const limit = Math.floor(Number.MAX_SAFE_INTEGER / 20003);
    const count = fc.oneof(
      fc.nat(100_000_000),
      fc.maxSafeNat(),
      fc.integer({ min: limit - 1000, max: limit + 1000 }),
      fc.integer({ min: -1000, max: 1000 }),
      fc.double({ min: -10, max: 1e9, noNaN: true }),
    );
    fc.assert(
      fc.property(count, count, (part, whole) => {
        expect(walkerHundredths(part, whole)).toBe(percentHundredths(part, whole));
      }),
      { numRuns: 20_000 },
    );
    for (const [part, whole] of [
      [16261, 20000],
      [1, 8],
      [1, 0],
      [0, 0],
      [-1, 3],
      [limit, limit],
      [limit + 1, 3],
      [0.5, 3],
      [Number.NaN, 3],
      [3, Number.POSITIVE_INFINITY],
    ] as const)
      expect(walkerHundredths(part, whole)).toBe(percentHundredths(part, whole));
  });
});
