import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from './support/databases.js';
import { protocolFor, smallElection, STATIONS } from './support/small-election.js';
import { startTestServer, type AccountKey, type TestServer } from './support/test-server.js';

/**
 * Least privilege: every role × every write endpoint × a station inside and outside the account's division.
 * A refused request must not change anything: the ledger head stays where it was.
 */
const E = '/api/v1/elections/test-2026';
const INSIDE = 'r1-d1-s1';
const OUTSIDE = 'r2-d1-s1';
type Who = AccountKey | 'public';
const WHO: readonly Who[] = ['public', 'admin', 'cec', 'country', 'r1', 'r1d1', 'station', 'r2', 'observer', 'observerR2'];

interface Endpoint {
  readonly name: string;
  readonly request: (station: string) => { method: string; path: string; body: unknown };
  /** Expected status per account for a station inside r1-d1 and one in r2. */
  readonly inside: Record<Who, number>;
  readonly outside: Record<Who, number>;
}

const commissionsOf = (allowed: readonly Who[], ok: number): Record<Who, number> =>
  Object.fromEntries(WHO.map((who) => [who, who === 'public' ? 401 : allowed.includes(who) ? ok : 403])) as Record<Who, number>;

// In this order: the status change needs every protocol counted, which the rejections at the end undo.
const ENDPOINTS: readonly Endpoint[] = [
  {
    name: 'POST turnout',
    request: (station) => ({
      method: 'POST',
      path: `${E}/turnout`,
      body: { election: 'test-2026', station, at: '10:00', participated: 100 },
    }),
    inside: commissionsOf(['country', 'r1', 'r1d1', 'station'], 201),
    outside: commissionsOf(['country', 'r2'], 201),
  },
  {
    name: 'POST protocols',
    request: (station) => ({
      method: 'POST',
      path: `${E}/protocols`,
      body: protocolFor(station, { a: 500, b: 200, c: 100, 'against-all': 50 }, { reason: 'matrix: recount of the boxes' }),
    }),
    inside: commissionsOf(['country', 'r1', 'r1d1', 'station'], 201),
    outside: commissionsOf(['country', 'r2'], 201),
  },
  {
    name: 'POST protocol-copies',
    request: (station) => ({
      method: 'POST',
      path: `${E}/protocol-copies`,
      body: protocolFor(station, { a: 501, b: 200, c: 100, 'against-all': 50 }),
    }),
    // Observers only, each in its own part of the country (the test observer watches all of it).
    inside: commissionsOf(['observer'], 201),
    outside: commissionsOf(['observer', 'observerR2'], 201),
  },
  {
    name: 'POST status',
    request: () => ({ method: 'POST', path: `${E}/status`, body: { status: 'recount', reason: 'matrix: a recount is ordered' } }),
    inside: commissionsOf(['cec'], 200),
    outside: commissionsOf(['cec'], 200),
  },
  {
    name: 'POST accept',
    request: (station) => ({ method: 'POST', path: `${E}/protocols/${station}/president/accept`, body: {} }),
    // The commission above the station (any ancestor) and the CEC; never the station's own commission, nor the
    // account that keyed the version (four eyes: r2 entered the latest version of the station outside r1-d1 above).
    inside: commissionsOf(['cec', 'country', 'r1', 'r1d1'], 200),
    outside: commissionsOf(['cec', 'country'], 200),
  },
  {
    name: 'POST reject',
    request: (station) => ({
      method: 'POST',
      path: `${E}/protocols/${station}/president/reject`,
      body: { reason: 'matrix: totals do not match the paper copy' },
    }),
    inside: commissionsOf(['cec', 'country', 'r1', 'r1d1'], 200),
    outside: commissionsOf(['cec', 'country'], 200),
  },
  {
    name: 'POST exit-polls',
    request: () => ({
      method: 'POST',
      path: `${E}/exit-polls`,
      body: {
        contest: 'president',
        organisation: 'Matrix Polls',
        publishedAt: '2026-11-29T20:00:00+05:00',
        sampleSize: 5000,
        method: 'face to face',
        estimates: { a: '60.0' },
      },
    }),
    inside: commissionsOf(['cec'], 201),
    outside: commissionsOf(['cec'], 201),
  },
];

