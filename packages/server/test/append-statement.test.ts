/**
 * PostgreSQL's one-statement append sends each text column joined into one string (split by the server), so that
 * node-postgres need not escape every element of a text array in JavaScript. What goes in must come back exactly —
 * nulls, quotes, backslashes, braces, newlines, any Unicode — and a value that cannot travel joined (empty, or holding
 * the separator) takes the array path and comes back exactly too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendInOneStatement, readHead } from '../src/ledger/ledger-store.js';
import type { LedgerEvent } from '../src/ledger/events.js';
import { openStore, type Store } from '../src/store/open-store.js';
import { freshDatabase, type TestDatabase } from './support/databases.js';

const hex = (n: number) => n.toString(16).padStart(64, '0');

function event(seq: number, fields: Partial<LedgerEvent> & { payloadText: string }): LedgerEvent {
  return {
    kind: 'turnout-reported',
    actor: 'actor-1',
    election: 'test-2026',
    subject: 'station/r1-d1-s1',
    idem: null,
    payload: {} as never,
    seq,
    time: '2026-12-05T23:59:59.999Z',
    prevHash: hex(seq - 1),
    hash: hex(seq),
    signature: 'c2lnbmF0dXJl',
    signedSeq: seq,
    ...fields,
  };
}

describe('the one-statement append on PostgreSQL', () => {
  let db: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    db = await freshDatabase('postgres');
    store = await openStore(db.location);
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  const stored = async (from: number) =>
    await store.db
      .selectFrom('events')
      .select(['seq', 'time', 'actor', 'kind', 'election', 'subject', 'idem', 'payload', 'prev_hash', 'hash', 'signature', 'signed_seq'])
      .where('seq', '>', from)
      .orderBy('seq')
      .execute();

  const expected = (events: readonly LedgerEvent[]) =>
    events.map((e) => ({
      seq: e.seq,
      time: e.time,
      actor: e.actor,
      kind: e.kind,
      election: e.election,
      subject: e.subject,
      idem: e.idem,
      payload: e.payloadText,
      prev_hash: e.prevHash,
      hash: e.hash,
      signature: e.signature,
      signed_seq: e.signedSeq,
    }));

  const append = async (events: readonly LedgerEvent[]) => {
    const head = await readHead(store.db);
    const last = events[events.length - 1];
    if (!last) throw new Error('no events');
    const moved = await appendInOneStatement(store.pgPool!, head, { seq: last.seq, hash: last.hash }, events, {
      channel: 'canvass_test',
      payload: String(last.seq),
    });
    expect(moved).toBe(true);
    expect(await stored(head.seq)).toEqual(expected(events));
  };

  it('brings back nulls, quotes, backslashes, braces, newlines and any Unicode exactly', async () => {
    await append([
      event(1, {
        payloadText:
          '{"reason":"recount of \\"box 2\\" \\\\ {a,b} NULL, \'quoted\' \u2014 \u049a\u0430\u0439\u0442\u0430 \ud83d\uddf3\\nsecond"}',
      }),
      event(2, { election: null, subject: null, idem: 'key "with" quotes\\', payloadText: '{}' }),
      event(3, { idem: 'NULL', payloadText: '{"a":"{}","b":"\\"\\""}' }),
    ]);
  });

  it('brings back one lone null exactly', async () => {
    await append([event(4, { election: null, subject: null, payloadText: '{"n":null}' })]);
  });

  it('takes the array path for a value that cannot travel joined, and brings it back exactly', async () => {
    await append([event(5, { idem: '', payloadText: '{"x":1}' }), event(6, { payloadText: 'text with \u001e and \u001f in it' })]);
  });
});
