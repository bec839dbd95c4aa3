/**
 * `JSON.parse` of a large UTF-8 document whose bulk is one array under a top-level key (`divisions` of an election:
 * a million stations are 140 MB), without decoding the whole file into one string: the array's elements are cut
 * at their top-level boundaries and parsed some 64 KB at a time, the rest of the document around an empty array.
 * Decoding 140 MB into one string and parsing it costs seconds more, most of it touching fresh memory.
 *
 * The result equals `JSON.parse(new TextDecoder().decode(bytes))` (tested): cuts fall on ASCII bytes outside
 * strings, so the pieces decode as the whole does; and whenever anything is unexpected — the key twice or not at top
 * level, a piece that does not parse — it parses the whole text instead, so errors read exactly as before.
 */
const decoder = new TextDecoder();
const pieceDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Bytes per piece, about: under V8's large-object size, so a piece's text lives and dies in the young generation. */
const PIECE = 64 * 1024;

/** `pieceBytes`: how large a piece grows before it is cut (tests cut small). */
export function parseJsonChunked(bytes: Uint8Array, key: string, pieceBytes = PIECE): unknown {
  return parseInPieces(bytes, key, pieceBytes) ?? JSON.parse(decoder.decode(bytes));
}

/** Skips a string starting at the quote at `at`: the index of its closing quote, or −1. */
export function stringEnd(bytes: Uint8Array, at: number): number {
  let i = at + 1;
  for (;;) {
    const quote = bytes.indexOf(34, i);
    if (quote < 0) return -1;
    let backslashes = 0;
    for (let k = quote - 1; bytes[k] === 92; k--) backslashes++;
    if (backslashes % 2 === 0) return quote;
    i = quote + 1;
  }
}

/** JSON whitespace. */
export const isSpace = (c: number | undefined) => c === 32 || c === 10 || c === 13 || c === 9;

/**
 * Where the array under the top-level `key` opens: the index of its `[`, or −1 when the document is not an object
 * with that key once, at top level, holding an array (as far as a scan for it can tell; `aroundArray` checks the rest).
 */
export function findTopLevelArray(bytes: Uint8Array, key: string): number {
  const n = bytes.length;
  const wanted = `"${key}"`;
  let depth = 0;
  for (let i = 0; i < n; i++) {
    const c = bytes[i];
    if (c === 34) {
      const end = stringEnd(bytes, i);
      if (end < 0) return -1;
      if (depth === 1 && end - i + 1 === wanted.length && decoder.decode(bytes.subarray(i, end + 1)) === wanted) {
        let j = end + 1;
        while (isSpace(bytes[j])) j++;
        if (bytes[j] !== 58) return -1;
        j++;
        while (isSpace(bytes[j])) j++;
        return bytes[j] === 91 ? j : -1;
      }
      i = end;
    } else if (c === 123 || c === 91) {
      depth++;
    } else if (c === 125 || c === 93) {
      depth--;
    }
  }
  return -1;
}

/**
 * The document with `elements` as the array under `key` that spans bytes[open, close] (its brackets): the rest of
 * the document is parsed around an empty array. Undefined when that rest is not JSON, not an object, or has the key
 * more than once (JSON.parse would keep the last).
 */
export function aroundArray(
  bytes: Uint8Array,
  key: string,
  open: number,
  close: number,
  elements: unknown[],
): Record<string, unknown> | undefined {
  const skeleton = `${decoder.decode(bytes.subarray(0, open + 1))}${pieceDecoder.decode(bytes.subarray(close))}`;
  let document: unknown;
  try {
    document = JSON.parse(skeleton);
  } catch {
    return undefined;
  }
  if (topLevelKeyCount(skeleton, key) !== 1) return undefined;
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return undefined;
  const record = document as Record<string, unknown>;
  const slot = record[key];
  if (!Array.isArray(slot) || slot.length !== 0) return undefined;
  record[key] = elements;
  return record;
}

function parseInPieces(bytes: Uint8Array, key: string, pieceBytes: number): unknown {
  const n = bytes.length;
  const open = findTopLevelArray(bytes, key);
  if (open < 0) return undefined;

  // The array's elements, cut after an element at depth 0 inside it, about every PIECE bytes.
  const elements: unknown[] = [];
  let from = open + 1;
  let inner = 0;
  let close = -1;
  for (let i = open + 1; i < n; i++) {
    const c = bytes[i];
    if (c === 34) {
      const end = stringEnd(bytes, i);
      if (end < 0) return undefined;
      i = end;
    } else if (c === 123 || c === 91) {
      inner++;
    } else if (c === 125 || c === 93) {
      if (inner === 0) {
        close = i;
        break;
      }
      inner--;
      if (inner === 0 && i + 1 - from >= pieceBytes) {
        let j = i + 1;
        while (isSpace(bytes[j])) j++;
        if (bytes[j] !== 44) continue; // the last element, or not JSON: the close bracket or the whole parse decides
        if (!parsePiece(bytes, from, i + 1, elements)) return undefined;
        from = j + 1;
        i = j;
      }
    }
  }
  if (close < 0) return undefined;
  // After a cut the last piece must hold an element (`[…, ]` is not JSON).
  let last = from;
  while (last < close && isSpace(bytes[last])) last++;
  if (from > open + 1 && last === close) return undefined;
  if (!parsePiece(bytes, from, close, elements)) return undefined;

  return aroundArray(bytes, key, open, close, elements);
}

/** Parses bytes[from, to) as the elements of an array and appends them; false when they are not that. */
function parsePiece(bytes: Uint8Array, from: number, to: number, out: unknown[]): boolean {
  let piece: unknown;
  try {
    piece = JSON.parse(`[${pieceDecoder.decode(bytes.subarray(from, to))}]`);
  } catch {
    return false;
  }
  if (!Array.isArray(piece)) return false;
  for (const element of piece) out.push(element);
  return true;
}

/** How often `key` is a key of the top-level object of the (valid, small) JSON text, escapes read as JSON reads them. */
function topLevelKeyCount(text: string, key: string): number {
  let depth = 0;
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      let end = i + 1;
      while (text.charCodeAt(end) !== 34) end += text.charCodeAt(end) === 92 ? 2 : 1;
      let after = end + 1;
      while (isSpace(text.charCodeAt(after))) after++;
      if (depth === 1 && text.charCodeAt(after) === 58 && JSON.parse(text.slice(i, end + 1)) === key) count++;
      i = end;
    } else if (c === 123 || c === 91) {
      depth++;
    } else if (c === 125 || c === 93) {
      depth--;
    }
  }
  return count;
}
