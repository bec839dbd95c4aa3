import { describe, expect, it } from 'vitest';
import { fixtureElection, protocol } from '../../test/fixtures.js';
import { indexElection } from '../election/index-election.js';
import type { Protocol } from '../model/protocol.js';
import { hasErrors, validateProtocol } from './validate-protocol.js';

const index = (() => {
  const result = indexElection(fixtureElection());
  if (!result.ok) throw new Error('fixture invalid');
  return result.value;
})();
const check = (p: unknown) => validateProtocol(index, p as Protocol);

describe('validateProtocol', () => {
  it('finds nothing wrong with a consistent protocol', () => {
    expect(check(protocol('r1-d1-s1', { a: 500, b: 200, c: 100, 'against-all': 50 }))).toEqual([]);
  });

  it('returns every broken relation, with the lines involved, both sides and the clerk’s message filled in', () => {
    const p = protocol('r1-d1-s1', { a: 500, b: 200, c: 100, 'against-all': 50 });
    const broken = { ...p, lines: { ...p.lines, received: 990, 'in-boxes': 855 } };
    expect(check(broken)).toEqual([
      {
        code: 'F-1',
        severity: 'error',
        message: { en: 'received 990 ≠ issued + cancelled 1000 (-10)', ru: 'получено 990 ≠ 1000' },
        values: { received: 990, issued: 860, cancelled: 140 },
        relation: 'received = issued + cancelled',
        left: 990,
        right: 1000,
      },
      {
        code: 'F-2',
        severity: 'error',
        message: { en: 'boxes 855 ≠ invalid + votes 860' },
        values: { 'in-boxes': 855, invalid: 10, 'votes.a': 500, 'votes.b': 200, 'votes.c': 100, 'votes.against-all': 50 },
        relation: 'in-boxes = invalid + votes(all options)',
        left: 855,
        right: 860,
      },
      {
        code: 'F-3',
        severity: 'warning',
        message: { en: 'fewer in boxes (855) than issued (860)' },
        values: { 'in-boxes': 855, issued: 860 },
        relation: 'in-boxes ≥ issued',
        left: 855,
        right: 860,
      },
    ]);
    expect(hasErrors(check(broken))).toBe(true);
  });

  it('keeps warnings apart from errors', () => {
    // Two ballots taken home: fewer in the boxes than issued, everything else consistent.
    const findings = check(protocol('r1-d1-s1', { a: 500, b: 200, c: 100, 'against-all': 50 }, 10, 2));
    expect(findings.map((f) => [f.code, f.severity])).toEqual([['F-3', 'warning']]);
    expect(hasErrors(findings)).toBe(false);
  });

  it('reports every structural problem before any arithmetic', () => {
    const p = protocol('r1-d1-s1', { a: 1, b: 1, c: 1, 'against-all': 1 });
    const wrong = { ...p, lines: { voters: 1000, spoilt: 3 }, votes: { a: 1, d: 2 } };
    expect(check(wrong).map((f) => [f.code, f.message['en']])).toEqual([
      ['line-missing', 'Line "received" is missing; enter it (0 if nothing).'],
      ['line-missing', 'Line "issued" is missing; enter it (0 if nothing).'],
      ['line-missing', 'Line "cancelled" is missing; enter it (0 if nothing).'],
      ['line-missing', 'Line "in-boxes" is missing; enter it (0 if nothing).'],
      ['line-missing', 'Line "invalid" is missing; enter it (0 if nothing).'],
      ['line-unknown', 'Line "spoilt" is not on this protocol form; remove it.'],
      ['votes-missing', 'Votes for "b" are missing; enter them (0 if none).'],
      ['votes-missing', 'Votes for "c" are missing; enter them (0 if none).'],
      ['votes-missing', 'Votes for "against-all" are missing; enter them (0 if none).'],
      ['option-unknown', '"d" is not an option on this ballot; remove it.'],
    ]);
    expect(check({ ...p, station: 'r1-d1' }).map((f) => [f.code, f.message['ru']])).toEqual([
      ['not-a-station', '«r1-d1» — это district, а не избирательный участок; протоколы составляют участки.'],
    ]);
    expect(check({ ...p, station: 'zz' }).map((f) => f.code)).toEqual(['station-unknown']);
    expect(check({ ...p, contest: 'senate' }).map((f) => f.code)).toEqual(['contest-unknown']);
    expect(check({ ...p, election: 'other' }).map((f) => f.code)).toEqual(['election-mismatch']);
  });
});

describe('the list-size rule', () => {
  // The fixture's station r1-d1-s1 is defined with 1000 voters; this pack warns beyond 10 % and stops beyond 100 %.
  const withRule = (() => {
    const election = fixtureElection();
    const result = indexElection({
      ...election,
      protocol: { ...election.protocol, rules: { ...election.protocol.rules, listSize: { warningPercent: 10, errorPercent: 100 } } },
    });
    if (!result.ok) throw new Error('fixture invalid');
    return result.value;
  })();
  /** A consistent protocol whose list line says `voters` (all other lines as in the fixture's). */
  const listOf = (voters: number): Protocol => {
    const p = protocol('r1-d1-s1', { a: 500, b: 200, c: 100, 'against-all': 50 });
    return { ...p, lines: { ...p.lines, voters } } as unknown as Protocol;
  };
  const findings = (voters: number) => validateProtocol(withRule, listOf(voters)).filter((f) => f.code === 'list-size');

  it('leaves a list within the tolerance alone, to the voter', () => {
    for (const voters of [1000, 1100, 900]) expect(findings(voters)).toEqual([]);
    // Without the rule in the pack, nothing is compared.
    expect(check(listOf(90_000_000))).toEqual([]);
  });

  it('warns beyond the first threshold and stops the protocol beyond the second, naming both lists', () => {
    expect(findings(1101)).toEqual([
      {
        code: 'list-size',
        severity: 'warning',
        message: expect.objectContaining({
          en: 'The list has 1101 voters, but this station was defined with 1000: 10 % more or fewer, beyond the 10 % allowed. Check the list line (additional lists included); if it is right, explain it to the higher commission.',
        }) as unknown,
        values: { voters: 1101 },
        left: 1101,
        right: 1000,
      },
    ]);
    expect(findings(899).map((f) => f.severity)).toEqual(['warning']);
    expect(findings(2000).map((f) => f.severity)).toEqual(['warning']);
    const absurd = validateProtocol(withRule, listOf(90_000_000));
    expect(absurd.map((f) => [f.code, f.severity])).toEqual([['list-size', 'error']]);
    expect(hasErrors(absurd)).toBe(true);
    expect(absurd[0]?.message['ru']).toContain(
      'В списке 90000000 избирателей, а участок определён с 1000: расхождение 8999900 %, больше допустимых 100 %',
    );
  });
});
