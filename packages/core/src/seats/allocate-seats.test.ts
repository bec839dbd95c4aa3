import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SEAT_METHODS, type SeatMethod, type TieBreak } from '../model/election.js';
import { allocateSeats, type SeatAllocation, type SeatParty } from './allocate-seats.js';

const TIE_BREAKS: readonly TieBreak[] = ['report', 'earlier-registration', 'more-votes-then-earlier-registration'];

/** Lists in ballot order; registration order = ballot position unless given. */
const lists = (votes: Readonly<Record<string, number>>): SeatParty[] =>
  Object.entries(votes).map(([id, v], i) => ({ id, votes: v, order: i + 1 }));

// ---------------------------------------------------------------------------------------------------------------
// Official results: test-data/seats/reference_cases_dev.csv (copied from the shared data; sources per row).

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

interface ReferenceCase {
  readonly id: string;
  readonly method: SeatMethod;
  readonly seats: number;
  readonly parties: readonly SeatParty[];
  readonly excluded: readonly string[];
  readonly official: Readonly<Record<string, number>>;
}

function readReferenceCases(): ReferenceCase[] {
  const text = readFileSync(new URL('../../test-data/seats/reference_cases_dev.csv', import.meta.url), 'utf8');
  const [header, ...rows] = parseCsv(text);
  const col = (name: string) => {
    const i = header!.indexOf(name);
    if (i < 0) throw new Error(`reference CSV has no column ${name}`);
    return i;
  };
  const [caseId, method, seatsTotal, party, votes, qualified, officialSeats] = [
    'case_id',
    'method',
    'seats_total',
    'party',
    'votes',
    'qualified',
    'official_seats',
  ].map(col) as [number, number, number, number, number, number, number];
  const byCase = new Map<string, string[][]>();
  for (const row of rows) {
    if (row.length === 1 && row[0] === '') continue;
    if (row.length !== header!.length) throw new Error(`reference CSV: row of ${row.length} fields, header has ${header!.length}`);
    byCase.set(row[caseId]!, [...(byCase.get(row[caseId]!) ?? []), row]);
  }
  return [...byCase].map(([id, caseRows]) => {
    const first = caseRows[0]!;
    const m = first[method]!;
    if (!(SEAT_METHODS as readonly string[]).includes(m)) throw new Error(`${id}: unknown method ${m}`);
    const take = caseRows.filter((r) => r[qualified] === 'yes');
    const out = caseRows.filter((r) => r[qualified] === 'no');
    if (take.length + out.length !== caseRows.length) throw new Error(`${id}: qualified must be yes or no`);
    if (caseRows.some((r) => r[method] !== m)) throw new Error(`${id}: one method per case`);
    if (out.some((r) => r[officialSeats] !== '0')) throw new Error(`${id}: an excluded list has seats`);
    return {
      id,
      method: m as SeatMethod,
      seats: Number(first[seatsTotal]),
      parties: take.map((r) => ({ id: r[party]!, votes: Number(r[votes]), order: caseRows.indexOf(r) + 1 })),
      excluded: out.map((r) => r[party]!),
      official: Object.fromEntries(take.map((r) => [r[party]!, Number(r[officialSeats])])),
    };
  });
}

const referenceCases = readReferenceCases();

describe('allocateSeats: official results (reference CSV)', () => {
  it('reads every case in the file', () => {
    expect(referenceCases.map((c) => [c.id, c.method, c.seats, c.parties.length, c.excluded])).toEqual([
      ['AT-EP-2019', 'dhondt', 18, 5, []],
      ['KZ-MAZHILIS-2023', 'hare-largest-remainder', 69, 6, ['Baytaq', 'Against all']],
    ]);
  });

  it.each(referenceCases.flatMap((c) => TIE_BREAKS.map((tieBreak) => ({ ...c, tieBreak }))))(
    '$id by $method gives the official seats (tie-break $tieBreak)',
    ({ method, seats, parties, official, tieBreak }) => {
      expect(allocateSeats({ method, seats, parties, tieBreak })).toEqual({ kind: 'seats', seats: official });
    },
  );
});

