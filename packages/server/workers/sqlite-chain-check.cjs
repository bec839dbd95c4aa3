'use strict';
/**
 * The start-up replay's integrity check, in its own thread: reads the ledger (a second, read-only connection; WAL
 * lets it read while the main thread replays) up to a given sequence number and checks that the numbers run on,
 * that each event links to the previous one and that each hash matches the stored content. The main thread replays
 * the same rows meanwhile and refuses to start unless this thread ends at the same head without a break.
 * (Signatures are `canvass ledger verify`'s job.)
 */
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const Database = require('better-sqlite3');
const { hashInput } = require('./hash-input.cjs');

const GENESIS_HASH = '0'.repeat(64);

function check(path, until) {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare('SELECT seq, time, actor, kind, election, subject, idem, payload, prev_hash, hash FROM events WHERE seq <= ? ORDER BY seq')
      .raw(true);
    let head = { seq: 0, hash: GENESIS_HASH };
    for (const [seq, time, actor, kind, election, subject, idem, payloadText, prevHash, hash] of rows.iterate(until)) {
      if (seq !== head.seq + 1) return { head, firstBreak: { kind: 'sequence-gap', seq, expected: head.seq + 1 } };
      if (prevHash !== head.hash) return { head, firstBreak: { kind: 'prev-hash-mismatch', seq } };
      const input = hashInput({ seq, time, actor, kind, election, subject, idem, prevHash, payloadText });
      if (createHash('sha256').update(input).digest('hex') !== hash) return { head, firstBreak: { kind: 'hash-mismatch', seq } };
      head = { seq, hash };
    }
    return { head };
  } finally {
    db.close();
  }
}

try {
  parentPort.postMessage(check(workerData.path, workerData.until));
} catch (error) {
  parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
}
