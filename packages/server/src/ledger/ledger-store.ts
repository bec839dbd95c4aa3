import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, EventsTable } from '../store/database.js';
import type { Dialect } from '../store/open-store.js';
import type { Database as SqliteDatabase, Statement as SqliteStatement } from 'better-sqlite3';
import type pg from 'pg';
import type { Store } from '../store/open-store.js';
import type { ChainHead, StoredFields } from './chain.js';
import { isEventKind, PAYLOAD_SCHEMAS, type AppliedEvent, type LedgerEvent } from './events.js';

/**
 * Takes the ledger's write lock inside a transaction and returns the head. On PostgreSQL the head row is locked
 * (`SELECT … FOR UPDATE`), which serialises appends across instances; on SQLite a no-op update takes the
 * database's write lock before anything is read.
 */
export async function lockHead(trx: Transaction<Database>, dialect: Dialect): Promise<ChainHead> {
  if (dialect === 'postgres') {
    const row = await trx.selectFrom('ledger_head').select(['seq', 'hash']).where('id', '=', 1).forUpdate().executeTakeFirstOrThrow();
    return { seq: row.seq, hash: row.hash };
  }
  await trx
    .updateTable('ledger_head')
    .set((eb) => ({ seq: eb.ref('seq') }))
    .where('id', '=', 1)
    .execute();
  const row = await trx.selectFrom('ledger_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  return { seq: row.seq, hash: row.hash };
}

export async function readHead(db: Kysely<Database>): Promise<ChainHead> {
  const row = await db.selectFrom('ledger_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  return { seq: row.seq, hash: row.hash };
}

const INSERT_CHUNK = 200;

/**
 * Appends chained events and moves the head, inside the caller's transaction (after `lockHead`). On SQLite the
 * rows go through one cached prepared statement on the same connection (so, in the same transaction): the hot path
 * of election night, where building a fresh multi-row statement per batch cost more than the fsync.
 */
export async function appendEvents(
  trx: Transaction<Database>,
  events: readonly LedgerEvent[],
  store: Pick<Store, 'sqlite'>,
): Promise<void> {
  const last = events[events.length - 1];
  if (!last) return;
  await insertEvents(trx, events, store);
  await trx.updateTable('ledger_head').set({ seq: last.seq, hash: last.hash }).where('id', '=', 1).execute();
}

/** Inserts chained events inside the caller's transaction, without touching the head (see `appendEvents`). */
export async function insertEvents(
  trx: Transaction<Database>,
  events: readonly LedgerEvent[],
  store: Pick<Store, 'sqlite'>,
): Promise<void> {
  if (store.sqlite) {
    const insert = preparedInsert(store.sqlite);
    for (const event of events) insert.run(toRow(event));
  } else {
    for (let i = 0; i < events.length; i += INSERT_CHUNK) {
      await trx
        .insertInto('events')
        .values(events.slice(i, i + INSERT_CHUNK).map(toRow))
        .execute();
    }
  }
}

/**
 * Moves the head from `from` to `to` if it is still at `from`, inside the caller's transaction: one statement that
 * takes the head row's lock and checks it (on PostgreSQL a concurrent mover waits for the lock, then finds the head
 * moved). On PostgreSQL `notify` is sent with it, as part of the same transaction. Returns whether it moved.
 */
export async function moveHead(
  trx: Transaction<Database>,
  dialect: Dialect,
  from: ChainHead,
  to: ChainHead,
  notify?: { readonly channel: string; readonly payload: string },
): Promise<boolean> {
  const update = trx
    .updateTable('ledger_head')
    .set({ seq: to.seq, hash: to.hash })
    .where('id', '=', 1)
    .where('seq', '=', from.seq)
    .where('hash', '=', from.hash);
  const rows =
    dialect === 'postgres' && notify
      ? await update.returning(sql<string>`pg_notify(${notify.channel}, ${notify.payload})::text`.as('notified')).execute()
      : await update.returning('seq').execute();
  return rows.length === 1;
}

/** The columns of `events`, in the order the one-statement append binds them. */
const EVENT_COLUMNS = [
  ['seq', 'integer'],
  ['time', 'text'],
  ['actor', 'text'],
  ['kind', 'text'],
  ['election', 'text'],
  ['subject', 'text'],
  ['idem', 'text'],
  ['payload', 'text'],
  ['prev_hash', 'text'],
  ['hash', 'text'],
  ['signature', 'text'],
  ['signed_seq', 'integer'],
] as const;

/**
 * PostgreSQL: moves the head from `from` to `to`, NOTIFYs `notify`, and inserts `events` in one statement, run on
 * its own (autocommit): one round trip and one commit, where a transaction takes four (BEGIN, move, insert, COMMIT)
 * — each of them waiting its turn on a busy event loop. The head's update is a data-modifying CTE; the rows are
 * inserted only if it moved a row, so a stale group (the head elsewhere: another instance appended) writes nothing,
 * and a concurrent mover waits for the head row's lock as in `moveHead`. The rows go as one array per column
 * (`unnest`), so the statement's text never changes and is prepared once per connection under a name. Returns
 * whether it moved (and inserted).
 */
export async function appendInOneStatement(
  pool: pg.Pool,
  from: ChainHead,
  to: ChainHead,
  events: readonly LedgerEvent[],
  notify: { readonly channel: string; readonly payload: string },
): Promise<boolean> {
  if (events.length === 0) throw new RangeError('no events to append');
  const columns: unknown[][] = EVENT_COLUMNS.map(() => new Array<unknown>(events.length));
  let joinable = true;
  for (let i = 0; i < events.length; i++) {
    const row = toRow(events[i] as LedgerEvent);
    for (let c = 0; c < EVENT_COLUMNS.length; c++) {
      const [name, type] = EVENT_COLUMNS[c] as (typeof EVENT_COLUMNS)[number];
      const value = row[name];
      if (type === 'text' && typeof value === 'string' && !joinableText(value)) joinable = false;
      (columns[c] as unknown[])[i] = value;
    }
  }
  const head = [to.seq, to.hash, from.seq, from.hash, notify.channel, notify.payload];
  const result = joinable
    ? await pool.query({
        name: 'canvass-append-events-joined',
        text: APPEND_JOINED_SQL,
        values: [
          ...head,
          ...columns.map((values, c) => (EVENT_COLUMNS[c]?.[1] === 'text' ? joinColumn(values as (string | null)[]) : values)),
        ],
      })
    : await pool.query({ name: 'canvass-append-events', text: APPEND_SQL, values: [...head, ...columns] });
  // Rows are inserted exactly when the head moved (all of them: the arrays are as long as `events`). Nothing is
  // thrown from here on: the statement has committed.
  return (result.rowCount ?? 0) > 0;
}

const appendSql = (column: (type: string, parameter: string) => string) =>
  `with moved as (update ledger_head set seq = $1, hash = $2 where id = 1 and seq = $3 and hash = $4 ` +
  `returning pg_notify($5, $6)::text as notified) ` +
  `insert into events (${EVENT_COLUMNS.map(([name]) => name).join(', ')}) ` +
  `select * from unnest(${EVENT_COLUMNS.map(([, type], i) => column(type, `$${i + 7}`)).join(', ')}) ` +
  `where exists (select 1 from moved)`;

const APPEND_SQL = appendSql((type, parameter) => `${parameter}::${type}[]`);

/**
 * Text columns travel joined into one string each, split by the server (`string_to_array`): node-postgres would
 * otherwise quote and escape every element of a text array in JavaScript — every quote of every payload, about a
 * twentieth of the event loop's time on PostgreSQL.
 */
const APPEND_JOINED_SQL = appendSql((type, parameter) =>
  type === 'text' ? `string_to_array(${parameter}::text, chr(30), chr(31))` : `${parameter}::${type}[]`,
);

/** Between the values of a joined column (U+001E) and in place of a null (U+001F). */
const SEPARATOR = '\u001e';
const NULL_MARK = '\u001f';

/**
 * Whether a value can travel joined: not empty (a lone empty value would split into no element) and free of the
 * separator and the null mark — which nothing the ledger stores holds (JSON text escapes control characters; ids,
 * keys, times, hashes and signatures are printable), but a value that did would take the array path.
 */
const joinableText = (value: string): boolean => value !== '' && !value.includes(SEPARATOR) && !value.includes(NULL_MARK);

const joinColumn = (values: readonly (string | null)[]): string => values.map((value) => value ?? NULL_MARK).join(SEPARATOR);

const statements = new WeakMap<SqliteDatabase, SqliteStatement>();

function preparedInsert(db: SqliteDatabase): SqliteStatement {
  let statement = statements.get(db);
  if (!statement) {
    statement = db.prepare(
      'insert into events (seq, time, actor, kind, election, subject, idem, payload, prev_hash, hash, signature, signed_seq) values (@seq, @time, @actor, @kind, @election, @subject, @idem, @payload, @prev_hash, @hash, @signature, @signed_seq)',
    );
    statements.set(db, statement);
  }
  return statement;
}

export function toRow(event: LedgerEvent): EventsTable {
  return {
    seq: event.seq,
    time: event.time,
    actor: event.actor,
    kind: event.kind,
    election: event.election,
    subject: event.subject,
    idem: event.idem,
    payload: event.payloadText,
    prev_hash: event.prevHash,
    hash: event.hash,
    signature: event.signature,
    signed_seq: event.signedSeq,
  };
}

export type Unreadable = { readonly seq: number; readonly unreadable: string };
export type ReadEvent = LedgerEvent | Unreadable;

/** The stored fields the projection reads: all but the signature (the chain check and `ledger verify` read that). */
export type AppliedRow = Omit<EventsTable, 'signature' | 'signed_seq'>;

/**
 * Parses the stored fields the projection reads into an event (the start-up replay reads only these); a row that
 * does not parse is reported, not thrown.
 */
export function appliedFromRow(row: AppliedRow, validate = true): AppliedEvent | Unreadable {
  const seq = row.seq;
  if (!isEventKind(row.kind)) return { seq, unreadable: `unknown event kind "${row.kind}"` };
  let payload: unknown;
  try {
    payload = JSON.parse(row.payload);
  } catch (error) {
    return { seq, unreadable: `payload is not JSON: ${(error as Error).message}` };
  }
  if (validate) {
    const parsed = PAYLOAD_SCHEMAS[row.kind].safeParse(payload);
    if (!parsed.success) return { seq, unreadable: `payload does not match "${row.kind}": ${parsed.error.issues[0]?.message ?? ''}` };
    payload = parsed.data;
  }
  const { time, actor, kind, election, subject, idem } = row;
  return { kind, actor, election, subject, idem, payload, seq, time, prevHash: row.prev_hash, hash: row.hash } as AppliedEvent;
}

/** Parses a stored row back into an event (the store → domain edge); a row that does not parse is reported, not thrown. */
export function fromRow(row: EventsTable, validate = true): ReadEvent {
  const applied = appliedFromRow(row, validate);
  if ('unreadable' in applied) return applied;
  // Written out rather than spread: every event read gets the same hidden class.
  return {
    kind: applied.kind,
    actor: applied.actor,
    election: applied.election,
    subject: applied.subject,
    idem: applied.idem,
    payload: applied.payload,
    seq: applied.seq,
    time: applied.time,
    prevHash: applied.prevHash,
    hash: applied.hash,
    payloadText: row.payload,
    signature: row.signature,
    signedSeq: row.signed_seq,
  };
}

/** A stored row as the chain verifier reads it: nothing parsed, nothing re-serialized. */
export function storedFields(row: EventsTable): StoredFields {
  return {
    seq: row.seq,
    time: row.time,
    actor: row.actor,
    kind: row.kind,
    election: row.election,
    subject: row.subject,
    idem: row.idem,
    prevHash: row.prev_hash,
    payloadText: row.payload,
    hash: row.hash,
    signature: row.signature,
    signedSeq: row.signed_seq,
  };
}

/** Stored rows after `afterSeq`, in order, in pages. */
export async function* readRows(
  db: Kysely<Database> | Transaction<Database>,
  afterSeq = 0,
  options: { pageSize?: number; until?: number } = {},
): AsyncGenerator<EventsTable> {
  const pageSize = options.pageSize ?? 5000;
  let after = afterSeq;
  for (;;) {
    let query = db.selectFrom('events').selectAll().where('seq', '>', after);
    if (options.until !== undefined) query = query.where('seq', '<=', options.until);
    const rows = await query.orderBy('seq').limit(pageSize).execute();
    yield* rows;
    const last = rows[rows.length - 1];
    if (!last || rows.length < pageSize) return;
    after = last.seq;
  }
}

/** Events after `afterSeq`, in order, read in pages (keyset pagination, so a million events stream in bounded memory). */
export async function* readEvents(
  db: Kysely<Database> | Transaction<Database>,
  afterSeq = 0,
  options: { pageSize?: number; validate?: boolean; until?: number } = {},
): AsyncGenerator<ReadEvent> {
  for await (const row of readRows(db, afterSeq, options)) yield fromRow(row, options.validate ?? true);
}
