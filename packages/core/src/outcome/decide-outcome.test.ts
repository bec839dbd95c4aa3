import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ContestSchema, type Contest } from '../model/election.js';
import { decideOutcome, type Outcome } from './decide-outcome.js';

type OptionSpec = readonly [id: string, kind: 'candidate' | 'list' | 'against-all', registrationOrder?: number];

/** A contest as an election file would hold it, parsed through the schema so that the defaults apply. */
function contest(kind: Contest['kind'], options: readonly OptionSpec[], rules?: Record<string, unknown>): Contest {
  return ContestSchema.parse({
    id: `test-${kind}`,
    kind,
    names: { en: `Test ${kind}` },
    division: 'kz',
    options: options.map(([id, optionKind, registrationOrder]) => ({
      id,
      kind: optionKind,
      names: { en: id },
      ...(registrationOrder === undefined ? {} : { registrationOrder }),
    })),
    ...(rules === undefined ? {} : { rules }),
  });
}

const sum = (votes: readonly number[]) => votes.reduce((a, b) => a + b, 0);

describe('the schema defaults the tests rely on', () => {
  it('majority-runoff: more than 50 %, two in the runoff; party-list: report ties, inclusive threshold', () => {
    expect(contest('majority-runoff', [['a', 'candidate']]).rules).toEqual({
      percentBase: [{ options: 'all' }],
      winThreshold: { percent: '50', strict: true },
      runoffSize: 2,
    });
    expect(contest('plurality', [['a', 'candidate']]).rules).toEqual({ percentBase: [{ options: 'all' }], seats: 1 });
    expect(contest('party-list', [['a', 'list']], { method: 'dhondt', seats: 3, threshold: { percent: '5' } }).rules).toEqual({
      percentBase: [{ options: 'all' }],
      method: 'dhondt',
      seats: 3,
      threshold: { percent: '5', base: [{ options: 'all' }], inclusive: true },
      tieBreak: 'report',
    });
  });
});

