import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from './support/databases.js';
import { protocolFor, smallElection } from './support/small-election.js';
import { startTestServer, type TestServer } from './support/test-server.js';

/** Bad input gets its documented 4xx naming the field and rule, and changes nothing. */
const E = '/api/v1/elections/test-2026';
const good = () => protocolFor('r1-d1-s1', { a: 500, b: 200, c: 100, 'against-all': 50 });

interface Case {
  readonly name: string;
  readonly path?: string;
  readonly body?: unknown;
  readonly raw?: string;
  readonly headers?: Record<string, string>;
  readonly status: number;
  readonly rule: string;
  readonly field?: string;
}

const CASES: readonly Case[] = [
  {
    name: 'a count of the wrong type',
    body: { ...good(), lines: { ...good().lines, voters: 'many' } },
    status: 422,
    rule: 'schema',
    field: 'lines.voters',
  },
  { name: 'a negative count', body: { ...good(), votes: { ...good().votes, a: -5 } }, status: 422, rule: 'schema', field: 'votes.a' },
  { name: 'a fractional count', body: { ...good(), votes: { ...good().votes, a: 2.5 } }, status: 422, rule: 'schema', field: 'votes.a' },
  {
    name: 'an absurd count',
    body: { ...good(), lines: { ...good().lines, voters: 1_000_000_000 } },
    status: 422,
    rule: 'schema',
    field: 'lines.voters',
  },
  {
    name: 'a missing field',
    body: { election: 'test-2026', contest: 'president', station: 'r1-d1-s1', lines: good().lines },
    status: 422,
    rule: 'schema',
    field: 'votes',
  },
  { name: 'an unknown field', body: { ...good(), extra: 1 }, status: 422, rule: 'schema' },
  { name: 'an array instead of an object', body: [good()], status: 422, rule: 'schema', field: '(top level)' },
  { name: 'an unknown station', body: { ...good(), station: 'nowhere-1' }, status: 422, rule: 'station-unknown', field: 'station' },
  { name: 'a district instead of a station', body: { ...good(), station: 'r1-d1' }, status: 422, rule: 'not-a-station', field: 'station' },
  { name: 'an unknown contest', body: { ...good(), contest: 'senate' }, status: 422, rule: 'contest-unknown', field: 'contest' },
  {
    name: 'a line the form does not have',
    body: { ...good(), lines: { ...good().lines, spoiled: 3 } },
    status: 422,
    rule: 'line-unknown',
    field: 'lines',
  },
  { name: 'a missing line', body: { ...good(), lines: { voters: 1000 } }, status: 422, rule: 'line-missing', field: 'lines' },
  {
    name: 'an option not on the ballot',
    body: { ...good(), votes: { ...good().votes, d: 1 } },
    status: 422,
    rule: 'option-unknown',
    field: 'votes',
  },
  {
    name: 'an election other than the URL’s',
    body: { ...good(), election: 'other-2026' },
    status: 422,
    rule: 'election-path',
    field: 'election',
  },
  {
    name: 'an unknown election',
    path: '/api/v1/elections/nope-2026/protocols',
    body: { ...good(), election: 'nope-2026' },
    status: 404,
    rule: 'election-exists',
    field: 'election',
  },
  { name: 'broken JSON', raw: '{"election": "test-2026", ', status: 400, rule: 'json-syntax' },
  { name: 'an empty JSON body', raw: '', status: 400, rule: 'json-body' },
  {
    name: 'a wrong content type',
    raw: 'election=test-2026',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    status: 415,
    rule: 'content-type',
    field: 'Content-Type',
  },
  { name: 'text/plain', raw: JSON.stringify(good()), headers: { 'content-type': 'text/plain' }, status: 415, rule: 'content-type' },
  { name: 'an oversized body', body: { ...good(), reason: 'x'.repeat(70_000) }, status: 413, rule: 'body-size' },
  { name: 'a too-long reason', body: { ...good(), reason: 'y'.repeat(2001) }, status: 422, rule: 'schema', field: 'reason' },
  {
    name: 'a malformed Idempotency-Key',
    body: good(),
    headers: { 'idempotency-key': 'has spaces in it' },
    status: 422,
    rule: 'idempotency-key',
    field: 'Idempotency-Key',
  },
];

