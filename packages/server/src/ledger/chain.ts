/**
 * The hash chain. Each event's hash is SHA-256 over the RFC 8785 canonical JSON of
 * `{seq, time, actor, kind, election, subject, idem, payload, prevHash}`; `prevHash` is the previous event's hash
 * (64 zeros for the first).
 *
 * Signatures: the server signs the 32 hash bytes with Ed25519 once per group commit, over the hash of the batch's
 * last event; every event of the batch carries that signature and the batch's last sequence number
 * (`signedSeq`). Because each hash covers the previous one, the signature covers every event of its batch, exactly
 * as if each were signed alone — at one signature per commit instead of one per event (under load a commit holds
 * dozens to hundreds of events; an event written alone is signed alone). Editing, inserting or deleting any
 * stored event breaks its own hash, the next event's `prevHash`, or a signature.
 */
import { sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson, sha256Hex } from './canonical.js';
import { chainHashes, hashInput as sharedHashInput } from '../../workers/hash-input.cjs';
import type { LedgerEvent, NewEvent } from './events.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

/** The hashed fields of an event, with the payload already in canonical form. */
export interface HashedFields {
  readonly seq: number;
  readonly time: string;
  readonly actor: string;
  readonly kind: string;
  readonly election: string | null;
  readonly subject: string | null;
  readonly idem: string | null;
  readonly prevHash: string;
  /** RFC 8785 canonical JSON of the payload. */
  readonly payloadText: string;
}

/**
 * The exact bytes that are hashed for an event (RFC 8785 canonical JSON of the envelope, written directly). Defined
 * in plain CommonJS so that the start-up chain-check thread shares this one definition.
 */
export const hashInput: (fields: HashedFields) => string = sharedHashInput;

export const eventHash = (fields: HashedFields): string => sha256Hex(hashInput(fields));

export function signHash(hash: string, privateKey: KeyObject): string {
  return sign(null, Buffer.from(hash, 'hex'), privateKey).toString('base64');
}

export function signatureValid(hash: string, signature: string, publicKey: KeyObject): boolean {
  try {
    return verify(null, Buffer.from(hash, 'hex'), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** An event numbered and timed but not yet chained: its hash, predecessor and signature are filled in by `seal`. */
export type NumberedEvent = { -readonly [K in keyof LedgerEvent]: LedgerEvent[K] };

/**
 * Numbers and times one batch of new events after sequence number `seq`, with their payloads in canonical form;
 * `prevHash`, `hash`, `signature` and `signedSeq` stay empty until `seal`, when the batch is chained as it is written.
 */
export function numberEvents(seq: number, events: readonly NewEvent[], time: string): NumberedEvent[] {
  // Written out field by field, not spread: every event of every batch gets the same hidden class (a spread made a
  // new one per event, which showed in the write path's profile).
  return events.map((event, i): NumberedEvent => ({
    kind: event.kind,
    actor: event.actor,
    election: event.election,
    subject: event.subject,
    idem: event.idem,
    payload: event.payload,
    seq: seq + i + 1,
    time,
    prevHash: '',
    hash: '',
    payloadText: event.payloadText ?? canonicalJson(event.payload),
    signedSeq: 0,
    signature: '',
  }));
}

/** Fills in the chain of numbered events: each one's predecessor and hash (`hashes`, in order), and the signature. */
export function seal(
  events: readonly NumberedEvent[],
  prevHash: string,
  hashes: readonly string[],
  signature: string,
  signedSeq: number,
): void {
  let previous = prevHash;
  events.forEach((event, i) => {
    const hash = hashes[i];
    if (hash === undefined) throw new Error(`no hash for event ${event.seq}`);
    event.prevHash = previous;
    event.hash = hash;
    event.signature = signature;
    event.signedSeq = signedSeq;
    previous = hash;
  });
}

/** Numbers, times, chains and signs one batch of new events after `head` (the benchmarks' ledgers are made so). */
export function chainEvents(head: ChainHead, events: readonly NewEvent[], now: Date, privateKey: KeyObject): LedgerEvent[] {
  const numbered = numberEvents(head.seq, events, now.toISOString());
  if (numbered.length === 0) return numbered;
  const hashes = chainHashes(head.hash, head.seq + 1, numbered[0]?.time ?? '', numbered);
  const last = hashes[hashes.length - 1] ?? head.hash;
  seal(numbered, head.hash, hashes, signHash(last, privateKey), head.seq + numbered.length);
  return numbered;
}

export type ChainBreak =
  | { readonly kind: 'sequence-gap'; readonly seq: number; readonly expected: number }
  | { readonly kind: 'prev-hash-mismatch'; readonly seq: number }
  | { readonly kind: 'hash-mismatch'; readonly seq: number }
  | { readonly kind: 'bad-signature'; readonly seq: number }
  /** The ledger ends inside a commit: the event its signature is on is missing (events removed from the end). */
  | { readonly kind: 'unsigned'; readonly seq: number }
  | { readonly kind: 'unreadable'; readonly seq: number; readonly detail: string };

export interface ChainReport {
  readonly checked: number;
  readonly head: ChainHead;
  readonly firstBreak?: ChainBreak | undefined;
}

/** A stored event as the verifier reads it: the hashed fields plus hash and signature. */
export interface StoredFields extends HashedFields {
  readonly hash: string;
  readonly signature: string;
  readonly signedSeq: number;
}

/**
 * Re-checks a chain from its start: consecutive sequence numbers, each `prevHash`, each hash recomputed from the
 * stored content, and each batch signature. Stops at the first break and names its sequence number.
 */
export async function verifyChain(
  events: AsyncIterable<StoredFields | { readonly seq: number; readonly unreadable: string }>,
  publicKey: KeyObject,
): Promise<ChainReport> {
  let head: ChainHead = { seq: 0, hash: GENESIS_HASH };
  let checked = 0;
  let batch: { signedSeq: number; signature: string; first: number } | undefined;
  for await (const event of events) {
    const expected = head.seq + 1;
    if ('unreadable' in event) return { checked, head, firstBreak: { kind: 'unreadable', seq: event.seq, detail: event.unreadable } };
    if (event.seq !== expected) return { checked, head, firstBreak: { kind: 'sequence-gap', seq: event.seq, expected } };
    if (event.prevHash !== head.hash) return { checked, head, firstBreak: { kind: 'prev-hash-mismatch', seq: event.seq } };
    if (eventHash(event) !== event.hash) return { checked, head, firstBreak: { kind: 'hash-mismatch', seq: event.seq } };
    batch ??= { signedSeq: event.signedSeq, signature: event.signature, first: event.seq };
    if (event.signedSeq !== batch.signedSeq || event.signature !== batch.signature || event.signedSeq < event.seq) {
      return { checked, head, firstBreak: { kind: 'bad-signature', seq: event.seq } };
    }
    if (event.seq === batch.signedSeq) {
      if (!signatureValid(event.hash, event.signature, publicKey))
        return { checked, head, firstBreak: { kind: 'bad-signature', seq: event.seq } };
      batch = undefined;
    }
    head = { seq: event.seq, hash: event.hash };
    checked++;
  }
  // A commit whose signed event is missing: none of its events is covered by a signature, so none counts as verified.
  if (batch) {
    const verified = batch.first - 1;
    return { checked: checked - (head.seq - verified), head, firstBreak: { kind: 'unsigned', seq: batch.first } };
  }
  return { checked, head };
}
