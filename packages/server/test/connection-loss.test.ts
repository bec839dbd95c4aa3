/**
 * PostgreSQL ends a server's connections — a restart, a failover, `pg_terminate_backend` by an administrator. The
 * server must neither crash (an idle pooled connection's error used to be an uncaught exception) nor stop following
 * the other instances: its LISTEN connection is opened again, and what it missed meanwhile is read from the ledger.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRecord } from '../src/ledger/events.js';
import { checkedProtocol } from '../src/schema/checked.js';
import { Canvass } from '../src/services/canvass.js';
import { freshDatabase, POSTGRES_ADMIN_URL, type TestDatabase } from './support/databases.js';
import { protocolFor, smallElection } from './support/small-election.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const SYSTEM = { id: 'system', role: 'system' } as const;

describe('a PostgreSQL server whose connections are ended by the database', () => {
  let db: TestDatabase;
  let follower: Canvass;
  let other: Canvass;
  let clerk: UserRecord;
  const warnings: string[] = [];
  const onWarning = (warning: Error & { code?: string }) => {
    if (warning.code === 'CANVASS_PG_CONNECTION_LOST') warnings.push(warning.message);
  };

  beforeAll(async () => {
    db = await freshDatabase('postgres');
    const setup = await Canvass.open({ db: db.location, dataDir: db.dir });
    await setup.defineElection(SYSTEM, smallElection());
    const added = await setup.addUser(SYSTEM, { name: 'clerk', role: 'commission', election: 'test-2026', division: 'c' });
    await setup.close();
    if (!added.ok) throw new Error(added.error.message);
    clerk = added.value.user;
    follower = await Canvass.open({ db: db.location, dataDir: db.dir, follow: true });
    other = await Canvass.open({ db: db.location, dataDir: db.dir });
    process.on('warning', onWarning);
  });
  afterAll(async () => {
    process.off('warning', onWarning);
    await follower.close();
    await other.close();
    await db.drop();
  });

  const reported = (canvass: Canvass) => canvass.projection.elections.get('test-2026')?.records.size ?? 0;

  it('keeps running, listens again and catches up with what another instance committed', async () => {
    // Both instances have idle pooled connections, and the follower its LISTEN connection.
    const first = await other.submitProtocol(
      clerk,
      checkedProtocol(protocolFor('r1-d1-s1', { a: 10, b: 20, c: 30, 'against-all': 5 })),
      null,
    );
    expect(first.ok).toBe(true);
    await until(() => reported(follower) === 1);

    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    const database = new URL(db.location).pathname.slice(1);
    const ended = await admin.query(
      'select pg_terminate_backend(pid) as ended from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [database],
    );
    await admin.end();
    const count = ended.rowCount ?? 0;
    expect(count).toBeGreaterThanOrEqual(2);
    // Each connection ended was heard of (all idle, so each warns once), the LISTEN one among them, and nothing
    // crashed. Waiting for all of them: a write must not pick a pooled connection whose end is still on its way.
    await until(() => warnings.length >= count);
    expect(warnings.filter((w) => w.includes('LISTEN'))).toHaveLength(1);

    // Another instance commits: the follower hears of it on its new LISTEN connection, or read it when it listened.
    const second = await other.submitProtocol(
      clerk,
      checkedProtocol(protocolFor('r1-d1-s2', { a: 11, b: 21, c: 31, 'against-all': 6 })),
      null,
    );
    expect(second.ok).toBe(true);
    await until(() => reported(follower) === 2);
    // And the follower writes through new connections of its pool, after the other instance's event.
    const third = await follower.submitProtocol(
      clerk,
      checkedProtocol(protocolFor('r1-d2-s1', { a: 12, b: 22, c: 32, 'against-all': 7 })),
      null,
    );
    expect(third).toMatchObject({ ok: true, value: { seq: (second.ok ? second.value.seq : 0) + 1 } });
    await other.writer.catchUp();
    expect(reported(other)).toBe(3);
    expect(follower.projection.head).toEqual(other.projection.head);
  });
});

describe('a PostgreSQL server whose database refuses connections for a while', () => {
  let server: TestServer;
  let database = '';
  const admin = () => new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  const allowConnections = async (allow: boolean) => {
    const client = admin();
    await client.connect();
    try {
      await client.query(`alter database ${pg.escapeIdentifier(database)} allow_connections ${allow}`);
      if (!allow)
        await client.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [
          database,
        ]);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    server = await startTestServer('postgres', smallElection());
    database = new URL(server.db.location).pathname.slice(1);
  });
  afterAll(async () => {
    await allowConnections(true);
    await server.close();
  });

  it('answers 503 with Retry-After, and the same request with its Idempotency-Key counts once when it is back', async () => {
    const protocol = protocolFor('r1-d1-s1', { a: 10, b: 20, c: 30, 'against-all': 5 });
    const send = (as: 'station' | 'r2', key: string) =>
      server.request('POST', '/api/v1/elections/test-2026/protocols', { as, body: protocol, headers: { 'idempotency-key': key } });
    // A token this server has already seen is known without the database (its first use reads the tokens table).
    expect(
      (
        await server.request('POST', '/api/v1/elections/test-2026/turnout', {
          as: 'station',
          body: { election: 'test-2026', station: 'r1-d1-s1', at: '10:00', participated: 100 },
        })
      ).status,
    ).toBe(201);

    await allowConnections(false);
    const refused = await send('station', 'night-1');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.body).toMatchObject({
      status: 503,
      rule: 'database-unavailable',
      detail: /the ledger could not be written/,
      retryAfter: 1,
    });
    // A token first used now cannot be checked: 503 too, not 401 and not 500.
    const unchecked = await send('r2', 'night-2');
    expect(unchecked.status).toBe(503);
    expect(unchecked.body).toMatchObject({ rule: 'database-unavailable', detail: /the database could not be reached/ });
    // Public reads are served from memory all along.
    expect((await server.request('GET', '/api/v1/elections/test-2026/results/c')).status).toBe(200);

    await allowConnections(true);
    const accepted = await send('station', 'night-1');
    expect(accepted.status).toBe(201);
    const again = await send('station', 'night-1');
    expect(again.status).toBe(201);
    expect(again.body).toEqual(accepted.body);
    const station = await server.request('GET', '/api/v1/elections/test-2026/stations/r1-d1-s1', { as: 'station' });
    expect(station.body.contests[0].entries).toHaveLength(1);
    expect(accepted.body).toMatchObject({ version: 1, status: 'counted' });
  });
});

/** Waits up to five seconds for `condition`, failing with what was awaited. */
async function until(condition: () => boolean): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > 5_000) throw new Error(`not reached within 5 s: ${condition.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
