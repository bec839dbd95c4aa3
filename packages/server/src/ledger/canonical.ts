import { createHash, hash } from 'node:crypto';
import { createRequire } from 'node:module';

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

const SLOT = '\u0000canvass-slot\u0000';

/**
 * Canonical JSON of `value` with `key` set to a value whose canonical text is already known — so a large part
 * (a protocol inside an event payload, a payload inside the hashed envelope) is serialized once, not again.
 */
export function canonicalWith(value: Readonly<Record<string, unknown>>, key: string, knownText: string): string {
  return canonicalJson({ ...value, [key]: SLOT }).replace(JSON.stringify(SLOT), () => knownText);
}
