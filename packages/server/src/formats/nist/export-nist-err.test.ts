import { readFileSync } from 'node:fs';
import { asDivisionId, asOptionId, indexElection, type Election, type Protocol, type ResultsStatus } from '@canvass/core';
import AjvModule from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { generateKz2022President, generateKz2023Mazhilis } from '../../demo-data/generate-kz.js';
import { SYNTHETIC_NOTE } from '../../demo-data/kz-protocol.js';
import { countRecords } from '../../tally/count-records.js';
import { publicationFromCount } from '../../publish/reference-input.js';
import { SAMPLE_ELECTION, SAMPLE_PROTOCOLS } from '../csv/sample-election.js';
import { exportNistErr } from './export-nist-err.js';
import type { NistElectionReport } from './nist-types.js';

function publication(election: Election, protocols: readonly Protocol[], now: Date, status?: (contest: string) => ResultsStatus) {
  const indexed = indexElection(election);
  if (!indexed.ok) throw new Error(JSON.stringify(indexed.error));
  const count = countRecords(
    'protocols.jsonl',
    indexed.value,
    protocols.map((value, i) => ({ line: i + 1, value })),
  );
  return publicationFromCount(indexed.value, count, { now, status });
}

/**
 * The official NIST SP 1500-100 v2 JSON schema (draft-04), with its `refTypes` annotations enforced: every id a
 * report refers to must be the `@id` of an object of one of the listed types.
 */
function nistValidator() {
  const schema: unknown = JSON.parse(
    readFileSync(new URL('../../../test-data/nist-err/NIST_V2_election_results_reporting.json', import.meta.url), 'utf8'),
  );
  const typesById = new WeakMap<object, Map<string, string>>();
  const idIndex = (root: unknown): Map<string, string> => {
    if (typeof root !== 'object' || root === null) return new Map();
    let index = typesById.get(root);
    if (index) return index;
    index = new Map();
    const stack: unknown[] = [root];
    while (stack.length > 0) {
      const value = stack.pop();
      if (Array.isArray(value)) stack.push(...(value as unknown[]));
      else if (typeof value === 'object' && value !== null) {
        const record = value as Record<string, unknown>;
        if (typeof record['@id'] === 'string' && typeof record['@type'] === 'string') index.set(record['@id'], record['@type']);
        stack.push(...Object.values(record));
      }
    }
    typesById.set(root, index);
    return index;
  };
  const ajv = new AjvModule.default({
    allErrors: true,
    strict: true,
    formats: {
      date: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
      'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
      time: /^\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/,
      uri: /^[a-z][a-z0-9+.-]*:\S+$/i,
    },
  });
  ajv.addKeyword({
    keyword: 'refTypes',
    schemaType: 'array',
    validate: (refTypes: string[], data: unknown, _schema: unknown, context?: { rootData: unknown }) =>
      typeof data === 'string' && refTypes.includes(idIndex(context?.rootData).get(data) ?? ''),
  });
  return ajv.compile(schema as object);
}

