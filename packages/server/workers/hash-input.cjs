'use strict';
const { hash } = require('node:crypto');

/**
 * The exact bytes that are hashed for a ledger event: the RFC 8785 canonical JSON of the envelope with the
 * canonical payload in place. Written directly — the keys are fixed and already in JCS order (actor, election,
 * idem, kind, payload, prevHash, seq, subject, time) — because it runs for every event written and every event
 * replayed. Plain CommonJS so that the chain-check thread (workers/sqlite-chain-check.cjs) and the server
 * (src/ledger/chain.ts) share one definition; a test checks it against the generic canonicalizer.
 */

/** A JSON string literal, or null: exactly RFC 8785's form for these fields (JSON.stringify escapes as JCS does). */
const text = (value) => (value === null ? 'null' : JSON.stringify(value));

function hashInput(fields) {
  return `{"actor":${text(fields.actor)},"election":${text(fields.election)},"idem":${text(fields.idem)},"kind":${text(fields.kind)},"payload":${fields.payloadText},"prevHash":${text(fields.prevHash)},"seq":${String(fields.seq)},"subject":${text(fields.subject)},"time":${text(fields.time)}}`;
}

/**
 * Chains events after `prevHash`: numbers them from `firstSeq`, all with the time `time`, and returns each one's hash
 * (SHA-256 hex of `hashInput`). The one definition of the chain for both writers: the server's main thread
 * (src/ledger/chain.ts) and the SQLite writer thread, which chains the events it commits.
 */
function chainHashes(prevHash, firstSeq, time, events) {
  const hashes = new Array(events.length);
  let previous = prevHash;
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    previous = hash(
      'sha256',
      hashInput({
        seq: firstSeq + i,
        time,
        actor: event.actor,
        kind: event.kind,
        election: event.election,
        subject: event.subject,
        idem: event.idem,
        prevHash: previous,
        payloadText: event.payloadText,
      }),
      'hex',
    );
    hashes[i] = previous;
  }
  return hashes;
}

exports.hashInput = hashInput;
exports.chainHashes = chainHashes;
