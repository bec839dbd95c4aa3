import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { asDivisionId, indexElection, percent, Tally, validateProtocol, type ElectionIndex } from '@canvass/core';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { generateKz2022President, generateKz2023Mazhilis } from './generate-kz.js';
import { KZ_2022_OFFICIAL, KZ_2022_TURNOUT_SCHEDULE, KZ_REGIONS } from './kz-reference.js';

const DATA = new URL('../../data/kz/', import.meta.url);
const csv = (name: string) => parse<Record<string, string>>(readFileSync(new URL(name, DATA), 'utf8'), { columns: true });

const kz2022 = generateKz2022President();
const index2022 = (() => {
  const result = indexElection(kz2022.election);
  if (!result.ok) throw new Error(JSON.stringify(result.error.slice(0, 3)));
  return result.value;
})();
const tally2022 = (() => {
  const tally = new Tally(index2022);
  for (const protocol of kz2022.protocols) {
    const added = tally.add(protocol);
    if (!added.ok) throw new Error(added.error.kind);
  }
  return tally;
})();
const contestOf = (tally: Tally, division: string) => tally.results(asDivisionId(division))?.contests[0];

describe('KZ 2022 presidential reference data (synthetic stations, official totals)', () => {
  it('reproduces the CEC’s final result exactly', () => {
    const result = contestOf(tally2022, 'kz');
    expect({
      status: result?.status,
      stations: result?.stations,
      registered: result?.registered,
      participated: result?.participated,
      invalid: result?.invalid,
      valid: result?.valid,
      turnoutPercent: result?.turnoutPercent,
      options: result?.options,
      outcome: result?.outcome,
    }).toEqual({
      status: 'unofficial-complete',
      stations: { reported: 10_101, total: 10_101 },
      registered: 11_953_465,
      participated: 8_300_046,
      invalid: 359_568,
      valid: 7_940_478,
      turnoutPercent: '69.44',
      options: [
        { option: 'tokayev', votes: 6_456_393, percent: '81.31' },
        { option: 'dairabayev', votes: 271_641, percent: '3.42' },
        { option: 'abden', votes: 206_206, percent: '2.60' },
        { option: 'kazhyken', votes: 200_907, percent: '2.53' },
        { option: 'auesbayev', votes: 176_116, percent: '2.22' },
        { option: 'tursynbekova', votes: 168_731, percent: '2.12' },
        { option: 'against-all', votes: 460_484, percent: '5.80' },
      ],
      outcome: { kind: 'elected', elected: ['tokayev'] },
    });
  });

  it('has the published geography: 20 regions and abroad, 642 stations in Karaganda, 68 abroad with their voters', () => {
    const regions = index2022.election.divisions.filter((d) => d.parent === 'kz');
    expect(regions.map((d) => d.externalIds?.['iso3166-2'] ?? d.id)).toEqual([...KZ_REGIONS.map((r) => r.iso), 'kz-abroad']);
    expect(contestOf(tally2022, 'kz-35')?.stations.total).toBe(642);
    expect(contestOf(tally2022, 'kz-abroad')).toMatchObject({ stations: { total: 68 }, registered: 12_841, participated: 11_360 });
    expect(index2022.election.synthetic?.['en']).toMatch(/^Synthetic station-level data/);
  });

  it('follows the published regional turnout at 22:00 and at every intraday cut-off', () => {
    const published = new Map(csv('kz2022_regions.csv').map((row) => [row['region_id'], row]));
    const columns = [
      'turnout_pct_1005',
      'turnout_pct_1205',
      'turnout_pct_1405',
      'turnout_pct_1600',
      'turnout_pct_1805',
      'turnout_pct_2200_prelim',
    ];
    const turnout = new Map<string, number[]>();
    for (const report of kz2022.turnout) {
      const region = report.station.split('-').slice(0, 2).join('-');
      const slot = KZ_2022_TURNOUT_SCHEDULE.indexOf(report.at as (typeof KZ_2022_TURNOUT_SCHEDULE)[number]);
      const sums = turnout.get(region) ?? new Array<number>(6).fill(0);
      sums[slot] = (sums[slot] ?? 0) + report.participated;
      turnout.set(region, sums);
    }
    for (const region of KZ_REGIONS) {
      const row = published.get(region.key);
      const result = contestOf(tally2022, region.iso.toLowerCase());
      expect(result?.turnoutPercent, region.iso).toBe(row?.['turnout_pct_2200_prelim']);
      const sums = turnout.get(region.iso.toLowerCase()) ?? [];
      expect(
        sums.map((s) => percent(s, result?.registered ?? 0)),
        region.iso,
      ).toEqual(columns.map((c) => row?.[c]));
    }
  });

  it('passes every control relation at every station, and stations differ plausibly', () => {
    let findings = 0;
    for (const protocol of kz2022.protocols) findings += validateProtocol(index2022, protocol).length;
    expect(findings).toBe(0);
    // No copies: two small stations may by chance count alike (as in real data), but such coincidences are rare,
    // and stations with 300 ballots or more never repeat each other.
    const distinct = new Set(kz2022.protocols.map((p) => JSON.stringify(p.votes))).size;
    expect(kz2022.protocols.length - distinct).toBeLessThanOrEqual(5);
    const line = (p: (typeof kz2022.protocols)[number], id: string) => (p.lines as Record<string, number>)[id] ?? 0;
    const sizable = kz2022.protocols.filter((p) => line(p, 'ballots-issued') >= 300);
    expect(new Set(sizable.map((p) => JSON.stringify(p.votes))).size).toBe(sizable.length);
    expect(sizable.length).toBeGreaterThan(7_000);
    const shares = kz2022.protocols
      .filter((p) => line(p, 'voters') >= 200)
      .map((p) => ((p.votes as Record<string, number>)['tokayev'] ?? 0) / (line(p, 'ballots-issued') - line(p, 'invalid')));
    shares.sort((a, b) => a - b);
    // The winner's share varies from station to station around 81 %: no uniform copies, no absurd outliers.
    expect(shares[Math.floor(shares.length * 0.1)]).toBeGreaterThan(0.65);
    expect(shares[Math.floor(shares.length * 0.9)]).toBeLessThan(0.95);
    expect((shares[Math.floor(shares.length * 0.9)] ?? 0) - (shares[Math.floor(shares.length * 0.1)] ?? 0)).toBeGreaterThan(0.08);
  });

  it('is deterministic for a seed and different for another, with the same totals', () => {
    const digest = (g: ReturnType<typeof generateKz2022President>) => createHash('sha256').update(JSON.stringify(g)).digest('hex');
    expect(digest(generateKz2022President(2022))).toBe(digest(kz2022));
    const other = generateKz2022President(7);
    expect(digest(other)).not.toBe(digest(kz2022));
    const otherIndex = indexElection(other.election);
    if (!otherIndex.ok) throw new Error('invalid');
    const tally = new Tally(otherIndex.value);
    for (const p of other.protocols) expect(tally.add(p).ok).toBe(true);
    expect(contestOf(tally, 'kz')?.options).toEqual(contestOf(tally2022, 'kz')?.options);
  });

  it('mirrors the copied CSV files it is built from', () => {
    const names = new Map(csv('regions.csv').map((row) => [row['iso'], row]));
    for (const region of KZ_REGIONS) {
      expect(names.get(region.iso)?.['name_kk'], region.iso).toBe(region.names.kk);
      expect(names.get(region.iso)?.['name_ru'], region.iso).toBe(region.names.ru);
    }
    const totals = csv('kz2022_regions.csv').find((row) => row['region_id'] === 'kz_total');
    expect(Number(totals?.['registered_voters'])).toBe(KZ_2022_OFFICIAL.registered);
    expect(Number(totals?.['polling_stations'])).toBe(KZ_2022_OFFICIAL.stations);
  });
});

