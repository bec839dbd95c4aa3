import { ElectionSchema, type Election } from '../src/index.js';

/**
 * A small hand-made election for core tests, written as a user would write the JSON (defaults applied by the
 * schema): country → 2 regions → 3 districts → 6 stations, a KZ-style protocol and rule pack.
 */
export function electionJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const names = (en: string) => ({ en, ru: `${en} (ru)`, kk: `${en} (kk)` });
  const divisions: Record<string, unknown>[] = [{ id: 'c', kind: 'country', names: names('Country'), externalIds: { 'iso3166-1': 'XX' } }];
  for (const [region, districts] of [
    ['r1', ['r1-d1', 'r1-d2']],
    ['r2', ['r2-d1']],
  ] as const) {
    divisions.push({ id: region, kind: 'region', parent: 'c', names: names(region) });
    for (const district of districts) {
      divisions.push({ id: district, kind: 'district', parent: region, names: names(district) });
      for (const s of [1, 2])
        divisions.push({
          id: `${district}-s${s}`,
          kind: 'polling-station',
          parent: district,
          names: names(`${district}-s${s}`),
          registered: 1000,
        });
    }
  }
  return {
    format: 'canvass-election/1',
    id: 'fixture-2026',
    names: names('Fixture election'),
    date: '2026-11-29',
    timeZone: 'Asia/Almaty',
    protocol: {
      lines: ['voters', 'received', 'issued', 'cancelled', 'in-boxes', 'invalid'].map((id) => ({ id, names: names(id) })),
      roles: { registered: [{ line: 'voters' }], participated: [{ line: 'issued' }], invalid: [{ line: 'invalid' }] },
      rules: {
        id: 'fixture-rules',
        version: '1',
        relations: [
          {
            code: 'F-1',
            severity: 'error',
            left: [{ line: 'received' }],
            op: 'eq',
            right: [{ line: 'issued' }, { line: 'cancelled' }],
            message: { en: 'received {left} ≠ issued + cancelled {right} ({difference})', ru: 'получено {left} ≠ {right}' },
          },
          {
            code: 'F-2',
            severity: 'error',
            left: [{ line: 'in-boxes' }],
            op: 'eq',
            right: [{ line: 'invalid' }, { options: 'all' }],
            message: { en: 'boxes {left} ≠ invalid + votes {right}' },
          },
          {
            code: 'F-3',
            severity: 'warning',
            left: [{ line: 'in-boxes' }],
            op: 'ge',
            right: [{ line: 'issued' }],
            message: { en: 'fewer in boxes ({left}) than issued ({right})' },
          },
        ],
      },
    },
    turnoutSchedule: ['10:00', '18:00'],
    divisions,
    contests: [
      {
        id: 'president',
        kind: 'majority-runoff',
        names: names('President'),
        division: 'c',
        options: [
          { id: 'a', kind: 'candidate', names: names('A') },
          { id: 'b', kind: 'candidate', names: names('B') },
          { id: 'c', kind: 'candidate', names: names('C') },
          { id: 'against-all', kind: 'against-all', names: names('Against all') },
        ],
      },
    ],
    ...overrides,
  };
}

export const fixtureElection = (overrides: Record<string, unknown> = {}): Election => ElectionSchema.parse(electionJson(overrides));

export const STATIONS = ['r1-d1-s1', 'r1-d1-s2', 'r1-d2-s1', 'r1-d2-s2', 'r2-d1-s1', 'r2-d1-s2'] as const;

/** A protocol that satisfies every relation: `invalid` spoiled ballots, the rest as given. */
export function protocol(
  station: string,
  votes: { a: number; b: number; c: number; 'against-all': number },
  invalid = 10,
  issuedExtra = 0,
) {
  const valid = votes.a + votes.b + votes.c + votes['against-all'];
  const inBoxes = valid + invalid;
  const issued = inBoxes + issuedExtra;
  return {
    election: 'fixture-2026',
    contest: 'president',
    station,
    lines: { voters: 1000, received: 1000, issued, cancelled: 1000 - issued, 'in-boxes': inBoxes, invalid },
    votes,
  };
}
