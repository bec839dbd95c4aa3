import { err, ok, type Result } from '@canvass/core';
import { type CompiledQuery, type Transaction } from 'kysely';
import type { KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { Actor, Decision, DomainError } from '../domain/decide.js';
import { StagedView, type Projection } from '../domain/projection.js';
import { numberEvents, seal, signHash, type ChainHead, type NumberedEvent } from '../ledger/chain.js';
import { chainHashes } from '../../workers/hash-input.cjs';
import type { LedgerEvent } from '../ledger/events.js';
import { appendInOneStatement, insertEvents, moveHead, readEvents, readHead } from '../ledger/ledger-store.js';
import type { ServerKey } from '../ledger/server-key.js';
import type { Database } from '../store/database.js';
import type { Store } from '../store/open-store.js';
import { isDatabaseUnavailable } from '../store/unavailable.js';

/** A command waiting for the next group commit. */
interface Pending {
  readonly decide: (view: StagedView) => Decision<unknown>;
  /** Statements written in the same transaction when the decision succeeds (e.g. storing credentials). */
  readonly effects: readonly CompiledQuery[];
  /**
   * Who acts: refused if the account is disabled, or the API token its request was authenticated with revoked, by
   * the time the command is decided.
   */
  readonly actor: Actor | undefined;
  readonly resolve: (result: Result<unknown, DomainError>) => void;
  readonly reject: (error: unknown) => void;
}

export const LEDGER_CHANNEL = 'canvass_ledger';

/**
 * The ledger could not be written (or read to catch up) because the database is unavailable for now: unreachable,
 * full or locked too long (`isDatabaseUnavailable`). The commands were not answered as committed; a commit whose
 * answer was lost with its connection may still have happened, which a retry with the same Idempotency-Key finds
 * instead of recording it twice. HTTP: 503.
 */
export class LedgerUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the ledger could not be written: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'LedgerUnavailableError';
  }
}

/**
 * Why queued commands failed: `LedgerUnavailableError` when the database is unavailable for now (trying again can
 * succeed: HTTP 503), otherwise a plain error (a bug or a damaged ledger, which a retry cannot cure: HTTP 500).
 */
