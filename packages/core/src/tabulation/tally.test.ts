import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixtureElection, protocol, STATIONS } from '../../test/fixtures.js';
import { indexElection, type ElectionIndex } from '../election/index-election.js';
import { readRow } from '../protocol/validate-protocol.js';
import { childrenOf } from '../election/index-election.js';
import { asDivisionId } from '../model/ids.js';
import type { Protocol } from '../model/protocol.js';
import { Tally, tabulate } from './tally.js';

const compile = (): ElectionIndex => {
  const index = indexElection(fixtureElection());
  if (!index.ok) throw new Error(JSON.stringify(index.error));
  return index.value;
};
const p = (station: string, a: number, b: number, c: number, against: number, invalid = 10) =>
  protocol(station, { a, b, c, 'against-all': against }, invalid) as unknown as Protocol;

describe('tabulate', () => {
  it('aggregates exactly into every division and decides the outcome at the contest’s division', () => {
    const index = compile();
    const { tally, rejected } = tabulate(index, [
      p('r1-d1-s1', 500, 200, 100, 50),
      p('r1-d2-s1', 300, 300, 100, 20, 5),
      p('r2-d1-s2', 100, 400, 50, 10, 0),
    ]);
    expect(rejected).toEqual([]);
    expect(tally.results(asDivisionId('c'))).toEqual({
      election: 'fixture-2026',
      division: 'c',
      contests: [
        {
          contest: 'president',
          status: 'unofficial-partial',
          stations: { reported: 3, total: 6 },
          registered: 3000,
          participated: 2145,
          invalid: 15,
          valid: 2130,
          turnoutPercent: '71.50',
          options: [
            { option: 'a', votes: 900, percent: '42.25' },
            { option: 'b', votes: 900, percent: '42.25' },
            { option: 'c', votes: 250, percent: '11.74' },
            { option: 'against-all', votes: 80, percent: '3.76' },
          ],
          // a and b both 42.25 %: nobody over 50 %, and they share the two runoff places.
          outcome: { kind: 'runoff', runoff: ['a', 'b'] },
          registeredTotal: 6000,
          registeredCoveredPercent: '50.00',
          percentBase: 2130,
          lines: { voters: 3000, received: 3000, issued: 2145, cancelled: 855, 'in-boxes': 2145, invalid: 15 },
        },
      ],
    });
    const region = tally.results(asDivisionId('r1'))?.contests[0];
    expect(region?.stations).toEqual({ reported: 2, total: 4 });
    expect(region?.outcome).toBeUndefined();
    expect(region?.options.map((o) => o.votes)).toEqual([800, 500, 200, 70]);
  });

  it('reports a station from its counted protocol, and an unreported one as empty', () => {
    const index = compile();
    const counted = p('r1-d1-s1', 500, 200, 100, 50);
    const { tally } = tabulate(index, [counted]);
    const station = tally.results(asDivisionId('r1-d1-s1'), { stationProtocol: () => counted })?.contests[0];
    expect(station?.stations).toEqual({ reported: 1, total: 1 });
    expect(station?.options.map((o) => o.votes)).toEqual([500, 200, 100, 50]);
    const missing = tally.results(asDivisionId('r1-d1-s2'))?.contests[0];
    expect(missing).toMatchObject({ stations: { reported: 0, total: 1 }, participated: 0, turnoutPercent: null, registeredTotal: 1000 });
    expect(missing?.options.every((o) => o.percent === null)).toBe(true);
  });

  it('is complete when every station is in, and refuses protocols that do not belong', () => {
    const index = compile();
    const { tally, rejected } = tabulate(index, [
      ...STATIONS.map((s) => p(s, 600, 100, 100, 50)),
      p('r1-d1-s1', 1, 1, 1, 1),
      { ...p('r1-d1', 1, 1, 1, 1) },
      { ...p('nowhere', 1, 1, 1, 1) },
      { ...p('r1-d1-s2', 1, 1, 1, 1), contest: 'senate' } as unknown as Protocol,
    ]);
    expect(rejected.map((r) => [r.position, r.error.kind])).toEqual([
      [6, 'already-counted'],
      [7, 'station-outside-contest'],
      [8, 'station-unknown'],
      [9, 'contest-unknown'],
    ]);
    expect(tally.results(asDivisionId('c'))?.contests[0]).toMatchObject({
      status: 'unofficial-complete',
      stations: { reported: 6, total: 6 },
      outcome: { kind: 'elected', elected: ['a'] },
    });
  });

  it('takes a protocol out again exactly (a correction is a remove and an add)', () => {
    const index = compile();
    const tally = new Tally(index);
    const before = JSON.stringify(tally.results(asDivisionId('c')));
    const first = p('r1-d1-s1', 500, 200, 100, 50);
    expect(tally.add(first).ok).toBe(true);
    expect(tally.remove(first).ok).toBe(true);
    expect(JSON.stringify(tally.results(asDivisionId('c')))).toBe(before);
    expect(tally.remove(first)).toEqual({ ok: false, error: { kind: 'not-counted', station: 'r1-d1-s1', contest: 'president' } });
  });
});