describe('decideOutcome: majority-runoff (Kazakhstan, President)', () => {
  const president = contest('majority-runoff', [
    ['a', 'candidate'],
    ['b', 'candidate'],
    ['c', 'candidate'],
    ['against', 'against-all'],
  ]);
  const decide = (votes: readonly number[], c: Contest = president): Outcome => decideOutcome(c, { votes, percentBase: sum(votes) });

  it('2022: Tokayev elected in the first round with 81.31 % of 7,940,478', () => {
    const kz2022 = contest('majority-runoff', [
      ['tokayev', 'candidate'],
      ['dairabayev', 'candidate'],
      ['abden', 'candidate'],
      ['kazhyken', 'candidate'],
      ['auesbayev', 'candidate'],
      ['tursynbekova', 'candidate'],
      ['against-all', 'against-all'],
    ]);
    const votes = [6_456_393, 271_641, 206_206, 200_907, 176_116, 168_731, 460_484];
    expect(sum(votes)).toBe(7_940_478);
    expect(decideOutcome(kz2022, { votes, percentBase: 7_940_478 })).toEqual({ kind: 'elected', elected: ['tokayev'] });
  });

  it('more than 50 % is elected; exactly 50 % is not, and goes to a runoff', () => {
    expect(decide([5_000_001, 3_000_000, 1_000_000, 999_999])).toEqual({ kind: 'elected', elected: ['a'] });
    expect(decide([5_000_000, 3_000_000, 1_000_000, 1_000_000])).toEqual({ kind: 'runoff', runoff: ['a', 'b'] });
    // Smallest numbers: 2 of 3 elected; 1 of 2 not.
    expect(decide([2, 1, 0, 0])).toEqual({ kind: 'elected', elected: ['a'] });
    expect(decide([1, 1, 0, 0])).toEqual({ kind: 'runoff', runoff: ['a', 'b'] });
    expect(decide([1, 1, 0, 1])).toEqual({ kind: 'runoff', runoff: ['a', 'b'] });
    // Candidates without votes still compete for the second place: b and c tie at 0.
    expect(decide([1, 0, 0, 1])).toEqual({ kind: 'tie', for: 'runoff', tied: ['b', 'c'], settled: ['a'], places: 1 });
  });

  it('the majority is of the percentage base given, not of the candidates’ votes', () => {
    // 60 of 100 candidate votes, but the base (valid ballots) is 130 → 46.2 %.
    expect(decideOutcome(president, { votes: [60, 30, 10, 0], percentBase: 130 })).toEqual({ kind: 'runoff', runoff: ['a', 'b'] });
    expect(decideOutcome(president, { votes: [60, 30, 10, 0], percentBase: 119 })).toEqual({ kind: 'elected', elected: ['a'] });
    expect(decideOutcome(president, { votes: [60, 30, 10, 0], percentBase: 120 })).toEqual({ kind: 'runoff', runoff: ['a', 'b'] });
  });

  it('the runoff is between the two with the most votes, leader first, whatever the ballot order', () => {
    expect(decide([100, 300, 200, 50])).toEqual({ kind: 'runoff', runoff: ['b', 'c'] });
    expect(decide([100, 200, 300, 50])).toEqual({ kind: 'runoff', runoff: ['c', 'b'] });
  });

  it('against-all is never elected and never in the runoff, even with the most votes', () => {
    expect(decide([20, 15, 5, 60])).toEqual({ kind: 'runoff', runoff: ['a', 'b'] });
    expect(decide([0, 1, 2, 97])).toEqual({ kind: 'runoff', runoff: ['c', 'b'] });
  });

  it('against-all is in the base, so it can force a runoff', () => {
    // a has 48 / 60 = 80 % of the candidates’ votes but 48 / 100 = 48 % of the base.
    expect(decide([48, 10, 2, 40])).toEqual({ kind: 'runoff', runoff: ['a', 'b'] });
    // Without against-all's 40 votes the same candidate votes elect a.
    expect(decide([48, 10, 2, 0])).toEqual({ kind: 'elected', elected: ['a'] });
  });

  it('a tie for first place between the top two sends both to the runoff', () => {
    expect(decide([40, 40, 15, 5])).toEqual({ kind: 'runoff', runoff: ['a', 'b'] });
  });

  it('a tie for first place between three is a tie for both runoff places', () => {
    expect(decide([30, 30, 30, 10])).toEqual({ kind: 'tie', for: 'runoff', tied: ['a', 'b', 'c'], settled: [], places: 2 });
  });

  it('a tie for the second runoff place is reported, with the leader settled', () => {
    expect(decide([40, 25, 25, 10])).toEqual({ kind: 'tie', for: 'runoff', tied: ['b', 'c'], settled: ['a'], places: 1 });
    expect(decide([25, 40, 25, 10])).toEqual({ kind: 'tie', for: 'runoff', tied: ['a', 'c'], settled: ['b'], places: 1 });
    // Against-all level with the second candidate changes nothing: it is not in the race.
    expect(decide([40, 25, 20, 25])).toEqual({ kind: 'runoff', runoff: ['a', 'b'] });
  });

  it('no votes: no-votes', () => {
    expect(decide([0, 0, 0, 0])).toEqual({ kind: 'no-votes' });
    expect(decideOutcome(president, { votes: [0, 0, 0, 0], percentBase: 0 })).toEqual({ kind: 'no-votes' });
    expect(decideOutcome(president, { votes: [], percentBase: 0 })).toEqual({ kind: 'no-votes' });
    // Only against-all has votes: no candidate can be elected or go to a runoff.
    expect(decide([0, 0, 0, 10])).toEqual({ kind: 'no-votes' });
  });

  it('with "at least 50 %" (strict: false) exactly half is elected, and two halves are a tie', () => {
    const atLeastContest = contest(
      'majority-runoff',
      [
        ['a', 'candidate'],
        ['b', 'candidate'],
        ['c', 'candidate'],
        ['against', 'against-all'],
      ],
      { winThreshold: { percent: '50', strict: false } },
    );
    expect(decide([50, 30, 10, 10], atLeastContest)).toEqual({ kind: 'elected', elected: ['a'] });
    expect(decide([49, 31, 10, 10], atLeastContest)).toEqual({ kind: 'runoff', runoff: ['a', 'b'] });
    expect(decide([50, 50, 0, 0], atLeastContest)).toEqual({ kind: 'tie', for: 'elected', tied: ['a', 'b'], settled: [], places: 1 });
  });

  it('a different threshold and runoff size are parameters', () => {
    const c = contest(
      'majority-runoff',
      [
        ['a', 'candidate'],
        ['b', 'candidate'],
        ['c', 'candidate'],
        ['d', 'candidate'],
      ],
      { winThreshold: { percent: '40', strict: false }, runoffSize: 3 },
    );
    expect(decide([40, 30, 20, 10], c)).toEqual({ kind: 'elected', elected: ['a'] });
    expect(decide([39, 31, 20, 10], c)).toEqual({ kind: 'runoff', runoff: ['a', 'b', 'c'] });
    expect(decide([39, 31, 15, 15], c)).toEqual({ kind: 'tie', for: 'runoff', tied: ['c', 'd'], settled: ['a', 'b'], places: 1 });
  });
});

