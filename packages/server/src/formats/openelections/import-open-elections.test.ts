import { readFileSync } from 'node:fs';
import { asDivisionId, indexElection, type Election, type Protocol } from '@canvass/core';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../files/input-error.js';
import { countRecords } from '../../tally/count-records.js';
import { importOpenElections } from './import-open-elections.js';

const read = (name: string) => readFileSync(new URL(`../../../test-data/openelections/${name}`, import.meta.url), 'utf8');

function tally(election: Election, protocols: readonly Protocol[]) {
  const indexed = indexElection(election);
  if (!indexed.ok) throw new Error(JSON.stringify(indexed.error));
  const counted = countRecords(
    'protocols.jsonl',
    indexed.value,
    protocols.map((value, i) => ({ line: i + 1, value })),
  );
  expect(counted.notCounted).toEqual([]);
  expect(counted.warnings).toEqual([]);
  return counted.tally;
}

describe('importOpenElections', () => {
  const file = '20221108__vt__general__precinct.csv';

  it('reads a state file: state → county → precinct, one plurality contest per office and district', () => {
    const { election, protocols, problems } = importOpenElections(read(file), `test-data/openelections/${file}`);
    expect(problems).toEqual([]);
    expect([election.id, election.names, election.date]).toEqual([
      'vt-2022-11-08-general',
      { en: 'VT general election, 2022-11-08' },
      '2022-11-08',
    ]);
    const station = (id: string, county: string, name: string, registered: number) => ({
      id,
      kind: 'polling-station',
      parent: county,
      names: { en: name },
      registered,
    });
    expect(election.divisions).toEqual([
      { id: 'vt', kind: 'state', names: { en: 'VT' }, externalIds: { 'iso3166-2': 'US-VT', 'ocd-id': 'ocd-division/country:us/state:vt' } },
      { id: 'vt-addison', kind: 'county', parent: 'vt', names: { en: 'Addison' } },
      station('vt-addison-middlebury', 'vt-addison', 'Middlebury', 6210),
      station('vt-addison-bristol', 'vt-addison', 'Bristol', 3030),
      { id: 'vt-chittenden', kind: 'county', parent: 'vt', names: { en: 'Chittenden' } },
      station('vt-chittenden-burlington-ward-1', 'vt-chittenden', 'Burlington Ward 1', 4870),
      station('vt-chittenden-burlington-ward-2', 'vt-chittenden', 'Burlington Ward 2', 3920),
      station('vt-chittenden-essex', 'vt-chittenden', 'Essex', 8120),
      { id: 'vt-orange', kind: 'county', parent: 'vt', names: { en: 'Orange' } },
      station('vt-orange-randolph', 'vt-orange', 'Randolph', 3810),
    ]);
    const candidate = (id: string, name: string, party?: string) => ({
      id,
      kind: 'candidate',
      names: { en: name },
      ...(party !== undefined ? { party: { en: party } } : {}),
    });
    const plurality = { percentBase: [{ options: 'all' }], seats: 1 };
    const writeIns = candidate('write-ins', 'Write-ins');
    expect(election.contests).toEqual([
      {
        id: 'governor',
        kind: 'plurality',
        names: { en: 'Governor' },
        division: 'vt',
        options: [
          candidate('avery-hale', 'Avery Hale', 'REP'),
          candidate('jordan-reyes', 'Jordan Reyes', 'DEM'),
          candidate('casey-tran', 'Casey Tran', 'IND'),
          writeIns,
        ],
        rules: plurality,
      },
      {
        id: 'state-representative-add-1',
        kind: 'plurality',
        names: { en: 'State Representative, district ADD-1' },
        division: 'vt-addison',
        options: [candidate('robin-ellis', 'Robin Ellis', 'DEM'), candidate('morgan-pike', 'Morgan Pike', 'REP'), writeIns],
        rules: plurality,
      },
      {
        // Bristol (Addison) and Randolph (Orange): the smallest division holding both is the state.
        id: 'state-representative-add-ora',
        kind: 'plurality',
        names: { en: 'State Representative, district ADD-ORA' },
        division: 'vt',
        options: [candidate('dana-whitcomb', 'Dana Whitcomb', 'REP'), candidate('lee-baptiste', 'Lee Baptiste', 'DEM'), writeIns],
        rules: plurality,
      },
      {
        id: 'state-representative-chi-6',
        kind: 'plurality',
        names: { en: 'State Representative, district CHI-6' },
        division: 'vt-chittenden',
        options: [candidate('sasha-moreau', 'Sasha Moreau', 'PRO'), candidate('terry-quinn', 'Terry Quinn', 'DEM'), writeIns],
        rules: plurality,
      },
      {
        id: 'state-representative-chi-21',
        kind: 'plurality',
        names: { en: 'State Representative, district CHI-21' },
        division: 'vt-chittenden',
        options: [candidate('alex-novak', 'Alex Novak', 'REP'), candidate('jamie-ortiz', 'Jamie Ortiz', 'DEM'), writeIns],
        rules: plurality,
      },
    ]);
    expect(election.protocol.lines.map((l) => l.id)).toEqual(['registered', 'ballots-cast', 'invalid', 'under-votes']);
    expect(protocols).toHaveLength(12);
    expect(protocols[0]).toEqual({
      election: 'vt-2022-11-08-general',
      contest: 'governor',
      station: 'vt-addison-middlebury',
      lines: { registered: 6210, 'ballots-cast': 4380, invalid: 3, 'under-votes': 64 },
      votes: { 'avery-hale': 1710, 'jordan-reyes': 2390, 'casey-tran': 201, 'write-ins': 12 },
    });

    const results = tally(election, protocols);
    const governor = results.results(asDivisionId('vt'))?.contests.find((c) => c.contest === 'governor');
    expect(governor).toMatchObject({
      stations: { reported: 6, total: 6 },
      registered: 29_960,
      participated: 19_965,
      invalid: 12,
      valid: 19_633,
      turnoutPercent: '66.64',
      options: [
        { option: 'avery-hale', votes: 7477, percent: '38.08' },
        { option: 'jordan-reyes', votes: 11_334, percent: '57.73' },
        { option: 'casey-tran', votes: 759, percent: '3.87' },
        { option: 'write-ins', votes: 63, percent: '0.32' },
      ],
      outcome: { kind: 'elected', elected: ['jordan-reyes'] },
    });
    const crossCounty = results.results(asDivisionId('vt'))?.contests.find((c) => c.contest === 'state-representative-add-ora');
    expect(crossCounty?.outcome).toEqual({ kind: 'elected', elected: ['dana-whitcomb'] });
    // A district inside a county is counted under the county: its other precincts read as "not reported".
    const chi6 = results.results(asDivisionId('vt-chittenden'))?.contests.find((c) => c.contest === 'state-representative-chi-6');
    expect([chi6?.stations, chi6?.status, chi6?.outcome]).toEqual([
      { reported: 2, total: 3 },
      'unofficial-partial',
      { kind: 'elected', elected: ['sasha-moreau'] },
    ]);
  });

  it('reports every inconsistency with its line and rule, and leaves the offending rows out', () => {
    const malformed = '20221108__vt__general__malformed__precinct.csv';
    const { election, protocols, problems } = importOpenElections(read(malformed), malformed);
    const at = (line: number, rule: string, message: string, column?: string) => ({
      file: malformed,
      line,
      ...(column !== undefined ? { at: column } : {}),
      rule,
      message,
    });
    const leftOut = ' the row is left out, and no protocol is made for this precinct and office';
    expect(problems).toEqual([
      at(6, 'oe-duplicate-row', 'the same row is at line 5; the duplicate is left out'),
      at(7, 'oe-votes-not-number', `"2x1" is not a number of votes (a whole number from 0 to 100000000);${leftOut}`, 'votes'),
      at(8, 'oe-votes-negative', `-4 votes: a count cannot be negative;${leftOut}`, 'votes'),
      at(12, 'oe-breakdown-exceeds-votes', 'the vote-method columns (election_day, absentee) add up to 1050, more than votes (1002)'),
      at(
        16,
        'oe-precinct-repeated',
        'precinct "Bristol" of Addison already has a row for "Jordan Reyes" in Governor at line 13; the later row is left out',
      ),
      at(17, 'oe-column-count', `the row has 7 fields but the header has 9;${leftOut}`),
      at(
        19,
        'oe-turnout-conflict',
        'precinct "Randolph" of Orange already has Registered Voters 3810 at line 18, not 3811; the row is left out',
      ),
      at(22, 'oe-empty-row', 'the row is empty; remove it'),
      at(9, 'oe-total-exceeded', 'the candidates for Governor at precinct "Middlebury" have 4100 votes, more than its total row (4000)'),
      at(
        11,
        'oe-ballots-cast-exceeded',
        'Governor at precinct "Bristol" has 2064 votes and invalid ballots, more than the 2000 ballots cast (one vote per ballot)',
      ),
      {
        file: malformed,
        rule: 'oe-ballots-cast-partial',
        message:
          'only 2 of 3 precinct(s) have a "Ballots Cast" row; voters who took part are taken as the ballots counted in each office (votes plus invalid) everywhere',
      },
    ]);
    // What is left is consistent: the three precincts and the office stay, but only Bristol's Governor rows are
    // complete (Middlebury and Randolph each lost a row), so only Bristol has a protocol; nothing is filled in.
    expect(election.divisions.filter((d) => d.kind === 'polling-station').map((d) => [d.id, d.registered])).toEqual([
      ['vt-addison-middlebury', 6210],
      ['vt-addison-bristol', 3030],
      ['vt-orange-randolph', 3810],
    ]);
    expect(election.contests.map((c) => [c.id, c.options.map((o) => o.id)])).toEqual([
      ['governor', ['avery-hale', 'jordan-reyes', 'casey-tran']],
    ]);
    expect(election.protocol.roles.participated).toEqual([{ line: 'invalid' }, { options: 'all' }]);
    expect(protocols).toEqual([
      {
        election: 'vt-2022-11-08-general',
        contest: 'governor',
        station: 'vt-addison-bristol',
        lines: { registered: 3030, invalid: 1 },
        votes: { 'avery-hale': 1002, 'jordan-reyes': 940, 'casey-tran': 121 },
      },
    ]);
  });

  it('reads the variants OpenElections files contain, and names the first line of a record that spans lines', () => {
    const name = '20240305__xx__primary__precinct.csv';
    const text = [
      '\ufeffcounty,precinct,office,district,party,candidate,votes',
      'Kent,"Old',
      'Town",Governor,,REP,Pat Lee,x',
      'Kent,Middle,Governor,,,None of these candidates,3.0',
      'Kent,Middle,Governor,,REP,Pat Lee,10',
      'Kent,Middle,Straight Party,,DEM,,7',
      'Kent,,Governor,,REP,Pat Lee,1',
      'Kent,Middle,Governor,,,,4',
      'Kent,Middle,Governor,,,Total Votes,13',
      'Kent,Middle,Auditor,,,Over Votes,2',
      'Kent,Middle,registered voters,,,,40',
      '',
    ].join('\n');
    const { election, protocols, problems } = importOpenElections(text, name);
    expect(problems).toEqual([
      {
        file: name,
        line: 2,
        at: 'votes',
        rule: 'oe-votes-not-number',
        message:
          '"x" is not a number of votes (a whole number from 0 to 100000000); the row is left out, and no protocol is made for this precinct and office',
      },
      { file: name, line: 7, rule: 'oe-place-missing', message: 'county, precinct and office must all be given; the row is left out' },
      { file: name, line: 8, rule: 'oe-candidate-missing', message: 'neither candidate nor party is given; the row is left out' },
      { file: name, rule: 'oe-office-empty', message: 'Auditor has no candidate rows; it is left out' },
    ]);
    expect(election.id).toBe('xx-2024-03-05-primary');
    expect(election.divisions.map((d) => d.id)).toEqual(['xx', 'xx-kent', 'xx-kent-middle']);
    expect(election.contests.map((c) => [c.id, c.division, c.options])).toEqual([
      [
        'governor',
        'xx-kent',
        [
          { id: 'none-of-these-candidates', kind: 'against-all', names: { en: 'None of these candidates' } },
          { id: 'pat-lee', kind: 'candidate', names: { en: 'Pat Lee' }, party: { en: 'REP' } },
        ],
      ],
      ['straight-party', 'xx-kent', [{ id: 'dem', kind: 'candidate', names: { en: 'DEM' } }]],
    ]);
    // No Ballots Cast anywhere: "took part" is the ballots counted in the office.
    expect(election.protocol.roles.participated).toEqual([{ line: 'invalid' }, { options: 'all' }]);
    expect(protocols.map((p) => [p.contest, p.station, p.lines, p.votes])).toEqual([
      ['governor', 'xx-kent-middle', { registered: 40, invalid: 0 }, { 'none-of-these-candidates': 3, 'pat-lee': 10 }],
      ['straight-party', 'xx-kent-middle', { registered: 40, invalid: 0 }, { dem: 7 }],
    ]);
  });

  it('refuses a file without the OpenElections columns or without a known election day', () => {
    const problemsOf = (text: string, name: string) => {
      try {
        importOpenElections(text, name);
        return [];
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return error.problems;
      }
    };
    expect(problemsOf('county,precinct,office,party,votes\nA,1,Governor,REP,5\n', file)).toEqual([
      { file, line: 1, rule: 'oe-header', message: 'column "candidate" is missing from the header row' },
    ]);
    expect(problemsOf(read(file), 'results.csv')).toEqual([
      {
        file: 'results.csv',
        rule: 'oe-election-day',
        message:
          'the election day is not known: name the file as OpenElections does (e.g. 20221108__vt__general__precinct.csv) or give the date',
      },
    ]);
    expect(importOpenElections(read(file), 'results.csv', { date: '2022-11-08', state: 'VT' }).election.id).toBe('vt-2022-11-08-general');
  });
});
