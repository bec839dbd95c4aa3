/**
 * Two writers on one ledger at once — on SQLite two server instances (or a server and a CLI command) on the same
 * file, each with its own writer thread. Every batch is decided after the head its writer knows; when the other
 * writer has appended meanwhile, the commit finds the head moved, answers stale (with every batch merged into the
 * same transaction), and the writer catches up and decides again. Nothing acknowledged may be lost or written
 * twice, the chain must stay one chain, and versions must stay consecutive per station.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkedProtocol } from '../src/schema/checked.js';
import { GENESIS_HASH, verifyChain } from '../src/ledger/chain.js';
import type { UserRecord } from '../src/ledger/events.js';
import { readRows, storedFields } from '../src/ledger/ledger-store.js';
import { Canvass } from '../src/services/canvass.js';
import { DATABASES, freshDatabase, type TestDatabase } from './support/databases.js';
import { protocolFor, smallElection, STATIONS } from './support/small-election.js';

const SYSTEM = { id: 'system', role: 'system' } as const;
const PER_WRITER = 60;

describe.each(DATABASES)('two writers on one %s ledger', (kind) => {
  let db: TestDatabase;
  let first: Canvass;
  let second: Canvass;
  let user: UserRecord;

  beforeAll(async () => {
    db = await freshDatabase(kind);
    first = await Canvass.open({ db: db.location, dataDir: db.dir });
    await first.defineElection(SYSTEM, smallElection());
    const added = await first.addUser(SYSTEM, { name: 'country', role: 'commission', election: 'test-2026', division: 'c' });
    if (!added.ok) throw new Error(added.error.message);
    user = added.value.user;
    // Opened after the setup: it replays it, then both write without hearing of each other (no LISTEN here).
    second = await Canvass.open({ db: db.location, dataDir: db.dir });
  });
  afterAll(async () => {
    await first.close();
    await second.close();
    await db.drop();
  });

  it('acknowledges every submission once, keeps one chain and consecutive versions', async () => {
    const submit = (writer: Canvass, i: number) => {
      const station = STATIONS[i % STATIONS.length] ?? STATIONS[0];
      return writer.submitProtocol(
        user,
        checkedProtocol(
          protocolFor(station, { a: 100 + i, b: 200, c: 50, 'against-all': 7 }, { reason: 'a recount by the station commission' }),
        ),
        `${writer === first ? 'first' : 'second'}-${i}`,
      );
    };
    // Both writers at once, each with many submissions queued: batches in flight on both sides go stale.
    const results = await Promise.all([
      ...Array.from({ length: PER_WRITER }, (_, i) => submit(first, i)),
      ...Array.from({ length: PER_WRITER }, (_, i) => submit(second, i)),
    ]);
    const refused = results.filter((r) => !r.ok);
    expect(refused).toEqual([]);
    // The case under test happened: at least one commit found the other writer's events and was decided again.
    expect(first.writer.stats.stale + second.writer.stats.stale).toBeGreaterThan(0);

    // A third instance replays the ledger as written.
    const third = await Canvass.open({ db: db.location, dataDir: db.dir });
    try {
      const state = third.projection.elections.get('test-2026');
      const entries = [...(state?.records.values() ?? [])].flatMap((record) => record.entries);
      expect(entries).toHaveLength(2 * PER_WRITER);
      for (const record of state?.records.values() ?? [])
        expect(record.entries.map((e) => e.version)).toEqual(record.entries.map((_, i) => i + 1));
      // Every acknowledged answer names the event that holds it.
      const seqs = results.map((r) => (r.ok ? r.value.seq : -1));
      expect(new Set(seqs).size).toBe(2 * PER_WRITER);
      for (const result of results) {
        if (!result.ok) continue;
        const held = entries.find((e) => e.seq === result.value.seq);
        expect({ station: held?.protocol.station, version: held?.version, hash: held?.hash }).toEqual({
          station: result.value.station,
          version: result.value.version,
          hash: result.value.hash,
        });
      }
      const chain = await verifyChain(
        (async function* () {
          for await (const row of readRows(third.store.db)) yield storedFields(row);
        })(),
        third.key.publicKey,
      );
      expect(chain.firstBreak).toBeUndefined();
      expect(chain.head.seq).toBe(third.projection.head.seq);
      expect(chain.head.hash).not.toBe(GENESIS_HASH);
      // Each writer's head — on SQLite filled in from its writer thread's answers, which chain the events — is the
      // stored chain's at that number.
      for (const writer of [first, second]) {
        const stored = await third.store.db
          .selectFrom('events')
          .select('hash')
          .where('seq', '=', writer.projection.head.seq)
          .executeTakeFirstOrThrow();
        expect(writer.projection.head.hash).toBe(stored.hash);
      }
    } finally {
      await third.close();
    }
  });
});
