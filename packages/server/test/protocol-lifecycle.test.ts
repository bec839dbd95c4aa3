import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from './support/databases.js';
import { protocolFor, smallElection, STATIONS } from './support/small-election.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const E = '/api/v1/elections/test-2026';
const votes = (a: number, b: number, c: number, against: number) => ({ a, b, c, 'against-all': against });

describe.each(DATABASES)('protocol lifecycle on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, smallElection());
  });
  afterAll(() => server.close());

  const results = async (division: string, stage = 'preliminary') =>
    (await server.request('GET', `${E}/results/${division}?stage=${stage}`)).body.contests[0];

  it('counts a valid protocol at once, in every division above its station', async () => {
    const entered = await server.request('POST', `${E}/protocols`, { as: 'r1d1', body: protocolFor('r1-d1-s1', votes(500, 200, 100, 50)) });
    expect(entered.status).toBe(201);
    expect(entered.body).toMatchObject({
      station: 'r1-d1-s1',
      contest: 'president',
      version: 1,
      status: 'counted',
      counted: true,
      findings: [],
    });
    expect(entered.body.hash).toMatch(/^[0-9a-f]{64}$/);
    for (const division of ['c', 'r1', 'r1-d1', 'r1-d1-s1']) {
      const r = await results(division);
      expect(r.stations.reported).toBe(1);
      expect(r.options.map((o: { votes: number }) => o.votes)).toEqual([500, 200, 100, 50]);
    }
    expect((await results('r2')).stations).toEqual({ reported: 0, total: 2 });
    expect((await results('c', 'final')).stations.reported).toBe(0);
  });

  it('keeps a second version only as a correction with a reason, and counts the latest', async () => {
    const noReason = await server.request('POST', `${E}/protocols`, {
      as: 'r1d1',
      body: protocolFor('r1-d1-s1', votes(490, 210, 100, 50)),
    });
    expect({ status: noReason.status, rule: noReason.body.rule, field: noReason.body.field }).toEqual({
      status: 422,
      rule: 'correction-reason',
      field: 'reason',
    });
    const corrected = await server.request('POST', `${E}/protocols`, {
      as: 'r1d1',
      body: protocolFor('r1-d1-s1', votes(490, 210, 100, 50), { reason: 'recount: 10 ballots for A were for B' }),
    });
    expect(corrected.body).toMatchObject({ version: 2, status: 'counted' });
    expect((await results('c')).options.map((o: { votes: number }) => o.votes)).toEqual([490, 210, 100, 50]);
    const station = await server.request('GET', `${E}/stations/r1-d1-s1`);
    expect(
      station.body.contests[0].entries.map((e: { version: number; status: string; reason?: string }) => [
        e.version,
        e.status,
        e.reason ?? null,
      ]),
    ).toEqual([
      [1, 'counted', null],
      [2, 'counted', 'recount: 10 ballots for A were for B'],
    ]);
  });

  it('stores a protocol that breaks a control relation as rejected-by-rules, with every finding, and does not count it', async () => {
    const broken = protocolFor('r1-d1-s1', votes(490, 210, 100, 50), { reason: 'typed again from the paper copy' });
    const body = { ...broken, lines: { ...broken.lines, invalid: 40, 'ballots-received': 999 } };
    const entered = await server.request('POST', `${E}/protocols`, { as: 'r1d1', body });
    expect(entered.status).toBe(201);
    expect(entered.body.status).toBe('rejected-by-rules');
    expect(entered.body.counted).toBe(false);
    expect(
      entered.body.findings.map((f: { code: string; severity: string; left: number; right: number }) => [
        f.code,
        f.severity,
        f.left,
        f.right,
      ]),
    ).toEqual([
      ['KZ-1', 'error', 999, 1000],
      ['KZ-2', 'error', 860, 890],
    ]);
    expect(entered.body.findings[1].values).toEqual({
      'ballots-in-boxes': 860,
      invalid: 40,
      'votes.a': 490,
      'votes.b': 210,
      'votes.c': 100,
      'votes.against-all': 50,
    });
    // The corrected version no longer counts: the latest version is what the commission now says.
    expect((await results('c')).stations.reported).toBe(0);
    const station = await server.request('GET', `${E}/stations/r1-d1-s1`);
    expect(station.body.contests[0].latest).toMatchObject({ version: 3, status: 'rejected-by-rules', counted: false });
  });

  it('needs the higher commission’s acceptance for the final results, and refuses to accept a broken protocol', async () => {
    const refused = await server.request('POST', `${E}/protocols/r1-d1-s1/president/accept`, { as: 'r1', body: {} });
    expect({ status: refused.status, rule: refused.body.rule }).toEqual({ status: 409, rule: 'protocol-valid' });
    const rejectBroken = await server.request('POST', `${E}/protocols/r1-d1-s1/president/reject`, {
      as: 'r1',
      body: { reason: 'the ballot accounts do not balance' },
    });
    expect({ status: rejectBroken.status, rule: rejectBroken.body.rule }).toEqual({ status: 409, rule: 'protocol-valid' });
    expect(rejectBroken.body.detail).toBe(
      'version 3 breaks an error-level control relation and is not counted already; the commission below must correct it',
    );
    await server.request('POST', `${E}/protocols`, {
      as: 'r1d1',
      body: protocolFor('r1-d1-s1', votes(490, 210, 100, 50), { reason: 'ballot accounts checked again' }),
    });
    const stale = await server.request('POST', `${E}/protocols/r1-d1-s1/president/accept`, { as: 'r1', body: { version: 3 } });
    expect({ status: stale.status, rule: stale.body.rule }).toEqual({ status: 409, rule: 'latest-version' });
    const accepted = await server.request('POST', `${E}/protocols/r1-d1-s1/president/accept`, { as: 'r1', body: { version: 4 } });
    expect(accepted.body).toMatchObject({ version: 4, accepted: true });
    expect((await results('c', 'final')).options.map((o: { votes: number }) => o.votes)).toEqual([490, 210, 100, 50]);
    const rejected = await server.request('POST', `${E}/protocols/r1-d1-s1/president/reject`, {
      as: 'r1',
      body: { reason: 'signatures missing on the copy' },
    });
    expect(rejected.body).toMatchObject({ version: 4, accepted: false, rejectedReason: 'signatures missing on the copy' });
    expect((await results('c', 'final')).stations.reported).toBe(0);
    expect((await results('c')).stations.reported).toBe(0);
    const fixed = await server.request('POST', `${E}/protocols`, {
      as: 'r1d1',
      body: protocolFor('r1-d1-s1', votes(490, 210, 100, 50), { reason: 'signed copy attached' }),
    });
    expect(fixed.body).toMatchObject({ version: 5, status: 'counted' });
  });

  it('answers a retried request with the same Idempotency-Key once, and refuses the key for another body', async () => {
    const body = protocolFor('r1-d2-s1', votes(300, 300, 100, 50));
    const first = await server.request('POST', `${E}/protocols`, { as: 'r1', body, headers: { 'idempotency-key': 'r1-d2-s1-v1' } });
    const head = server.canvass.projection.head.seq;
    const again = await server.request('POST', `${E}/protocols`, { as: 'r1', body, headers: { 'idempotency-key': 'r1-d2-s1-v1' } });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(server.canvass.projection.head.seq).toBe(head);
    const other = await server.request('POST', `${E}/protocols`, {
      as: 'r1',
      body: { ...body, reason: 'something else entirely' },
      headers: { 'idempotency-key': 'r1-d2-s1-v1' },
    });
    expect({ status: other.status, rule: other.body.rule }).toEqual({ status: 422, rule: 'idempotency-key-reused' });
    expect(server.canvass.projection.head.seq).toBe(head);
  });

  it('serves results with the results version as ETag and answers a matching If-None-Match with 304', async () => {
    const first = await server.request('GET', `${E}/results/c`);
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^".+\.v\d+"$/);
    expect(first.headers.get('cache-control')).toBe('public, max-age=2, stale-while-revalidate=30');
    expect((await server.request('GET', `${E}/results/c`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    await server.request('POST', `${E}/protocols`, { as: 'r2', body: protocolFor('r2-d1-s1', votes(100, 600, 50, 50)) });
    const changed = await server.request('GET', `${E}/results/c`, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it("holds a protocol whose list is far from the station's defined list, and refuses such a list in a turnout report", async () => {
    // Found by a review: 90 million voters at a station of 1000, all for one candidate, was counted with no finding.
    const before = (await results('c')).registered;
    const p = protocolFor('r1-d2-s2', votes(400, 300, 100, 50));
    const inflated = { ...p, lines: { ...p.lines, voters: 90_000_000 } };
    const entered = await server.request('POST', `${E}/protocols`, { as: 'country', body: inflated });
    expect(entered.status).toBe(201);
    expect(entered.body).toMatchObject({ status: 'rejected-by-rules', counted: false });
    expect(entered.body.findings.map((f: { code: string; severity: string }) => [f.code, f.severity])).toEqual([['list-size', 'error']]);
    expect((await results('c')).registered).toBe(before);
    // A tenth more than defined, from additional lists: counted, with a warning to look at.
    const grown = await server.request('POST', `${E}/protocols`, {
      as: 'country',
      body: { ...p, lines: { ...p.lines, voters: 1150 }, reason: 'the list line was mistyped' },
    });
    expect(grown.body).toMatchObject({ status: 'counted', counted: true });
    expect(grown.body.findings.map((f: { code: string; severity: string }) => [f.code, f.severity])).toEqual([['list-size', 'warning']]);
    const head = server.canvass.projection.head.seq;
    const turnout = await server.request('POST', `${E}/turnout`, {
      as: 'country',
      body: { election: 'test-2026', station: 'r1-d2-s2', at: '10:00', participated: 50_000_000, registered: 100_000_000 },
    });
    expect({ status: turnout.status, rule: turnout.body.rule, field: turnout.body.field }).toEqual({
      status: 422,
      rule: 'list-size',
      field: 'registered',
    });
    expect(server.canvass.projection.head.seq).toBe(head);
  });

  it('lets no account review a version it keyed itself (four eyes)', async () => {
    const entered = await server.request('POST', `${E}/protocols`, {
      as: 'r2',
      body: protocolFor('r2-d1-s2', votes(400, 300, 100, 50), { reason: 'keyed by the region itself' }),
    });
    expect(entered.status).toBe(201);
    const head = server.canvass.projection.head.seq;
    const own = await server.request('POST', `${E}/protocols/r2-d1-s2/president/accept`, { as: 'r2', body: {} });
    expect({ status: own.status, rule: own.body.rule }).toEqual({ status: 403, rule: 'four-eyes' });
    expect(own.body.detail).toBe(
      `this account entered version ${entered.body.version} of station "r2-d1-s2"; another account of a commission above must accept it`,
    );
    expect(server.canvass.projection.head.seq).toBe(head);
    // Its review queue leaves the version out; another account's queue has it, with the station's names.
    const queued = async (as: 'r2' | 'country') =>
      (await server.request('GET', `${E}/review-queue`, { as })).body.queue.filter(
        (item: { station: string }) => item.station === 'r2-d1-s2',
      );
    expect(await queued('r2')).toEqual([]);
    expect(await queued('country')).toEqual([
      expect.objectContaining({
        station: 'r2-d1-s2',
        version: entered.body.version,
        names: expect.objectContaining({ en: 'Station r2-d1-s2' }),
      }),
    ]);
    expect((await server.request('POST', `${E}/protocols/r2-d1-s2/president/accept`, { as: 'country', body: {} })).status).toBe(200);
  });

  it('certifies only complete, accepted results, then freezes them until the CEC reopens a correction', async () => {
    for (const station of STATIONS) {
      const existing = server.canvass.projection.elections.get('test-2026')?.records.get(`president/${station}`);
      if (!existing?.latest)
        await server.request('POST', `${E}/protocols`, { as: 'country', body: protocolFor(station, votes(400, 300, 100, 50)) });
    }
    expect((await server.request('POST', `${E}/status`, { as: 'cec', body: { status: 'certified' } })).body.rule).toBe('status-transition');
    expect((await server.request('POST', `${E}/status`, { as: 'cec', body: { status: 'unofficial-complete' } })).status).toBe(200);
    const early = await server.request('POST', `${E}/status`, { as: 'cec', body: { status: 'certified' } });
    expect({ status: early.status, rule: early.body.rule }).toEqual({ status: 409, rule: 'all-stations-in' });
    for (const station of STATIONS)
      expect((await server.request('POST', `${E}/protocols/${station}/president/accept`, { as: 'cec', body: {} })).status).toBe(200);
    expect((await server.request('POST', `${E}/status`, { as: 'cec', body: { status: 'certified' } })).status).toBe(200);
    expect((await results('c', 'final')).status).toBe('certified');

    const head = server.canvass.projection.head.seq;
    const frozen = await server.request('POST', `${E}/protocols`, {
      as: 'country',
      body: protocolFor('r2-d1-s2', votes(1, 2, 3, 4), { reason: 'late change after certification' }),
    });
    expect({ status: frozen.status, rule: frozen.body.rule }).toEqual({ status: 409, rule: 'results-certified' });
    const review = await server.request('POST', `${E}/protocols/r2-d1-s2/president/reject`, {
      as: 'cec',
      body: { reason: 'second thoughts' },
    });
    expect(review.status).toBe(409);
    // An acceptance repeated as it stands changes nothing: answered unchanged, as before certification.
    const repeated = await server.request('POST', `${E}/protocols/r2-d1-s2/president/accept`, { as: 'cec', body: {} });
    expect({ status: repeated.status, accepted: repeated.body.accepted, seq: repeated.body.seq }).toEqual({
      status: 200,
      accepted: true,
      seq: null,
    });
    const future = await server.request('POST', `${E}/protocols/r2-d1-s2/president/accept`, { as: 'cec', body: { version: 7 } });
    expect(future.body.detail).toMatch(/^there is no version 7; the latest is version \d+$/);
    // The day's turnout is closed with the results.
    const turnout = await server.request('POST', `${E}/turnout`, {
      as: 'country',
      body: { election: 'test-2026', station: 'r2-d1-s2', at: '18:00', participated: 900 },
    });
    expect({ status: turnout.status, rule: turnout.body.rule }).toEqual({ status: 409, rule: 'results-certified' });
    expect(server.canvass.projection.head.seq).toBe(head);

    const noReason = await server.request('POST', `${E}/status`, { as: 'cec', body: { status: 'correction' } });
    expect({ status: noReason.status, rule: noReason.body.rule }).toEqual({ status: 422, rule: 'status-reason' });
    expect(
      (
        await server.request('POST', `${E}/status`, {
          as: 'cec',
          body: { status: 'correction', reason: 'court order 12/2026 for station r2-d1-s2' },
        })
      ).status,
    ).toBe(200);
    const allowed = await server.request('POST', `${E}/protocols`, {
      as: 'country',
      body: protocolFor('r2-d1-s2', votes(1, 2, 3, 4), { reason: 'court-ordered recount' }),
    });
    expect(allowed.status).toBe(201);
  });

  it('registers exit polls and reports each estimate’s exact deviation from the count', async () => {
    const poll = await server.request('POST', `${E}/exit-polls`, {
      as: 'cec',
      body: {
        contest: 'president',
        organisation: 'Test Polls',
        publishedAt: '2026-11-29T20:00:00+05:00',
        sampleSize: 12000,
        method: 'exit interviews at 300 stations',
        estimates: { a: '40.0', b: '35.5' },
      },
    });
    expect(poll.status).toBe(201);
    const polls = (await server.request('GET', `${E}/exit-polls`)).body.polls;
    const count = await results('c');
    const share = (option: string) => count.options.find((o: { option: string }) => o.option === option).percent;
    expect(polls[0].estimates).toEqual([
      { option: 'a', estimate: '40.0', count: share('a'), deviation: expect.stringMatching(/^[+-]?\d+\.\d\d$/) },
      { option: 'b', estimate: '35.5', count: share('b'), deviation: expect.stringMatching(/^[+-]?\d+\.\d\d$/) },
    ]);
    // Recompute one deviation exactly from the integers.
    const a = count.options[0].votes;
    const base = count.percentBase;
    const exact = Math.round((40 - (100 * a) / base) * 100) / 100;
    expect(Number(polls[0].estimates[0].deviation)).toBeCloseTo(exact, 10);
    const unknown = await server.request('POST', `${E}/exit-polls`, {
      as: 'cec',
      body: {
        contest: 'president',
        organisation: 'Test Polls',
        publishedAt: '2026-11-29T20:00:00+05:00',
        sampleSize: 1,
        method: 'telephone',
        estimates: { zz: '1' },
      },
    });
    expect({ status: unknown.status, field: unknown.body.field }).toEqual({ status: 422, field: 'estimates.zz' });

    // Sent again with its Idempotency-Key (its answer was lost): answered as the first time, registered once.
    const second = {
      contest: 'president',
      organisation: 'Second Polls',
      publishedAt: '2026-11-29T20:00:00+05:00',
      sampleSize: 5000,
      method: 'exit interviews',
      estimates: { a: '41.0' },
    };
    const send = (body: unknown) =>
      server.request('POST', `${E}/exit-polls`, { as: 'cec', body, headers: { 'idempotency-key': 'poll-2' } });
    const first = await send(second);
    const again = await send(second);
    expect(first.status).toBe(201);
    expect({ status: again.status, replayed: again.headers.get('idempotent-replayed'), body: again.body }).toEqual({
      status: 201,
      replayed: 'true',
      body: first.body,
    });
    expect((await server.request('GET', `${E}/exit-polls`)).body.polls.map((p: { organisation: string }) => p.organisation)).toEqual([
      'Test Polls',
      'Second Polls',
    ]);
    // The same key with another body is refused, and nothing is registered.
    const reused = await send({ ...second, sampleSize: 6000 });
    expect({ status: reused.status, rule: reused.body.rule }).toEqual({ status: 422, rule: 'idempotency-key-reused' });
    expect((await server.request('GET', `${E}/exit-polls`)).body.polls).toHaveLength(2);
  });

  it('refuses exit polls no poll could publish: an impossible date, no estimates, estimates over 100 %', async () => {
    const poll = {
      contest: 'president',
      organisation: 'Test Polls',
      publishedAt: '2026-11-29T20:00:00+05:00',
      sampleSize: 1200,
      method: 'exit interviews',
      estimates: { a: '50.1', b: '30.2', c: '14.6', 'against-all': '5.1' },
    };
    const head = server.canvass.projection.head.seq;
    const refused = async (change: Record<string, unknown>) => {
      const response = await server.request('POST', `${E}/exit-polls`, { as: 'cec', body: { ...poll, ...change } });
      return { status: response.status, rule: response.body.rule as unknown, field: response.body.field as unknown };
    };
    expect(await refused({ publishedAt: '2026-02-30T20:00:00Z' })).toEqual({ status: 422, rule: 'schema', field: 'publishedAt' });
    expect(await refused({ publishedAt: '+099999-11-20T20:00:00Z' })).toEqual({ status: 422, rule: 'schema', field: 'publishedAt' });
    expect(await refused({ estimates: {} })).toEqual({ status: 422, rule: 'schema', field: 'estimates' });
    expect(await refused({ estimates: { a: '100.5' } })).toEqual({ status: 422, rule: 'schema', field: 'estimates.a' });
    expect(await refused({ estimates: { a: '9'.repeat(5000) } })).toEqual({ status: 422, rule: 'schema', field: 'estimates.a' });
    expect(await refused({ estimates: { a: '90', b: '80', 'against-all': '80' } })).toEqual({
      status: 422,
      rule: 'estimates-sum',
      field: 'estimates',
    });
    expect(head).toBe(server.canvass.projection.head.seq);
    // Four estimates rounded to one decimal may add up to 100.2 % (each hides up to 0.05): 100.1 is taken, 100.3 not.
    const rounded = await server.request('POST', `${E}/exit-polls`, {
      as: 'cec',
      body: { ...poll, estimates: { a: '50.1', b: '30.2', c: '14.7', 'against-all': '5.1' } },
    });
    expect(rounded.status).toBe(201);
    expect(await refused({ estimates: { a: '50.2', b: '30.2', c: '14.7', 'against-all': '5.2' } })).toEqual({
      status: 422,
      rule: 'estimates-sum',
      field: 'estimates',
    });
  });

  it('shows who did what to signed-in users only', async () => {
    const publicView = (await server.request('GET', `${E}/stations/r1-d1-s1`)).body.contests[0];
    expect(publicView.entries[0].actor).toEqual({ role: 'commission' });
    const observerView = (await server.request('GET', `${E}/stations/r1-d1-s1`, { as: 'observer' })).body.contests[0];
    expect(observerView.entries[0].actor).toEqual({ role: 'commission', name: 'commission-r1-d1' });
    expect(observerView.reviews.map((r: { decision: string; actor: { name: string } }) => [r.decision, r.actor.name])).toEqual([
      ['accepted', 'commission-r1'],
      ['rejected', 'commission-r1'],
      ['accepted', 'cec'],
    ]);
  });

  it('feeds the ledger incrementally and serves the key that signs it', async () => {
    const feed = (await server.request('GET', `${E}/events?after=0&limit=5`)).body;
    expect(feed.events.map((e: { seq: number }) => e.seq)).toEqual([1, ...feed.events.slice(1).map((e: { seq: number }) => e.seq)]);
    expect(feed.events[0].kind).toBe('election-defined');
    const later = (await server.request('GET', `${E}/events?after=${feed.events[4].seq}&limit=2`)).body.events;
    expect(later[0].seq).toBeGreaterThan(feed.events[4].seq);
    expect(later[0].prevHash).toMatch(/^[0-9a-f]{64}$/);
    const key = await server.request('GET', '/api/v1/ledger/public-key');
    expect(key.body).toContain('BEGIN PUBLIC KEY');
  });
});

describe.each(DATABASES)('double entry on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, smallElection({ doubleEntry: true }));
  });
  afterAll(() => server.close());

  it('counts a protocol only when two accounts agree line by line, and shows both the differing lines', async () => {
    const first = await server.request('POST', `${E}/protocols`, { as: 'r1d1', body: protocolFor('r1-d1-s1', votes(500, 200, 100, 50)) });
    expect(first.body).toMatchObject({ version: 1, status: 'awaiting-second-entry', counted: false });
    const same = await server.request('POST', `${E}/protocols`, { as: 'r1d1', body: protocolFor('r1-d1-s1', votes(500, 200, 100, 50)) });
    expect(same.body.status).toBe('awaiting-second-entry');
    const second = await server.request('POST', `${E}/protocols`, {
      as: 'station',
      body: protocolFor('r1-d1-s1', votes(500, 210, 90, 50)),
    });
    expect(second.body.status).toBe('entry-mismatch');
    expect(second.body.differences).toEqual([
      {
        line: 'votes.b',
        values: [
          { actor: expect.any(String), value: 200 },
          { actor: expect.any(String), value: 210 },
        ],
      },
      {
        line: 'votes.c',
        values: [
          { actor: expect.any(String), value: 100 },
          { actor: expect.any(String), value: 90 },
        ],
      },
    ]);
    expect((await server.request('GET', `${E}/results/c`)).body.contests[0].stations.reported).toBe(0);
    const seenByFirst = (await server.request('GET', `${E}/stations/r1-d1-s1`, { as: 'r1d1' })).body.contests[0].entries;
    expect(seenByFirst.at(-1).differences.map((d: { line: string }) => d.line)).toEqual(['votes.b', 'votes.c']);
    // The first clerk checks the paper and re-keys what the second saw.
    const resolved = await server.request('POST', `${E}/protocols`, { as: 'r1d1', body: protocolFor('r1-d1-s1', votes(500, 210, 90, 50)) });
    expect(resolved.body).toMatchObject({ version: 1, status: 'counted', counted: true });
    expect((await server.request('GET', `${E}/results/c`)).body.contests[0].options.map((o: { votes: number }) => o.votes)).toEqual([
      500, 210, 90, 50,
    ]);
    const publicEntries = (await server.request('GET', `${E}/stations/r1-d1-s1`)).body.contests[0].entries;
    expect(publicEntries.map((e: { status: string }) => e.status)).toEqual(['counted']);
  });
});
