/**
 * A small hand-made election for the format tests and the examples in docs/formats: two provinces, one district,
 * an abroad unit, four polling stations, a two-round presidential contest and a party-list contest, both with
 * against-all. Three stations have reported; the one abroad has not. Every figure is invented.
 */
import {
  ELECTION_FORMAT,
  POLLING_STATION,
  asContestId,
  asDivisionId,
  asElectionId,
  asLineId,
  asOptionId,
  type Election,
  type Protocol,
} from '@canvass/core';

const VOTERS = asLineId('voters');
const ISSUED = asLineId('ballots-issued');
const INVALID = asLineId('invalid');

export const SAMPLE_ELECTION: Election = {
  format: ELECTION_FORMAT,
  id: asElectionId('sample-2024'),
  names: { en: 'Sample general election 2024', ru: 'Образцовые всеобщие выборы 2024' },
  date: '2024-03-17',
  timeZone: 'Asia/Almaty',
  doubleEntry: false,
  protocol: {
    lines: [
      { id: VOTERS, names: { en: 'Voters on the list' } },
      { id: ISSUED, names: { en: 'Ballots issued' } },
      { id: INVALID, names: { en: 'Invalid ballots' } },
    ],
    roles: {
      registered: [{ line: VOTERS }],
      participated: [{ line: ISSUED }],
      invalid: [{ line: INVALID }],
      valid: [{ options: 'all' }],
    },
    rules: {
      id: 'sample',
      version: '1',
      relations: [
        {
          code: 'S-1',
          severity: 'error',
          left: [{ line: ISSUED }],
          op: 'ge',
          right: [{ line: INVALID }, { options: 'all' }],
          message: { en: 'More ballots counted ({right}) than issued ({left}).' },
        },
      ],
    },
  },
  turnoutSchedule: [],
  divisions: [
    {
      id: asDivisionId('xa'),
      kind: 'country',
      names: { en: 'Sample Republic', ru: 'Образцовая Республика' },
      externalIds: { 'iso3166-1': 'XA', 'ocd-id': 'ocd-division/country:xa' },
    },
    {
      id: asDivisionId('xa-n'),
      kind: 'region',
      parent: asDivisionId('xa'),
      names: { en: 'North Province' },
      externalIds: { 'iso3166-2': 'XA-N', 'ocd-id': 'ocd-division/country:xa/region:n' },
    },
    { id: asDivisionId('xa-n-1'), kind: 'district', parent: asDivisionId('xa-n'), names: { en: 'Riverside District' } },
    {
      id: asDivisionId('st-101'),
      kind: POLLING_STATION,
      parent: asDivisionId('xa-n-1'),
      names: { en: 'Polling station 101' },
      registered: 1000,
    },
    {
      id: asDivisionId('st-102'),
      kind: POLLING_STATION,
      parent: asDivisionId('xa-n-1'),
      names: { en: 'Polling station 102' },
      registered: 800,
    },
    {
      id: asDivisionId('xa-s'),
      kind: 'region',
      parent: asDivisionId('xa'),
      names: { en: 'South Province' },
      externalIds: { 'iso3166-2': 'XA-S' },
    },
    {
      id: asDivisionId('st-201'),
      kind: POLLING_STATION,
      parent: asDivisionId('xa-s'),
      names: { en: 'Polling station 201' },
      registered: 1200,
    },
    { id: asDivisionId('xa-abroad'), kind: 'abroad', parent: asDivisionId('xa'), names: { en: 'Stations abroad' } },
    {
      id: asDivisionId('st-901'),
      kind: POLLING_STATION,
      parent: asDivisionId('xa-abroad'),
      names: { en: 'Polling station 901' },
      registered: 150,
    },
  ],
  contests: [
    {
      id: asContestId('president'),
      kind: 'majority-runoff',
      names: { en: 'President', ru: 'Президент' },
      division: asDivisionId('xa'),
      options: [
        { id: asOptionId('ana'), kind: 'candidate', names: { en: 'Ana Arman' }, party: { en: 'Unity Party' } },
        { id: asOptionId('boris'), kind: 'candidate', names: { en: 'Boris Bek' }, party: { en: 'Green League' } },
        { id: asOptionId('against-all'), kind: 'against-all', names: { en: 'Against all', ru: 'Против всех' } },
      ],
      rules: { percentBase: [{ options: 'all' }], winThreshold: { percent: '50', strict: true }, runoffSize: 2 },
    },
    {
      id: asContestId('assembly'),
      kind: 'party-list',
      names: { en: 'National Assembly' },
      division: asDivisionId('xa'),
      options: [
        { id: asOptionId('unity'), kind: 'list', names: { en: 'Unity Party' }, registrationOrder: 2 },
        { id: asOptionId('green'), kind: 'list', names: { en: 'Green League' }, registrationOrder: 1 },
        { id: asOptionId('against-all'), kind: 'against-all', names: { en: 'Against all' } },
      ],
      rules: {
        percentBase: [{ options: 'all' }],
        method: 'hare-largest-remainder',
        seats: 10,
        threshold: { percent: '5', base: [{ options: 'all' }], inclusive: true },
        tieBreak: 'earlier-registration',
      },
    },
  ],
};

const protocol = (
  contest: string,
  station: string,
  [voters, issued, invalid]: readonly [number, number, number],
  votes: Readonly<Record<string, number>>,
): Protocol => ({
  election: SAMPLE_ELECTION.id,
  contest: asContestId(contest),
  station: asDivisionId(station),
  lines: { [VOTERS]: voters, [ISSUED]: issued, [INVALID]: invalid },
  votes: Object.fromEntries(Object.entries(votes).map(([option, n]) => [asOptionId(option), n])),
});

/** The counted protocols: stations 101, 102 and 201 for both contests (901, abroad, has not reported). */
export const SAMPLE_PROTOCOLS: readonly Protocol[] = [
  protocol('president', 'st-101', [1000, 700, 20], { ana: 400, boris: 230, 'against-all': 50 }),
  protocol('president', 'st-102', [800, 500, 10], { ana: 200, boris: 250, 'against-all': 40 }),
  protocol('president', 'st-201', [1200, 900, 30], { ana: 300, boris: 500, 'against-all': 70 }),
  protocol('assembly', 'st-101', [1000, 700, 25], { unity: 390, green: 260, 'against-all': 25 }),
  protocol('assembly', 'st-102', [800, 500, 12], { unity: 250, green: 220, 'against-all': 18 }),
  protocol('assembly', 'st-201', [1200, 900, 28], { unity: 480, green: 370, 'against-all': 22 }),
];
