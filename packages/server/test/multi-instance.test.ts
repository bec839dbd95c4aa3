import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Canvass } from '../src/services/canvass.js';
import { freshDatabase, type TestDatabase } from './support/databases.js';
import { protocolFor, smallElection, STATIONS } from './support/small-election.js';
import { spawnServer, type SpawnedServer } from './support/spawn-server.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CLI } from './support/spawn-server.js';

/** Two `canvass serve` processes on one PostgreSQL database stay consistent (LISTEN/NOTIFY). */
const E = '/api/v1/elections/test-2026';

describe('two instances on one PostgreSQL database', () => {
  let db: TestDatabase;
  let token = '';
  let a: SpawnedServer;
  let b: SpawnedServer;

  beforeAll(async () => {
    db = await freshDatabase('postgres');
    const canvass = await Canvass.open({ db: db.location, dataDir: db.dir });
    await canvass.defineElection({ id: 'system', role: 'system' }, smallElection());
    const added = await canvass.addUser(
      { id: 'system', role: 'system' },
      { name: 'clerk', role: 'commission', election: 'test-2026', division: 'c', token: true },
    );
    if (!added.ok) throw new Error(added.error.message);
    token = added.value.token ?? '';
    await canvass.close();
    [a, b] = await Promise.all([spawnServer(db.location, db.dir), spawnServer(db.location, db.dir)]);
  });
  afterAll(async () => {
    await Promise.all([a.stop(), b.stop()]);
    await db.drop();
  });

  const post = (server: SpawnedServer, body: unknown) =>
    fetch(`${server.url}${E}/protocols`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
  const reported = async (server: SpawnedServer) =>
    ((await (await fetch(`${server.url}${E}/results/c`)).json()) as { contests: { stations: { reported: number } }[] }).contests[0]
      ?.stations.reported;

  it('shows a protocol accepted by one instance in the other’s results within a second', async () => {
    const started = Date.now();
    expect((await post(a, protocolFor('r1-d1-s1', { a: 10, b: 20, c: 30, 'against-all': 5 }))).status).toBe(201);
    let seen = await reported(b);
    while (seen !== 1 && Date.now() - started < 1000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      seen = await reported(b);
    }
    expect(seen).toBe(1);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('keeps one chain and one state when both take writes at once', async () => {
    const writes = [];
    for (let i = 0; i < 60; i++) {
      const station = STATIONS[i % STATIONS.length] ?? 'r1-d1-s1';
      writes.push(
        post(
          i % 2 === 0 ? a : b,
          protocolFor(station, { a: 10 + i, b: 20, c: 30, 'against-all': 5 }, { reason: `interleaved write ${i}` }),
        ),
      );
    }
    const statuses = await Promise.all(writes.map(async (w) => (await w).status));
    expect(statuses.every((s) => s === 201)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const [fromA, fromB] = await Promise.all([
      fetch(`${a.url}${E}/divisions/c`).then((r) => r.json()),
      fetch(`${b.url}${E}/divisions/c`).then((r) => r.json()),
    ]);
    expect(fromA).toEqual(fromB);
    const verified = await promisify(execFile)(process.execPath, [CLI, 'ledger', 'verify', '--db', db.location, '--data-dir', db.dir]);
    expect(verified.stdout).toMatch(/^ledger OK: \d+ events/);
    // Each station's versions are numbered 1, 2, 3… across both instances.
    const canvass = await Canvass.open({ db: db.location, dataDir: db.dir });
    try {
      for (const record of canvass.projection.elections.get('test-2026')?.records.values() ?? []) {
        expect(record.entries.map((e) => e.version)).toEqual(record.entries.map((_, i) => i + 1));
      }
    } finally {
      await canvass.close();
    }
  });
});
