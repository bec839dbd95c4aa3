import { indexElection, integerPercentagesOf, leadingOption, Tally, type ElectionIndex, type Protocol } from '@canvass/core';
import { describe, expect, it } from 'vitest';
import { generateKz2022President } from '../demo-data/generate-kz.js';
import { ElectionState } from '../domain/election-state.js';
import type { AppliedEvent } from '../ledger/events.js';
import { ForensicsMemo, stationOrder } from './forensics-memo.js';

/** The reference election's 10,101 protocols applied to an election's state, as committed events would be. */
function stateWith(index: ElectionIndex, protocols: readonly Protocol[]): { state: ElectionState; apply: (p: Protocol) => void } {
  const state = new ElectionState(index);
  let seq = 0;
  const versions = new Map<string, number>();
  const apply = (protocol: Protocol) => {
    const version = (versions.get(protocol.station) ?? 0) + 1;
    versions.set(protocol.station, version);
    seq++;
    const event = {
      kind: 'protocol-entered',
      actor: 'test',
      election: index.election.id,
      subject: `${protocol.contest}/${protocol.station}`,
      idem: null,
      payload: { protocol, version, status: 'counted', findings: [], hash: `h${seq}` },
      seq,
      time: '2022-11-20T20:00:00Z',
      prevHash: '',
      hash: '',
    } as unknown as AppliedEvent;
    state.apply(event);
  };
  for (const protocol of protocols) apply(protocol);
  return { state, apply };
}

/** Division index → whether `station` lies under it, by walking up the parents (the definition). */
const under = (index: ElectionIndex, top: number, station: number) => {
  for (let at = station; at >= 0; at = index.parent[at] ?? -1) if (at === top) return true;
  return false;
};

describe('ForensicsMemo', () => {
  const data = generateKz2022President();
  const indexed = indexElection(data.election);
  if (!indexed.ok) throw new Error('reference election');
  const index = indexed.value;
  const contest = index.contests[0];
  if (!contest) throw new Error('no contest');

  it('orders the stations so that every division’s stations are one range', () => {
    const order = stationOrder(index);
    expect(order.stations.length).toBe(10_101);
    expect(new Set(order.stations).size).toBe(10_101);
    for (let at = 0; at < index.divisionCount; at++) {
      const inRange = new Set(order.stations.subarray(order.from[at], order.to[at]));
      const expected = [...order.stations].filter((s) => under(index, at, s));
      expect(inRange.size, index.election.divisions[at]?.id).toBe(expected.length);
      for (const s of expected) expect(inRange.has(s)).toBe(true);
    }
  });

  it('gives each division the test over its own stations’ protocols, and follows corrections', () => {
    const { state, apply } = stateWith(index, data.protocols);
    const memo = new ForensicsMemo(state);
    const tally = new Tally(index);
    for (const p of data.protocols) tally.add(p);
    const leaderAt = leadingOption(contest, tally.results(index.election.divisions[contest.root]!.id)!.contests[0]!.options);
    expect(leaderAt === undefined ? undefined : contest.layout.options[leaderAt]?.id).toBe('tokayev');
    const latest = new Map(data.protocols.map((p) => [p.station, p]));
    const check = () => {
      // The country, its 21 regions, cities of republican significance and stations abroad, one district and one
      // station.
      const divisions = index.election.divisions.flatMap((d, at) =>
        d.parent === undefined || d.parent === 'kz' || d.id === 'kz-35-01' || d.id === 'kz-35-01-0007' ? [at] : [],
      );
      expect(divisions.length).toBe(24);
      for (const at of divisions) {
        const mine = [...latest.values()].filter((p) => under(index, at, index.divisionIndex(p.station) ?? -1));
        const direct = integerPercentagesOf(contest, mine, leaderAt ?? -1);
        expect(memo.test(contest, at, leaderAt ?? -1), index.election.divisions[at]?.id).toEqual(direct);
      }
    };
    check();
    // Corrections to a hundred stations: their parts are recomputed, the others kept.
    for (const p of data.protocols.slice(0, 100)) {
      const votes: Readonly<Record<string, number>> = p.votes;
      const corrected = { ...p, votes: { ...votes, tokayev: (votes['tokayev'] ?? 0) + 1 }, reason: 'recount' } as Protocol;
      apply(corrected);
      latest.set(p.station, corrected);
    }
    check();
    // Containment by the same ranges.
    const almaty = index.divisionIndex('kz-75');
    const station = index.divisionIndex(data.protocols[0]!.station) ?? -1;
    expect(memo.containsStation(index.divisionIndex('kz')!, station)).toBe(true);
    expect(memo.containsStation(almaty!, station)).toBe(under(index, almaty!, station));
  });

  it('warms in slices that resume where the last stopped, and then tests as one pass would', () => {
    const { state } = stateWith(index, data.protocols);
    const memo = new ForensicsMemo(state);
    const root = index.divisionIndex('kz') ?? -1;
    const leaderAt = contest.layout.options.findIndex((o) => o.id === 'tokayev');
    // Time already up: each slice computes one station and stops, the next going on from there.
    let slices = 1;
    while (!memo.warm(contest, root, leaderAt, 0)) slices++;
    expect(slices).toBe(10_101 + 1);
    // With time to spare, one slice does it all.
    const fresh = new ForensicsMemo(state);
    expect(fresh.warm(contest, root, leaderAt, performance.now() + 60_000)).toBe(true);
    expect(fresh.test(contest, root, leaderAt)).toEqual(integerPercentagesOf(contest, data.protocols, leaderAt));
    // Warm: nothing left to compute, and the test is the core's over every protocol.
    expect(memo.warm(contest, root, leaderAt, 0)).toBe(true);
    expect(memo.test(contest, root, leaderAt)).toEqual(integerPercentagesOf(contest, data.protocols, leaderAt));
  });
});