describe.each(DATABASES)('authorization matrix on %s', (kind) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(kind, smallElection());
    for (const station of STATIONS) {
      const entered = await server.request('POST', `${E}/protocols`, {
        as: 'country',
        body: protocolFor(station, { a: 500, b: 200, c: 100, 'against-all': 50 }),
      });
      expect(entered.status).toBe(201);
    }
    // Complete, so that the CEC's status change in the matrix (complete → recount) is allowed.
    expect((await server.request('POST', `${E}/status`, { as: 'cec', body: { status: 'unofficial-complete' } })).status).toBe(200);
  });
  afterAll(() => server.close());

  for (const endpoint of ENDPOINTS) {
    for (const [where, station] of [
      ['inside', INSIDE],
      ['outside', OUTSIDE],
    ] as const) {
      it(`${endpoint.name} for a station ${where} r1-d1`, async () => {
        const statuses: Record<string, number> = {};
        for (const who of WHO) {
          const before = server.canvass.projection.head.seq;
          const { method, path, body } = endpoint.request(station);
          const response = await server.request(method, path, { ...(who === 'public' ? {} : { as: who }), body });
          statuses[who] = response.status;
          if (response.status >= 400) {
            expect(server.canvass.projection.head.seq, `${who} was refused but the ledger moved`).toBe(before);
            expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
            expect(response.body.rule).toEqual(expect.any(String));
          }
          // The status change is a one-way step; put it back for the next account.
          if (endpoint.name === 'POST status' && response.status === 200) {
            expect((await server.request('POST', `${E}/status`, { as: 'cec', body: { status: 'unofficial-complete' } })).status).toBe(200);
          }
        }
        expect(statuses).toEqual(where === 'inside' ? endpoint.inside : endpoint.outside);
      });
    }
  }

  it('names the rule in every refusal', async () => {
    const outside = await server.request('POST', `${E}/protocols`, {
      as: 'r2',
      body: protocolFor(INSIDE, { a: 1, b: 1, c: 1, 'against-all': 1 }, { reason: 'not my station at all' }),
    });
    expect(outside.status).toBe(403);
    expect(outside.body).toMatchObject({ status: 403, rule: 'division-scope', type: 'urn:canvass:problem:division-scope' });
    const anonymous = await server.request('POST', `${E}/protocols`, { body: protocolFor(INSIDE, { a: 1, b: 1, c: 1, 'against-all': 1 }) });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    const forged = await server.request('POST', `${E}/protocols`, {
      body: protocolFor(INSIDE, { a: 1, b: 1, c: 1, 'against-all': 1 }),
      headers: { authorization: 'Bearer cvt_AAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    });
    expect(forged.status).toBe(401);
    // A real token's id with another secret: refused while the id's row has not been read yet (a fresh account's
    // token) and after the right secret has put it in the cache.
    const fresh = await server.canvass.addUser(
      { id: 'system', role: 'system' },
      { name: 'fresh-clerk', role: 'commission', election: 'test-2026', division: 'r1', token: true },
    );
    if (!fresh.ok) throw new Error(fresh.error.message);
    const real = fresh.value.token ?? '';
    const flipped = `${real.slice(0, -1)}${real.endsWith('A') ? 'B' : 'A'}`;
    const entry = (authorization: string) =>
      server.request('POST', `${E}/turnout`, {
        body: { election: 'test-2026', station: INSIDE, at: '10:00', participated: 100 },
        headers: { authorization: `Bearer ${authorization}` },
      });
    expect((await entry(flipped)).status).toBe(401);
    expect((await entry(real)).status).toBe(201);
    expect((await entry(flipped)).status).toBe(401);
  });
});
