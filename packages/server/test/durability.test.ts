import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Canvass } from '../src/services/canvass.js';
import { DATABASES, freshDatabase, type TestDatabase } from './support/databases.js';
import { protocolFor, smallElection, STATIONS } from './support/small-election.js';
import { spawnServer } from './support/spawn-server.js';

/**
 * Nothing acknowledged is lost: a server killed with SIGKILL in the middle of a stream of concurrent submissions
 * keeps every protocol it answered 2xx for, and retrying every request with its Idempotency-Key afterwards
 * duplicates none.
 */
const E = '/api/v1/elections/test-2026';
const CLIENTS = 24;

function bodyFor(n: number) {
  const station = STATIONS[n % STATIONS.length] ?? 'r1-d1-s1';
  return protocolFor(station, { a: 100 + (n % 300), b: 200, c: 50, 'against-all': n % 17 }, { reason: `durability stream, request ${n}` });
}

async function submit(url: string, token: string, n: number): Promise<{ status: number; seq?: number; replayed: boolean }> {
  const response = await fetch(`${url}${E}/protocols`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': `durability-${n}` },
    body: JSON.stringify(bodyFor(n)),
  });
  const body = (await response.json()) as { seq?: number };
  return {
    status: response.status,
    ...(body.seq !== undefined ? { seq: body.seq } : {}),
    replayed: response.headers.get('idempotent-replayed') === 'true',
  };
}

describe.each(DATABASES)('durability on %s', (kind) => {
  let db: TestDatabase;
  let token = '';

  beforeAll(async () => {
    db = await freshDatabase(kind);
    const canvass = await Canvass.open({ db: db.location, dataDir: db.dir });
    await canvass.defineElection({ id: 'system', role: 'system' }, smallElection());
    const added = await canvass.addUser(
      { id: 'system', role: 'system' },
      { name: 'clerk', role: 'commission', election: 'test-2026', division: 'c', token: true },
    );
    if (!added.ok) throw new Error(added.error.message);
    token = added.value.token ?? '';
    await canvass.close();
  });
  afterAll(() => db.drop());

  it('loses no acknowledged protocol when killed with SIGKILL, and duplicates none on retry', async () => {
    const server = await spawnServer(db.location, db.dir);
    const acknowledged = new Map<number, number>();
    const attempted = new Set<number>();
    let next = 0;
    let killed = false;
    // Each client submits until the kill cuts one of its submissions off (its outcome unknown to the client, retried
    // below): the stream does not drain first, as it would if the clients stopped when told.
    const client = async () => {
      for (;;) {
        const n = next++;
        attempted.add(n);
        try {
          const result = await submit(server.url, token, n);
          if (result.status === 201 && result.seq !== undefined) acknowledged.set(n, result.seq);
        } catch {
          // Connection reset or refused: unknown whether it committed.
          if (killed) return;
        }
      }
    };
    const clients = Array.from({ length: CLIENTS }, client);
    // Kill once a few hundred submissions are acknowledged, while the stream is running.
    while (acknowledged.size < 300) await new Promise((resolve) => setTimeout(resolve, 5));
    killed = true;
    server.child.kill('SIGKILL');
    await server.exited;
    await Promise.all(clients);

    const restarted = await spawnServer(db.location, db.dir);
    try {
      // Every acknowledged submission is there: a retry is answered from the ledger with the same sequence number.
      for (const [n, seq] of acknowledged) {
        const retry = await submit(restarted.url, token, n);
        expect({ n, status: retry.status, seq: retry.seq, replayed: retry.replayed }).toEqual({ n, status: 201, seq, replayed: true });
      }
      // The ones never acknowledged are retried too; each is then stored exactly once.
      for (const n of attempted) if (!acknowledged.has(n)) expect((await submit(restarted.url, token, n)).status).toBe(201);
    } finally {
      await restarted.stop();
    }
    const canvass = await Canvass.open({ db: db.location, dataDir: db.dir });
    try {
      const rows = await canvass.store.db.selectFrom('events').select(['idem']).where('kind', '=', 'protocol-entered').execute();
      const keys = rows.map((r) => r.idem);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys.length).toBe(attempted.size);
      // The versions of each station are consecutive: nothing half-written.
      for (const record of canvass.projection.elections.get('test-2026')?.records.values() ?? []) {
        expect(record.entries.map((e) => e.version)).toEqual(record.entries.map((_, i) => i + 1));
      }
    } finally {
      await canvass.close();
    }
  }, 120_000);
});
