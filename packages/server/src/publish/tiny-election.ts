/**
 * A tiny election whose every published file fits on a screen, for tests and the examples in docs/publication.md:
 * country → two regions → (a district) → five polling stations; a presidential contest everywhere and a mayoral
 * contest in region r1 only. Figures are invented.
 */
import {
  ELECTION_FORMAT,
  POLLING_STATION,
  asContestId,
  asDivisionId,
  asElectionId,
  asOptionId,
  type Election,
  type Protocol,
} from '@canvass/core';
import { KZ_LINES, KZ_PROTOCOL } from '../demo-data/kz-protocol.js';

const d = asDivisionId;
const station = (id: string, parent: string, registered: number) => ({
  id: d(id),
  kind: POLLING_STATION,
  parent: d(parent),
  names: { en: `Station ${id}`, ru: `Участок ${id}`, kk: `${id} учаскесі` },
  registered,
});

export const TINY_ELECTION: Election = {
  format: ELECTION_FORMAT,
  id: asElectionId('tiny-2030'),
  names: { en: 'Tiny election 2030', ru: 'Малые выборы 2030', kk: 'Шағын сайлау 2030' },
  date: '2030-03-03',
  timeZone: 'Asia/Almaty',
  synthetic: { en: 'Invented figures.', ru: 'Вымышленные цифры.', kk: 'Ойдан шығарылған сандар.' },
  doubleEntry: false,
  protocol: KZ_PROTOCOL,
  turnoutSchedule: ['10:00', '20:00'],
  divisions: [
    { id: d('c'), kind: 'country', names: { en: 'Country', ru: 'Страна', kk: 'Ел' } },
    { id: d('r1'), kind: 'region', parent: d('c'), names: { en: 'Region 1', ru: 'Область 1', kk: '1-облыс' } },
    { id: d('r2'), kind: 'region', parent: d('c'), names: { en: 'Region 2', ru: 'Область 2', kk: '2-облыс' } },
    station('s1', 'r1', 100),
    station('s2', 'r1', 200),
    { id: d('d21'), kind: 'district', parent: d('r2'), names: { en: 'District 21', ru: 'Район 21', kk: '21-аудан' } },
    station('s3', 'd21', 300),
    station('s4', 'd21', 400),
    station('s5', 'r2', 500),
  ],
  contests: [
    {
      id: asContestId('president'),
      kind: 'majority-runoff',
      names: { en: 'President', ru: 'Президент', kk: 'Президент' },
      division: d('c'),
      options: [
        { id: asOptionId('ann'), kind: 'candidate', names: { en: 'Ann', ru: 'Анна', kk: 'Әнна' } },
        { id: asOptionId('bob'), kind: 'candidate', names: { en: 'Bob', ru: 'Боб', kk: 'Боб' } },
        { id: asOptionId('against-all'), kind: 'against-all', names: { en: 'Against all', ru: 'Против всех', kk: 'Барлығына қарсы' } },
      ],
      rules: { percentBase: [{ options: 'all' }], winThreshold: { percent: '50', strict: true }, runoffSize: 2 },
    },
    {
      id: asContestId('mayor-r1'),
      kind: 'plurality',
      names: { en: 'Mayor of Region 1', ru: 'Аким области 1', kk: '1-облыс әкімі' },
      division: d('r1'),
      options: [
        { id: asOptionId('xia'), kind: 'candidate', names: { en: 'Xia' } },
        { id: asOptionId('yun'), kind: 'candidate', names: { en: 'Yun' } },
      ],
      rules: { percentBase: [{ options: 'all' }], seats: 1 },
    },
  ],
};

/** A protocol that satisfies the Kazakh control relations: everyone on the list got a ballot or it was cancelled. */
export function tinyProtocol(
  contest: string,
  stationId: string,
  registered: number,
  votes: Record<string, number>,
  invalid: number,
): Protocol {
  const valid = Object.values(votes).reduce((a, b) => a + b, 0);
  const participated = valid + invalid;
  return {
    election: asElectionId('tiny-2030'),
    contest: asContestId(contest),
    station: d(stationId),
    lines: {
      [KZ_LINES.voters]: registered,
      [KZ_LINES.received]: registered,
      [KZ_LINES.issued]: participated,
      [KZ_LINES.cancelled]: registered - participated,
      [KZ_LINES.inBoxes]: participated,
      [KZ_LINES.invalid]: invalid,
    },
    votes: Object.fromEntries(Object.entries(votes).map(([k, v]) => [asOptionId(k), v])),
  };
}

/** Four of the five stations have reported the presidential contest (s5 has not); both r1 stations the mayoral one. */
export const TINY_PROTOCOLS: readonly Protocol[] = [
  tinyProtocol('president', 's1', 100, { ann: 40, bob: 30, 'against-all': 5 }, 5),
  tinyProtocol('president', 's2', 200, { ann: 70, bob: 80, 'against-all': 10 }, 0),
  tinyProtocol('president', 's3', 300, { ann: 150, bob: 90, 'against-all': 0 }, 3),
  {
    ...tinyProtocol('president', 's4', 400, { ann: 100, bob: 120, 'against-all': 30 }, 10),
    reason: 'Recount, "box 2", ordered\nby the district commission',
  },
  tinyProtocol('mayor-r1', 's1', 100, { xia: 50, yun: 30 }, 0),
  tinyProtocol('mayor-r1', 's2', 200, { xia: 90, yun: 90 }, 0),
];