describe('decideOutcome: plurality', () => {
  const options: OptionSpec[] = [
    ['a', 'candidate'],
    ['b', 'candidate'],
    ['c', 'candidate'],
    ['d', 'candidate'],
    ['against', 'against-all'],
  ];
  const one = contest('plurality', options);
  const three = contest('plurality', options, { seats: 3 });
  const decide = (c: Contest, votes: readonly number[]) => decideOutcome(c, { votes, percentBase: sum(votes) });

  it('one seat: the most votes wins, with no majority needed; against-all is never elected', () => {
    expect(decide(one, [10, 30, 20, 5, 0])).toEqual({ kind: 'elected', elected: ['b'] });
    expect(decide(one, [10, 30, 20, 5, 90])).toEqual({ kind: 'elected', elected: ['b'] });
    expect(decide(one, [1, 0, 0, 0, 0])).toEqual({ kind: 'elected', elected: ['a'] });
  });

  it('one seat: a tie for first place is reported', () => {
    expect(decide(one, [30, 10, 30, 5, 0])).toEqual({ kind: 'tie', for: 'elected', tied: ['a', 'c'], settled: [], places: 1 });
    // Against-all level with the leader is no tie.
    expect(decide(one, [30, 10, 20, 5, 30])).toEqual({ kind: 'elected', elected: ['a'] });
  });

  it('three seats: the three with the most votes, most first', () => {
    expect(decide(three, [20, 50, 30, 40, 100])).toEqual({ kind: 'elected', elected: ['b', 'd', 'c'] });
    // A tie above the boundary decides nothing.
    expect(decide(three, [50, 50, 30, 20, 0])).toEqual({ kind: 'elected', elected: ['a', 'b', 'c'] });
  });

  it('three seats: a tie at the boundary is reported with the settled winners', () => {
    expect(decide(three, [50, 40, 30, 30, 0])).toEqual({ kind: 'tie', for: 'elected', tied: ['c', 'd'], settled: ['a', 'b'], places: 1 });
    expect(decide(three, [50, 30, 30, 30, 0])).toEqual({ kind: 'tie', for: 'elected', tied: ['b', 'c', 'd'], settled: ['a'], places: 2 });
    expect(decide(three, [7, 7, 7, 7, 0])).toEqual({ kind: 'tie', for: 'elected', tied: ['a', 'b', 'c', 'd'], settled: [], places: 3 });
  });

  it('more seats than candidates: every candidate is elected', () => {
    const five = contest(
      'plurality',
      [
        ['a', 'candidate'],
        ['b', 'candidate'],
      ],
      { seats: 5 },
    );
    expect(decide(five, [3, 9])).toEqual({ kind: 'elected', elected: ['b', 'a'] });
  });

  it('no votes for any candidate: no-votes', () => {
    expect(decide(one, [0, 0, 0, 0, 0])).toEqual({ kind: 'no-votes' });
    expect(decide(three, [0, 0, 0, 0, 0])).toEqual({ kind: 'no-votes' });
  });
});

