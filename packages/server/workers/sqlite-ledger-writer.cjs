'use strict';
/**
 * The SQLite ledger writer, in its own thread. better-sqlite3 is synchronous, so a commit's fsync would otherwise
 * freeze the server's event loop for milliseconds per batch; here the main thread keeps accepting requests (and
 * decides the next batches) while this thread writes and syncs. One transaction for every batch waiting here:
 * BEGIN IMMEDIATE takes the database's write lock, the head is checked (another process may have appended: then
 * nothing is written and the main thread catches up and decides again), rows and side effects are written, COMMIT
 * fsyncs (synchronous=FULL).
 */
const { parentPort, receiveMessageOnPort, workerData } = require('node:worker_threads');
const Database = require('better-sqlite3');

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
const insert = db.prepare(
  'INSERT INTO events (seq, time, actor, kind, election, subject, idem, payload, prev_hash, hash, signature, signed_seq) ' +
    'VALUES (@seq, @time, @actor, @kind, @election, @subject, @idem, @payload, @prev_hash, @hash, @signature, @signed_seq)',
);

/**
 * Writes one batch inside the open transaction if it continues from `head` and returns the new head; returns
 * undefined, writing nothing, when it does not (someone else appended: the batch is stale).
 */
function writeBatch(message, head) {
  if (head.seq !== message.expectedSeq || head.hash !== message.expectedHash) return undefined;
  const rows = JSON.parse(message.rows);
  for (const row of rows) insert.run(row);
  for (const effect of message.effects) db.prepare(effect.sql).run(...effect.parameters);
  const last = rows[rows.length - 1];
  return last ? { seq: last.seq, hash: last.hash } : head;
}

/**
 * Group commit across batches: every batch already waiting in this thread's queue is written in the same
 * transaction, so one fsync covers them all (under load the main thread decides batches faster than the disk
 * syncs). Each batch must continue from the one before; when one does not (another process appended), the batches
 * before it are committed and it and everything after are answered stale, and the main thread decides them again.
 */
parentPort.on('message', (first) => {
  const messages = [first];
  for (let next = receiveMessageOnPort(parentPort); next; next = receiveMessageOnPort(parentPort)) messages.push(next.message);
  const written = [];
  try {
    begin.run();
    const stored = readHead.get();
    let head = { seq: Number(stored.seq), hash: stored.hash };
    for (const message of messages) {
      const after = writeBatch(message, head);
      if (!after) break;
      written.push(message.id);
      head = after;
    }
    if (written.length > 0) moveHead.run(head.seq, head.hash);
    commit.run();
    for (const id of written) parentPort.postMessage({ id, ok: true });
    for (const message of messages.slice(written.length)) parentPort.postMessage({ id: message.id, stale: true, seq: head.seq });
  } catch (error) {
    if (db.inTransaction) rollback.run();
    const failed = String(error && error.message ? error.message : error);
    for (const message of messages) parentPort.postMessage({ id: message.id, error: failed });
  }
});