describe('allocateSeats: Kazakhstan Mazhilis 2023 (DOMAIN.md §2)', () => {
  // Baytaq (146,431 = 2.30 % of 6,366,441) and against-all are below the 5 % threshold and out of the quota.
  const mazhilis = lists({
    Amanat: 3_431_510,
    Auyl: 693_938,
    Respublica: 547_154,
    'Ak Zhol': 535_139,
    "People's Party": 432_920,
    OSDP: 331_058,
  });

  it('Hare quota with largest remainders gives 40/8/6/6/5/4', () => {
    // V = 5,971,719; Hare quotas 69·v/V: 39.649 · 8.018 · 6.322 · 6.183 · 5.002 · 3.825. The floors
    // 39/8/6/6/5/3 give 67 seats; the two largest remainders (OSDP .825, Amanat .649) take the last 2.
    expect(allocateSeats({ method: 'hare-largest-remainder', seats: 69, parties: mazhilis, tieBreak: 'earlier-registration' })).toEqual({
      kind: 'seats',
      seats: { Amanat: 40, Auyl: 8, Respublica: 6, 'Ak Zhol': 6, "People's Party": 5, OSDP: 4 },
    });
  });

  it("D'Hondt on the same lists gives 41/8/6/6/5/3", () => {
    expect(allocateSeats({ method: 'dhondt', seats: 69, parties: mazhilis, tieBreak: 'earlier-registration' })).toEqual({
      kind: 'seats',
      seats: { Amanat: 41, Auyl: 8, Respublica: 6, 'Ak Zhol': 6, "People's Party": 5, OSDP: 3 },
    });
  });
});