const validate = nistValidator();
/** Schema errors as short strings (empty when the report is valid); the report goes through JSON as a file would. */
function schemaErrors(report: unknown): string[] {
  const json: unknown = JSON.parse(JSON.stringify(report));
  return validate(json) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword} ${e.message ?? ''}`);
}
function duplicateIds(report: unknown): string[] {
  const seen = new Set<string>();
  const duplicates: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === 'object' && value !== null) {
      const id = (value as Record<string, unknown>)['@id'];
      if (typeof id === 'string') {
        if (seen.has(id)) duplicates.push(id);
        seen.add(id);
      }
      Object.values(value).forEach(walk);
    }
  };
  walk(report);
  return duplicates;
}

const NOW = new Date('2024-03-18T02:30:00.456Z');
const sample = publication(SAMPLE_ELECTION, SAMPLE_PROTOCOLS, NOW);
const kz2022 = generateKz2022President();
const kz2022Input = publication(kz2022.election, kz2022.protocols, new Date('2022-11-22T06:00:00Z'), () => 'certified');
const kz2023 = generateKz2023Mazhilis();
const kz2023Input = publication(kz2023.election, kz2023.protocols, new Date('2023-03-27T09:00:00Z'));

// Shorthands for the expected objects.
const text = (...pairs: [string, string][]) => ({
  '@type': 'ElectionResults.InternationalizedText',
  Text: pairs.map(([Language, Content]) => ({ '@type': 'ElectionResults.LanguageString', Language, Content })),
});
const en = (content: string) => text(['en', content]);
const other = (OtherType: string, Value: string) => ({ '@type': 'ElectionResults.ExternalIdentifier', Type: 'other', OtherType, Value });
const ocd = (Value: string) => ({ '@type': 'ElectionResults.ExternalIdentifier', Type: 'ocd-id', Value });
const vc = (GpUnitId: string, Count: number, Type = 'total') => ({ '@type': 'ElectionResults.VoteCounts', GpUnitId, Type, Count });
const counts = (xa: number, north: number, south: number) => [
  vc('gpu-xa', xa),
  vc('gpu-xa-n', north),
  vc('gpu-xa-s', south),
  vc('gpu-xa-abroad', 0),
];
const ballots = (contest: string, GpUnitId: string, BallotsCast: number, BallotsRejected: number) => ({
  '@type': 'ElectionResults.BallotCounts',
  GpUnitId,
  Type: 'other',
  OtherType: `canvass-contest:${contest}`,
  BallotsCast,
  BallotsRejected,
});
const unit = (id: string, type: string, name: ReturnType<typeof text>, registered: number, composing: string[], ids: object[] = []) => ({
  '@type': 'ElectionResults.ReportingUnit',
  '@id': `gpu-${id}`,
  ...(['country', 'precinct'].includes(type) ? { Type: type } : { Type: 'other', OtherType: type }),
  Name: name,
  ...(composing.length > 0 ? { ComposingGpUnitIds: composing.map((c) => `gpu-${c}`) } : {}),
  ExternalIdentifier: [other('canvass-id', id), ...ids],
  VotersRegistered: registered,
});
const countStatus = (Status: string) => [{ '@type': 'ElectionResults.CountStatus', Type: 'total', Status }];

describe('exportNistErr', () => {
  it('writes the whole summary report of a small election', () => {
    expect(exportNistErr(sample, 'summary')).toEqual({
      '@type': 'ElectionResults.ElectionReport',
      Format: 'summary-contest',
      GeneratedDate: '2024-03-18T02:30:00Z',
      Issuer: 'Sample Republic',
      IssuerAbbreviation: 'XA',
      VendorApplicationId: 'Canvass',
      SequenceStart: 1,
      SequenceEnd: 1,
      Status: 'unofficial-partial',
      ExternalIdentifier: [other('canvass-ledger-head', `0:${'0'.repeat(64)}`), other('canvass-results-version', '6')],
      Election: [
        {
          '@type': 'ElectionResults.Election',
          Name: text(['en', 'Sample general election 2024'], ['ru', 'Образцовые всеобщие выборы 2024']),
          StartDate: '2024-03-17',
          EndDate: '2024-03-17',
          Type: 'general',
          ElectionScopeId: 'gpu-xa',
          ExternalIdentifier: [other('canvass-id', 'sample-2024'), other('canvass-time-zone', 'Asia/Almaty')],
          Candidate: [
            {
              '@type': 'ElectionResults.Candidate',
              '@id': 'cand-president-ana',
              BallotName: en('Ana Arman'),
              PartyId: 'aff-1',
              PostElectionStatus: 'advanced-to-runoff',
              ExternalIdentifier: [other('canvass-id', 'ana')],
            },
            {
              '@type': 'ElectionResults.Candidate',
              '@id': 'cand-president-boris',
              BallotName: en('Boris Bek'),
              PartyId: 'aff-2',
              PostElectionStatus: 'advanced-to-runoff',
              ExternalIdentifier: [other('canvass-id', 'boris')],
            },
            {
              '@type': 'ElectionResults.Candidate',
              '@id': 'cand-president-against-all',
              BallotName: text(['en', 'Against all'], ['ru', 'Против всех']),
              ExternalIdentifier: [other('canvass-id', 'against-all'), other('canvass-against-all', 'true')],
            },
          ],
          Contest: [
            {
              '@type': 'ElectionResults.CandidateContest',
              '@id': 'con-president',
              Name: 'President',
              BallotTitle: text(['en', 'President'], ['ru', 'Президент']),
              ElectionDistrictId: 'gpu-xa',
              SequenceOrder: 1,
              SubUnitsReported: 3,
              TotalSubUnits: 4,
              CountStatus: countStatus('in-process'),
              ExternalIdentifier: [
                other('canvass-id', 'president'),
                other('canvass-rules', '{"percentBase":[{"options":"all"}],"winThreshold":{"percent":"50","strict":true},"runoffSize":2}'),
                other('canvass-results-status', 'unofficial-partial'),
              ],
              VoteVariation: 'majority',
              VotesAllowed: 1,
              NumberElected: 1,
              NumberRunoff: 2,
              ContestSelection: [
                {
                  '@type': 'ElectionResults.CandidateSelection',
                  '@id': 'cs-president-ana',
                  SequenceOrder: 1,
                  CandidateIds: ['cand-president-ana'],
                  IsWriteIn: false,
                  VoteCounts: counts(900, 600, 300),
                },
                {
                  '@type': 'ElectionResults.CandidateSelection',
                  '@id': 'cs-president-boris',
                  SequenceOrder: 2,
                  CandidateIds: ['cand-president-boris'],
                  IsWriteIn: false,
                  VoteCounts: counts(980, 480, 500),
                },
                {
                  '@type': 'ElectionResults.CandidateSelection',
                  '@id': 'cs-president-against-all',
                  SequenceOrder: 3,
                  CandidateIds: ['cand-president-against-all'],
                  IsWriteIn: false,
                  VoteCounts: counts(160, 90, 70),
                },
              ],
            },
            {
              '@type': 'ElectionResults.PartyContest',
              '@id': 'con-assembly',
              Name: 'National Assembly',
              BallotTitle: en('National Assembly'),
              ElectionDistrictId: 'gpu-xa',
              SequenceOrder: 2,
              SubUnitsReported: 3,
              TotalSubUnits: 4,
              CountStatus: countStatus('in-process'),
              ExternalIdentifier: [
                other('canvass-id', 'assembly'),
                other(
                  'canvass-rules',
                  '{"percentBase":[{"options":"all"}],"method":"hare-largest-remainder","seats":10,"threshold":{"percent":"5","base":[{"options":"all"}],"inclusive":true},"tieBreak":"earlier-registration"}',
                ),
                other('canvass-results-status', 'unofficial-partial'),
              ],
              VoteVariation: 'proportional',
              ContestSelection: [
                {
                  '@type': 'ElectionResults.PartySelection',
                  '@id': 'ps-assembly-unity',
                  SequenceOrder: 1,
                  PartyIds: ['party-assembly-unity'],
                  // Hare quota 1970 / 10 = 197: Unity 1120 = 5 quotas + 135, Green 850 = 4 quotas + 62; the last seat
                  // goes to the larger remainder.
                  VoteCounts: [...counts(1120, 640, 480), vc('gpu-xa', 6, 'seats')],
                },
                {
                  '@type': 'ElectionResults.PartySelection',
                  '@id': 'ps-assembly-green',
                  SequenceOrder: 2,
                  PartyIds: ['party-assembly-green'],
                  VoteCounts: [...counts(850, 480, 370), vc('gpu-xa', 4, 'seats')],
                },
                {
                  '@type': 'ElectionResults.PartySelection',
                  '@id': 'ps-assembly-against-all',
                  SequenceOrder: 3,
                  PartyIds: ['party-assembly-against-all'],
                  VoteCounts: counts(65, 43, 22),
                },
              ],
            },
          ],
          BallotCounts: [
            ballots('president', 'gpu-xa', 2100, 60),
            ballots('president', 'gpu-xa-n', 1200, 30),
            ballots('president', 'gpu-xa-s', 900, 30),
            ballots('president', 'gpu-xa-abroad', 0, 0),
            ballots('assembly', 'gpu-xa', 2100, 65),
            ballots('assembly', 'gpu-xa-n', 1200, 37),
            ballots('assembly', 'gpu-xa-s', 900, 28),
            ballots('assembly', 'gpu-xa-abroad', 0, 0),
          ],
        },
      ],
      GpUnit: [
        unit(
          'xa',
          'country',
          text(['en', 'Sample Republic'], ['ru', 'Образцовая Республика']),
          3150,
          ['xa-n', 'xa-s', 'xa-abroad'],
          [other('iso3166-1', 'XA'), ocd('ocd-division/country:xa')],
        ),
        unit(
          'xa-n',
          'region',
          en('North Province'),
          1800,
          ['xa-n-1'],
          [other('iso3166-2', 'XA-N'), ocd('ocd-division/country:xa/region:n')],
        ),
        unit('xa-n-1', 'district', en('Riverside District'), 1800, ['st-101', 'st-102']),
        unit('st-101', 'precinct', en('Polling station 101'), 1000, []),
        unit('st-102', 'precinct', en('Polling station 102'), 800, []),
        unit('xa-s', 'region', en('South Province'), 1200, ['st-201'], [other('iso3166-2', 'XA-S')]),
        unit('st-201', 'precinct', en('Polling station 201'), 1200, []),
        unit('xa-abroad', 'abroad', en('Stations abroad'), 150, ['st-901']),
        unit('st-901', 'precinct', en('Polling station 901'), 150, []),
      ],
      Party: [
        { '@type': 'ElectionResults.Party', '@id': 'aff-1', Name: en('Unity Party') },
        { '@type': 'ElectionResults.Party', '@id': 'aff-2', Name: en('Green League') },
        {
          '@type': 'ElectionResults.Party',
          '@id': 'party-assembly-unity',
          Name: en('Unity Party'),
          ExternalIdentifier: [other('canvass-id', 'unity'), other('canvass-registration-order', '2')],
        },
        {
          '@type': 'ElectionResults.Party',
          '@id': 'party-assembly-green',
          Name: en('Green League'),
          ExternalIdentifier: [other('canvass-id', 'green'), other('canvass-registration-order', '1')],
        },
        {
          '@type': 'ElectionResults.Party',
          '@id': 'party-assembly-against-all',
          Name: en('Against all'),
          IsRecognizedParty: false,
          ExternalIdentifier: [other('canvass-id', 'against-all'), other('canvass-against-all', 'true')],
        },
      ],
    });
  });

  it('adds every counted polling station at precinct level, and nothing for stations that have not reported', () => {
    const report = exportNistErr(sample, 'precinct');
    expect(report.Format).toBe('precinct-level');
    const [president, assembly] = report.Election[0]?.Contest ?? [];
    expect(president?.ContestSelection[0]?.VoteCounts).toEqual([
      ...counts(900, 600, 300),
      vc('gpu-st-101', 400),
      vc('gpu-st-102', 200),
      vc('gpu-st-201', 300),
    ]);
    expect(assembly?.ContestSelection[2]?.VoteCounts).toEqual([
      ...counts(65, 43, 22),
      vc('gpu-st-101', 25),
      vc('gpu-st-102', 18),
      vc('gpu-st-201', 22),
    ]);
    expect(report.Election[0]?.BallotCounts.filter((b) => b.GpUnitId.startsWith('gpu-st-'))).toEqual([
      ballots('president', 'gpu-st-101', 700, 20),
      ballots('president', 'gpu-st-102', 500, 10),
      ballots('president', 'gpu-st-201', 900, 30),
      ballots('assembly', 'gpu-st-101', 700, 25),
      ballots('assembly', 'gpu-st-102', 500, 12),
      ballots('assembly', 'gpu-st-201', 900, 28),
    ]);
    // Apart from the station counts, the precinct report is the summary report.
    const strip = (r: NistElectionReport) =>
      JSON.stringify(r, (key, value: unknown) =>
        key === 'Format'
          ? undefined
          : Array.isArray(value)
            ? value.filter((v: { GpUnitId?: string }) => !v.GpUnitId?.startsWith('gpu-st-'))
            : value,
      );
    expect(strip(report)).toBe(strip(exportNistErr(sample, 'summary')));
  });

  it('reports a decided contest: winner when certified, projected winner before, and the least final status', () => {
    // Station 901 reports (the figures of station 101) and Ana wins station 201 by a landslide: nationally she has
    // 1,700 of 2,720 valid votes (62.50 %), more than half.
    const protocols: Protocol[] = [
      ...SAMPLE_PROTOCOLS.map((p) =>
        p.contest === 'president' && p.station === 'st-201'
          ? { ...p, votes: { [asOptionId('ana')]: 700, [asOptionId('boris')]: 100, [asOptionId('against-all')]: 70 } }
          : p,
      ),
      ...SAMPLE_PROTOCOLS.filter((p) => p.station === 'st-101').map((p) => ({ ...p, station: asDivisionId('st-901') })),
    ];
    const statuses = (president: ResultsStatus, assembly: ResultsStatus) => {
      const report = exportNistErr(
        publication(SAMPLE_ELECTION, protocols, NOW, (contest) => (contest === 'president' ? president : assembly)),
        'summary',
      );
      const contests = report.Election[0]?.Contest ?? [];
      return {
        report: report.Status,
        candidates: report.Election[0]?.Candidate.map((c) => [c['@id'], c.PostElectionStatus ?? null]),
        contests: contests.map((c) => [c.CountStatus[0]?.Status, c.SubUnitsReported, c.TotalSubUnits, c.ExternalIdentifier[2]?.Value]),
      };
    };
    expect(statuses('certified', 'recount')).toEqual({
      report: 'recount',
      candidates: [
        ['cand-president-ana', 'winner'],
        ['cand-president-boris', 'defeated'],
        ['cand-president-against-all', null],
      ],
      contests: [
        ['completed', 4, 4, 'certified'],
        ['completed', 4, 4, 'recount'],
      ],
    });
    expect(statuses('unofficial-complete', 'certified')).toEqual({
      report: 'unofficial-complete',
      candidates: [
        ['cand-president-ana', 'projected-winner'],
        ['cand-president-boris', 'defeated'],
        ['cand-president-against-all', null],
      ],
      contests: [
        ['completed', 4, 4, 'unofficial-complete'],
        ['completed', 4, 4, 'certified'],
      ],
    });
  });

  it('takes the issuer from the options', () => {
    const report = exportNistErr(sample, 'summary', {
      issuer: 'Central Election Commission of the Sample Republic',
      issuerAbbreviation: 'CEC-XA',
    });
    expect([report.Issuer, report.IssuerAbbreviation]).toEqual(['Central Election Commission of the Sample Republic', 'CEC-XA']);
  });

  it('writes the 2022 reference election with the official national figures, as synthetic test data', () => {
    const report = exportNistErr(kz2022Input, 'summary');
    const election = report.Election[0];
    const contest = election?.Contest[0];
    expect([report.Status, report.IsTest, report.TestType, report.Notes, report.IssuerAbbreviation, report.Issuer]).toEqual([
      'certified',
      true,
      'synthetic',
      SYNTHETIC_NOTE.en,
      'KZ',
      'Kazakhstan',
    ]);
    expect(report.GpUnit).toHaveLength(kz2022.election.divisions.length);
    expect(report.GpUnit.filter((u) => u.Type === 'precinct')).toHaveLength(10_101);
    expect(report.GpUnit.find((u) => u['@id'] === 'gpu-kz')?.VotersRegistered).toBe(11_953_465);
    expect(report.GpUnit.find((u) => u['@id'] === 'gpu-kz-35')?.ExternalIdentifier).toEqual([
      other('canvass-id', 'kz-35'),
      other('iso3166-2', 'KZ-35'),
      ocd('ocd-division/country:kz/region:35'),
    ]);
    // One contest: ballot counts are standard `total` counts.
    expect(election?.BallotCounts[0]).toEqual({
      '@type': 'ElectionResults.BallotCounts',
      GpUnitId: 'gpu-kz',
      Type: 'total',
      BallotsCast: 8_300_046,
      BallotsRejected: 359_568,
    });
    expect(election?.BallotCounts).toHaveLength(1 + 21);
    expect(contest?.ContestSelection.map((s) => s.VoteCounts[0]?.Count)).toEqual([
      6_456_393, 271_641, 206_206, 200_907, 176_116, 168_731, 460_484,
    ]);
    expect(contest?.ContestSelection[0]?.VoteCounts.map((v) => v.GpUnitId)).toEqual(['gpu-kz', ...kz2022RegionUnits()]);
    expect(election?.Candidate.map((c) => [c['@id'], c.PostElectionStatus ?? null])).toEqual([
      ['cand-president-tokayev', 'winner'],
      ['cand-president-dairabayev', 'defeated'],
      ['cand-president-abden', 'defeated'],
      ['cand-president-kazhyken', 'defeated'],
      ['cand-president-auesbayev', 'defeated'],
      ['cand-president-tursynbekova', 'defeated'],
      ['cand-president-against-all', null],
    ]);
    expect(election?.Candidate[6]?.ExternalIdentifier).toEqual([other('canvass-id', 'against-all'), other('canvass-against-all', 'true')]);
  });

  it('writes the 2023 party lists as a PartyContest with the seats, against-all as an unrecognised party', () => {
    const report = exportNistErr(kz2023Input, 'summary');
    const contest = report.Election[0]?.Contest[0];
    expect(contest?.['@type']).toBe('ElectionResults.PartyContest');
    expect(contest?.ContestSelection.map((s) => s.VoteCounts.filter((v) => v.Type === 'seats').map((v) => v.Count))).toEqual([
      [40],
      [8],
      [6],
      [6],
      [5],
      [4],
      [0],
      [],
    ]);
    expect(report.Party.at(-1)).toEqual({
      '@type': 'ElectionResults.Party',
      '@id': 'party-mazhilis-list-against-all',
      Name: text(['en', 'Against all'], ['ru', 'Против всех'], ['kk', 'Барлығына қарсы']),
      IsRecognizedParty: false,
      ExternalIdentifier: [other('canvass-id', 'against-all'), other('canvass-against-all', 'true')],
    });
  });

  it.each([
    ['the sample election, summary', () => exportNistErr(sample, 'summary')],
    ['the sample election, precinct level', () => exportNistErr(sample, 'precinct')],
    ['KZ 2022 president, summary', () => exportNistErr(kz2022Input, 'summary')],
    ['KZ 2022 president, precinct level (10,101 stations)', () => exportNistErr(kz2022Input, 'precinct')],
    ['KZ 2023 Mazhilis party lists, summary', () => exportNistErr(kz2023Input, 'summary')],
    ['KZ 2023 Mazhilis party lists, precinct level', () => exportNistErr(kz2023Input, 'precinct')],
    [
      'the hand-written foreign report the importer tests read',
      (): unknown => JSON.parse(readFileSync(new URL('../../../test-data/nist-err/foreign-precinct-report.json', import.meta.url), 'utf8')),
    ],
  ])('validates against the official NIST schema: %s', (_name, make) => {
    const report = make();
    expect(schemaErrors(report)).toEqual([]);
    expect(duplicateIds(report)).toEqual([]);
  });

  it('has a schema check that does catch broken reports', () => {
    const broken = JSON.parse(JSON.stringify(exportNistErr(sample, 'summary'))) as {
      Election: { ElectionScopeId: string; Contest: { VoteVariation: string; Extra?: number }[] }[];
    };
    const election = broken.Election[0];
    const contest = election?.Contest[0];
    if (!election || !contest) throw new Error('sample report has no contest');
    election.ElectionScopeId = 'cand-president-ana';
    contest.VoteVariation = 'two-round';
    contest.Extra = 1;
    expect(schemaErrors(broken)).toEqual(
      expect.arrayContaining([
        '/Election/0/ElectionScopeId refTypes must pass "refTypes" keyword validation',
        '/Election/0/Contest/0 oneOf must match exactly one schema in oneOf',
      ]),
    );
    expect(schemaErrors({ ...exportNistErr(sample, 'summary'), GeneratedDate: '2024-03-18T02:30:00.456Z' })).toEqual([
      '/GeneratedDate pattern must match pattern "[0-9]{4}-(0?[1-9]|1[012])-(0?[1-9]|[12][0-9]|3[01])T(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]|(24:00:00))(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))"',
    ]);
  });
});

function kz2022RegionUnits(): string[] {
  return kz2022.election.divisions.filter((d) => d.parent === 'kz').map((d) => `gpu-${d.id}`);
}
