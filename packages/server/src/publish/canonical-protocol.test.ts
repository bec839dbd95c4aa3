import { asContestId, asDivisionId, asElectionId, type Protocol } from '@canvass/core';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { canonicalJson, protocolHash } from '../ledger/canonical.js';
import { canonicalProtocolJson, fastProtocolHash } from './canonical-protocol.js';

const id = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/);
// Keys beyond the id alphabet too: the canonical order is by UTF-16 code units, and JSON escaping must match.
const key = fc.oneof(id, fc.string({ unit: 'grapheme', maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 6 }));
const counts = fc.dictionary(key, fc.integer({ min: 0, max: 100_000_000 }), { maxKeys: 12 });
const protocol = fc.record(
  {
    election: id.map(asElectionId),
    contest: id.map(asContestId),
    station: id.map(asDivisionId),
    lines: counts,
    votes: counts,
    reason: fc.string({ unit: 'binary', maxLength: 40 }),
  },
  { requiredKeys: ['election', 'contest', 'station', 'lines', 'votes'] },
) as fc.Arbitrary<Protocol>;

describe('canonicalProtocolJson', () => {
  test('equals the RFC 8785 canonicalizer on every protocol', () => {
    fc.assert(
      fc.property(protocol, (p) => {
        expect(canonicalProtocolJson(p)).toBe(canonicalJson(p));
        expect(fastProtocolHash(p)).toBe(protocolHash(p));
      }),
      { numRuns: 2000 },
    );
  });

  test('writes protocols with the same keys, in any order and with any counts, as the canonicalizer does', () => {
    // The key orders are remembered between protocols: the same key sets again and again, in different orders.
    const keySets = [
      ['b', 'a', 'c'],
      ['voters', 'ballots', '10', '2', 'a\u0000b'],
      ['a', '\u0000b'],
      ['a\u0000', 'b'],
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...keySets).chain((keys) => fc.shuffledSubarray(keys, { minLength: keys.length })),
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 5, maxLength: 5 }),
        (keys, values) => {
          const lines = Object.fromEntries(keys.map((key, i) => [key, values[i] ?? 0]));
          const p = { election: asElectionId('e'), contest: asContestId('c'), station: asDivisionId('s'), lines, votes: lines } as Protocol;
          expect(canonicalProtocolJson(p)).toBe(canonicalJson(p));
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('sorts keys by UTF-16 code units and writes numbers as ECMAScript does', () => {
    const p = {
      election: asElectionId('e'),
      contest: asContestId('c'),
      station: asDivisionId('s'),
      lines: { b: 2, a: 1, B: 0, '\u00e9': 3, '\ud83d\ude00': 4, '\uff21': 5 },
      votes: {},
      reason: 'line\nbreak "quoted" \u2028',
    } as unknown as Protocol;
    expect(canonicalProtocolJson(p)).toBe(
      '{"contest":"c","election":"e","lines":{"B":0,"a":1,"b":2,"é":3,"😀":4,"Ａ":5},"reason":"line\\nbreak \\"quoted\\" \u2028","station":"s","votes":{}}',
    );
    expect(canonicalProtocolJson(p)).toBe(canonicalJson(p));
  });
});
