/**
 * The one endpoint the site adds (packages/server/src/http/routes/web-routes.ts): when an election's results or
 * turnout last changed, for the headline's "last update". Against the real app on both databases.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, freshDatabase, type TestDatabase } from '../../server/test/support/databases.js';
import { protocolFor, smallElection } from '../../server/test/support/small-election.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';

const E = '/api/v1/elections/test-2026';

describe.each(DATABASES)('GET /elections/{e}/updated on %s', (kind) => {
  let server: TestServer | undefined;
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await db?.drop();
    db = undefined;
  });

  it('names the ledger event that last changed the results, with its time, and revalidates by ETag', async () => {
    db = await freshDatabase(kind);
    server = await startTestServer(kind, smallElection(), { db });

    const before = await server.request('GET', `${E}/updated`);
    expect({ status: before.status, body: before.body }).toEqual({ status: 200, body: { election: 'test-2026', seq: 0, time: null } });
    expect(before.headers.get('cache-control')).toBe('public, max-age=2, stale-while-revalidate=30');

    const entered = await server.request('POST', `${E}/protocols`, {
      as: 'r1d1',
      body: protocolFor('r1-d1-s1', { a: 500, b: 300, c: 100, 'against-all': 50 }),
    });
    expect(entered.status).toBe(201);
    const feed = await server.request('GET', `${E}/events?after=${entered.body.seq - 1}&limit=1`);
    const event = feed.body.events[0];

    const after = await server.request('GET', `${E}/updated`);
    expect(after.body).toEqual({ election: 'test-2026', seq: entered.body.seq, time: event.time });
    const etag = after.headers.get('etag') ?? '';
    expect(etag).toBe(`"updated.test-2026.${entered.body.seq}"`);
    const unchanged = await server.request('GET', `${E}/updated`, { headers: { 'if-none-match': etag } });
    expect(unchanged.status).toBe(304);

    // An account being added is not a change of the results.
    const seqBefore = server.canvass.projection.head.seq;
    const added = await server.canvass.addUser(
      { id: 'system', role: 'system' },
      { name: 'late-observer', role: 'observer', election: 'test-2026' },
    );
    expect(added.ok).toBe(true);
    expect(server.canvass.projection.head.seq).toBe(seqBefore + 1);
    expect((await server.request('GET', `${E}/updated`)).body.seq).toBe(entered.body.seq);

    // A restart replays the ledger: the time of the last change is read once from the store, then kept.
    await server.close();
    server = await startTestServer(kind, smallElection(), { db, accounts: false });
    const replayed = await server.request('GET', `${E}/updated`);
    expect(replayed.body).toEqual({ election: 'test-2026', seq: entered.body.seq, time: event.time });
    expect(replayed.headers.get('etag')).toBe(etag);
  });

  it('answers an unknown election with a 404 problem', async () => {
    db = await freshDatabase(kind);
    server = await startTestServer(kind, smallElection(), { db, accounts: false });
    const missing = await server.request('GET', '/api/v1/elections/nope/updated');
    expect({ status: missing.status, rule: missing.body.rule, field: missing.body.field }).toEqual({
      status: 404,
      rule: 'election-exists',
      field: 'election',
    });
  });
});
