import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Canvass } from '../src/services/canvass.js';
import { readEvents } from '../src/ledger/ledger-store.js';
import { DATABASES } from './support/databases.js';
import { protocolFor, smallElection, STATIONS } from './support/small-election.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const run = promisify(execFile);
const CLI = join(import.meta.dirname, '../bin/canvass.js');
const E = '/api/v1/elections/test-2026';
/** Text that array literals, JSON and SQL each escape differently: it must come back from the ledger as it went in. */
const AWKWARD_REASON = 'recount of "box 2" \\ {a,b} NULL, \'quoted\' \u2014 \u049a\u0430\u0439\u0442\u0430 \ud83d\uddf3\nsecond line';

/** `canvass …` as a user runs it (the built CLI), returning exit code and output. */
async function canvass(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe.each(DATABASES)('ledger on %s', (kind) => {
  let server: TestServer;
  let resultsBefore: unknown;

  beforeAll(async () => {
    server = await startTestServer(kind, smallElection());
    for (const [i, station] of STATIONS.entries()) {
      await server.request('POST', `${E}/protocols`, {
        as: 'country',
        body: protocolFor(station, { a: 100 + i, b: 200, c: 50, 'against-all': 7 * i }),
      });
    }
    await server.request('POST', `${E}/protocols`, {
      as: 'country',
      body: protocolFor(STATIONS[0], { a: 99, b: 200, c: 50, 'against-all': 0 }, { reason: 'recount' }),
    });
    const awkward = await server.request('POST', `${E}/protocols`, {
      as: 'country',
      body: protocolFor(STATIONS[1], { a: 101, b: 200, c: 50, 'against-all': 8 }, { reason: AWKWARD_REASON }),
      headers: { 'idempotency-key': 'NULL' },
    });
    expect(awkward.status).toBe(201);
    await server.request('POST', `${E}/turnout`, {
      as: 'country',
      body: { election: 'test-2026', station: STATIONS[1], at: '10:00', participated: 120 },
    });
    await server.request('POST', `${E}/protocols/${STATIONS[2]}/president/accept`, { as: 'r1', body: {} });
    // Last, a commit of several events (one per report), whose end a test below removes.
    const batch = await server.request('POST', `${E}/turnout/batch`, {
      as: 'country',
      body: [
        { election: 'test-2026', station: STATIONS[0], at: '12:00', participated: 10 },
        { election: 'test-2026', station: STATIONS[2], at: '12:00', participated: 20 },
        { election: 'test-2026', station: STATIONS[3], at: '12:00', participated: 30 },
      ],
    });
    expect(batch.status).toBe(201);
    resultsBefore = (await server.request('GET', `${E}/divisions/c`)).body;
    await server.app.close();
    await server.canvass.close();
  });
  afterAll(() => server.db.drop());

  it('rebuilds exactly the same state from the ledger on start-up', async () => {
    const again = await startTestServer(kind, smallElection(), { db: server.db, accounts: false });
    try {
      expect((await again.request('GET', `${E}/divisions/c`)).body).toEqual(resultsBefore);
      expect((await again.request('GET', `${E}/divisions/c?stage=final`)).body.results.contests[0].stations.reported).toBe(1);
      expect(again.canvass.replay.events).toBe(again.canvass.projection.head.seq);
      const history = (await again.request('GET', `${E}/stations/${STATIONS[1]}`, { as: 'country' })).body;
      expect(JSON.stringify(history)).toContain(JSON.stringify(AWKWARD_REASON));
    } finally {
      await again.app.close();
      await again.canvass.close();
    }
  });

  it('verifies the whole chain with `canvass ledger verify`', async () => {
    const result = await canvass(['ledger', 'verify', '--db', server.db.location, '--data-dir', server.db.dir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ledger OK: (\d+) events, head seq \1, hash [0-9a-f]{64}\n$/);
  });

  it('names the sequence number of an edited row, of a removed row, and of a forged signature', async () => {
    const opened = await Canvass.open({ db: server.db.location, dataDir: server.db.dir });
    const db: Kysely<any> = opened.store.db as never;
    const original = await db
      .selectFrom('events')
      .selectAll()
      .where('kind', '=', 'protocol-entered')
      .orderBy('seq')
      .limit(1)
      .executeTakeFirstOrThrow();
    const target = Number(original.seq);
    expect(original.payload).toContain('"a":');
    const otherKey = `AAAA${String(original.signature).slice(4)}`;
    await opened.close();

    const tamper = async (change: (db: Kysely<any>) => Promise<unknown>) => {
      const store = await Canvass.open({ db: server.db.location, dataDir: server.db.dir }).catch(() => undefined);
      // Opening replays the ledger: a tampered payload may not even parse. Edit through a bare connection instead.
      if (store) await store.close();
      const { openStore } = await import('../src/store/open-store.js');
      const bare = await openStore(server.db.location);
      try {
        await change(bare.db as never);
      } finally {
        await bare.close();
      }
    };
    const verify = () => canvass(['ledger', 'verify', '--db', server.db.location, '--data-dir', server.db.dir]);

    // One changed vote inside a stored payload.
    await tamper((d) =>
      d
        .updateTable('events')
        .set({ payload: original.payload.replace('"a":', '"a":1') })
        .where('seq', '=', target)
        .execute(),
    );
    let result = await verify();
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`ledger BROKEN at seq ${target}: its content does not match its hash`);
    // The server refuses to start on it (the replay checks every hash: on SQLite in its chain-check thread).
    await expect(Canvass.open({ db: server.db.location, dataDir: server.db.dir })).rejects.toThrow(
      new RegExp(`ledger event ${target} (breaks the hash chain \\(hash-mismatch\\)|does not match its hash)`),
    );
    await tamper((d) => d.updateTable('events').set({ payload: original.payload }).where('seq', '=', target).execute());
    expect((await verify()).code).toBe(0);

    // The hash recomputed to match the edit: the next event's link breaks.
    await tamper((d) =>
      d
        .updateTable('events')
        .set({ hash: 'f'.repeat(64) })
        .where('seq', '=', target)
        .execute(),
    );
    result = await verify();
    expect(result.stdout).toContain(`ledger BROKEN at seq ${target}`);
    await tamper((d) => d.updateTable('events').set({ hash: original.hash }).where('seq', '=', target).execute());

    // A forged signature on the signed event.
    await tamper((d) => d.updateTable('events').set({ signature: otherKey }).where('seq', '=', target).execute());
    result = await verify();
    expect(result.stdout).toContain(`ledger BROKEN at seq ${target}: its signature`);
    await tamper((d) => d.updateTable('events').set({ signature: original.signature }).where('seq', '=', target).execute());

    // A removed event.
    await tamper((d) => d.deleteFrom('events').where('seq', '=', target).execute());
    result = await verify();
    expect(result.stdout).toContain(`ledger BROKEN at seq ${target + 1}: an event is missing or out of order`);
    await tamper((d) => d.insertInto('events').values(original).execute());
    expect((await verify()).code).toBe(0);
  });

  it('notices events removed from the end: inside a commit, and a whole last commit', async () => {
    const bare = await (await import('../src/store/open-store.js')).openStore(server.db.location);
    const db: Kysely<any> = bare.db as never;
    const verify = () => canvass(['ledger', 'verify', '--db', server.db.location, '--data-dir', server.db.dir]);
    try {
      const lastSigned = Number((await db.selectFrom('events').select(db.fn.max('signed_seq').as('s')).executeTakeFirstOrThrow()).s);
      const lastCommit = await db.selectFrom('events').selectAll().where('signed_seq', '=', lastSigned).orderBy('seq').execute();
      const firstOfCommit = Number(lastCommit[0]?.seq);
      // The whole last commit removed: what is left is a valid chain, but the head row still names the end.
      await db.deleteFrom('events').where('signed_seq', '=', lastSigned).execute();
      let result = await verify();
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(
        `ledger BROKEN after seq ${firstOfCommit - 1}: the ledger's head names seq ${lastSigned} (hash ${String(lastCommit.at(-1)?.hash)}), but its events end at seq ${firstOfCommit - 1}`,
      );
      // Only the signed event removed (the head row moved back to match): the rest of its commit is signed by nothing.
      await db.insertInto('events').values(lastCommit).execute();
      const lastButOne = lastCommit.at(-2);
      expect(lastButOne).toBeDefined();
      if (lastButOne) {
        await db.deleteFrom('events').where('seq', '=', lastSigned).execute();
        await db
          .updateTable('ledger_head')
          .set({ seq: Number(lastButOne.seq), hash: lastButOne.hash })
          .where('id', '=', 1)
          .execute();
        result = await verify();
        expect(result.stdout).toContain(`ledger BROKEN at seq ${firstOfCommit}: the ledger ends inside the commit that starts here`);
        expect(result.stdout).toContain(`; ${firstOfCommit - 1} events before it verified`);
        await db.insertInto('events').values(lastCommit.slice(-1)).execute();
        await db
          .updateTable('ledger_head')
          .set({ seq: lastSigned, hash: String(lastCommit.at(-1)?.hash) })
          .where('id', '=', 1)
          .execute();
      }
      expect((await verify()).code).toBe(0);
    } finally {
      await bare.close();
    }
  });

  it('refuses to vouch for a database that does not exist or a ledger with no events', async () => {
    const missing = await canvass(['ledger', 'verify', '--db', join(server.db.dir, 'mistyped.db'), '--data-dir', server.db.dir]);
    expect([missing.code, missing.stdout]).toEqual([2, '']);
    expect(missing.stderr).toContain('mistyped.db: no database at this path; check --db');
    const empty = join(server.db.dir, 'empty.jsonl');
    await writeFile(empty, '');
    const result = await canvass(['ledger', 'verify', '--file', empty, '--data-dir', server.db.dir]);
    expect([result.code, result.stdout]).toEqual([1, 'ledger EMPTY: there are no events to verify\n']);
  });

  it('exports the ledger and verifies the exported file the same way', async () => {
    const file = join(server.db.dir, 'ledger.jsonl');
    expect((await canvass(['ledger', 'export', '--db', server.db.location, '--out', file])).code).toBe(0);
    const result = await canvass(['ledger', 'verify', '--file', file, '--data-dir', server.db.dir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ledger OK/);
  });

  it('never changes or deletes a stored event through the application: the table only grows', async () => {
    const opened = await Canvass.open({ db: server.db.location, dataDir: server.db.dir });
    try {
      let count = 0;
      for await (const event of readEvents(opened.store.db, 0)) {
        expect('unreadable' in event).toBe(false);
        count++;
      }
      const rows = await sql<{ n: number | string }>`select count(*) as n from events`.execute(opened.store.db);
      expect(Number(rows.rows[0]?.n)).toBe(count);
    } finally {
      await opened.close();
    }
  });
});