/** Random valid protocols for a subset of stations. */
const protocols = fc
  .subarray([...STATIONS], { minLength: 0 })
  .chain((stations) =>
    fc.tuple(
      ...stations.map((station) =>
        fc
          .record({ a: fc.nat(300), b: fc.nat(300), c: fc.nat(300), against: fc.nat(50), invalid: fc.nat(40) })
          .map(({ a, b, c, against, invalid }) => p(station, a, b, c, against, invalid)),
      ),
    ),
  );

describe('tally invariants', () => {
  it('each division equals the sum of its children, in every line and option', () => {
    const index = compile();
    fc.assert(
      fc.property(protocols, (list) => {
        const { tally } = tabulate(index, list);
        const byStation = new Map(list.map((x) => [x.station as string, x]));
        const options = { stationProtocol: (station: string) => byStation.get(station) };
        for (let d = 0; d < index.divisionCount; d++) {
          if (index.isStation[d]) continue;
          const id = asDivisionId(index.election.divisions[d]?.id ?? '');
          const parent = tally.results(id, options)?.contests[0];
          const children = childrenOf(index, d).map(
            (k) => tally.results(asDivisionId(index.election.divisions[k]?.id ?? ''), options)?.contests[0],
          );
          const sum = (pick: (r: NonNullable<(typeof children)[number]>) => number) =>
            children.reduce((acc, r) => acc + (r ? pick(r) : 0), 0);
          expect(parent?.participated).toBe(sum((r) => r.participated));
          expect(parent?.stations.reported).toBe(sum((r) => r.stations.reported));
          expect(parent?.registeredTotal).toBe(sum((r) => r.registeredTotal));
          for (const [i, option] of (parent?.options ?? []).entries()) expect(option.votes).toBe(sum((r) => r.options[i]?.votes ?? 0));
          for (const line of index.lines) expect(parent?.lines[line]).toBe(sum((r) => r.lines[line] ?? 0));
        }
      }),
    );
  });

  it('does not depend on the order in which protocols arrive', () => {
    const index = compile();
    fc.assert(
      fc.property(
        protocols.chain((list) =>
          fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length })),
        ),
        ([list, shuffled]) => {
          const a = tabulate(index, list).tally;
          const b = tabulate(index, shuffled).tally;
          for (const division of index.election.divisions) {
            if (index.isStation[index.divisionIndex(division.id) ?? 0]) continue;
            expect(b.results(division.id)).toEqual(a.results(division.id));
          }
        },
      ),
    );
  });

  it('counts rows by index exactly as it counts the same protocols (addRow)', () => {
    const index = compile();
    fc.assert(
      fc.property(protocols, (list) => {
        const byProtocol = tabulate(index, list).tally;
        const byRow = new Tally(index);
        for (const x of list) {
          const contest = index.contest(x.contest);
          const at = index.divisionIndex(x.station);
          if (!contest || at === undefined) throw new Error('fixture protocols belong to the election');
          expect(byRow.addRow(contest, at, readRow(contest, x)).ok).toBe(true);
        }
        for (const division of index.election.divisions)
          if (!index.isStation[index.divisionIndex(division.id) ?? 0])
            expect(byRow.results(division.id)).toEqual(byProtocol.results(division.id));
        const first = list[0];
        const contest = first && index.contest(first.contest);
        const at = first && index.divisionIndex(first.station);
        if (contest && at !== undefined)
          expect(byRow.addRow(contest, at, readRow(contest, first))).toEqual({
            ok: false,
            error: { kind: 'already-counted', station: first.station, contest: first.contest },
          });
      }),
    );
  });

  it('prints every percentage as the exact half-up rounding of its integers', () => {
    const index = compile();
    fc.assert(
      fc.property(protocols, (list) => {
        const result = tabulate(index, list).tally.results(asDivisionId('c'))?.contests[0];
        if (!result) return;
        for (const option of result.options) {
          if (result.percentBase === 0) {
            expect(option.percent).toBeNull();
            continue;
          }
          // 100·v/base to two decimals, half up, via integer arithmetic on hundredths of a percent.
          const scaled = Math.floor((20000 * option.votes + result.percentBase) / (2 * result.percentBase));
          expect(option.percent).toBe(`${Math.floor(scaled / 100)}.${String(scaled % 100).padStart(2, '0')}`);
        }
      }),
    );
  });
});
