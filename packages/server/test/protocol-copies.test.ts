import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Canvass } from '../src/services/canvass.js';
import { DATABASES } from './support/databases.js';
import { protocolFor, smallElection } from './support/small-election.js';
import { startTestServer, type TestServer } from './support/test-server.js';

/**
 * Observers file their copies of station protocols (issue 3: an observer submits protocol copies). A copy is
 * evidence, never counted: it is recorded with its own findings and compared line by line with the protocol that
 * counts — when it arrives, and again whenever the station is looked at.
 */
const E = '/api/v1/elections/test-2026';
const STATION = 'r2-d1-s1';
const COUNTED = { a: 500, b: 200, c: 100, 'against-all': 50 };

describe.each(DATABASES)('protocol copies on %s', (kind) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(kind, smallElection());
    // Every answer here follows the change just made (the live server rebuilds these at most every 5 s).
    server.canvass.results.throttleMs = 0;
  });
  afterAll(() => server.close());

  const submit = (body: unknown, headers: Record<string, string> = {}, as: 'observer' | 'observerR2' | 'r2' = 'observerR2') =>
    server.request('POST', `${E}/protocol-copies`, { as, body, headers });

  it('records a copy before anything is counted, then compares copies with the counted protocol, line by line', async () => {
    const early = await submit(protocolFor(STATION, COUNTED));
    expect(early.status).toBe(201);
    expect(early.body).toMatchObject({ station: STATION, contest: 'president', compared: null, matches: null, findings: [] });
    expect(early.headers.get('location')).toBe(`${E}/stations/${STATION}`);

    const entered = await server.request('POST', `${E}/protocols`, { as: 'r2', body: protocolFor(STATION, COUNTED) });
    expect(entered.status).toBe(201);
    const same = await submit(protocolFor(STATION, COUNTED));
    expect(same.body).toMatchObject({ compared: { version: 1, hash: entered.body.hash, differences: [] }, matches: true });
    // A copy of the same protocol has the same hash: an observer can compare hashes without the lines.
    expect(same.body.hash).toBe(entered.body.hash);

    // The copy says 520 for "a" and, as its own arithmetic shows, was not the protocol that counted.
    const other = await submit(protocolFor(STATION, { ...COUNTED, a: 520 }));
    expect(other.status).toBe(201);
    expect(other.body.matches).toBe(false);
    expect(other.body.compared.differences).toEqual([
      { line: 'ballots-issued', copy: 880, counted: 860 },
      { line: 'ballots-cancelled', copy: 120, counted: 140 },
      { line: 'ballots-in-boxes', copy: 880, counted: 860 },
      { line: 'votes.a', copy: 520, counted: 500 },
    ]);

    // Nothing counted changed.
    const results = await server.request('GET', `${E}/results/${STATION}`);
    expect(results.body.contests[0].options.find((o: { option: string }) => o.option === 'a').votes).toBe(500);
  });

  it('keeps a copy whose arithmetic is wrong, with its findings: that is what an observer must be able to file', async () => {
    const broken = protocolFor(STATION, COUNTED);
    const wrong = { ...broken, lines: { ...broken.lines, 'ballots-in-boxes': 999 } };
    const filed = await submit(wrong);
    expect(filed.status).toBe(201);
    // The small election's control relations that the 999 ballots in the boxes break, each with both sides.
    expect(
      filed.body.findings.map((f: { code: string; severity: string; left: number; right: number }) => [
        f.code,
        f.severity,
        f.left,
        f.right,
      ]),
    ).toEqual([
      ['KZ-2', 'error', 999, 860],
      ['KZ-3', 'error', 999, 860],
    ]);
    // Recorded, not counted: the copy is kept with them.
    expect(filed.body.seq).toBeGreaterThan(0);
  });

  it('shows each copy against the protocol that counts now, and as compared when it arrived', async () => {
    // A correction now makes the counted protocol say what the earlier differing copy said.
    const corrected = await server.request('POST', `${E}/protocols`, {
      as: 'r2',
      body: protocolFor(STATION, { ...COUNTED, a: 520 }, { reason: 'recount: 20 ballots for a were in the wrong pile' }),
    });
    expect(corrected.status).toBe(201);
    const view = (await server.request('GET', `${E}/stations/${STATION}`, { as: 'observer' })).body.contests[0];
    const copies = view.copies as {
      actor: { role: string; name?: string };
      votes: { a: number };
      comparedOnArrival: { version: number; differences: unknown[] } | null;
      now: { version: number; differences: unknown[] } | null;
    }[];
    expect(copies.map((c) => [c.votes.a, c.comparedOnArrival?.version ?? null, c.now?.version, c.now?.differences.length])).toEqual([
      [500, null, 2, 4],
      [500, 1, 2, 4],
      [520, 1, 2, 0],
      // The copy with the wrong arithmetic: its a is 500 and its ballots in the boxes 999.
      [500, 1, 2, 4],
    ]);
    expect(copies[0]?.actor).toEqual({ role: 'observer', name: 'observer-r2' });
    // The public sees the copies, not who filed them.
    const publicView = (await server.request('GET', `${E}/stations/${STATION}`)).body.contests[0];
    expect(publicView.copies[0].actor).toEqual({ role: 'observer' });
  });

  it('compares a copy only with a version that counts, not with one stopped by the control relations', async () => {
    const station = 'r2-d1-s2';
    const valid = protocolFor(station, COUNTED);
    const stopped = await server.request('POST', `${E}/protocols`, {
      as: 'r2',
      body: { ...valid, lines: { ...valid.lines, 'ballots-in-boxes': 999 } },
    });
    expect(stopped.body.status).toBe('rejected-by-rules');
    const copy = await submit(valid);
    expect(copy.body).toMatchObject({ compared: null, matches: null });
    const view = (await server.request('GET', `${E}/stations/${station}`)).body.contests[0];
    expect(view.copies.map((c: { now: unknown }) => c.now)).toEqual([null]);
    // Once a valid version counts, the same copy is compared with it.
    const recounted = await server.request('POST', `${E}/protocols`, { as: 'r2', body: { ...valid, reason: 'the boxes recounted' } });
    expect(recounted.status).toBe(201);
    const after = (await server.request('GET', `${E}/stations/${station}`)).body.contests[0];
    expect(after.copies.map((c: { now: { version: number; differences: unknown[] } }) => [c.now.version, c.now.differences])).toEqual([
      [2, []],
    ]);
  });

  it('keeps a discrepancy register per division: copies that differ from what counts now, the largest difference first', async () => {
    const register = async (division: string) => server.request('GET', `${E}/discrepancies/${division}`);
    const r2 = await register('r2');
    expect(r2.status).toBe(200);
    // Station r2-d1-s1 has four copies against version 2 (a = 520): the one that says 520 matches; r2-d1-s2's one
    // copy matches its version 2.
    expect(r2.body).toMatchObject({ division: 'r2', copies: 5, stations: 2, matching: 2, differing: 3, uncompared: 0 });
    const listed = r2.body.discrepancies as { station: string; largest: number; seq: number; counted: { version: number } }[];
    // The copy with 999 ballots in the boxes is off by 119 from the counted 880; the two others by 20, in filing order.
    expect(listed.map((d) => [d.station, d.largest, d.counted.version])).toEqual([
      [STATION, 119, 2],
      [STATION, 20, 2],
      [STATION, 20, 2],
    ]);
    expect(listed[1]!.seq).toBeLessThan(listed[2]!.seq);
    expect(r2.body.discrepancies[1].differences).toContainEqual({ line: 'votes.a', copy: 500, counted: 520 });
    // Observers are not named in the public register.
    expect(JSON.stringify(r2.body)).not.toContain('observer-r2');

    // A copy changes no result but does change the register: a copy of a station where nothing counts yet.
    const country = await register('c');
    const etag = country.headers.get('etag');
    const filed = await submit(protocolFor('r1-d2-s2', COUNTED), {}, 'observer');
    expect(filed.status).toBe(201);
    const after = await register('c');
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(after.body).toMatchObject({ copies: 6, stations: 3, matching: 2, differing: 3, uncompared: 1 });
    expect((await register('r1')).body).toMatchObject({
      copies: 1,
      stations: 1,
      matching: 0,
      differing: 0,
      uncompared: 1,
      discrepancies: [],
    });
    const r2Before = await register('r2');
    expect(r2Before.body).toMatchObject({ copies: 5, differing: 3 });

    // And a correction changes it without any new copy: back to a = 500, the copies that said 500 match again.
    const back = await server.request('POST', `${E}/protocols`, {
      as: 'r2',
      body: protocolFor(STATION, COUNTED, { reason: 'the recount was wrong: a had 500 after all' }),
    });
    expect(back.status).toBe(201);
    const r2After = await register('r2');
    expect(r2After.headers.get('etag')).not.toBe(r2Before.headers.get('etag'));
    expect(r2After.body).toMatchObject({ copies: 5, matching: 3, differing: 2 });
    expect(
      r2After.body.discrepancies.map((d: { largest: number; counted: { version: number } }) => [d.largest, d.counted.version]),
    ).toEqual([
      [139, 3], // 999 ballots in the boxes against the 860 counted now
      [20, 3],
    ]);

    const unknown = await register('r9');
    expect([unknown.status, unknown.body.field]).toEqual([404, 'division']);
  });

  it('refuses commissions, observers of another division and copies that do not fit the election, changing nothing', async () => {
    const before = server.canvass.projection.head.seq;
    const commission = await submit(protocolFor(STATION, COUNTED), {}, 'r2');
    expect([commission.status, commission.body.rule]).toEqual([403, 'role-observer']);
    const elsewhere = await submit(protocolFor('r1-d1-s1', COUNTED));
    expect([elsewhere.status, elsewhere.body.rule]).toEqual([403, 'division-scope']);
    expect(elsewhere.body.detail).toContain('observes division "r2"');
    const unknown = await submit(protocolFor('r2-d9-s9', COUNTED));
    expect([unknown.status, unknown.body.field]).toEqual([422, 'station']);
    const notJson = await server.request('POST', `${E}/protocol-copies`, { as: 'observerR2', raw: '{"election":' });
    expect(notJson.status).toBe(400);
    const otherElection = await submit({ ...protocolFor(STATION, COUNTED), election: 'other-2026' });
    expect([otherElection.status, otherElection.body.rule]).toEqual([422, 'election-path']);
    expect(server.canvass.projection.head.seq).toBe(before);
  });

  it('answers a retry with the same Idempotency-Key once, and keeps copies across a restart', async () => {
    const body = protocolFor(STATION, { ...COUNTED, b: 201 });
    const first = await submit(body, { 'idempotency-key': 'copy-photo-0001' });
    const again = await submit(body, { 'idempotency-key': 'copy-photo-0001' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const changed = await submit(protocolFor(STATION, COUNTED), { 'idempotency-key': 'copy-photo-0001' });
    expect([changed.status, changed.body.rule]).toEqual([422, 'idempotency-key-reused']);

    const replayed = await Canvass.open({ db: server.db.location, dataDir: server.db.dir });
    try {
      const copies = replayed.projection.elections.get('test-2026')?.copies.get(`president/${STATION}`) ?? [];
      expect(copies.map((c) => c.copy.votes)).toEqual(
        server.canvass.projection.elections
          .get('test-2026')
          ?.copies.get(`president/${STATION}`)
          ?.map((c) => c.copy.votes),
      );
      // Four from the tests before on this station, one here: the retry and the refused reuse of the key added none.
      expect(copies).toHaveLength(5);
    } finally {
      await replayed.close();
    }
  });
});
