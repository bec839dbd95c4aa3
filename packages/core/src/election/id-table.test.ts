import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdTable, fnv1a } from './id-table.js';

/** The table against a `Map` fed the same ids: same duplicates refused, same answers to every lookup. */
function compareWithMap(ids: readonly string[], probes: readonly string[], expected: number): void {
  const table = new IdTable((i) => ids[i] ?? '', expected);
  const map = new Map<string, number>();
  const differences: string[] = [];
  ids.forEach((id, i) => {
    const first = map.get(id);
    const inserted = table.insert(id, i);
    if (inserted !== (first ?? -1)) differences.push(`insert ${id}: ${inserted}, not ${first ?? -1}`);
    if (first === undefined) map.set(id, i);
  });
  for (const id of [...ids, ...probes]) if (table.get(id) !== map.get(id)) differences.push(`get ${id}: ${table.get(id)}`);
  expect(differences).toEqual([]);
  expect(table.size).toBe(map.size);
}

describe('IdTable', () => {
  it('answers as a Map does, growing past its expected size, with duplicates and unknown ids', () => {
    // Short ids from a small alphabet: many duplicates and many equal hash slots.
    const id = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '-', '1', 'ж', '\u{1F5F3}'), maxLength: 6 });
    fc.assert(
      fc.property(fc.array(id, { maxLength: 300 }), fc.array(id, { maxLength: 30 }), fc.nat(400), (ids, probes, expected) => {
        compareWithMap(ids, probes, expected);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps apart ids whose 32-bit hashes are equal', () => {
    // Found by search: distinct station ids with the same FNV-1a hash. The table must compare the ids themselves.
    const pairs = [
      ['kz-s12548', 'kz-s1048634'],
      ['kz-s12618', 'kz-s1048744'],
    ] as const;
    for (const [a, b] of pairs) {
      expect(fnv1a(a)).toBe(fnv1a(b));
      const ids = [a, b];
      const table = new IdTable((i) => ids[i] ?? '', 2);
      expect([table.insert(a, 0), table.insert(b, 1), table.get(a), table.get(b), table.insert(b, 2)]).toEqual([-1, -1, 0, 1, 1]);
    }
    const many = Array.from({ length: 1_100_000 }, (_, i) => `kz-s${i}`);
    compareWithMap(many, ['kz-s', 'kz-s-1', ''], 1000);
  });

  it('refuses an id inserted twice and names where it was first', () => {
    const ids = ['kz', 'kz-ala', 'kz-ala-1', 'kz-ala'];
    const table = new IdTable((i) => ids[i] ?? '', ids.length);
    expect(ids.map((id, i) => table.insert(id, i))).toEqual([-1, -1, -1, 1]);
    expect(table.get('kz-ala-1')).toBe(2);
    expect(table.get('kz-ast')).toBeUndefined();
  });
});
