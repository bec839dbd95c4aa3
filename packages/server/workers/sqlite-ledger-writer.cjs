'use strict';
/**
 * The SQLite ledger writer, in its own thread. better-sqlite3 is synchronous, so a commit's fsync would otherwise
 * freeze the server's event loop for milliseconds per batch; here the main thread keeps accepting requests (and
 * decides the next batches) while this thread chains, signs, writes and syncs. One transaction for every batch
 * waiting here: BEGIN IMMEDIATE takes the database's write lock, the head is checked (another process may have
 * appended: then nothing is written and the main thread catches up and decides again), the events are chained after
 * it and the transaction's last hash signed once, rows and side effects are written, COMMIT fsyncs
 * (synchronous=FULL). Each batch is answered with its hashes and the signature, which the main thread fills in before
 * it applies the events.
 */
const { parentPort, receiveMessageOnPort, workerData } = require('node:worker_threads');
const { sign } = require('node:crypto');
const Database = require('better-sqlite3');
const { chainHashes } = require('./hash-input.cjs');

const db = new Database(workerData.path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 10000');
db.pragma('foreign_keys = ON');
db.pragma('wal_autocheckpoint = 20000');

const begin = db.prepare('BEGIN IMMEDIATE');
const commit = db.prepare('COMMIT');
const rollback = db.prepare('ROLLBACK');
const readHead = db.prepare('SELECT seq, hash FROM ledger_head WHERE id = 1');
const moveHead = db.prepare('UPDATE ledger_head SET seq = ?, hash = ? WHERE id = 1');
// Positional parameters: binding by name cost about 1.3 µs more per row (4.5 against 3.2 µs, 64-row transactions).
const insert = db.prepare(
  'INSERT INTO events (seq, time, actor, kind, election, subject, idem, payload, prev_hash, hash, signature, signed_seq) ' +
    'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
);

/** Fields per event in a message's flat `events` array: actor, kind, election, subject, idem, payload text. */
const FIELDS = 6;

/** Commits made by this thread (for the message of an injected fault). */
let commits = 0;

/**
 * The head this thread last committed from its own batches, which a batch decided after a batch still in flight
 * continues (`expectedHash: null`: the main thread does not know that hash yet). Cleared when a batch is stale or a
 * write fails, so that nothing decided after a batch that was not written can be written.
 */
let own;

/**
 * The events of one batch chained after `head`, if it continues from there, else undefined (someone else appended:
 * the batch is stale). A batch continues from `head` if the main thread decided it after exactly that head: named by
 * sequence number and hash, or by sequence number after this thread's own last batch.
 */
function chain(message, head, ownHead) {
  if (head.seq !== message.expectedSeq) return undefined;
  if (
    message.expectedHash === null ? !ownHead || ownHead.seq !== head.seq || ownHead.hash !== head.hash : head.hash !== message.expectedHash
  )
    return undefined;
  const flat = message.events;
  const events = [];
  for (let i = 0; i < flat.length; i += FIELDS) {
    events.push({
      actor: flat[i],
      kind: flat[i + 1],
      election: flat[i + 2],
      subject: flat[i + 3],
      idem: flat[i + 4],
      payloadText: flat[i + 5],
    });
  }
  return { events, hashes: chainHashes(head.hash, head.seq + 1, message.time, events) };
}

/**
 * Group commit across batches: every batch already waiting in this thread's queue is written in the same
 * transaction, so one fsync and one signature cover them all (under load the main thread decides batches faster than
 * the disk syncs). Each batch must continue from the one before; when one does not (another process appended), the
 * batches before it are committed and it and everything after are answered stale, and the main thread decides them
 * again.
 */
parentPort.on('message', (first) => {
  const messages = [first];
  for (let next = receiveMessageOnPort(parentPort); next; next = receiveMessageOnPort(parentPort)) messages.push(next.message);
  const chained = [];
  let answers;
  try {
    begin.run();
    const stored = readHead.get();
    const from = { seq: Number(stored.seq), hash: stored.hash };
    let head = from;
    let ownHead = own;
    for (const message of messages) {
      const batch = chain(message, head, ownHead);
      if (!batch) break;
      chained.push({ message, ...batch, prevHash: head.hash, firstSeq: head.seq + 1 });
      const count = batch.hashes.length;
      if (count > 0) head = { seq: head.seq + count, hash: batch.hashes[count - 1] };
      ownHead = head;
    }
    const signature = head.seq > from.seq ? sign(null, Buffer.from(head.hash, 'hex'), workerData.privateKey).toString('base64') : '';
    for (const { message, events, hashes, prevHash, firstSeq } of chained) {
      let previous = prevHash;
      events.forEach((event, i) => {
        // seq, time, actor, kind, election, subject, idem, payload, prev_hash, hash, signature, signed_seq
        insert.run(
          firstSeq + i,
          message.time,
          event.actor,
          event.kind,
          event.election,
          event.subject,
          event.idem,
          event.payloadText,
          previous,
          hashes[i],
          signature,
          head.seq,
        );
        previous = hashes[i];
      });
      for (const effect of message.effects) db.prepare(effect.sql).run(...effect.parameters);
    }
    if (head.seq > from.seq) moveHead.run(head.seq, head.hash);
    commit.run();
    // A stale batch stops the run: nothing after it continues from this thread's own head until told a hash again.
    own = chained.length === messages.length ? ownHead : undefined;
    answers = [
      ...chained.map(({ message, hashes, prevHash }) => ({
        id: message.id,
        ok: true,
        prevHash,
        hashes: hashes.join(''),
        signature,
        signedSeq: head.seq,
      })),
      ...messages.slice(chained.length).map((message) => ({ id: message.id, stale: true, seq: head.seq })),
    ];
    commits++;
  } catch (error) {
    own = undefined;
    if (db.inTransaction) rollback.run();
    const failed = String(error && error.message ? error.message : error);
    // SQLite's code (SQLITE_BUSY, SQLITE_FULL, …) tells the main thread whether trying again later can succeed.
    const code = error && typeof error.code === 'string' ? error.code : undefined;
    answers = messages.map((message) => ({ id: message.id, error: failed, code }));
  }
  // Fault injection for the tests of a lost answer (ledger-writer.ts, `WriterFaults`): the thread stops right after
  // committing a batch so marked, before answering — as a crash at the worst moment would.
  const lost = messages.find((message) => message.loseAnswer === true);
  if (lost !== undefined && answers.some((answer) => answer.ok === true && answer.id === lost.id))
    throw new Error(`fault injected: the writer thread stops after commit ${commits}, before answering it`);
  for (const answer of answers) parentPort.postMessage(answer);
});
