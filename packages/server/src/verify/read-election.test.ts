import { ElectionSchema, type Election } from '@canvass/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateKz2022President } from '../demo-data/generate-kz.js';
import { syntheticElection } from '../publish/synthetic-input.js';
import { TINY_ELECTION } from '../publish/tiny-election.js';
import { readElectionBytes } from './read-election.js';

const encode = (text: string) => new TextEncoder().encode(text);
/** What the general way gives: `JSON.parse`, then the schema. */
const general = (text: string): Election | undefined => {
  const parsed = ElectionSchema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : undefined;
};

describe('readElectionBytes', () => {
  it.each([
    ['the 2022 reference election', () => generateKz2022President().election],
    ['a synthetic election of 20,000 stations', () => syntheticElection({ stations: 20_000, regions: 5, districts: 40, options: 10 })],
    ['the tiny election', () => TINY_ELECTION],
  ])('reads %s as JSON.parse and the schema do', (_, make) => {
    const text = JSON.stringify(make());
    const read = readElectionBytes(encode(text));
    expect(read).toBeDefined();
    expect(read).toStrictEqual(general(text));
    expect(JSON.stringify(read)).toBe(JSON.stringify(general(text)));
  });

  // Division-like objects, valid and not: ids, kinds and names from alphabets that straddle each rule, counts
  // around their limits, keys the compact shape does not have, escapes and non-ASCII text.
  const idText = fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,12}$/),
    fc.constantFrom('', '-a', 'a b', 'é', 'a"b', 'a\\b', 'x'.repeat(80), 'x'.repeat(81), '\u0000'),
  );
  const kind = fc.oneof(
    fc.constantFrom('country', 'region', 'polling-station', 'Region', 'reGion', 'a_b', '1st', '', 'a'.repeat(40), 'a'.repeat(41)),
  );
  const text = fc.oneof(fc.string(), fc.constantFrom('Алматы', 'Station "7"', 'tab\there', '\\', '', 'ü\u2028'));
  const names = fc.dictionary(
    fc.oneof(fc.constantFrom('en', 'ru', 'kk', 'kk-Cyrl', 'zh-Hant-TW', 'EN', 'e', 'abcd', 'en-'), fc.string()),
    text,
    {
      maxKeys: 4,
    },
  );
  // Around the rules of a time zone (`^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$`) and of a closing time (`HH:MM`, 00:00–23:59).
  const timeZone = fc.oneof(
    fc.stringMatching(/^[A-Za-z_]{1,6}(\/[A-Za-z0-9_+-]{1,6}){0,2}$/),
    fc.constantFrom('Asia/Almaty', 'UTC', 'Etc/GMT+5', 'America/Argentina/Buenos_Aires', 'not a zone', '', 'Asia/', '/Asia'),
    fc.constantFrom('Asia//Almaty', '1Asia/X', 'Asia/Al maty', 'Asia/Алматы', 'Etc/GMT+5/', '_', 'Asia\\/Almaty', 'A/b.c'),
    // Digits, "+" and "-" are allowed after the first segment only.
    fc.constantFrom('Etc+5/x', 'A1/x', 'A-b/c', 'Abc/D+1', 'Abc/_x', 'Abc/1', 'Abc/-'),
  );
  const closes = fc.oneof(
    fc.stringMatching(/^[0-2][0-9]:[0-6][0-9]$/),
    fc.constantFrom('20:00', '00:00', '23:59', '24:00', '19:60', '2:00', '20:0', '20:000', '', '20-00'),
  );
  const count = fc.oneof(
    fc.nat(2000),
    fc.constantFrom(0, 100_000_000, 100_000_001, -1, 1.5, 1e21, -0),
    fc.constant('12' as unknown as number),
  );
  const division = fc.record(
    {
      id: idText,
      kind,
      parent: idText,
      names,
      registered: count,
      externalIds: fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
      timeZone,
      closes,
      other: fc.constant(1),
    },
    { requiredKeys: [] },
  );

  // Mostly valid: each field valid most of the time, so that both answers come up often.
  const likely = <T>(valid: fc.Arbitrary<T>, any: fc.Arbitrary<T>) =>
    fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: any, weight: 1 });
  // Keys in any order: the reader gives them in the schema's order whatever the file's.
  const shuffled = <T extends object>(record: fc.Arbitrary<T>) =>
    record.chain((value) => {
      const keys = Object.keys(value) as (keyof T)[];
      return fc
        .shuffledSubarray(keys, { minLength: keys.length, maxLength: keys.length })
        .map((order) => Object.fromEntries(order.map((key) => [key, value[key]])) as T);
    });
  const station = fc.record(
    {
      id: likely(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,10}$/), idText),
      kind: likely(fc.constant('polling-station'), kind),
      parent: likely(fc.constant(TINY_ELECTION.divisions[0]?.id ?? ''), idText),
      names: likely(fc.constant({ en: 'Station 1', ru: 'Участок 1' }), names),
      registered: likely(fc.nat(5000), count),
      timeZone: likely(fc.constant('Asia/Almaty'), timeZone),
      closes: likely(fc.constant('20:00'), closes),
    },
    { requiredKeys: ['id', 'kind', 'names'] },
  );

  it('accepts exactly what the schema accepts, and reads it the same, for any division', () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ arbitrary: division, weight: 1 }, { arbitrary: shuffled(station), weight: 5 }), { maxLength: 4 }),
        fc.boolean(),
        (extra, pretty) => {
          const doc = { ...TINY_ELECTION, divisions: [...TINY_ELECTION.divisions, ...extra] };
          const textOf = pretty ? JSON.stringify(doc, null, 1) : JSON.stringify(doc);
          const expected = general(textOf);
          const read = readElectionBytes(encode(textOf));
          if (expected === undefined) {
            expect(read).toBeUndefined();
          } else {
            expect(read).toStrictEqual(expected);
            // toStrictEqual ignores the order of keys; the text does not.
            expect(JSON.stringify(read)).toBe(JSON.stringify(expected));
            if (extra.length > 0) accepted++;
          }
        },
      ),
      { numRuns: 1000 },
    );
    // Both ways were taken, many times.
    expect(accepted).toBeGreaterThan(100);
    expect(accepted).toBeLessThan(900);
  });

  it('leaves to the general way what is not an election at all', () => {
    for (const bad of ['', '[]', '{"divisions":[]}', '{"divisions":[{"id":"a"', '{"divisions":[{}] , "divisions":[]}', 'null'])
      expect(readElectionBytes(encode(bad))).toBeUndefined();
  });
});