describe('decideOutcome: party-list', () => {
  const ballot: OptionSpec[] = [
    ['a', 'list'],
    ['b', 'list'],
    ['c', 'list'],
    ['against', 'against-all'],
  ];
  const partyList = (rules: Record<string, unknown>, options: readonly OptionSpec[] = ballot) =>
    contest('party-list', options, { method: 'hare-largest-remainder', seats: 10, threshold: { percent: '5' }, ...rules });

  it('Kazakhstan Mazhilis 2023: 40/8/6/6/5/4 and Baytaq below 5 % gets 0', () => {
    const mazhilis = contest(
      'party-list',
      [
        ['amanat', 'list'],
        ['auyl', 'list'],
        ['respublica', 'list'],
        ['ak-zhol', 'list'],
        ['peoples-party', 'list'],
        ['osdp', 'list'],
        ['baytaq', 'list'],
        ['against-all', 'against-all'],
      ],
      { method: 'hare-largest-remainder', seats: 69, threshold: { percent: '5' }, tieBreak: 'earlier-registration' },
    );
    const votes = [3_431_510, 693_938, 547_154, 535_139, 432_920, 331_058, 146_431, 248_291];
    expect(sum(votes)).toBe(6_366_441);
    expect(decideOutcome(mazhilis, { votes, percentBase: 6_366_441, thresholdBase: 6_366_441 })).toEqual({
      kind: 'seats',
      seats: { amanat: 40, auyl: 8, respublica: 6, 'ak-zhol': 6, 'peoples-party': 5, osdp: 4, baytaq: 0 },
      qualified: ['amanat', 'auyl', 'respublica', 'ak-zhol', 'peoples-party', 'osdp'],
    });
  });

  it('a list with exactly 5 % qualifies (inclusive, the default)', () => {
    // Base 1,000: b has 50 = 5 % exactly, c 49 = 4.9 %. Hare among a (600) and b (50): quotas 10·600/650 = 9.23
    // and 0.77 → 9 + 0; the last seat by remainder (.77 > .23) → b.
    const votes = [600, 50, 49, 301];
    expect(decideOutcome(partyList({}), { votes, percentBase: 1_000 })).toEqual({
      kind: 'seats',
      seats: { a: 9, b: 1, c: 0 },
      qualified: ['a', 'b'],
    });
  });

  it('with inclusive: false exactly 5 % does not qualify, 5 % and a vote more does', () => {
    const strict = partyList({ threshold: { percent: '5', inclusive: false } });
    expect(decideOutcome(strict, { votes: [600, 50, 49, 301], percentBase: 1_000 })).toEqual({
      kind: 'seats',
      seats: { a: 10, b: 0, c: 0 },
      qualified: ['a'],
    });
    // 51 of 1,001 = 5.09 %.
    expect(decideOutcome(strict, { votes: [600, 51, 49, 301], percentBase: 1_001 })).toEqual({
      kind: 'seats',
      seats: { a: 9, b: 1, c: 0 },
      qualified: ['a', 'b'],
    });
  });

  it('against-all counts in the threshold base but never takes seats', () => {
    // Against-all has the most votes. With it in the base (1,000), c's 49 is 4.9 % and out; without it (base 650)
    // c's 49 would be 7.5 %.
    const votes = [250, 351, 49, 350];
    expect(decideOutcome(partyList({}), { votes, percentBase: 1_000, thresholdBase: 1_000 })).toEqual({
      kind: 'seats',
      // Hare among a 250 and b 351 (V 601): quotas 4.16 and 5.84 → 4 + 5, last seat b (.84) → 4/6.
      seats: { a: 4, b: 6, c: 0 },
      qualified: ['a', 'b'],
    });
    expect(decideOutcome(partyList({}), { votes, percentBase: 1_000, thresholdBase: 650 })).toEqual({
      kind: 'seats',
      // Hare among 250, 351, 49 (V 650): quotas 3.85 · 5.40 · 0.75 → 3 + 5 + 0; remainders .85 (a), .75 (c) → 4/5/1.
      seats: { a: 4, b: 5, c: 1 },
      qualified: ['a', 'b', 'c'],
    });
  });

  it('the threshold base defaults to the percentage base', () => {
    expect(decideOutcome(partyList({}), { votes: [600, 50, 49, 301], percentBase: 1_000 })).toEqual(
      decideOutcome(partyList({}), { votes: [600, 50, 49, 301], percentBase: 1_000, thresholdBase: 1_000 }),
    );
    expect(decideOutcome(partyList({}), { votes: [600, 50, 49, 301], percentBase: 2_000, thresholdBase: 1_000 })).toEqual({
      kind: 'seats',
      seats: { a: 9, b: 1, c: 0 },
      qualified: ['a', 'b'],
    });
  });

  it('the contest method is used', () => {
    // D'Hondt among a 600 and b 50: b's 50 never beats a's 600/10 = 60 → 10/0.
    expect(decideOutcome(partyList({ method: 'dhondt' }), { votes: [600, 50, 49, 301], percentBase: 1_000 })).toEqual({
      kind: 'seats',
      seats: { a: 10, b: 0, c: 0 },
      qualified: ['a', 'b'],
    });
  });

  it('no list over the threshold: every list gets 0 (the fallback is for the commission)', () => {
    expect(decideOutcome(partyList({}), { votes: [40, 30, 20, 910], percentBase: 1_000 })).toEqual({
      kind: 'seats',
      seats: { a: 0, b: 0, c: 0 },
      qualified: [],
    });
  });

  it('no votes: no-votes', () => {
    expect(decideOutcome(partyList({}), { votes: [0, 0, 0, 0], percentBase: 0 })).toEqual({ kind: 'no-votes' });
    expect(decideOutcome(partyList({}), { votes: [0, 0, 0, 0], percentBase: 0, thresholdBase: 0 })).toEqual({ kind: 'no-votes' });
  });

  describe('a tie for the last seat', () => {
    // Hare, 2 seats: a 500 · b 250 · c 250 → a 1 by quota; b and c tie on remainders for the last seat.
    const votes = [500, 250, 250, 0];

    it("is reported with 'report' (the default)", () => {
      expect(decideOutcome(partyList({ seats: 2 }), { votes, percentBase: 1_000 })).toEqual({
        kind: 'tie',
        for: 'seats',
        tied: ['b', 'c'],
        settled: ['a'],
        places: 1,
        seats: { a: 1, b: 0, c: 0 },
      });
    });

    it("goes to the list registered earlier with 'earlier-registration'; registration order defaults to the ballot", () => {
      expect(decideOutcome(partyList({ seats: 2, tieBreak: 'earlier-registration' }), { votes, percentBase: 1_000 })).toEqual({
        kind: 'seats',
        seats: { a: 1, b: 1, c: 0 },
        qualified: ['a', 'b', 'c'],
      });
      const registered: OptionSpec[] = [
        ['a', 'list', 1],
        ['b', 'list', 3],
        ['c', 'list', 2],
        ['against', 'against-all'],
      ];
      expect(decideOutcome(partyList({ seats: 2, tieBreak: 'earlier-registration' }, registered), { votes, percentBase: 1_000 })).toEqual({
        kind: 'seats',
        seats: { a: 1, b: 0, c: 1 },
        qualified: ['a', 'b', 'c'],
      });
    });
  });
});