describe('allocateSeats: hand-computed cases that tell the methods apart', () => {
  // Case 1: A 7,200 · B 2,000 · C 800, V = 10,000, 8 seats.
  //   Hare: quotas 8·v/V = 5.76 · 1.60 · 0.64 → floors 5/1/0 (6 seats); 2 left by remainders .76 (A), .64 (C)
  //         (B's .60 misses) → 6/1/1.
  //   Droop: q = ⌊10000/9⌋ + 1 = 1112; 7200 = 6·1112 + 528, 2000 = 1·1112 + 888, 800 = 0·1112 + 800 → 7 seats;
  //         1 left to the largest remainder, B's 888 → 6/2/0.
  //   D'Hondt (÷1,2,3,…): A 7200 3600 2400 1800 1440 1200 1028.6 | 900; B 2000 | 1000; C | 800.
  //         The 8 highest: 7 of A's and B's 2000 → 7/1/0.
  //   Sainte-Laguë (÷1,3,5,…): A 7200 2400 1440 1028.6 800 | 654.5; B 2000 666.7 | 400; C 800 | 266.7.
  //         The 8 highest: A×5, B×2, C's 800 (level with A's fifth, both in) → 5/2/1.
  //   Modified Sainte-Laguë (÷1.4,3,5,…): A 5142.9 2400 1440 1028.6 800 654.5 | 553.8; B 1428.6 666.7 | 400;
  //         C | 571.4. The 8 highest: A×6, B×2 → 6/2/0 (C's first divisor 1.4 keeps it out, unlike Sainte-Laguë).
  const case1 = lists({ A: 7_200, B: 2_000, C: 800 });
  // Case 2: A 7,100 · B 2,000 · C 900, 8 seats.
  //   Hare: 5.68 · 1.60 · 0.72 → 5/1/0; remainders .72 (C), .68 (A) → 6/1/1.
  //   Droop: q = 1112; 7100 = 6·1112 + 428, 2000 = 1112 + 888, 900 = 0·1112 + 900 → 7 seats; C's 900 > B's 888 → 6/1/1.
  //   D'Hondt: A 7100 3550 2366.7 1775 1420 1183.3 1014.3 | 887.5; B 2000 | 1000; C | 900 → 7/1/0.
  //   Sainte-Laguë: A 7100 2366.7 1420 1014.3 788.9 | 645.5; B 2000 666.7 | 400; C 900 | 300 → 5/2/1.
  //   Modified Sainte-Laguë: A 5071.4 2366.7 1420 1014.3 788.9 645.5 | 546.2; B 1428.6 666.7 | 400; C | 642.9 → 6/2/0.
  // Together the two cases separate every pair of methods (case 1 separates Droop from Hare, case 2 Droop from
  // modified Sainte-Laguë).
  const case2 = lists({ A: 7_100, B: 2_000, C: 900 });

  it.each([
    ['hare-largest-remainder', case1, { A: 6, B: 1, C: 1 }],
    ['droop-largest-remainder', case1, { A: 6, B: 2, C: 0 }],
    ['dhondt', case1, { A: 7, B: 1, C: 0 }],
    ['sainte-lague', case1, { A: 5, B: 2, C: 1 }],
    ['modified-sainte-lague', case1, { A: 6, B: 2, C: 0 }],
    ['hare-largest-remainder', case2, { A: 6, B: 1, C: 1 }],
    ['droop-largest-remainder', case2, { A: 6, B: 1, C: 1 }],
    ['dhondt', case2, { A: 7, B: 1, C: 0 }],
    ['sainte-lague', case2, { A: 5, B: 2, C: 1 }],
    ['modified-sainte-lague', case2, { A: 6, B: 2, C: 0 }],
  ] as const)('%s on case %#', (method, parties, expected) => {
    for (const tieBreak of TIE_BREAKS) {
      expect(allocateSeats({ method, seats: 8, parties, tieBreak })).toEqual({ kind: 'seats', seats: expected });
    }
  });

  it('Droop: the quota is ⌊V/(S+1)⌋ + 1', () => {
    // A 666 · B 333, 2 seats: q = ⌊999/3⌋ + 1 = 334 → A 1 (rem 332), B 0 (rem 333) → B takes the second seat.
    // (A quota of ⌊V/(S+1)⌋ = 333 would give A 2 + B 1 = 3 seats for 2.)
    expect(allocateSeats({ method: 'droop-largest-remainder', seats: 2, parties: lists({ A: 666, B: 333 }), tieBreak: 'report' })).toEqual({
      kind: 'seats',
      seats: { A: 1, B: 1 },
    });
    // A 667 · B 333, 2 seats: q = ⌊1000/3⌋ + 1 = 334 → A 1 (rem 333), B 0 (rem 333): a tie of remainders.
    // Hare on the same votes is no tie: quotas 1.334 · 0.666 → A 1, B's .666 beats A's .334 → 1/1.
    expect(allocateSeats({ method: 'droop-largest-remainder', seats: 2, parties: lists({ A: 667, B: 333 }), tieBreak: 'report' })).toEqual({
      kind: 'tie',
      seats: { A: 1, B: 0 },
      tied: ['A', 'B'],
      remaining: 1,
    });
    expect(allocateSeats({ method: 'hare-largest-remainder', seats: 2, parties: lists({ A: 667, B: 333 }), tieBreak: 'report' })).toEqual({
      kind: 'seats',
      seats: { A: 1, B: 1 },
    });
  });

  it('compares quotients exactly, not as floats', () => {
    // D'Hondt, A 2^53 − 1 = 3X + 1 and B 2X + 1 with X = 3,002,399,751,580,330. Seats 1–3 go A, B, A; for seat 4
    // A's third quotient is X + 1/3 and B's second X + 1/2, so B wins. In doubles both are X + 0.5 (the spacing
    // near 3·10^15 is 0.5): a float comparison would see a tie.
    const X = 3_002_399_751_580_330;
    const parties = lists({ A: 3 * X + 1, B: 2 * X + 1 });
    expect(parties[0]!.votes).toBe(Number.MAX_SAFE_INTEGER);
    expect(allocateSeats({ method: 'dhondt', seats: 4, parties, tieBreak: 'report' })).toEqual({ kind: 'seats', seats: { A: 2, B: 2 } });
    expect(allocateSeats({ method: 'dhondt', seats: 5, parties, tieBreak: 'report' })).toEqual({ kind: 'seats', seats: { A: 3, B: 2 } });
    // An exact tie at that magnitude is still a tie: Sainte-Laguë, A 3·(2^50 + 1) after one seat has 2^50 + 1 = B.
    const big = 2 ** 50;
    expect(
      allocateSeats({ method: 'sainte-lague', seats: 2, parties: lists({ A: 3 * (big + 1), B: big + 1 }), tieBreak: 'report' }),
    ).toEqual({ kind: 'tie', seats: { A: 1, B: 0 }, tied: ['A', 'B'], remaining: 1 });
    expect(
      allocateSeats({ method: 'sainte-lague', seats: 2, parties: lists({ A: 3 * (big + 1), B: big + 2 }), tieBreak: 'report' }),
    ).toEqual({ kind: 'seats', seats: { A: 1, B: 1 } });
  });
});