const TURNOUT_CASES: readonly Case[] = [
  {
    name: 'an unscheduled time',
    body: { election: 'test-2026', station: 'r1-d1-s1', at: '11:00', participated: 10 },
    status: 422,
    rule: 'scheduled-time',
    field: 'at',
  },
  {
    name: 'more voters than on the list',
    body: { election: 'test-2026', station: 'r1-d1-s1', at: '10:00', participated: 1001 },
    status: 422,
    rule: 'turnout-within-list',
    field: 'participated',
  },
  {
    name: 'a time that is not HH:MM',
    body: { election: 'test-2026', station: 'r1-d1-s1', at: '10h', participated: 10 },
    status: 422,
    rule: 'schema',
    field: 'at',
  },
  {
    name: 'a district',
    body: { election: 'test-2026', station: 'r1-d1', at: '10:00', participated: 10 },
    status: 422,
    rule: 'station-unknown',
    field: 'station',
  },
];

describe.each(DATABASES)('malformed input on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, smallElection());
  });
  afterAll(() => server.close());

  const check = async (endpoint: string, c: Case) => {
    const before = server.canvass.projection.head.seq;
    const response = await server.request('POST', c.path ?? `${E}/${endpoint}`, {
      as: 'country',
      ...(c.raw !== undefined ? { raw: c.raw } : { body: c.body }),
      ...(c.headers ? { headers: c.headers } : {}),
    });
    expect({ status: response.status, rule: response.body?.rule }).toEqual({ status: c.status, rule: c.rule });
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body.type).toBe(`urn:canvass:problem:${c.rule}`);
    expect(response.body.detail).toEqual(expect.any(String));
    if (c.field !== undefined) expect(response.body.field).toBe(c.field);
    expect(server.canvass.projection.head.seq).toBe(before);
  };

  for (const c of CASES) it(`refuses a protocol with ${c.name}`, () => check('protocols', c));
  for (const c of TURNOUT_CASES) it(`refuses a turnout report with ${c.name}`, () => check('turnout', c));

  it('refuses turnout that goes backwards, naming both bounds', async () => {
    expect(
      (
        await server.request('POST', `${E}/turnout`, {
          as: 'country',
          body: { election: 'test-2026', station: 'r1-d2-s1', at: '12:00', participated: 300 },
        })
      ).status,
    ).toBe(201);
    await check('turnout', {
      name: 'earlier above later',
      body: { election: 'test-2026', station: 'r1-d2-s1', at: '10:00', participated: 301 },
      status: 422,
      rule: 'turnout-cumulative',
      field: 'participated',
    });
  });

  it('lists every schema problem, not only the first', async () => {
    const response = await server.request('POST', `${E}/protocols`, {
      as: 'country',
      body: { ...good(), lines: { ...good().lines, voters: -1, invalid: 'x' } },
    });
    expect(response.status).toBe(422);
    expect(response.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['lines.invalid', 'lines.voters']);
  });

  it('answers unknown endpoints and unknown divisions with 404 problems', async () => {
    const route = await server.request('GET', '/api/v1/nothing-here');
    expect({ status: route.status, rule: route.body.rule }).toEqual({ status: 404, rule: 'route' });
    const division = await server.request('GET', `${E}/results/atlantis`);
    expect({ status: division.status, rule: division.body.rule, field: division.body.field }).toEqual({
      status: 404,
      rule: 'division-exists',
      field: 'division',
    });
    const stage = await server.request('GET', `${E}/results/c?stage=draft`);
    expect({ status: stage.status, rule: stage.body.rule }).toEqual({ status: 422, rule: 'stage' });
  });

  it('answers URLs the router cannot take with problems too: bad percent-encoding, an id too long', async () => {
    const encoding = await server.request('GET', `${E}/results/kz%ZZ`);
    expect({ status: encoding.status, rule: encoding.body.rule }).toEqual({ status: 400, rule: 'url-encoding' });
    expect(encoding.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const long = await server.request('POST', `${E}/protocols/${'a'.repeat(300)}/president/accept`, { as: 'r1', body: {} });
    expect({ status: long.status, rule: long.body.rule }).toEqual({ status: 414, rule: 'url-length' });
    expect(long.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it("names the endpoint's own body limit when a body is too large", async () => {
    const protocol = await server.request('POST', `${E}/protocols`, { as: 'country', body: { ...good(), reason: 'x'.repeat(70_000) } });
    expect(protocol.body.detail).toBe(`the body exceeds this endpoint's limit of ${64 * 1024} bytes`);
    const review = await server.request('POST', `${E}/protocols/r1-d1-s1/president/accept`, {
      as: 'r1',
      body: { reason: 'x'.repeat(9000) },
    });
    expect(review.body.detail).toBe(`the body exceeds this endpoint's limit of ${8 * 1024} bytes`);
  });
});
