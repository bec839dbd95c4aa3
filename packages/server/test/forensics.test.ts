import { indexElection, integerPercentagesOf } from '@canvass/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from './support/databases.js';
import { protocolFor, smallElection } from './support/small-election.js';
import { startTestServer, type TestServer } from './support/test-server.js';

/**
 * Statistical indicators over the counted protocols of a division (`GET /forensics/{division}`): the integer-percentage
 * test, whose arithmetic is pinned in the core and on the real Russian tables (import-izbirkom.test.ts); here, that
 * the API feeds it the right protocols and leader and follows the count.
 */
const E = '/api/v1/elections/test-2026';

describe.each(DATABASES)('forensics on %s', (kind) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(kind, smallElection());
    // Every answer here follows the change just made (the live server rebuilds these at most every 5 s).
    server.canvass.results.throttleMs = 0;
  });
  afterAll(() => server.close());

  const enter = async (station: string, votes: { a: number; b: number; c: number; 'against-all': number }) => {
    const entered = await server.request('POST', `${E}/protocols`, { as: 'country', body: protocolFor(station, votes) });
    expect(entered.status).toBe(201);
  };

  it('runs the integer-percentage test over the counted protocols under a division, with its leader', async () => {
    const empty = await server.request('GET', `${E}/forensics/c`);
    expect(empty.status).toBe(200);
    // Nothing counted: no leader, no test.
    expect(empty.body.contests).toEqual([{ contest: 'president', leader: null, integerPercentages: null }]);

    // 700 of 1,000 took part (70 %) and a has 490 of the 700 ballots in the boxes (70 %): integer twice.
    const written = protocolFor('r1-d1-s1', { a: 490, b: 110, c: 80, 'against-all': 10 });
    await enter('r1-d1-s1', { a: 490, b: 110, c: 80, 'against-all': 10 });
    // 721 took part (72.1 %), a has 500 of 721 (69.35 %): neither.
    const plain = protocolFor('r1-d2-s1', { a: 500, b: 123, c: 77, 'against-all': 11 });
    await enter('r1-d2-s1', { a: 500, b: 123, c: 77, 'against-all': 11 });
    // In r2, b leads: 605 of 816 (74.14 %), turnout 81.6 %: neither.
    const other = protocolFor('r2-d1-s1', { a: 100, b: 605, c: 90, 'against-all': 11 });
    await enter('r2-d1-s1', { a: 100, b: 605, c: 90, 'against-all': 11 });

    const country = await server.request('GET', `${E}/forensics/c`);
    const [contest] = country.body.contests;
    expect(contest.leader).toBe('a');
    const test = contest.integerPercentages;
    expect([test.considered, test.excluded]).toEqual([3, 0]);
    expect(test.observed).toEqual({ either: 1, leader: 1, turnout: 1 });
    // The figures are the core's over exactly these three protocols with a as the leader.
    const index = indexElection(smallElection());
    if (!index.ok) throw new Error('small election');
    const core = integerPercentagesOf(index.value.contests[0]!, [written, plain, other], 0);
    expect(test.expected.either).toBeCloseTo(core.expected.either, 9);
    expect(test.excess.either).toBeCloseTo(core.excess.either, 9);
    expect(test.z.either).toBeCloseTo(core.excess.either / core.sd.either, 9);
    expect(country.body.method.reference).toContain('Kobak');

    // A division's own stations, with the contest's leader (the country's, as in the paper), though b leads in r2.
    const r2 = (await server.request('GET', `${E}/forensics/r2`)).body.contests[0];
    expect(r2.leader).toBe('a');
    expect(r2.integerPercentages).toMatchObject({ considered: 1, observed: { either: 0, leader: 0, turnout: 0 } });

    // It follows the count: a new protocol changes the answer and its ETag.
    const etag = country.headers.get('etag');
    await enter('r1-d1-s2', { a: 400, b: 150, c: 100, 'against-all': 40 });
    const after = await server.request('GET', `${E}/forensics/c`);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(after.body.contests[0].integerPercentages.considered).toBe(4);

    const unknown = await server.request('GET', `${E}/forensics/r9`);
    expect([unknown.status, unknown.body.field]).toEqual([404, 'division']);
  });

  it('rebuilds a division’s answer at most once per interval, serving the version it was built at meanwhile', async () => {
    server.canvass.results.throttleMs = 60_000;
    try {
      const first = await server.request('GET', `${E}/forensics/r1`);
      await enter('r1-d2-s2', { a: 450, b: 150, c: 100, 'against-all': 40 });
      const soon = await server.request('GET', `${E}/forensics/r1`);
      // The same answer, and it says which results version it is.
      expect(soon.headers.get('etag')).toBe(first.headers.get('etag'));
      expect(soon.body).toEqual(first.body);
      expect(soon.body.resultsVersion).toBeLessThan(server.canvass.projection.elections.get('test-2026')?.resultsVersion ?? 0);
      server.canvass.results.throttleMs = 0;
      const later = await server.request('GET', `${E}/forensics/r1`);
      const considered = (body: { contests: { integerPercentages: { considered: number } }[] }) =>
        body.contests[0]?.integerPercentages.considered ?? 0;
      expect(considered(later.body)).toBe(considered(first.body) + 1);
    } finally {
      server.canvass.results.throttleMs = 0;
    }
  });

  it('answers 503 with Retry-After while a first computation goes on in slices between requests, then the answer', async () => {
    const results = server.canvass.results;
    // Every slice's time is up after one station: the two stations below take three slices.
    results.sliceMs = 0;
    try {
      await enter('r2-d1-s2', { a: 300, b: 350, c: 100, 'against-all': 20 });
      const corrected = await server.request('POST', `${E}/protocols`, {
        as: 'country',
        body: { ...protocolFor('r2-d1-s1', { a: 101, b: 605, c: 90, 'against-all': 10 }), reason: 'recounted' },
      });
      expect(corrected.status).toBe(201);
      const busy = await server.request('GET', `${E}/forensics/r2-d1`);
      expect(busy.status).toBe(503);
      expect(busy.headers.get('retry-after')).toBe('1');
      expect(busy.headers.get('cache-control')).toBe('no-store');
      expect(busy.headers.get('content-type')).toContain('application/problem+json');
      expect(busy.body).toMatchObject({ status: 503, rule: 'forensics-computing', retryAfter: 1 });
      expect(busy.body.detail).toContain('2 stations under "r2-d1"');
      // Finished in slices meanwhile: asked again, as the client was told to, it is there.
      let ready = busy;
      for (let i = 0; i < 200 && ready.status === 503; i++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        ready = await server.request('GET', `${E}/forensics/r2-d1`);
      }
      expect(ready.status).toBe(200);
      expect(ready.body.contests[0].integerPercentages.considered).toBe(2);
    } finally {
      results.sliceMs = 20;
    }
  });
});
