/**
 * The start-up replay: every ledger event, in order, into a fresh projection. The replay trusts what the server
 * wrote (it was validated then) but not the disk: each event must link to the previous one and match its hash, so a
 * damaged or edited row stops the start instead of skewing results. (Signatures are `canvass ledger verify`'s job.)
 *
 * On SQLite the hashes are checked in a second thread (workers/sqlite-chain-check.cjs, its own read-only
 * connection) while this thread reads, parses and applies the same rows: the two halves of the work run on two
 * cores, and the start fails unless the check reaches the same head without a break.
 */
import { Worker } from 'node:worker_threads';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import type { Projection } from '../domain/projection.js';
import { eventHash, type ChainBreak, type ChainHead } from '../ledger/chain.js';
import type { AppliedEvent } from '../ledger/events.js';
import { appliedFromRow, readEvents, readHead, type AppliedRow, type ReadEvent } from '../ledger/ledger-store.js';
import type { Store } from '../store/open-store.js';

export interface ReplayStats {
  /** Milliseconds the replay took. */
  readonly ms: number;
  /** Events applied. */
  readonly events: number;
}

const damaged = (seq: number, what: string) => new Error(`ledger event ${seq} ${what}; run \`canvass ledger verify\` to locate the damage`);

export async function replayLedger(store: Store, projection: Projection): Promise<ReplayStats> {
  const started = performance.now();
  let events = 0;
  const apply = (event: ReadEvent | AppliedEvent) => {
    if ('unreadable' in event)
      throw new Error(`ledger event ${event.seq} cannot be read (${event.unreadable}); run \`canvass ledger verify\``);
    if (event.prevHash !== projection.head.hash) throw damaged(event.seq, 'does not link to the event before it');
    projection.apply(event);
    events++;
  };

  if (store.sqlite && store.sqliteFile !== undefined) {
    const head = await readHead(store.db);
    const check = checkChainInThread(store.sqliteFile, head.seq);
    let checked: ChainCheck;
    try {
      try {
        for (const row of sqliteRows(store.sqlite, head.seq)) apply(appliedFromRow(row, false));
      } catch (error) {
        // An edited row can fail to apply before its hash is checked: name the break when the check finds one.
        const found = await check.result.catch(() => undefined);
        if (found?.firstBreak) throw damaged(found.firstBreak.seq, `breaks the hash chain (${found.firstBreak.kind})`);
        throw error;
      }
      checked = await check.result;
    } finally {
      await check.stop();
    }
    if (checked.firstBreak) throw damaged(checked.firstBreak.seq, `breaks the hash chain (${checked.firstBreak.kind})`);
    if (checked.head.seq !== projection.head.seq || checked.head.hash !== projection.head.hash)
      throw damaged(projection.head.seq, 'was read differently by the chain check');
  } else {
    for await (const event of readEvents(store.db, 0, { validate: false })) {
      if (!('unreadable' in event) && eventHash(event) !== event.hash) throw damaged(event.seq, 'does not match its hash');
      apply(event);
    }
  }
  return { ms: performance.now() - started, events };
}

/** Every stored row up to `until`, in order, through one statement on the main connection (nothing else runs yet). */
function* sqliteRows(sqlite: SqliteDatabase, until: number): Generator<AppliedRow> {
  const statement = sqlite.prepare<[number], AppliedRow>(
    'SELECT seq, time, actor, kind, election, subject, idem, payload, prev_hash, hash FROM events WHERE seq <= ? ORDER BY seq',
  );
  yield* statement.iterate(until);
}

interface ChainCheck {
  readonly head: ChainHead;
  readonly firstBreak?: ChainBreak | undefined;
}

function checkChainInThread(path: string, until: number): { result: Promise<ChainCheck>; stop: () => Promise<unknown> } {
  const worker = new Worker(new URL('../../workers/sqlite-chain-check.cjs', import.meta.url), { workerData: { path, until } });
  const result = new Promise<ChainCheck>((resolve, reject) => {
    worker.once('message', (message: ChainCheck | { error: string }) => {
      if ('error' in message) reject(new Error(`the ledger's chain check failed: ${message.error}`));
      else resolve(message);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      reject(new Error(`the ledger's chain check stopped (exit code ${code}) before it finished`));
    });
  });
  // A failed check must not go unhandled while the main thread is still busy replaying.
  result.catch(() => undefined);
  return { result, stop: () => worker.terminate() };
}
