import { createHash, hash } from 'node:crypto';
import { createRequire } from 'node:module';
import { memberOrder } from './member-order.js';

// `canonicalize` is CommonJS whose type declarations describe an ES default export; load it as what it is.
const canonicalizeJson = createRequire(import.meta.url)('canonicalize') as (input: unknown) => string | undefined;

/**
 * RFC 8785 (JSON Canonicalization Scheme) text of a JSON value: the bytes that every hash and signature in Canvass
 * is computed over, so anyone can recompute them with any JCS implementation.
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalizeJson(value);
  if (text === undefined) throw new TypeError('value cannot be canonicalized as JSON');
  return text;
}

export function sha256Hex(data: string | Uint8Array): string {
  // One-shot crypto.hash (Node ≥ 20.12) is about three times faster than createHash for short texts.
  return typeof data === 'string' ? hash('sha256', data, 'hex') : createHash('sha256').update(data).digest('hex');
}

/** The hash that identifies one version of a protocol: SHA-256 of its canonical JSON. */
export function protocolHash(protocol: unknown): string {
  return sha256Hex(canonicalJson(protocol));
}

/**
 * Canonical JSON of `value` with `key` set to a value whose canonical text is already known — so a large part
 * (a protocol inside an event payload, a payload inside the hashed envelope) is serialized once, not again. The
 * object's own members are written in RFC 8785 order (keys sorted by UTF-16 code units, which is the default order
 * of `Array.prototype.sort` on strings); members whose value is undefined are left out, as JSON leaves them out.
 */
export function canonicalWith(value: Readonly<Record<string, unknown>>, key: string, knownText: string): string {
  const keys = Object.keys(value);
  if (!Object.hasOwn(value, key)) keys.push(key);
  const { sorted, prefixes } = memberOrder(keys);
  let out = '{';
  let first = true;
  for (let i = 0; i < sorted.length; i++) {
    const name = sorted[i] ?? '';
    const text = name === key ? knownText : memberText(value[name]);
    if (text === undefined) continue;
    // The prefix carries a comma unless it is the first key; a member left out before it means none is needed.
    const prefix = prefixes[i] ?? '';
    out += first && i > 0 ? prefix.slice(1) : prefix;
    out += text;
    first = false;
  }
  return `${out}}`;
}

/** RFC 8785 text of one member's value; strings, finite numbers, booleans and null directly, the rest by `canonicalJson`. */
function memberText(member: unknown): string | undefined {
  switch (typeof member) {
    case 'undefined':
      return undefined;
    case 'string':
    case 'boolean':
      // JSON.stringify escapes strings exactly as RFC 8785 does.
      return JSON.stringify(member);
    case 'number':
      // Finite numbers: ECMAScript's Number-to-String, which RFC 8785 adopts (and String(-0) is "0", as it wants).
      if (Number.isFinite(member)) return String(member);
      return canonicalJson(member);
    default:
      if (member === null) return 'null';
      if (Array.isArray(member) && member.length === 0) return '[]';
      return canonicalJson(member);
  }
}
