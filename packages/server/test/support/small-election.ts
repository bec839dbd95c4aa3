import {
  ELECTION_FORMAT,
  POLLING_STATION,
  asContestId,
  asDivisionId,
  asElectionId,
  asOptionId,
  type Division,
  type Election,
  type Protocol,
} from '@canvass/core';
import { KZ_PROTOCOL } from '../../src/demo-data/kz-protocol.js';

/**
 * A small election for API tests: country `c` → regions `r1`, `r2` → districts `r1-d1`, `r1-d2`, `r2-d1` → two
 * stations each (`r1-d1-s1` …), a majority-runoff contest with three candidates and against-all.
 */
export function smallElection(options: { doubleEntry?: boolean; id?: string } = {}): Election {
  const names = (en: string) => ({ en, ru: en, kk: en });
  const divisions: Division[] = [{ id: asDivisionId('c'), kind: 'country', names: names('Country') }];
  for (const [region, districts] of [
    ['r1', ['r1-d1', 'r1-d2']],
    ['r2', ['r2-d1']],
  ] as const) {
    divisions.push({ id: asDivisionId(region), kind: 'region', parent: asDivisionId('c'), names: names(`Region ${region}`) });
    for (const district of districts) {
      divisions.push({ id: asDivisionId(district), kind: 'district', parent: asDivisionId(region), names: names(`District ${district}`) });
      for (const s of [1, 2]) {
        divisions.push({
          id: asDivisionId(`${district}-s${s}`),
          kind: POLLING_STATION,
          parent: asDivisionId(district),
          names: names(`Station ${district}-s${s}`),
          registered: 1000,
        });
      }
    }
  }
  return {
    format: ELECTION_FORMAT,
    id: asElectionId(options.id ?? 'test-2026'),
    names: names('Test election'),
    date: '2026-11-29',
    timeZone: 'Asia/Almaty',
    doubleEntry: options.doubleEntry ?? false,
    protocol: KZ_PROTOCOL,
    turnoutSchedule: ['10:00', '12:00', '18:00'],
    divisions,
    contests: [
      {
        id: asContestId('president'),
        kind: 'majority-runoff',
        names: names('President'),
        division: asDivisionId('c'),
        options: [
          { id: asOptionId('a'), kind: 'candidate', names: names('A') },
          { id: asOptionId('b'), kind: 'candidate', names: names('B') },
          { id: asOptionId('c'), kind: 'candidate', names: names('C') },
          { id: asOptionId('against-all'), kind: 'against-all', names: names('Against all') },
        ],
        rules: { percentBase: [{ options: 'all' }], winThreshold: { percent: '50', strict: true }, runoffSize: 2 },
      },
    ],
  };
}

export const STATIONS = ['r1-d1-s1', 'r1-d1-s2', 'r1-d2-s1', 'r1-d2-s2', 'r2-d1-s1', 'r2-d1-s2'] as const;

/** A valid protocol: 1000 voters, `issued` took part, votes split as given, invalid = the rest. */
export function protocolFor(
  station: string,
  votes: { a: number; b: number; c: number; 'against-all': number },
  extra: { invalid?: number; reason?: string; election?: string } = {},
): Protocol {
  const valid = votes.a + votes.b + votes.c + votes['against-all'];
  const invalid = extra.invalid ?? 10;
  const issued = valid + invalid;
  return {
    election: asElectionId(extra.election ?? 'test-2026'),
    contest: asContestId('president'),
    station: asDivisionId(station),
    lines: {
      voters: 1000,
      'ballots-received': 1000,
      'ballots-issued': issued,
      'ballots-cancelled': 1000 - issued,
      'ballots-in-boxes': issued,
      invalid,
    },
    votes,
    ...(extra.reason !== undefined ? { reason: extra.reason } : {}),
  } as Protocol;
}