describe('allocateSeats: ties', () => {
  // Hare, 2 seats: A 5,000 · B 2,500 · C 2,500. Quotas 1 · 0.5 · 0.5: A 1 by quota, the last seat is a tie of
  // remainders between B and C (1 seat, 2 lists).
  const remainderTie = [
    { id: 'A', votes: 5_000, order: 1 },
    { id: 'B', votes: 2_500, order: 3 },
    { id: 'C', votes: 2_500, order: 2 },
  ];

  it("with 'report' a remainder tie for the last seat is returned, not settled", () => {
    expect(allocateSeats({ method: 'hare-largest-remainder', seats: 2, parties: remainderTie, tieBreak: 'report' })).toEqual({
      kind: 'tie',
      seats: { A: 1, B: 0, C: 0 },
      tied: ['B', 'C'],
      remaining: 1,
    });
  });

  it("with 'earlier-registration' the lower order wins (not the ballot position)", () => {
    expect(allocateSeats({ method: 'hare-largest-remainder', seats: 2, parties: remainderTie, tieBreak: 'earlier-registration' })).toEqual({
      kind: 'seats',
      seats: { A: 1, B: 0, C: 1 },
    });
    const swapped = remainderTie.map((p) => ({ ...p, order: p.id === 'B' ? 2 : p.id === 'C' ? 3 : 1 }));
    expect(allocateSeats({ method: 'hare-largest-remainder', seats: 2, parties: swapped, tieBreak: 'earlier-registration' })).toEqual({
      kind: 'seats',
      seats: { A: 1, B: 1, C: 0 },
    });
  });

  it("with 'more-votes-then-earlier-registration' equal lists fall back to registration", () => {
    expect(
      allocateSeats({
        method: 'hare-largest-remainder',
        seats: 2,
        parties: remainderTie,
        tieBreak: 'more-votes-then-earlier-registration',
      }),
    ).toEqual({ kind: 'seats', seats: { A: 1, B: 0, C: 1 } });
  });

  it('a remainder tie between lists of different sizes: more votes wins only under that rule', () => {
    // Hare, 3 seats, V = 12: A 6 · B 4 · C 2 → quotas 1.5 · 1.0 · 0.5: A 1, B 1, C 0; remainders A 6, B 0, C 6
    // (over V = 12) tie for the last seat.
    const parties = [
      { id: 'A', votes: 6, order: 2 },
      { id: 'B', votes: 4, order: 3 },
      { id: 'C', votes: 2, order: 1 },
    ];
    const run = (tieBreak: TieBreak) => allocateSeats({ method: 'hare-largest-remainder', seats: 3, parties, tieBreak });
    expect(run('report')).toEqual({ kind: 'tie', seats: { A: 1, B: 1, C: 0 }, tied: ['A', 'C'], remaining: 1 });
    expect(run('earlier-registration')).toEqual({ kind: 'seats', seats: { A: 1, B: 1, C: 1 } });
    expect(run('more-votes-then-earlier-registration')).toEqual({ kind: 'seats', seats: { A: 2, B: 1, C: 0 } });
  });

  describe("D'Hondt: A 2,000 · B 1,000 for 2 seats (A's second quotient 1,000 = B's first)", () => {
    // Seat 1: A (2000). Seat 2: A 2000/2 = 1000 against B 1000/1 = 1000, an exact tie.
    const parties = [
      { id: 'A', votes: 2_000, order: 2 },
      { id: 'B', votes: 1_000, order: 1 },
    ];
    const run = (tieBreak: TieBreak) => allocateSeats({ method: 'dhondt', seats: 2, parties, tieBreak });

    it("'report' returns the tie with A's first seat settled", () => {
      expect(run('report')).toEqual({ kind: 'tie', seats: { A: 1, B: 0 }, tied: ['A', 'B'], remaining: 1 });
    });
    it("'more-votes-then-earlier-registration' gives it to the larger list", () => {
      expect(run('more-votes-then-earlier-registration')).toEqual({ kind: 'seats', seats: { A: 2, B: 0 } });
    });
    it("'earlier-registration' gives it to the list registered first", () => {
      expect(run('earlier-registration')).toEqual({ kind: 'seats', seats: { A: 1, B: 1 } });
    });
  });

  it('a tie that all tied lists fit into is not a tie', () => {
    for (const method of SEAT_METHODS) {
      expect(allocateSeats({ method, seats: 3, parties: lists({ A: 100, B: 100, C: 100 }), tieBreak: 'report' })).toEqual({
        kind: 'seats',
        seats: { A: 1, B: 1, C: 1 },
      });
      expect(allocateSeats({ method, seats: 6, parties: lists({ A: 100, B: 100, C: 100 }), tieBreak: 'report' })).toEqual({
        kind: 'seats',
        seats: { A: 2, B: 2, C: 2 },
      });
    }
  });

  it('a three-way tie for two seats', () => {
    for (const method of SEAT_METHODS) {
      const parties = [
        { id: 'A', votes: 100, order: 3 },
        { id: 'B', votes: 100, order: 1 },
        { id: 'C', votes: 100, order: 2 },
      ];
      expect(allocateSeats({ method, seats: 2, parties, tieBreak: 'report' })).toEqual({
        kind: 'tie',
        seats: { A: 0, B: 0, C: 0 },
        tied: ['A', 'B', 'C'],
        remaining: 2,
      });
      expect(allocateSeats({ method, seats: 2, parties, tieBreak: 'earlier-registration' })).toEqual({
        kind: 'seats',
        seats: { A: 0, B: 1, C: 1 },
      });
    }
  });

  it('Sainte-Laguë and modified Sainte-Laguë tie on their own divisors', () => {
    // Sainte-Laguë: A 300 · B 100, 2 seats: A 300, then A 300/3 = 100 against B 100/1 = 100 → tie.
    expect(allocateSeats({ method: 'sainte-lague', seats: 2, parties: lists({ A: 300, B: 100 }), tieBreak: 'report' })).toEqual({
      kind: 'tie',
      seats: { A: 1, B: 0 },
      tied: ['A', 'B'],
      remaining: 1,
    });
    // Modified: A 300/1.4 = 214.3 first, then B 100/1.4 = 71.4 < A 300/3 = 100 → A 2.
    expect(allocateSeats({ method: 'modified-sainte-lague', seats: 2, parties: lists({ A: 300, B: 100 }), tieBreak: 'report' })).toEqual({
      kind: 'seats',
      seats: { A: 2, B: 0 },
    });
    // An exact modified tie: A 1,500 · B 700: A 1500/1.4 = 1071.4 first, then A 1500/3 = 500 = B 700/1.4 → tie.
    expect(allocateSeats({ method: 'modified-sainte-lague', seats: 2, parties: lists({ A: 1_500, B: 700 }), tieBreak: 'report' })).toEqual({
      kind: 'tie',
      seats: { A: 1, B: 0 },
      tied: ['A', 'B'],
      remaining: 1,
    });
  });
});

