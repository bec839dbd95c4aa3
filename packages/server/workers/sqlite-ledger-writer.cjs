'use strict';
/**
 * The SQLite ledger writer, in its own thread. better-sqlite3 is synchronous, so a commit's fsync would otherwise
 * freeze the server's event loop for milliseconds per batch; here the main thread keeps accepting requests (and
 * queues the next batch) while this thread writes and syncs. One transaction per batch: BEGIN IMMEDIATE takes the
 * database's write lock, the head is checked (another process may have appended: then nothing is written and the
 * main thread catches up and decides again), rows and side effects are written, COMMIT fsyncs (synchronous=FULL).
 */
const { parentPort, workerData } = require('node:worker_threads');
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

parentPort.on('message', (message) => {
  const { id, expectedSeq, expectedHash, effects } = message;
  try {
    const rows = JSON.parse(message.rows);
    begin.run();
    const head = readHead.get();
    if (Number(head.seq) !== expectedSeq || head.hash !== expectedHash) {
      rollback.run();
      parentPort.postMessage({ id, stale: true, seq: Number(head.seq) });
      return;
    }
    for (const row of rows) insert.run(row);
    for (const effect of effects) db.prepare(effect.sql).run(...effect.parameters);
    const last = rows[rows.length - 1];
    if (last) moveHead.run(last.seq, last.hash);
    commit.run();
    parentPort.postMessage({ id, ok: true });
  } catch (error) {
    if (db.inTransaction) rollback.run();
    parentPort.postMessage({ id, error: String(error && error.message ? error.message : error) });
  }
});