describe('decideOutcome: invariants (fast-check)', () => {
  const candidates: OptionSpec[] = [
    ['a', 'candidate'],
    ['b', 'candidate'],
    ['c', 'candidate'],
    ['d', 'candidate'],
    ['against', 'against-all'],
  ];
  const votesArb = fc.array(fc.oneof(fc.nat({ max: 5 }), fc.nat({ max: 1_000_000 })), { minLength: 5, maxLength: 5 });

  it('majority-runoff: elected iff 2·votes > base; never against-all; the runoff holds the two best candidates', () => {
    const president = contest('majority-runoff', candidates);
    fc.assert(
      fc.property(votesArb, (votes) => {
        const base = sum(votes);
        const outcome = decideOutcome(president, { votes, percentBase: base });
        const cand = votes.slice(0, 4);
        const best = Math.max(...cand);
        const ids = ['a', 'b', 'c', 'd'];
        if (best === 0) {
          expect(outcome).toEqual({ kind: 'no-votes' });
          return;
        }
        if (2 * best > base) {
          expect(outcome).toEqual({ kind: 'elected', elected: [ids[cand.indexOf(best)]] });
          return;
        }
        const sorted = [...cand].sort((x, y) => y - x);
        const second = sorted[1]!;
        if (sorted[2] === second) {
          expect(outcome.kind).toBe('tie');
          if (outcome.kind !== 'tie') return;
          expect(outcome.for).toBe('runoff');
          expect([...outcome.tied].sort()).toEqual(ids.filter((_, i) => cand[i] === second));
          expect(outcome.settled).toEqual(best > second ? [ids[cand.indexOf(best)]] : []);
          expect(outcome.places).toBe(best > second ? 1 : 2);
        } else {
          expect(outcome.kind).toBe('runoff');
          if (outcome.kind !== 'runoff') return;
          expect(outcome.runoff.map((id) => cand[ids.indexOf(id)])).toEqual([best, second]);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('party-list: seats sum to the total, against-all and lists under the threshold get none', () => {
    const lists = contest(
      'party-list',
      [
        ['a', 'list'],
        ['b', 'list'],
        ['c', 'list'],
        ['d', 'list'],
        ['against', 'against-all'],
      ],
      { method: 'dhondt', seats: 15, threshold: { percent: '7' }, tieBreak: 'earlier-registration' },
    );
    fc.assert(
      fc.property(votesArb, (votes) => {
        const base = sum(votes);
        const outcome = decideOutcome(lists, { votes, percentBase: base });
        if (base === 0) {
          expect(outcome).toEqual({ kind: 'no-votes' });
          return;
        }
        expect(outcome.kind).toBe('seats');
        if (outcome.kind !== 'seats') return;
        expect(Object.keys(outcome.seats).sort()).toEqual(['a', 'b', 'c', 'd']);
        const ids = ['a', 'b', 'c', 'd'];
        const qualified = ids.filter((_, i) => 100 * votes[i]! >= 7 * base);
        expect(outcome.qualified).toEqual(qualified);
        expect(sum(Object.values(outcome.seats))).toBe(qualified.length > 0 ? 15 : 0);
        for (const id of ids) if (!qualified.includes(id)) expect(outcome.seats[id]).toBe(0);
      }),
      { numRuns: 1000 },
    );
  });
});
