import { asDivisionId, indexElection, localize, type Election, type Protocol } from '@canvass/core';
import { describe, expect, it } from 'vitest';
import { generateKz2022President } from '../../demo-data/generate-kz.js';
import { countRecords } from '../../tally/count-records.js';
import { publicationFromCount } from '../../publish/reference-input.js';
import { SAMPLE_ELECTION, SAMPLE_PROTOCOLS } from '../csv/sample-election.js';
import { exportOpenElections } from './export-open-elections.js';
import { importOpenElections } from './import-open-elections.js';

function publication(election: Election, protocols: readonly Protocol[]) {
  const indexed = indexElection(election);
  if (!indexed.ok) throw new Error(JSON.stringify(indexed.error));
  const count = countRecords(
    'protocols.jsonl',
    indexed.value,
    protocols.map((value, i) => ({ line: i + 1, value })),
  );
  expect(count.notCounted).toEqual([]);
  return publicationFromCount(indexed.value, count, { now: new Date('2024-01-01T00:00:00Z') });
}

describe('exportOpenElections', () => {
  it('writes one row per station, office and option, with the pseudo-offices and invalid ballots', () => {
    const rows = (county: string, station: string, [registered, cast]: [number, number], president: number[], assembly: number[]) =>
      [
        `${county},${station},Registered Voters,,,,${registered}`,
        `${county},${station},Ballots Cast,,,,${cast}`,
        `${county},${station},President,,Unity Party,Ana Arman,${president[0]}`,
        `${county},${station},President,,Green League,Boris Bek,${president[1]}`,
        `${county},${station},President,,,Against all,${president[2]}`,
        `${county},${station},President,,,Invalid Ballots,${president[3]}`,
        `${county},${station},National Assembly,,Unity Party,Unity Party,${assembly[0]}`,
        `${county},${station},National Assembly,,Green League,Green League,${assembly[1]}`,
        `${county},${station},National Assembly,,,Against all,${assembly[2]}`,
        `${county},${station},National Assembly,,,Invalid Ballots,${assembly[3]}`,
      ].join('\n');
    expect(exportOpenElections(publication(SAMPLE_ELECTION, SAMPLE_PROTOCOLS))).toBe(
      [
        'county,precinct,office,district,party,candidate,votes',
        rows('North Province', 'Polling station 101', [1000, 700], [400, 230, 50, 20], [390, 260, 25, 25]),
        rows('North Province', 'Polling station 102', [800, 500], [200, 250, 40, 10], [250, 220, 18, 12]),
        rows('South Province', 'Polling station 201', [1200, 900], [300, 500, 70, 30], [480, 370, 22, 28]),
        '',
      ].join('\n'),
    );
  });

  it('names contests held in a part of the country as districts, tells same-named stations apart, and quotes', () => {
    const election: Election = {
      ...SAMPLE_ELECTION,
      divisions: SAMPLE_ELECTION.divisions.map((d) =>
        d.id === 'st-102' ? { ...d, names: { en: 'Polling station 101' } } : d.id === 'xa-n' ? { ...d, names: { en: 'North, Upper' } } : d,
      ),
      contests: SAMPLE_ELECTION.contests.map((c) => (c.id === 'president' ? { ...c, division: asDivisionId('xa-n') } : c)),
    };
    const text = exportOpenElections(
      publication(
        election,
        SAMPLE_PROTOCOLS.filter((p) => p.contest === 'president' && p.station !== 'st-201'),
      ),
    );
    expect(text.split('\n').filter((line) => line.includes('Ana Arman'))).toEqual([
      '"North, Upper",Polling station 101 (st-101),President,"North, Upper",Unity Party,Ana Arman,400',
      '"North, Upper",Polling station 101 (st-102),President,"North, Upper",Unity Party,Ana Arman,200',
    ]);
  });

  it('round-trips the 2022 presidential election through OpenElections rows: the same result in every region', () => {
    const kz = generateKz2022President();
    const input = publication(kz.election, kz.protocols);
    const text = exportOpenElections(input);
    expect(text.split('\n')).toHaveLength(1 + 10_101 * (2 + 7 + 1) + 1);
    const { election, protocols, problems } = importOpenElections(text, 'kz-2022.csv', { date: '2022-11-20' });
    expect(problems).toEqual([]);
    expect(protocols).toHaveLength(10_101);
    const indexed = indexElection(election);
    if (!indexed.ok) throw new Error(JSON.stringify(indexed.error));
    const back = countRecords(
      'kz-2022.csv',
      indexed.value,
      protocols.map((value, i) => ({ line: i + 1, value })),
    );
    const names = (option: string, ballot: Election) =>
      localize(ballot.contests[0]?.options.find((o) => o.id === option)?.names ?? {}, 'en');
    // Counties are the regions (by English name); the root is the country.
    const counties = new Map(election.divisions.filter((d) => d.kind === 'county').map((d) => [localize(d.names, 'en'), d.id]));
    const regions = kz.election.divisions.filter((d) => d.parent === 'kz');
    expect(counties.size).toBe(regions.length);
    const pairs = [['kz', 'state'], ...regions.map((r) => [r.id, counties.get(localize(r.names, 'en')) ?? ''])];
    for (const [original, imported] of pairs) {
      const before = input.tally.results(asDivisionId(original ?? ''))?.contests[0];
      const after = back.tally.results(asDivisionId(imported ?? ''))?.contests[0];
      const view = (c: typeof before, ballot: Election) =>
        c && {
          stations: c.stations,
          registered: c.registered,
          participated: c.participated,
          invalid: c.invalid,
          valid: c.valid,
          turnoutPercent: c.turnoutPercent,
          options: c.options.map((o) => [names(o.option, ballot), o.votes, o.percent]),
          elected: c.outcome?.kind === 'elected' ? c.outcome.elected.map((id) => names(id, ballot)) : c.outcome?.kind,
        };
      expect(view(after, election)).toEqual(view(before, kz.election));
    }
    expect(election.contests[0]?.options.map((o) => [o.id, o.kind])).toEqual([
      ['kassym-jomart-tokayev', 'candidate'],
      ['zhiguli-dairabayev', 'candidate'],
      ['karakat-abden', 'candidate'],
      ['meiram-kazhyken', 'candidate'],
      ['nurlan-auesbayev', 'candidate'],
      ['saltanat-tursynbekova', 'candidate'],
      ['against-all', 'against-all'],
    ]);
  });
});