describe('allocateSeats: edge cases', () => {
  it('zero seats: every list gets 0', () => {
    for (const method of SEAT_METHODS) {
      expect(allocateSeats({ method, seats: 0, parties: lists({ A: 10, B: 5 }), tieBreak: 'report' })).toEqual({
        kind: 'seats',
        seats: { A: 0, B: 0 },
      });
      expect(allocateSeats({ method, seats: 0, parties: lists({ A: 0, B: 0 }), tieBreak: 'report' })).toEqual({
        kind: 'seats',
        seats: { A: 0, B: 0 },
      });
    }
  });

  it('zero votes: no list can be preferred, so every seat is open, whatever the tie-break', () => {
    for (const method of SEAT_METHODS) {
      for (const tieBreak of TIE_BREAKS) {
        expect(allocateSeats({ method, seats: 3, parties: lists({ A: 0, B: 0 }), tieBreak })).toEqual({
          kind: 'tie',
          seats: { A: 0, B: 0 },
          tied: ['A', 'B'],
          remaining: 3,
        });
      }
    }
  });

  it('a single list takes every seat', () => {
    for (const method of SEAT_METHODS) {
      for (const votes of [1, 7, 1_000_003]) {
        expect(allocateSeats({ method, seats: 9, parties: lists({ A: votes }), tieBreak: 'report' })).toEqual({
          kind: 'seats',
          seats: { A: 9 },
        });
      }
    }
  });

  it('lists without votes never take a seat, even with fewer votes than seats (first partial results)', () => {
    // Droop on very few votes: q = ⌊1/6⌋ + 1 = 1 gives A 1 seat by quota and leaves 4 — more than there are lists.
    // Every seat must still be given, and none to B, which has no votes.
    for (const method of SEAT_METHODS) {
      expect(allocateSeats({ method, seats: 5, parties: lists({ A: 1, B: 0 }), tieBreak: 'report' })).toEqual({
        kind: 'seats',
        seats: { A: 5, B: 0 },
      });
    }
    // Droop, V = 4, 5 seats: q = ⌊4/6⌋ + 1 = 1 → A 3, B 1 by quota, remainders both 0; the last seat is a tie that
    // only the tie-break settles (Hare: quotas 3.75 · 1.25 → A 4, B 1).
    const parties = lists({ A: 3, B: 1, C: 0 });
    expect(allocateSeats({ method: 'droop-largest-remainder', seats: 5, parties, tieBreak: 'report' })).toEqual({
      kind: 'tie',
      seats: { A: 3, B: 1, C: 0 },
      tied: ['A', 'B'],
      remaining: 1,
    });
    expect(
      allocateSeats({ method: 'droop-largest-remainder', seats: 5, parties, tieBreak: 'more-votes-then-earlier-registration' }),
    ).toEqual({
      kind: 'seats',
      seats: { A: 4, B: 1, C: 0 },
    });
    // V = 2, 7 seats: q = 1 → A 1, B 1; 5 left: round after round A and B take one each (2, 2, then a tie for 1).
    expect(
      allocateSeats({ method: 'droop-largest-remainder', seats: 7, parties: lists({ A: 1, B: 1, C: 0 }), tieBreak: 'report' }),
    ).toEqual({
      kind: 'tie',
      seats: { A: 3, B: 3, C: 0 },
      tied: ['A', 'B'],
      remaining: 1,
    });
  });

  it('no lists at all: every seat is open', () => {
    expect(allocateSeats({ method: 'dhondt', seats: 2, parties: [], tieBreak: 'report' })).toEqual({
      kind: 'tie',
      seats: {},
      tied: [],
      remaining: 2,
    });
    expect(allocateSeats({ method: 'hare-largest-remainder', seats: 0, parties: [], tieBreak: 'report' })).toEqual({
      kind: 'seats',
      seats: {},
    });
  });

  it('rejects counts that are not non-negative integers', () => {
    for (const method of SEAT_METHODS) {
      const run = (seats: number, votes: number) => () =>
        allocateSeats({ method, seats, parties: lists({ A: votes }), tieBreak: 'report' });
      expect(run(-1, 10)).toThrow(RangeError);
      expect(run(1.5, 10)).toThrow(RangeError);
      expect(run(Number.NaN, 10)).toThrow(RangeError);
      expect(run(2, -1)).toThrow(RangeError);
      expect(run(2, 0.5)).toThrow(RangeError);
      expect(run(2, 2 ** 53)).toThrow(RangeError);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Invariants

/** The divisors as exact fractions: the k-th (k = seats already held) is num/den. */
function divisor(method: Exclude<SeatMethod, `${string}-largest-remainder`>, k: number): { num: bigint; den: bigint } {
  switch (method) {
    case 'dhondt':
      return { num: BigInt(k + 1), den: 1n };
    case 'sainte-lague':
      return { num: BigInt(2 * k + 1), den: 1n };
    case 'modified-sainte-lague':
      return k === 0 ? { num: 14n, den: 10n } : { num: BigInt(2 * k + 1), den: 1n };
  }
}

const HIGHEST_AVERAGES = ['dhondt', 'sainte-lague', 'modified-sainte-lague'] as const;

/** Votes from tiny (fewer votes than seats, as in the first partial results) to national sizes. */
const votesArb = fc.oneof(fc.nat({ max: 12 }), fc.nat({ max: 5_000 }), fc.nat({ max: 50_000_000 }));

/** Lists with distinct registration orders (a tie-break needs them distinct to be a rule at all). */
const partiesArb = (minLength = 0) =>
  fc.array(votesArb, { minLength, maxLength: 8 }).chain((votes) =>
    fc
      .shuffledSubarray(
        votes.map((_, i) => i + 1),
        { minLength: votes.length, maxLength: votes.length },
      )
      .map((orders) => votes.map((v, i): SeatParty => ({ id: `L${i}`, votes: v, order: orders[i]! }))),
  );

const requestArb = fc.record({
  method: fc.constantFrom(...SEAT_METHODS),
  seats: fc.oneof(fc.nat({ max: 10 }), fc.nat({ max: 120 })),
  parties: partiesArb(),
  tieBreak: fc.constantFrom(...TIE_BREAKS),
});

const total = (seats: Readonly<Record<string, number>>) => Object.values(seats).reduce((a, b) => a + b, 0);
const normalize = (a: SeatAllocation) => (a.kind === 'tie' ? { ...a, tied: [...a.tied].sort() } : a);

describe('allocateSeats: invariants (fast-check)', () => {
  it('seats sum exactly to the total, every list gets a non-negative integer, and a tie is a real tie', () => {
    fc.assert(
      fc.property(requestArb, (request) => {
        const result = allocateSeats(request);
        expect(Object.keys(result.seats).sort()).toEqual(request.parties.map((p) => p.id).sort());
        for (const n of Object.values(result.seats)) expect(Number.isInteger(n) && n >= 0).toBe(true);
        const anyVotes = request.parties.some((p) => p.votes > 0);
        if (result.kind === 'seats') {
          expect(total(result.seats)).toBe(request.seats);
        } else {
          // Only 'report' leaves a tie open, unless nobody has a vote.
          if (anyVotes) expect(request.tieBreak).toBe('report');
          expect(total(result.seats) + result.remaining).toBe(request.seats);
          expect(result.remaining).toBeGreaterThan(0);
          if (anyVotes) expect(result.remaining).toBeLessThan(result.tied.length);
          expect(new Set(result.tied).size).toBe(result.tied.length);
          for (const id of result.tied) expect(request.parties.map((p) => p.id)).toContain(id);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('lists without votes never get a seat', () => {
    fc.assert(
      fc.property(requestArb, (request) => {
        const result = allocateSeats(request);
        for (const p of request.parties) if (p.votes === 0) expect(result.seats[p.id]).toBe(0);
        if (result.kind === 'tie' && request.parties.some((p) => p.votes > 0)) {
          for (const id of result.tied) expect(request.parties.find((p) => p.id === id)!.votes).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('permuting the lists (each keeping its registration order) never changes the allocation', () => {
    fc.assert(
      fc.property(
        requestArb.chain((request) =>
          fc
            .shuffledSubarray([...request.parties], { minLength: request.parties.length, maxLength: request.parties.length })
            .map((shuffled) => [request, shuffled] as const),
        ),
        ([request, shuffled]) => {
          expect(normalize(allocateSeats({ ...request, parties: shuffled }))).toEqual(normalize(allocateSeats(request)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a list with more votes never gets fewer seats; equal lists differ by at most one seat', () => {
    fc.assert(
      fc.property(requestArb, (request) => {
        const result = allocateSeats(request);
        if (result.kind !== 'seats') return;
        for (const a of request.parties) {
          for (const b of request.parties) {
            const sa = result.seats[a.id]!;
            const sb = result.seats[b.id]!;
            if (a.votes > b.votes) expect(sa).toBeGreaterThanOrEqual(sb);
            if (a.votes === b.votes) expect(Math.abs(sa - sb)).toBeLessThanOrEqual(1);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('Hare largest remainder satisfies quota: each list gets ⌊v·S/V⌋ or ⌈v·S/V⌉', () => {
    fc.assert(
      fc.property(requestArb, (request) => {
        const result = allocateSeats({ ...request, method: 'hare-largest-remainder' });
        if (result.kind !== 'seats') return;
        const V = request.parties.reduce((s, p) => s + BigInt(p.votes), 0n);
        if (V === 0n) return;
        const S = BigInt(request.seats);
        for (const p of request.parties) {
          // s ∈ {⌊q⌋, ⌈q⌉} with q = v·S/V  ⇔  |s·V − v·S| < V
          const diff = BigInt(result.seats[p.id]!) * V - BigInt(p.votes) * S;
          expect(diff < V && -diff < V).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('Droop largest remainder: each list gets its quota seats ⌊v/q⌋ plus at most one (when votes ≥ S·(S+1))', () => {
    fc.assert(
      fc.property(requestArb, (request) => {
        const result = allocateSeats({ ...request, method: 'droop-largest-remainder' });
        if (result.kind !== 'seats') return;
        const V = request.parties.reduce((s, p) => s + p.votes, 0);
        const q = Math.floor(V / (request.seats + 1)) + 1;
        for (const p of request.parties) {
          const s = result.seats[p.id]!;
          expect(s).toBeGreaterThanOrEqual(Math.floor(p.votes / q));
          if (V >= request.seats * (request.seats + 1)) expect(s).toBeLessThanOrEqual(Math.floor(p.votes / q) + 1);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('highest averages satisfy the divisor criterion: no list outside has a higher quotient than a seat given', () => {
    // For an allocation s: max over lists of v/d(s) ≤ min over lists with a seat of v/d(s−1), where d(k) is the
    // divisor after k seats. This characterises divisor methods independently of how seats are handed out.
    fc.assert(
      fc.property(requestArb, fc.constantFrom(...HIGHEST_AVERAGES), (request, method) => {
        const result = allocateSeats({ ...request, method });
        if (result.kind !== 'seats') return;
        for (const a of request.parties) {
          const next = divisor(method, result.seats[a.id]!);
          for (const b of request.parties) {
            const held = result.seats[b.id]!;
            if (held === 0) continue;
            const last = divisor(method, held - 1);
            // v_a / (next.num/next.den) ≤ v_b / (last.num/last.den)
            expect(BigInt(a.votes) * next.den * last.num <= BigInt(b.votes) * last.den * next.num).toBe(true);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('highest averages and Hare depend only on the proportions: multiplying every vote by k changes nothing', () => {
    fc.assert(
      fc.property(requestArb, fc.integer({ min: 2, max: 1000 }), (request, k) => {
        if (request.method === 'droop-largest-remainder') return;
        const scaled = request.parties.map((p) => ({ ...p, votes: p.votes * k }));
        expect(allocateSeats({ ...request, parties: scaled })).toEqual(allocateSeats(request));
      }),
      { numRuns: 300 },
    );
  });

  it('adding a list without votes changes nothing for the others', () => {
    fc.assert(
      fc.property(requestArb, (request) => {
        const withEmpty = [...request.parties, { id: 'EMPTY', votes: 0, order: request.parties.length + 1 }];
        const before = allocateSeats(request);
        const after = allocateSeats({ ...request, parties: withEmpty });
        if (!request.parties.some((p) => p.votes > 0)) return;
        expect(after).toEqual({ ...before, seats: { ...before.seats, EMPTY: 0 } });
      }),
      { numRuns: 300 },
    );
  });

  it('a list that takes every vote takes every seat', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SEAT_METHODS),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.nat({ max: 200 }),
        fc.constantFrom(...TIE_BREAKS),
        (method, votes, seats, tieBreak) => {
          const parties = lists({ A: votes, B: 0 });
          expect(allocateSeats({ method, seats, parties, tieBreak })).toEqual({ kind: 'seats', seats: { A: seats, B: 0 } });
        },
      ),
    );
  });
});