describe('KZ 2023 Mazhilis party-list reference data', () => {
  const data = generateKz2023Mazhilis();
  const index: ElectionIndex = (() => {
    const result = indexElection(data.election);
    if (!result.ok) throw new Error('invalid');
    return result.value;
  })();

  it('reproduces the official list votes and the 69 seats: 40/8/6/6/5/4/0', () => {
    const tally = new Tally(index);
    for (const p of data.protocols) tally.add(p);
    const result = contestOf(tally, 'kz');
    expect(result?.options.map((o) => [o.option, o.votes])).toEqual([
      ['amanat', 3_431_510],
      ['auyl', 693_938],
      ['respublica', 547_154],
      ['ak-zhol', 535_139],
      ['peoples-party', 432_920],
      ['osdp', 331_058],
      ['baytaq', 146_431],
      ['against-all', 248_291],
    ]);
    expect(result?.valid).toBe(6_366_441);
    expect(result?.turnoutPercent).toBe('54.19');
    expect(result?.outcome).toEqual({
      kind: 'seats',
      seats: { amanat: 40, auyl: 8, respublica: 6, 'ak-zhol': 6, 'peoples-party': 5, osdp: 4, baytaq: 0 },
      qualified: ['amanat', 'auyl', 'respublica', 'ak-zhol', 'peoples-party', 'osdp'],
    });
  });
});
