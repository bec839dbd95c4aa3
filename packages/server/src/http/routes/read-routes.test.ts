import { describe, expect, it } from 'vitest';
import { acceptsGzip, etagMatches } from './read-routes.js';

describe('acceptsGzip', () => {
  it.each([
    ['gzip', true],
    ['gzip, deflate, br', true],
    ['br;q=1.0, GZIP;q=0.5', true],
    ['*', true],
    ['deflate, *;q=0.1', true],
    [undefined, false],
    ['', false],
    ['br, deflate', false],
    ['gzip;q=0', false],
    ['gzip; q=0.000, deflate', false],
    ['identity', false],
    ['xgzip', false],
  ] as const)('%s → %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });
});

describe('etagMatches', () => {
  const etag = '"results.e.preliminary.kz.v42"';
  it.each([
    [etag, true],
    [`W/${etag}`, true],
    [`"other", ${etag}`, true],
    [`"other",W/${etag} , "third"`, true],
    ['*', true],
    [undefined, false],
    ['', false],
    ['"results.e.preliminary.kz.v41"', false],
    ['results.e.preliminary.kz.v42', false],
    [`"other"`, false],
  ] as const)('%s → %s', (header, expected) => {
    expect(etagMatches(header, etag)).toBe(expected);
  });
});
