import { describe, expect, test } from 'vitest';
import { diffJson } from './diff-json.js';

describe('diffJson', () => {
  test('equal values have no differences; undefined fields count as absent', () => {
    expect(diffJson({ a: [1, { b: 'x' }], c: null }, { a: [1, { b: 'x' }], c: null, d: undefined })).toEqual([]);
  });

  test('every differing leaf with its path, including missing and extra fields and array elements', () => {
    expect(
      diffJson(
        { contests: [{ votes: 5, lines: { 'ballots-issued': 7 }, extra: true }], list: [1, 2, 3] },
        { contests: [{ votes: 6, lines: { 'ballots-issued': 7, invalid: 0 } }], list: [1, 2] },
      ),
    ).toEqual([
      { path: 'contests[0].votes', published: 5, recomputed: 6 },
      { path: 'contests[0].lines.invalid', recomputed: 0 },
      { path: 'contests[0].extra', published: true },
      { path: 'list[2]', published: 3 },
    ]);
  });

  test('a different kind of value is one difference at that path; the whole value differs at the top', () => {
    expect(diffJson({ a: [1] }, { a: { 0: 1 } })).toEqual([{ path: 'a', published: [1], recomputed: { 0: 1 } }]);
    expect(diffJson(1, '1')).toEqual([{ path: '(the whole value)', published: 1, recomputed: '1' }]);
  });

  test('stops at the limit', () => {
    expect(diffJson([1, 2, 3, 4], [5, 6, 7, 8], 2)).toHaveLength(2);
  });
});
