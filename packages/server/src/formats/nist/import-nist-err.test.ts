import { readFileSync } from 'node:fs';
import {
  asDivisionId,
  indexElection,
  type ContestResults,
  type Division,
  type Election,
  type Protocol,
  type ResultsStatus,
  type Tally,
} from '@canvass/core';
import { describe, expect, it } from 'vitest';
import { generateKz2022President, generateKz2023Mazhilis, type GeneratedElection } from '../../demo-data/generate-kz.js';
import { SYNTHETIC_NOTE } from '../../demo-data/kz-protocol.js';
import { InputError } from '../../files/input-error.js';
import { countRecords } from '../../tally/count-records.js';
import { publicationFromCount } from '../../publish/reference-input.js';
import { SAMPLE_ELECTION, SAMPLE_PROTOCOLS } from '../csv/sample-election.js';
import { exportNistErr, type NistLevel } from './export-nist-err.js';
import { importNistErr } from './import-nist-err.js';

function count(election: Election, protocols: readonly Protocol[]) {
  const indexed = indexElection(election);
  if (!indexed.ok) throw new Error(JSON.stringify(indexed.error.slice(0, 5)));
  const counted = countRecords(
    'protocols.jsonl',
    indexed.value,
    protocols.map((value, i) => ({ line: i + 1, value })),
  );
  expect(counted.notCounted).toEqual([]);
  return { index: indexed.value, ...counted };
}

function publication(election: Election, protocols: readonly Protocol[], status?: (contest: string) => ResultsStatus) {
  const { index, tally, counted } = count(election, protocols);
  return publicationFromCount(index, { tally, counted }, { now: new Date('2024-01-01T00:00:00Z'), status });
}

/** Writes a report the way a file holds it and reads it back. */
function roundTrip(
  election: Election,
  protocols: readonly Protocol[],
  level: NistLevel = 'precinct',
  status?: (contest: string) => ResultsStatus,
) {
  const input = publication(election, protocols, status);
  const json: unknown = JSON.parse(JSON.stringify(exportNistErr(input, level)));
  return { input, imported: importNistErr(json, 'report.json') };
}

/** A copy without the given properties. */
const omit = (value: object, ...keys: string[]) => Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));
/** Results of every contest at `division`, without the summed protocol lines (the templates differ). */
const results = (tally: Tally, division: string) =>
  (tally.results(asDivisionId(division))?.contests ?? []).map((contest: ContestResults) => omit(contest, 'lines'));
/** What NIST carries of a division: everything but the stations' time zone and closing time. */
const withoutSchedule = (divisions: readonly Division[]) => divisions.map((division) => omit(division, 'timeZone', 'closes'));

function expectSameElection(generated: GeneratedElection, imported: Election) {
  const original = generated.election;
  expect([imported.id, imported.names, imported.date, imported.timeZone, imported.synthetic]).toEqual([
    original.id,
    original.names,
    original.date,
    original.timeZone,
    { en: SYNTHETIC_NOTE.en },
  ]);
  expect(imported.divisions).toEqual(withoutSchedule(original.divisions));
  expect(imported.contests).toEqual(original.contests);
  expect(imported.protocol.lines.map((l) => l.id)).toEqual(['registered', 'ballots-cast', 'invalid']);
}

/** Every protocol comes back with the same votes and with what NIST carries of its lines. */
function expectSameProtocols(original: readonly Protocol[], imported: readonly Protocol[]) {
  const back = new Map(imported.map((p) => [`${p.contest}/${p.station}`, p]));
  expect(imported).toHaveLength(original.length);
  for (const protocol of original) {
    const lines: Readonly<Record<string, number>> = protocol.lines;
    expect(back.get(`${protocol.contest}/${protocol.station}`)).toEqual({
      election: protocol.election,
      contest: protocol.contest,
      station: protocol.station,
      lines: { registered: lines['voters'], 'ballots-cast': lines['ballots-issued'], invalid: lines['invalid'] },
      votes: protocol.votes,
    });
  }
}

