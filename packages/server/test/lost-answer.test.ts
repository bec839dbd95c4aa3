/**
 * A commit whose answer is lost: the worst moment for a fault. The event is on disk, but the server never learns it:
 * on SQLite because the writer thread stopped between COMMIT and its answer, on PostgreSQL because the connection
 * ended before COMMIT's answer arrived (both injected: `WriterFaults`). The client gets 503 and sends the same request
 * again with its Idempotency-Key; it must be answered as the first attempt committed it — one version, not two — and
 * the ledger must stay one unbroken, signed chain. On SQLite the writer thread is started again on its own.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEvents } from '../src/ledger/ledger-store.js';
import type { WriterFaults } from '../src/services/ledger-writer.js';
import { DATABASES } from './support/databases.js';
import { protocolFor, smallElection, STATIONS } from './support/small-election.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const CLI = join(import.meta.dirname, '../bin/canvass.js');

describe.each(DATABASES)('a commit whose answer is lost, on %s', (kind) => {
  let server: TestServer;
  const faults: WriterFaults = {};
  const warnings: string[] = [];
  const onWarning = (warning: Error & { code?: string }) => {
    if (warning.code === 'CANVASS_WRITER_THREAD_STOPPED') warnings.push(warning.message);
  };

  beforeAll(async () => {
    process.on('warning', onWarning);
    server = await startTestServer(kind, smallElection(), { faults });
  });
  afterAll(async () => {
    process.off('warning', onWarning);
    await server.close();
  });

  const submit = (station: string, key: string, votes = { a: 10, b: 20, c: 30, 'against-all': 5 }) =>
    server.request('POST', '/api/v1/elections/test-2026/protocols', {
      as: 'country',
      body: protocolFor(station, votes),
      headers: { 'idempotency-key': key },
    });

  it('answers 503, and the retry with the same Idempotency-Key gets the committed version, recorded once', async () => {
    const before = server.canvass.projection.head.seq;
    faults.loseNextAnswer = true;
    const lost = await submit('r1-d1-s1', 'lost-1');
    const answered = Date.now();
    const health = await server.request('GET', '/api/v1/health');
    // SQLite: the writer thread is started again 100 ms after it stopped; until then health says writes are refused.
    if (kind === 'sqlite' && Date.now() - answered < 80) expect(health.body.writes).toBe('unavailable');
    if (kind === 'postgres') expect(health.body.writes).toBe('accepted');
    expect(faults.loseNextAnswer).toBe(false);
    expect(lost.status).toBe(503);
    expect(lost.headers.get('retry-after')).toBe('1');
    expect(lost.body).toMatchObject({ rule: 'database-unavailable', detail: /the ledger could not be written/ });

    // The event was committed all the same, and the server reads it back by itself (the catch-up after a failed
    // write runs while the 503 is on its way, so it may finish just after).
    for (const started = Date.now(); server.canvass.projection.head.seq !== before + 1 && Date.now() - started < 5_000;)
      await new Promise((resolve) => setTimeout(resolve, 10));
    const history = await server.request('GET', '/api/v1/elections/test-2026/stations/r1-d1-s1', { as: 'country' });
    expect(history.status).toBe(200);
    expect(history.body.contests[0].entries).toHaveLength(1);
    expect(server.canvass.projection.head.seq).toBe(before + 1);

    // The retry, as the web forms send it (after 1 s; here until the writer takes writes again).
    let retried = await submit('r1-d1-s1', 'lost-1');
    for (let attempt = 0; retried.status === 503 && attempt < 50; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      retried = await submit('r1-d1-s1', 'lost-1');
    }
    expect(retried.status).toBe(201);
    expect((await server.request('GET', '/api/v1/health')).body.writes).toBe('accepted');
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.body).toMatchObject({ station: 'r1-d1-s1', version: 1, status: 'counted', seq: before + 1 });
    const after = await server.request('GET', '/api/v1/elections/test-2026/stations/r1-d1-s1', { as: 'country' });
    expect(after.body.contests[0].entries).toHaveLength(1);

    // Writing goes on after it, in the same chain.
    const next = await submit('r1-d1-s2', 'next-1', { a: 11, b: 21, c: 31, 'against-all': 6 });
    expect(next.status).toBe(201);
    expect(next.body).toMatchObject({ version: 1, seq: before + 2 });
    expect(server.canvass.projection.head.seq).toBe(before + 2);
    if (kind === 'sqlite') expect(warnings).toHaveLength(1);
  });

  it('under concurrent submissions: every acknowledged key is in the ledger once, and none twice after retries', async () => {
    const CLIENTS = 16;
    const PER_CLIENT = 12;
    const acknowledged = new Map<string, number>();
    let unavailable = 0;
    let sent = 0;
    const client = async (c: number) => {
      for (let i = 0; i < PER_CLIENT; i++) {
        const key = `load-${c}-${i}`;
        const station = STATIONS[(c + i) % STATIONS.length] ?? 'r1-d1-s1';
        const body = protocolFor(station, { a: 100 + c, b: 200 + i, c: 50, 'against-all': 3 }, { reason: `load ${c}/${i}` });
        // Midway, one commit's answer is lost while the other clients' batches are in flight around it.
        if (++sent === (CLIENTS * PER_CLIENT) / 2) faults.loseNextAnswer = true;
        for (let attempt = 0; ; attempt++) {
          const response = await server.request('POST', '/api/v1/elections/test-2026/protocols', {
            as: 'country',
            body,
            headers: { 'idempotency-key': key },
          });
          if (response.status === 201) {
            acknowledged.set(key, response.body.seq);
            break;
          }
          expect(response.status).toBe(503);
          unavailable++;
          if (attempt > 50) throw new Error(`${key}: still 503 after ${attempt} attempts`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
    expect(faults.loseNextAnswer).toBe(false);
    expect(unavailable).toBeGreaterThan(0);
    expect(acknowledged.size).toBe(CLIENTS * PER_CLIENT);

    const recorded = new Map<string, number[]>();
    for await (const event of readEvents(server.canvass.store.db, 0)) {
      if ('unreadable' in event) throw new Error(`event ${event.seq} is unreadable`);
      if (event.idem?.startsWith('load-')) recorded.set(event.idem, [...(recorded.get(event.idem) ?? []), event.seq]);
    }
    expect(recorded.size).toBe(CLIENTS * PER_CLIENT);
    for (const [key, seq] of acknowledged) expect(recorded.get(key)).toEqual([seq]);
  });

  it('leaves one unbroken, signed chain', async () => {
    const head = server.canvass.projection.head;
    const { stdout } = await promisify(execFile)(process.execPath, [
      CLI,
      'ledger',
      'verify',
      '--db',
      server.db.location,
      '--data-dir',
      server.db.dir,
    ]);
    expect(stdout).toBe(`ledger OK: ${head.seq} events, head seq ${head.seq}, hash ${head.hash}\n`);
  });
});