function writeFailure(cause: unknown): Error {
  if (cause instanceof LedgerUnavailableError) return cause;
  if (isDatabaseUnavailable(cause)) return new LedgerUnavailableError(cause);
  return new Error(`the ledger could not be written: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
}

/**
 * Faults injected for tests (never set in production). `loseNextAnswer`: the next batch written is committed but its
 * answer is lost (the flag is then cleared). SQLite: the writer thread stops right after that commit, before
 * answering, and is started again. PostgreSQL: the commit is answered as a connection lost, as when the database's
 * answer to COMMIT never arrives.
 */
export interface WriterFaults {
  loseNextAnswer?: boolean;
}

/** Whether the batch written now is to lose its answer (`WriterFaults.loseNextAnswer`, cleared as it is taken). */
function takeLostAnswer(faults: WriterFaults | undefined): boolean {
  if (faults?.loseNextAnswer !== true) return false;
  faults.loseNextAnswer = false;
  return true;
}

/**
 * Batches sent to the committer and not yet answered. While one commits, the next are decided; on SQLite the writer
 * thread writes every batch waiting for it in one transaction (one fsync). Measured with 64 clients: 4 beats 2 by
 * about a fifth; 8 gains nothing more.
 */
const IN_FLIGHT = 4;

/** A simple FIFO mutex: batches and catch-ups with other writers never interleave. */
export class Mutex {
  #tail: Promise<void> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task);
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

/**
 * Where a batch continues the chain: after sequence number `seq`, whose hash is `hash` — or, `null`, the hash of the
 * batch before it, which the committer that chains (the SQLite writer thread) has not answered yet.
 */
export interface BatchHead {
  readonly seq: number;
  readonly hash: string | null;
}

/**
 * A batch decided against a view: its events (chained, or only numbered when the committer chains them), their
 * statements, and each command's outcome.
 */
interface DecidedBatch {
  readonly commands: readonly Pending[];
  readonly view: StagedView;
  readonly events: readonly NumberedEvent[];
  readonly effects: readonly CompiledQuery[];
  readonly outcomes: readonly {
    readonly pending: Pending;
    readonly decision: Decision<unknown>;
    readonly from: number;
    readonly to: number;
  }[];
  readonly head: BatchHead;
  /** The committer's answer, kept until every batch before this one has been answered. */
  reply?: WorkerReply;
}

export interface WriterStats {
  batches: number;
  /** Commits refused because another writer had appended: the batches in flight were decided again. */
  stale: number;
  commands: number;
  events: number;
  prepareMs: number;
  commitMs: number;
}

/**
 * Group commit. Commands queue while earlier batches are being written; each batch is decided against the
 * committed state plus the batches still in flight, chained and signed after them, and written in one transaction
 * that first checks the stored head is still the one it was decided after. Only after its commit are a batch's
 * events applied to the projection and its callers answered — so a 2xx always means the event is on disk.
 *
 * Up to IN_FLIGHT batches are in flight at once: while one commits, the next are decided. If another writer
 * (another instance, a CLI command) appended in between, the commit is refused as stale: every batch in flight goes
 * back to the queue, the writer catches up from the ledger and decides them again — nothing was applied or
 * answered. SQLite: a writer thread writes and fsyncs (better-sqlite3 is synchronous and would otherwise stall the
 * event loop), every batch waiting for it in one transaction. PostgreSQL: one statement for the batches waiting
 * (a transaction when they carry side effects) that moves (and so locks) the head row only if it is still where
 * they were decided after, and NOTIFYs the other instances on commit.
 *
 * A command of a disabled account, or made with an API token revoked by then, is refused when it is decided: the
 * head check means a command cannot commit without being decided after every earlier event, those included.
 */
export class LedgerWriter {
  readonly #store: Store;
  readonly #projection: Projection;
  readonly #clock: () => Date;
  readonly #mutex = new Mutex();
  readonly #maxBatch: number;
  readonly #committer: Committer;
  /** Another instance committed while our batches were in flight: catch up once they are answered. */
  #catchUpWanted = false;
  #queue: Pending[] = [];
  #scheduled = false;
  /** Worker path: batches sent and not yet answered, oldest first. */
  #inFlight: DecidedBatch[] = [];
  #recovering = false;
  readonly stats: WriterStats = { batches: 0, stale: 0, commands: 0, events: 0, prepareMs: 0, commitMs: 0 };

  constructor(
    store: Store,
    projection: Projection,
    key: ServerKey,
    options: { clock?: () => Date; maxBatch?: number; worker?: boolean; faults?: WriterFaults | undefined } = {},
  ) {
    this.#store = store;
    this.#projection = projection;
    this.#clock = options.clock ?? (() => new Date());
    this.#maxBatch = options.maxBatch ?? 2000;
    this.#committer = openCommitter(store, key.privateKey, { worker: options.worker, faults: options.faults });
  }

  /** For diagnostics: what the writer is waiting for. */
  get state(): {
    readonly queued: number;
    readonly inFlight: number;
    readonly recovering: boolean;
    readonly catchUpWanted: boolean;
    readonly unavailable: string | undefined;
  } {
    return {
      queued: this.#queue.length,
      inFlight: this.#inFlight.length,
      recovering: this.#recovering,
      catchUpWanted: this.#catchUpWanted,
      unavailable: this.#committer.unavailable,
    };
  }

  get mutex(): Mutex {
    return this.#mutex;
  }

  /** Queues a command for the next batch; resolves once its events are committed (or it was refused). */
  submit<T>(
    decide: (view: StagedView) => Decision<T>,
    effects: readonly CompiledQuery[] = [],
    actor?: Actor,
  ): Promise<Result<T, DomainError>> {
    return new Promise<Result<T, DomainError>>((resolve, reject) => {
      this.#queue.push({ decide, effects, actor, resolve: resolve as (r: Result<unknown, DomainError>) => void, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // setImmediate lets every request already parsed in this turn of the event loop join the batch.
    setImmediate(() => {
      this.#scheduled = false;
      this.#pump();
    });
  }

  /** Decides a batch against `view`, numbering its events after `head`; the committer chains and signs them. */
  #decide(commands: readonly Pending[], view: StagedView, head: BatchHead): DecidedBatch {
    const started = performance.now();
    const time = this.#clock().toISOString();
    const events: NumberedEvent[] = [];
    const effects: CompiledQuery[] = [];
    const outcomes: DecidedBatch['outcomes'][number][] = [];
    for (const pending of commands) {
      let decision: Decision<unknown>;
      try {
        const refused = pending.actor && this.#refusedCredentials(pending.actor);
        decision = refused ? { ok: false, error: refused } : pending.decide(view);
      } catch (error) {
        decision = {
          ok: false,
          error: { kind: 'conflict', rule: 'internal', message: `the command could not be decided: ${(error as Error).message}` },
        };
      }
      const from = events.length;
      if (decision.ok) {
        // Numbered now (not yet chained) and staged, so that later commands in this batch see the effect.
        for (const event of numberEvents(head.seq + events.length, decision.events, time)) {
          view.stage(event);
          events.push(event);
        }
        effects.push(...pending.effects);
      }
      outcomes.push({ pending, decision, from, to: events.length });
    }
    // The committer chains and signs them as it writes them (one signature per commit): the next batch continues
    // from a hash not known yet.
    const after: BatchHead = events.length > 0 ? { seq: head.seq + events.length, hash: null } : head;
    this.stats.prepareMs += performance.now() - started;
    return { commands, view, events, effects, outcomes, head: after };
  }

  /** Why an account may no longer act, if so: disabled, or its request's API token revoked. */
  #refusedCredentials(actor: Actor): DomainError | undefined {
    if (actor.id === 'system') return undefined;
    if (this.#projection.disabledUsers.has(actor.id))
      return { kind: 'forbidden', rule: 'account-disabled', message: 'this account has been disabled' };
    if ('token' in actor && actor.token !== undefined && this.#projection.tokens.get(actor.token)?.revoked)
      return { kind: 'forbidden', rule: 'token-revoked', message: 'the API token this request was made with has been revoked' };
    return undefined;
  }

  /** Answers a committed batch's callers after applying its events. */
  #settle(batch: DecidedBatch): void {
    this.#projection.applyAll(batch.events);
    this.stats.batches++;
    this.stats.commands += batch.commands.length;
    this.stats.events += batch.events.length;
    for (const { pending, decision, from, to } of batch.outcomes) {
      if (decision.ok) pending.resolve(ok(decision.respond(batch.events.slice(from, to))));
      else pending.resolve(err(decision.error));
    }
  }

  // --- Batches in flight, answered in order ------------------------------------------------------------------

  #pump(): void {
    const committer = this.#committer;
    if (this.#recovering) return;
    // Another writer has appended past what is in flight: what is decided now would be stale. Wait for the answers,
    // then catch up.
    if (this.#catchUpWanted) {
      if (this.#inFlight.length === 0) void this.#recover();
      return;
    }
    while (this.#inFlight.length < IN_FLIGHT && this.#queue.length > 0) {
      const commands = this.#queue.splice(0, this.#maxBatch);
      const previous = this.#inFlight[this.#inFlight.length - 1];
      const after = previous?.head ?? this.#projection.head;
      const batch = this.#decide(commands, new StagedView(this.#projection, previous?.view), after);
      this.#inFlight.push(batch);
      const started = performance.now();
      void committer.write(after, batch.events, batch.effects).then((reply) => {
        this.stats.commitMs += performance.now() - started;
        batch.reply = reply;
        // Answers are handled in the order the batches were decided, whatever order they arrive in.
        for (let current = this.#inFlight[0]; current; current = this.#inFlight[0]) {
          const answer = current.reply;
          if (!answer) break;
          try {
            this.#answered(current, answer);
          } catch (error) {
            // A bug, not an expected failure: fail loudly for these callers instead of leaving them waiting.
            for (const pending of current.commands) pending.reject(error);
            if (this.#inFlight[0] === current) this.#inFlight.shift();
          }
          if (this.#inFlight[0] === current) break;
        }
      });
    }
  }

  #answered(batch: DecidedBatch, reply: WorkerReply): void {
    if (this.#inFlight[0] !== batch) return; // dropped by an earlier stale or failed batch
    if ('ok' in reply) {
      this.#inFlight.shift();
      this.#settle(batch);
      this.#inFlight.at(0)?.view.parentSettled(batch.view);
      if (this.#inFlight.length === 0 && this.#catchUpWanted) {
        void this.#recover();
        return;
      }
      this.#pump();
      return;
    }
    // Every batch in flight was decided on top of this one: none of them can stand alone.
    const dropped = this.#inFlight;
    this.#inFlight = [];
    if ('stale' in reply) {
      this.stats.stale++;
      // Another process appended: decide everything again after catching up (nothing was applied or answered).
      this.#queue.unshift(...dropped.flatMap((b) => b.commands));
      void this.#recover();
      return;
    }
    const failure = writeFailure(reply.cause ?? Object.assign(new Error(reply.error), { code: reply.code }));
    for (const pending of dropped.flatMap((b) => b.commands)) pending.reject(failure);
    // A failed write may still have committed (its answer lost with a connection or with the writer thread): read
    // what the ledger holds before deciding anything else, rather than learn it from a stale commit. This also runs
    // a catch-up asked for while these were in flight (another instance's NOTIFY). It lets the queue go when done.
    void this.#recover();
  }

  async #catchUpNow(): Promise<void> {
    const events: LedgerEvent[] = [];
    for await (const event of readEvents(this.#store.db, this.#projection.head.seq)) {
      if ('unreadable' in event) throw new Error(`ledger event ${event.seq} is unreadable: ${event.unreadable}`);
      events.push(event);
    }
    this.#projection.applyAll(events);
  }

  /**
   * Catches up outside a batch (on a NOTIFY from another instance). Never while batches are in flight: reading the
   * ledger then could apply our own just-committed events before their batch is settled. So with batches in flight
   * it only notes the wish, and the catch-up runs when they are answered.
   *
   * `seq`, when known, is the head the notifying commit reached. Every instance hears its own notifications too: one
   * at or below the head this writer has itself reached or sent is ours (or old) and is ignored. (Had another
   * instance appended within that range, our batches in flight there would be refused as stale, which catches up.)
   */
  catchUp(seq?: number): Promise<void> {
    const reached = this.#inFlight[this.#inFlight.length - 1]?.head.seq ?? this.#projection.head.seq;
    if (seq !== undefined && seq <= Math.max(reached, this.#projection.head.seq)) return Promise.resolve();
    if (this.#inFlight.length > 0 || this.#recovering) {
      this.#catchUpWanted = true;
      return Promise.resolve();
    }
    return this.#recover();
  }

  /** Holds new batches back, applies what other writers committed, then lets the queue go again. */
  async #recover(): Promise<void> {
    this.#recovering = true;
    this.#catchUpWanted = false;
    try {
      await this.#mutex.run(() => this.#catchUpNow());
    } catch (error) {
      const failure = writeFailure(error);
      for (const pending of this.#queue.splice(0)) pending.reject(failure);
    } finally {
      this.#recovering = false;
      this.#pump();
    }
  }

  /** Waits for everything queued and in flight, then stops the writer thread. */
  async close(): Promise<void> {
    while (this.#queue.length > 0 || this.#inFlight.length > 0 || this.#scheduled) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await this.#mutex.run(() => Promise.resolve());
    await this.#committer.close();
  }
}

/**
 * Chains, signs and writes one batch of numbered events if the stored head is still `after` — its sequence number
 * and hash, or, with the hash `null`, the head the committer's previous batch reached; answers ok (the events
 * sealed, or their hashes and signature in the answer), stale (someone else appended) or an error.
 */
export interface Committer {
  write(after: BatchHead, events: readonly NumberedEvent[], effects: readonly CompiledQuery[]): Promise<WorkerReply>;
  /** Why writes cannot be taken now (the SQLite writer thread being started again), or undefined. */
  readonly unavailable: string | undefined;
  close(): Promise<void>;
}

/**
 * The committer for a store: on an SQLite file the writer thread (unless `worker` is false), otherwise one that
 * writes from this thread (PostgreSQL, in-memory SQLite). Exported for the benchmark's floor (bench/durable-floor.ts),
 * which writes through it with nothing decided.
 */
export function openCommitter(
  store: Store,
  privateKey: KeyObject,
  options: { worker?: boolean | undefined; faults?: WriterFaults | undefined } = {},
): Committer {
  return store.sqliteFile !== undefined && (options.worker ?? true)
    ? new SqliteWriterThread(store.sqliteFile, privateKey, options.faults)
    : new TransactionCommitter(store, privateKey, options.faults);
}

/**
 * PostgreSQL (and SQLite without its thread): the head row moved only if it is still where the batches were decided
 * after (which locks it), the events written, and the other instances NOTIFYed on commit. On PostgreSQL a group of
 * events alone (no side effects such as a new account's row) is written by one statement (`appendInOneStatement`):
 * one round trip and one commit; otherwise by a Kysely transaction: three round trips besides BEGIN and COMMIT.
 * Batches are written in the order they were decided; every batch that arrives while a write runs waits for the next
 * one, and all the batches waiting then are written together: one commit (one fsync) for many.
 */
class TransactionCommitter implements Committer {
  readonly #store: Store;
  readonly #privateKey: KeyObject;
  #waiting: {
    after: BatchHead;
    events: readonly NumberedEvent[];
    effects: readonly CompiledQuery[];
    resolve: (r: WorkerReply) => void;
  }[] = [];
  #running = false;
  /**
   * The head this committer's last group reached, which a batch decided after one still in flight continues
   * (`after.hash` null). Cleared by a stale or failed write, so that nothing decided after a batch that was not
   * written can be written.
   */
  #own: ChainHead | undefined;

  readonly #faults: WriterFaults | undefined;

  constructor(store: Store, privateKey: KeyObject, faults?: WriterFaults) {
    this.#store = store;
    this.#privateKey = privateKey;
    this.#faults = faults;
  }

  write(after: BatchHead, events: readonly NumberedEvent[], effects: readonly CompiledQuery[]): Promise<WorkerReply> {
    return new Promise((resolve) => {
      this.#waiting.push({ after, events, effects, resolve });
      if (!this.#running) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      while (this.#waiting.length > 0) {
        const group = this.#waiting.splice(0);
        const lose = takeLostAnswer(this.#faults);
        const replies = await this.#writeGroup(group);
        if (lose) this.#loseAnswer(replies);
        group.forEach((batch, i) => {
          batch.resolve(replies[i] ?? { id: 0, error: 'no answer (bug)' });
        });
      }
    } finally {
      this.#running = false;
    }
  }

  /** `WriterFaults.loseNextAnswer`: a committed group answered as with a connection that ended after COMMIT. */
  #loseAnswer(replies: WorkerReply[]): void {
    if (!replies.some((reply) => 'ok' in reply)) return;
    this.#own = undefined;
    const lost = Object.assign(new Error('fault injected: Connection terminated unexpectedly after COMMIT'), { code: 'ECONNRESET' });
    replies.fill({ id: 0, error: lost.message, cause: lost });
  }

  /**
   * Chains the batches that continue one from another, in order, signs the last hash once, and writes them in one
   * transaction: the head is moved (checked and locked in the same statement) before anything is inserted, so a
   * stale group writes nothing. A batch that does not continue from the one before (after a stale or failed write:
   * it was decided after a batch that was not written) and all after it are answered stale.
   */
  async #writeGroup(
    group: readonly { after: BatchHead; events: readonly NumberedEvent[]; effects: readonly CompiledQuery[] }[],
  ): Promise<WorkerReply[]> {
    const first = group[0];
    if (!first) return [];
    const own = this.#own;
    const from: ChainHead | undefined =
      first.after.hash !== null ? { seq: first.after.seq, hash: first.after.hash } : own?.seq === first.after.seq ? own : undefined;
    let head = from;
    let written = 0;
    const chains: { readonly prevHash: string; readonly hashes: readonly string[] }[] = [];
    for (const batch of group) {
      if (!head || batch.after.seq !== head.seq || (batch.after.hash !== null && batch.after.hash !== head.hash)) break;
      const hashes = chainHashes(head.hash, head.seq + 1, batch.events[0]?.time ?? '', batch.events);
      chains.push({ prevHash: head.hash, hashes });
      const last = hashes[hashes.length - 1];
      if (last !== undefined) head = { seq: head.seq + hashes.length, hash: last };
      written++;
    }
    const chained = group.slice(0, written);
    const answer = (moved: boolean, seq: number) => {
      this.#own = moved && written === group.length ? head : undefined;
      return group.map((_, i): WorkerReply => (moved && i < written ? { id: 0, ok: true } : { id: 0, stale: true, seq }));
    };
    const failed = (error: unknown) => {
      this.#own = undefined;
      return group.map((): WorkerReply => ({ id: 0, error: (error as Error).message, cause: error }));
    };
    try {
      if (!from || !head) return answer(false, (await readHead(this.#store.db)).seq);
    } catch (error) {
      return failed(error);
    }
    const signature = head.seq > from.seq ? signHash(head.hash, this.#privateKey) : '';
    chained.forEach((batch, i) => {
      const chain = chains[i];
      if (chain) seal(batch.events, chain.prevHash, chain.hashes, signature, head.seq);
    });
    const to = head;
    const events = chained.flatMap((batch) => batch.events);
    const notify = { channel: LEDGER_CHANNEL, payload: String(to.seq) };
    if (this.#store.pgPool && events.length > 0 && chained.every((batch) => batch.effects.length === 0)) {
      // The hot path of election night on PostgreSQL: one statement, one round trip, one commit.
      try {
        const moved = await appendInOneStatement(this.#store.pgPool, from, to, events, notify);
        return answer(moved, moved ? to.seq : (await readHead(this.#store.db)).seq);
      } catch (error) {
        return failed(error);
      }
    }
    try {
      return await this.#store.db.transaction().execute(async (trx): Promise<WorkerReply[]> => {
        const { dialect } = this.#store;
        // NOTIFY is transactional: other instances hear of the events only if they commit.
        const moved = to.seq === from.seq ? await stillAt(trx, from) : await moveHead(trx, dialect, from, to, notify);
        if (!moved) return answer(false, (await readHead(trx)).seq);
        for (const batch of chained) for (const effect of batch.effects) await trx.executeQuery(effect);
        await insertEvents(trx, events, this.#store);
        return answer(true, to.seq);
      });
    } catch (error) {
      return failed(error);
    }
  }

  /** Known only by trying: a write to a database that cannot be reached fails as it is made. */
  get unavailable(): undefined {
    return undefined;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** A group without events (every command refused) changes nothing, but is still answered stale if the head moved. */
async function stillAt(trx: Transaction<Database>, head: ChainHead): Promise<boolean> {
  const stored = await readHead(trx);
  return stored.seq === head.seq && stored.hash === head.hash;
}

/** A committer's answer for one batch; ok means its events are committed and sealed (hashes and signature in place). */
export type WorkerReply =
  | { readonly id: number; readonly ok: true }
  | { readonly id: number; readonly stale: true; readonly seq: number }
  | {
      readonly id: number;
      readonly error: string;
      /** What failed: the error itself (same thread) or its code (SQLite's, from the writer thread), to classify it. */
      readonly cause?: unknown;
      readonly code?: string | undefined;
    };

/**
 * What the SQLite writer thread answers for a written batch: the hash before it, its hashes (64 hex digits each, one
 * after another), the commit's signature and its last sequence number.
 */
type ThreadReply =
  | WorkerReply
  | {
      readonly id: number;
      readonly ok: true;
      readonly prevHash: string;
      readonly hashes: string;
      readonly signature: string;
      readonly signedSeq: number;
    };

/**
 * A thread's answer for `events`: when committed, the events sealed with the hashes and signature it made (before
 * anyone sees them), and a plain ok; anything else as it is.
 */
function sealed(reply: ThreadReply, events: readonly NumberedEvent[]): WorkerReply {
  if (!('ok' in reply) || !('hashes' in reply)) return reply;
  const all = reply.hashes;
  if (all.length !== 64 * events.length)
    return { id: reply.id, error: `the writer thread answered ${all.length / 64} hashes for ${events.length} events (bug)` };
  const hashes = Array.from({ length: events.length }, (_, i) => all.slice(64 * i, 64 * i + 64));
  seal(events, reply.prevHash, hashes, reply.signature, reply.signedSeq);
  return { id: reply.id, ok: true };
}

/** How long a stopped writer thread waits before it is started again: doubling from the first to the last. */
const RESTART_FIRST_MS = 100;
const RESTART_LAST_MS = 5_000;

/**
 * The SQLite writer thread (workers/sqlite-ledger-writer.cjs): chains, signs and writes one batch per message, in
 * order; every batch waiting for it goes into one transaction with one signature.
 *
 * If the thread stops (an uncaught error, running out of memory), the batches it had not answered are answered
 * unavailable — it may have committed some of them, which a retry with the same Idempotency-Key finds — and a new
 * thread is started after 100 ms, then after twice as long each time it stops again without having answered a batch,
 * up to 5 s. Until it runs, writes are answered unavailable at once. The writer reads the ledger after every failed
 * write, so what the stopped thread committed is known before the next batch is decided; the new thread knows no head
 * of its own, so that batch must name its head by hash, and one that does not is answered stale.
 */
class SqliteWriterThread implements Committer {
  readonly #path: string;
  readonly #privateKey: KeyObject;
  readonly #faults: WriterFaults | undefined;
  #worker: Worker | undefined;
  readonly #waiting = new Map<number, (reply: ThreadReply) => void>();
  #next = 0;
  /** Why the thread last stopped, while no thread runs. */
  #stopped: string | undefined;
  #restartDelay = RESTART_FIRST_MS;
  #restartTimer: NodeJS.Timeout | undefined;
  #closing = false;

  constructor(path: string, privateKey: KeyObject, faults?: WriterFaults) {
    this.#path = path;
    this.#privateKey = privateKey;
    this.#faults = faults;
    this.#start();
  }

  #start(): void {
    this.#restartTimer = undefined;
    const worker = new Worker(new URL('../../workers/sqlite-ledger-writer.cjs', import.meta.url), {
      workerData: { path: this.#path, privateKey: this.#privateKey },
    });
    this.#worker = worker;
    this.#stopped = undefined;
    let failure: Error | undefined;
    worker.on('message', (reply: ThreadReply) => {
      this.#restartDelay = RESTART_FIRST_MS;
      const resolve = this.#waiting.get(reply.id);
      this.#waiting.delete(reply.id);
      resolve?.(reply);
    });
    worker.on('error', (error) => {
      failure = error;
    });
    worker.on('exit', (code) => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      if (this.#closing) return;
      const why = failure ? failure.message : `it exited with code ${code}`;
      this.#stopped = why;
      process.emitWarning(`the SQLite ledger writer thread stopped (${why}); starting it again in ${this.#restartDelay} ms`, {
        code: 'CANVASS_WRITER_THREAD_STOPPED',
      });
      this.#answerWaiting(this.unavailable ?? '');
      this.#restartTimer = setTimeout(() => {
        this.#start();
      }, this.#restartDelay);
      this.#restartDelay = Math.min(RESTART_LAST_MS, this.#restartDelay * 2);
    });
  }

  get unavailable(): string | undefined {
    if (this.#worker) return undefined;
    return this.#closing
      ? 'the ledger writer thread is closed'
      : `the ledger writer thread stopped (${this.#stopped ?? ''}) and is being started again`;
  }

  /** Answers every batch sent and not answered: unavailable, since the thread may or may not have committed it. */
  #answerWaiting(why: string): void {
    const waiting = [...this.#waiting.values()];
    this.#waiting.clear();
    for (const resolve of waiting) resolve(threadStopped(why));
  }

  /**
   * Chains and writes `events` (numbered, not yet chained) if the stored head is still `after`: its sequence number
   * and hash, or, with the hash `null`, the head this thread's previous batch reached; otherwise answers `stale`.
   */
  write(after: BatchHead, events: readonly NumberedEvent[], effects: readonly CompiledQuery[]): Promise<WorkerReply> {
    const worker = this.#worker;
    if (!worker) return Promise.resolve(threadStopped(this.unavailable ?? ''));
    const id = ++this.#next;
    // A flat array of strings crosses the thread boundary far cheaper than a structured clone of an object per event
    // (or JSON, which escapes every quote of the payload text).
    const flat: (string | null)[] = [];
    for (const event of events) flat.push(event.actor, event.kind, event.election, event.subject, event.idem, event.payloadText);
    const lose = takeLostAnswer(this.#faults);
    return new Promise((resolve) => {
      // Sealed as it is answered, before the writer applies the events.
      this.#waiting.set(id, (reply) => {
        resolve(sealed(reply, events));
      });
      worker.postMessage({
        id,
        expectedSeq: after.seq,
        expectedHash: after.hash,
        time: events[0]?.time ?? '',
        events: flat,
        effects: effects.map((e) => ({ sql: e.sql, parameters: e.parameters })),
        loseAnswer: lose,
      });
    });
  }

  async close(): Promise<void> {
    this.#closing = true;
    clearTimeout(this.#restartTimer);
    await this.#worker?.terminate();
    this.#answerWaiting('the ledger writer thread is closed');
  }
}

/** The answer for a batch the writer thread cannot take or did not answer: unavailable for now (HTTP 503). */
function threadStopped(why: string): WorkerReply {
  const cause = new LedgerUnavailableError(new Error(why));
  return { id: -1, error: cause.message, cause };
}