describe('importNistErr', () => {
  it('round-trips the 2022 presidential election: identical results for the country and every region', () => {
    const kz = generateKz2022President();
    const { input, imported } = roundTrip(kz.election, kz.protocols, 'precinct', () => 'certified');
    expect(imported.problems).toEqual([]);
    expect(imported.statuses).toEqual({ president: 'certified' });
    expectSameElection(kz, imported.election);
    expectSameProtocols(kz.protocols, imported.protocols);
    const { tally } = count(imported.election, imported.protocols);
    const regions = kz.election.divisions.filter((d) => d.parent === 'kz').map((d) => d.id);
    expect(regions).toHaveLength(21);
    for (const division of ['kz', ...regions]) expect(results(tally, division)).toEqual(results(input.tally, division));
    // Not vacuous: the national result is the official one.
    expect(results(tally, 'kz')[0]).toMatchObject({
      registered: 11_953_465,
      participated: 8_300_046,
      invalid: 359_568,
      turnoutPercent: '69.44',
      outcome: { kind: 'elected', elected: ['tokayev'] },
    });
    expect(tally.results(asDivisionId('kz'))?.contests[0]?.options.map((o) => o.percent)).toEqual([
      '81.31',
      '3.42',
      '2.60',
      '2.53',
      '2.22',
      '2.12',
      '5.80',
    ]);
  });

  it('round-trips the 2023 Mazhilis party lists: identical results and seats', () => {
    const kz = generateKz2023Mazhilis();
    const { input, imported } = roundTrip(kz.election, kz.protocols);
    expect(imported.problems).toEqual([]);
    expectSameElection(kz, imported.election);
    expectSameProtocols(kz.protocols, imported.protocols);
    const { tally } = count(imported.election, imported.protocols);
    for (const division of ['kz', ...kz.election.divisions.filter((d) => d.parent === 'kz').map((d) => d.id)])
      expect(results(tally, division)).toEqual(results(input.tally, division));
    expect(tally.results(asDivisionId('kz'))?.contests[0]?.outcome).toEqual({
      kind: 'seats',
      seats: { amanat: 40, auyl: 8, respublica: 6, 'ak-zhol': 6, 'peoples-party': 5, osdp: 4, baytaq: 0 },
      qualified: ['amanat', 'auyl', 'respublica', 'ak-zhol', 'peoples-party', 'osdp'],
    });
  });

  it('round-trips a partial count of two contests, whose ballot counts are per contest', () => {
    const { input, imported } = roundTrip(SAMPLE_ELECTION, SAMPLE_PROTOCOLS);
    expect(imported.problems).toEqual([]);
    expect(imported.statuses).toEqual({ president: 'unofficial-partial', assembly: 'unofficial-partial' });
    expect(imported.election.contests).toEqual(SAMPLE_ELECTION.contests);
    expect(imported.protocols.map((p) => `${p.contest}/${p.station}`)).toEqual([
      'president/st-101',
      'president/st-102',
      'president/st-201',
      'assembly/st-101',
      'assembly/st-102',
      'assembly/st-201',
    ]);
    const { tally } = count(imported.election, imported.protocols);
    for (const division of ['xa', 'xa-n', 'xa-n-1', 'xa-s', 'xa-abroad'])
      expect(results(tally, division)).toEqual(results(input.tally, division));
  });

  it('makes no protocols from a summary report, and says why', () => {
    const { imported } = roundTrip(SAMPLE_ELECTION, SAMPLE_PROTOCOLS, 'summary');
    expect(imported.protocols).toEqual([]);
    const why = (contest: string) =>
      `contest "${contest}" has vote counts only for 4 larger unit(s) (e.g. "gpu-xa"), none for polling stations; Canvass counts station protocols and does not split totals, so no protocols were made (import a precinct-level report)`;
    expect(imported.problems).toEqual([
      { file: 'report.json', at: 'Election[0].Contest[0]', rule: 'nist-no-precinct-counts', message: why('president') },
      { file: 'report.json', at: 'Election[0].Contest[1]', rule: 'nist-no-precinct-counts', message: why('assembly') },
    ]);
    // The geography and the contests still come through.
    expect(imported.election.divisions).toEqual(withoutSchedule(SAMPLE_ELECTION.divisions));
    expect(imported.election.contests).toEqual(SAMPLE_ELECTION.contests);
  });

  it('makes no protocol where a count is given twice or a ballot count is unusable', () => {
    const input = publication(SAMPLE_ELECTION, SAMPLE_PROTOCOLS);
    const report = JSON.parse(JSON.stringify(exportNistErr(input, 'precinct'))) as {
      Election: {
        Contest: { ContestSelection: { VoteCounts: { GpUnitId: string }[] }[] }[];
        BallotCounts: { GpUnitId: string; BallotsRejected: number }[];
      }[];
    };
    const election = report.Election[0];
    const ana = election?.Contest[0]?.ContestSelection[0]?.VoteCounts;
    const st102 = election?.BallotCounts[5];
    if (!ana || !st102) throw new Error('unexpected report shape');
    expect([ana[4]?.GpUnitId, st102.GpUnitId]).toEqual(['gpu-st-101', 'gpu-st-102']);
    ana.push({ ...ana[4], GpUnitId: 'gpu-st-101' });
    st102.BallotsRejected = -1;
    const { protocols, problems } = importNistErr(report, 'report.json');
    expect(problems).toEqual([
      {
        file: 'report.json',
        at: 'Election[0].Contest[0].ContestSelection[0].VoteCounts[7]',
        rule: 'nist-count-repeated',
        message: 'a second "total" count for GpUnit "gpu-st-101" in this selection; no protocol is made for that unit in this contest',
      },
      {
        file: 'report.json',
        at: 'Election[0].BallotCounts[5].BallotsRejected',
        rule: 'nist-count',
        message: '-1 is not a number of ballots',
      },
      {
        file: 'report.json',
        at: 'Election[0].Contest[0]',
        rule: 'nist-ballot-counts-unusable',
        message: 'the BallotCounts of precinct "gpu-st-102" are not usable (see the problems above); no protocol is made for it',
      },
    ]);
    expect(protocols.map((p) => `${p.contest}/${p.station}`)).toEqual([
      'president/st-201',
      'assembly/st-101',
      'assembly/st-102',
      'assembly/st-201',
    ]);
  });

  it('reads a report written by other software, and reports each of its problems', () => {
    const file = 'foreign-precinct-report.json';
    const json: unknown = JSON.parse(readFileSync(new URL(`../../../test-data/nist-err/${file}`, import.meta.url), 'utf8'));
    const { election, protocols, problems, statuses } = importNistErr(json, file);
    expect(problems).toEqual([
      { file, at: 'GpUnit[7]', rule: 'nist-reporting-device', message: 'ReportingDevice units are not geography and are left out' },
      {
        file,
        at: 'Election[0].Contest[0].ContestSelection[1].VoteCounts[2].Count',
        rule: 'nist-count',
        message: '3.5 is not a vote count (a whole number from 0 to 100000000); no protocol is made for GpUnit "ru-p3" in this contest',
      },
      {
        file,
        at: 'Election[0].Contest[1]',
        rule: 'nist-contest-unsupported',
        message: 'ElectionResults.BallotMeasureContest has no Canvass equivalent and is left out',
      },
      {
        file,
        at: 'GpUnit',
        rule: 'nist-gpunit-tree',
        message:
          '2 unit(s) are composed into more than one unit (e.g. "ru-p2", "ru-p3"); Canvass divisions form one tree, so each stays under the first unit that lists it',
      },
      {
        file,
        at: 'GpUnit',
        rule: 'nist-gpunit-outside-scope',
        message: '1 unit(s) are not composed into the election\'s scope "ru-state" (e.g. "ru-orphan") and are left out',
      },
      {
        file,
        at: 'GpUnit',
        rule: 'nist-registered-missing',
        message:
          '1 precinct(s) have no VotersRegistered (e.g. "ru-p3"); their registered voters are 0, so turnout cannot be computed there',
      },
      {
        file,
        at: 'Election[0].Contest[0]',
        rule: 'nist-aggregate-mismatch',
        message:
          'GpUnit "ru-county-a" reports 650 votes for "lee-jones", but its 2 precinct(s) add up to 640; Canvass counts the precincts',
      },
      {
        file,
        at: 'Election[0].Contest[2].ElectionDistrictId',
        rule: 'nist-contest-district',
        message:
          'no precinct lies under the contest\'s district "ru-cd-1" in the election\'s tree (its precincts are composed into other units first, and Canvass divisions form one tree); the contest is left out',
      },
    ]);
    expect(election.id).toBe('general-election-2024-11-05');
    expect(election.names).toEqual({ 'en-US': 'General Election' });
    expect(election.divisions).toEqual([
      {
        id: 'ru-state',
        kind: 'state',
        names: { 'en-US': 'Example State' },
        externalIds: { 'ocd-id': 'ocd-division/country:us/state:ex', fips: '99' },
      },
      { id: 'ru-county-a', kind: 'county', parent: 'ru-state', names: { 'en-US': 'Alder County' } },
      { id: 'ru-county-b', kind: 'county', parent: 'ru-state', names: { 'en-US': 'Birch County' } },
      { id: 'ru-cd-1', kind: 'congressional', parent: 'ru-state', names: { 'en-US': 'Congressional District 1' } },
      { id: 'ru-p1', kind: 'polling-station', parent: 'ru-county-a', names: { 'en-US': 'Precinct 1' }, registered: 1000 },
      { id: 'ru-p2', kind: 'polling-station', parent: 'ru-county-a', names: { 'en-US': 'Precinct 2' }, registered: 800 },
      { id: 'ru-p3', kind: 'polling-station', parent: 'ru-county-b', names: { 'en-US': 'Precinct 3' }, registered: 0 },
    ]);
    expect(election.contests).toEqual([
      {
        id: 'cc-gov',
        kind: 'plurality',
        names: { en: 'Governor' },
        division: 'ru-state',
        options: [
          { id: 'jo-smith', kind: 'candidate', names: { 'en-US': 'Jo Smith' }, party: { 'en-US': 'Democratic Party' } },
          { id: 'lee-jones', kind: 'candidate', names: { 'en-US': 'Lee Jones' }, party: { 'en-US': 'Republican Party' } },
          { id: 'write-ins', kind: 'candidate', names: { en: 'Write-ins' } },
        ],
        rules: { percentBase: [{ options: 'all' }], seats: 1 },
      },
    ]);
    // Precinct 1 reports by vote type (election day + absentee): the parts add up to its protocol.
    expect(protocols).toEqual([
      {
        election: 'general-election-2024-11-05',
        contest: 'cc-gov',
        station: 'ru-p1',
        lines: { registered: 1000, 'ballots-cast': 660, invalid: 4 },
        votes: { 'jo-smith': 400, 'lee-jones': 350, 'write-ins': 5 },
      },
      {
        election: 'general-election-2024-11-05',
        contest: 'cc-gov',
        station: 'ru-p2',
        lines: { registered: 800, 'ballots-cast': 560, invalid: 10 },
        votes: { 'jo-smith': 250, 'lee-jones': 290, 'write-ins': 0 },
      },
    ]);
    expect(statuses).toEqual({ 'cc-gov': 'unofficial-complete' });
    expect(count(election, protocols).tally.results(asDivisionId('ru-state'))?.contests[0]?.outcome).toEqual({
      kind: 'elected',
      elected: ['jo-smith'],
    });
  });

  it('refuses what is not an Election Results Report', () => {
    const attempt = (json: unknown) => {
      try {
        importNistErr(json, 'x.json');
        return undefined;
      } catch (error) {
        return error instanceof InputError ? error.problems : error;
      }
    };
    expect(attempt({ '@type': 'ElectionResults.Election' })).toEqual([
      {
        file: 'x.json',
        rule: 'nist-report',
        message: 'not a NIST SP 1500-100 v2 Election Results Report: the top object needs "@type": "ElectionResults.ElectionReport"',
      },
    ]);
    expect(attempt({ '@type': 'ElectionResults.ElectionReport', Election: [] })).toEqual([
      { file: 'x.json', at: 'Election', rule: 'nist-election', message: 'the report has no Election; there is nothing to import' },
    ]);
  });
});
