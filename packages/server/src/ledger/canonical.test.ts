import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalWith } from './canonical.js';

/** JSON values as a decoded request or a decided payload can hold them (no undefined inside arrays, finite numbers). */
const json = fc.jsonValue({ maxDepth: 3 });
const member = fc.oneof(json, fc.constant(undefined), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(-0));

describe('canonicalWith', () => {
  it('writes exactly the canonical JSON of the object with the known member in place', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 8 }), member, { maxKeys: 8 }),
        fc.string({ maxLength: 8 }),
        json,
        (value, key, known) => {
          const knownText = canonicalJson(known);
          expect(canonicalWith(value, key, knownText)).toBe(canonicalJson({ ...value, [key]: known }));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('writes the same key sets again and again, in any order and with members left out, as the canonicalizer does', () => {
    // Key orders are remembered between calls (member-order.ts): the same few sets in different orders.
    const pool = ['status', 'version', 'findings', 'hash', 'protocol', 'request', 'a\u0000', '\u0000b'];
    fc.assert(
      fc.property(
        fc.shuffledSubarray(pool, { minLength: 1 }),
        fc.array(member, { minLength: pool.length, maxLength: pool.length }),
        fc.constantFrom(...pool),
        (keys, values, key) => {
          const value = Object.fromEntries(keys.map((name, i) => [name, values[i]]));
          expect(canonicalWith(value, key, '"known"')).toBe(canonicalJson({ ...value, [key]: 'known' }));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('orders keys by UTF-16 code units, escapes them, and leaves out undefined members', () => {
    const value = { z: 1, é: 'x', '\u{1F5F3}': true, '\uFB01': null, a: undefined, '"q"': [1, { b: 2, a: 1 }] };
    expect(canonicalWith(value, 'm', '{"k":1}')).toBe(canonicalJson({ ...value, m: { k: 1 } }));
    expect(canonicalWith(value, 'm', '{"k":1}')).toBe(
      '{"\\"q\\"":[1,{"a":1,"b":2}],"m":{"k":1},"z":1,"é":"x","\u{1F5F3}":true,"\uFB01":null}',
    );
  });
});
