/**
 * Reads a large election definition from its bytes in one pass over its divisions, checking each against the
 * schema as it goes: a million stations' `election.json` is 140 MB, and `JSON.parse` followed by a schema
 * validation of a million objects costs seconds that this reading does not.
 *
 * Only the shape Canvass writes takes the direct way — compact JSON, a division with `id`, `kind`, `parent`, `names`
 * `registered`, `timeZone` and `closes`, ids and kinds in their ASCII alphabets, names without escapes. Every check on that way is the
 * schema's own rule written out over bytes (`read-election.test.ts` holds them equal to `DivisionSchema` on
 * generated divisions); a division in any other shape is parsed by `JSON.parse` and checked by `DivisionSchema`
 * itself. The rest of the document goes through `ElectionSchema`. When anything fails, the answer is `undefined`
 * and the caller reads the file the general way, which also words the problem. A division comes out with its keys in
 * the schema's order, as parsing with the schema gives them, whatever their order in the file.
 */
import { DivisionSchema, ElectionSchema, MAX_COUNT, type Division, type Election } from '@canvass/core';
import { aroundArray, findTopLevelArray, isSpace, stringEnd } from './parse-json-chunked.js';

const DIVISIONS = 'divisions';
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

const QUOTE = 34;
const COMMA = 44;
const COLON = 58;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const BACKSLASH = 92;

const isDigit = (c: number) => c >= 48 && c <= 57;
const isLower = (c: number) => c >= 97 && c <= 122;
const isLetter = (c: number) => isLower(c) || (c >= 65 && c <= 90);
const isAlnum = (c: number) => isDigit(c) || isLetter(c);

/** The election in `bytes`, parsed and checked against `ElectionSchema`; undefined when it must be read the general way. */
export function readElectionBytes(bytes: Uint8Array): Election | undefined {
  const open = findTopLevelArray(bytes, DIVISIONS);
  if (open < 0) return undefined;
  const read = new DivisionReader(bytes).readArray(open);
  if (!read || read.divisions.length === 0) return undefined;
  const first = read.divisions.slice(0, 1);
  const rest = aroundArray(bytes, DIVISIONS, open, read.close, first);
  if (!rest) return undefined;
  const parsed = ElectionSchema.safeParse(rest);
  if (!parsed.success) return undefined;
  return { ...parsed.data, divisions: read.divisions };
}

/** Key names of a division, as bytes. */
const KEYS = ['id', 'kind', 'parent', 'names', 'registered', 'timeZone', 'closes'] as const;
type Key = (typeof KEYS)[number];
const KEY_BYTES = KEYS.map((key) => Uint8Array.from(key, (c) => c.charCodeAt(0)));

/** A string value read from the bytes, kept to hand out the same string again when the same bytes follow. */
interface Remembered {
  start: number;
  end: number;
  text: string;
}

class DivisionReader {
  readonly #bytes: Uint8Array;
  /** `Buffer#latin1Slice`: Node's own decoder behind `toString('latin1', start, end)`, without its argument handling. */
  readonly #latin1: (start: number, end: number) => string;
  #pos = 0;
  /** Kinds and parents repeat from one division to the next (a district's stations): their last strings. */
  readonly #kind: Remembered = { start: 0, end: 0, text: '' };
  readonly #parent: Remembered = { start: 0, end: 0, text: '' };
  /** So do stations' time zones and closing times. */
  readonly #timeZone: Remembered = { start: 0, end: 0, text: '' };
  readonly #closes: Remembered = { start: 0, end: 0, text: '' };
  /** Language tags seen, at most a few. */
  readonly #languages: Remembered[] = [];

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const slice = (buffer as unknown as { latin1Slice?: (start: number, end: number) => string }).latin1Slice;
    this.#latin1 = slice ? slice.bind(buffer) : (start, end) => buffer.toString('latin1', start, end);
  }

  /** The divisions of the array opening at `open`, and where it closes; undefined when one fails the schema. */
  readArray(open: number): { divisions: Division[]; close: number } | undefined {
    const bytes = this.#bytes;
    const divisions: Division[] = [];
    let pos = open + 1;
    while (isSpace(bytes[pos])) pos++;
    if (bytes[pos] === CLOSE_BRACKET) return { divisions, close: pos };
    for (;;) {
      while (isSpace(bytes[pos])) pos++;
      this.#pos = pos;
      const division = this.#compact() ?? this.#general(pos);
      if (!division) return undefined;
      divisions.push(division);
      pos = this.#pos;
      while (isSpace(bytes[pos])) pos++;
      const c = bytes[pos];
      if (c === CLOSE_BRACKET) return { divisions, close: pos };
      if (c !== COMMA) return undefined;
      pos++;
    }
  }

  /**
   * The division at `#pos` in the compact shape, checked by the schema's rules written out over bytes, with `#pos`
   * after it; undefined (`#pos` anywhere) when it is in another shape or breaks a rule.
   */
  #compact(): Division | undefined {
    const bytes = this.#bytes;
    if (bytes[this.#pos] !== OPEN_BRACE) return undefined;
    this.#pos++;
    let id: string | undefined;
    let kind: string | undefined;
    let parent: string | undefined;
    let names: Record<string, string> | undefined;
    let registered: number | undefined;
    let timeZone: string | undefined;
    let closes: string | undefined;
    for (;;) {
      const key = this.#key();
      if (key === undefined) return undefined;
      // A key twice is left to the general way (JSON.parse keeps the last); so is a value the rules refuse.
      switch (key) {
        case 'id':
          if (id !== undefined || (id = this.#id()) === undefined) return undefined;
          break;
        case 'kind':
          if (kind !== undefined || (kind = this.#kindValue()) === undefined) return undefined;
          break;
        case 'parent':
          if (parent !== undefined || (parent = this.#parentValue()) === undefined) return undefined;
          break;
        case 'names':
          if (names !== undefined || (names = this.#names()) === undefined) return undefined;
          break;
        case 'registered':
          if (registered !== undefined || (registered = this.#count()) === undefined) return undefined;
          break;
        case 'timeZone':
          if (timeZone !== undefined || (timeZone = this.#timeZoneValue()) === undefined) return undefined;
          break;
        case 'closes':
          if (closes !== undefined || (closes = this.#closesValue()) === undefined) return undefined;
          break;
      }
      const c = bytes[this.#pos++];
      if (c === CLOSE_BRACE) break;
      if (c !== COMMA) return undefined;
    }
    if (id === undefined || kind === undefined || names === undefined) return undefined;
    // The keys in the schema's order, as parsing with it gives them; the common shapes as literals (one hidden
    // class each, no property added one by one).
    if (timeZone === undefined && closes === undefined) {
      if (parent === undefined)
        return registered === undefined ? ({ id, kind, names } as Division) : ({ id, kind, names, registered } as Division);
      return registered === undefined ? ({ id, kind, parent, names } as Division) : ({ id, kind, parent, names, registered } as Division);
    }
    if (parent !== undefined && registered !== undefined && timeZone !== undefined && closes !== undefined)
      return { id, kind, parent, names, registered, timeZone, closes } as Division;
    const division: Record<string, unknown> = { id, kind };
    if (parent !== undefined) division['parent'] = parent;
    division['names'] = names;
    if (registered !== undefined) division['registered'] = registered;
    if (timeZone !== undefined) division['timeZone'] = timeZone;
    if (closes !== undefined) division['closes'] = closes;
    return division as unknown as Division;
  }

  /** `"key":` of one of the compact shape's keys; undefined for any other. */
  #key(): Key | undefined {
    const bytes = this.#bytes;
    const start = this.#pos + 1;
    if (bytes[this.#pos] !== QUOTE) return undefined;
    for (let k = 0; k < KEYS.length; k++) {
      const key = KEY_BYTES[k] ?? new Uint8Array();
      const end = start + key.length;
      if (bytes[end] !== QUOTE || bytes[end + 1] !== COLON) continue;
      let same = true;
      for (let i = 0; i < key.length && same; i++) same = bytes[start + i] === key[i];
      if (same) {
        this.#pos = end + 2;
        return KEYS[k];
      }
    }
    return undefined;
  }

  /** A string value's bytes [start, end) after `#pos`, with `#pos` after its closing quote; −1 when it has an escape or control byte. */
  #stringBounds(): number {
    const bytes = this.#bytes;
    if (bytes[this.#pos] !== QUOTE) return -1;
    const start = this.#pos + 1;
    let i = start;
    for (;;) {
      const c = bytes[i];
      if (c === undefined || c === BACKSLASH || c < 0x20) return -1;
      if (c === QUOTE) break;
      i++;
    }
    this.#pos = i + 1;
    return start;
  }

  /** `ID_PATTERN`: 1–80 of `A–Z a–z 0–9 . _ -`, starting with a letter or digit. */
  #idBounds(): number {
    const start = this.#stringBounds();
    if (start < 0) return -1;
    const bytes = this.#bytes;
    const end = this.#pos - 1;
    const length = end - start;
    if (length < 1 || length > 80 || !isAlnum(bytes[start] ?? 0)) return -1;
    for (let i = start + 1; i < end; i++) {
      const c = bytes[i] ?? 0;
      if (!(isAlnum(c) || c === 46 || c === 95 || c === 45)) return -1;
    }
    return start;
  }

  #id(): string | undefined {
    const start = this.#idBounds();
    return start < 0 ? undefined : this.#latin1(start, this.#pos - 1);
  }

  #parentValue(): string | undefined {
    const start = this.#idBounds();
    return start < 0 ? undefined : this.#remember(this.#parent, start, this.#pos - 1);
  }

  /** The division kind: `^[a-z][a-z0-9-]{0,39}$`. */
  #kindValue(): string | undefined {
    const start = this.#stringBounds();
    if (start < 0) return undefined;
    const bytes = this.#bytes;
    const end = this.#pos - 1;
    if (end - start < 1 || end - start > 40 || !isLower(bytes[start] ?? 0)) return undefined;
    for (let i = start + 1; i < end; i++) {
      const c = bytes[i] ?? 0;
      if (!(isLower(c) || isDigit(c) || c === 45)) return undefined;
    }
    return this.#remember(this.#kind, start, end);
  }

  /** An IANA time zone name: `^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$`. */
  #timeZoneValue(): string | undefined {
    const start = this.#stringBounds();
    if (start < 0) return undefined;
    const bytes = this.#bytes;
    const end = this.#pos - 1;
    let segment = 0; // bytes in the current segment
    let first = true; // still in the first segment (letters and `_` only)
    for (let i = start; i < end; i++) {
      const c = bytes[i] ?? 0;
      if (c === 47) {
        if (segment === 0) return undefined;
        first = false;
        segment = 0;
      } else if (isLetter(c) || c === 95 || (!first && (isDigit(c) || c === 43 || c === 45))) {
        segment++;
      } else {
        return undefined;
      }
    }
    if (segment === 0) return undefined;
    return this.#remember(this.#timeZone, start, end);
  }

  /** `HHMM`: `^([01][0-9]|2[0-3]):[0-5][0-9]$`. */
  #closesValue(): string | undefined {
    const start = this.#stringBounds();
    if (start < 0 || this.#pos - 1 - start !== 5) return undefined;
    const bytes = this.#bytes;
    const [h, d, colon, m, n] = [bytes[start] ?? 0, bytes[start + 1] ?? 0, bytes[start + 2], bytes[start + 3] ?? 0, bytes[start + 4] ?? 0];
    const hour = (h === 48 || h === 49) && isDigit(d) ? true : h === 50 && d >= 48 && d <= 51;
    if (!hour || colon !== COLON || !(m >= 48 && m <= 53) || !isDigit(n)) return undefined;
    return this.#remember(this.#closes, start, start + 5);
  }

  /** `LocalizedSchema`: at least one `"language tag": "non-empty text"`, each tag once. */
  #names(): Record<string, string> | undefined {
    const bytes = this.#bytes;
    if (bytes[this.#pos] !== OPEN_BRACE) return undefined;
    this.#pos++;
    const names: Record<string, string> = {};
    for (;;) {
      const tagStart = this.#stringBounds();
      if (tagStart < 0 || !isLanguageTag(bytes, tagStart, this.#pos - 1)) return undefined;
      const tag = this.#language(tagStart, this.#pos - 1);
      if (bytes[this.#pos++] !== COLON || Object.hasOwn(names, tag)) return undefined;
      const start = this.#stringBounds();
      const end = this.#pos - 1;
      if (start < 0 || end === start) return undefined;
      let ascii = true;
      for (let i = start; i < end && ascii; i++) ascii = (bytes[i] ?? 0) < 0x80;
      names[tag] = ascii ? this.#latin1(start, end) : utf8.decode(bytes.subarray(start, end));
      const c = bytes[this.#pos++];
      if (c === CLOSE_BRACE) return names;
      if (c !== COMMA) return undefined;
    }
  }

  /** `CountSchema`: a whole number from 0 to `MAX_COUNT`, written as JSON writes integers. */
  #count(): number | undefined {
    const bytes = this.#bytes;
    let pos = this.#pos;
    const first = bytes[pos] ?? 0;
    if (!isDigit(first)) return undefined;
    let value = 0;
    if (first === 48) {
      pos++;
    } else {
      for (; isDigit(bytes[pos] ?? 0) && pos - this.#pos < 10; pos++) value = value * 10 + ((bytes[pos] ?? 0) - 48);
    }
    const next = bytes[pos];
    if (next !== COMMA && next !== CLOSE_BRACE) return undefined; // more digits, a fraction or an exponent
    if (value > MAX_COUNT) return undefined;
    this.#pos = pos;
    return value;
  }

  /** Whether bytes[start, end) are the bytes `known` was read from. */
  #same(known: Remembered, start: number, end: number): boolean {
    if (end - start !== known.end - known.start) return false;
    for (let i = 0; i < end - start; i++) if (this.#bytes[start + i] !== this.#bytes[known.start + i]) return false;
    return true;
  }

  #remember(last: Remembered, start: number, end: number): string {
    if (this.#same(last, start, end)) return last.text;
    last.start = start;
    last.end = end;
    last.text = this.#latin1(start, end);
    return last.text;
  }

  #language(start: number, end: number): string {
    for (const known of this.#languages) if (this.#same(known, start, end)) return known.text;
    const text = this.#latin1(start, end);
    if (this.#languages.length < 16) this.#languages.push({ start, end, text });
    return text;
  }

  /** The division at `start` in any shape: parsed and checked by `DivisionSchema`, with `#pos` after it. */
  #general(start: number): Division | undefined {
    const bytes = this.#bytes;
    if (bytes[start] !== OPEN_BRACE) return undefined;
    let depth = 0;
    let end = -1;
    for (let i = start; i < bytes.length; i++) {
      const c = bytes[i];
      if (c === QUOTE) {
        i = stringEnd(bytes, i);
        if (i < 0) return undefined;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        depth++;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        depth--;
        if (depth === 0) {
          end = i + 1;
          break;
        }
      }
    }
    if (end < 0) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(utf8.decode(bytes.subarray(start, end)));
    } catch {
      return undefined;
    }
    const parsed = DivisionSchema.safeParse(json);
    if (!parsed.success) return undefined;
    this.#pos = end;
    return parsed.data;
  }
}

/** `^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$` over bytes[start, end). */
function isLanguageTag(bytes: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end && isLower(bytes[i] ?? 0)) i++;
  if (i - start < 2 || i - start > 3) return false;
  while (i < end) {
    if (bytes[i] !== 45) return false;
    const from = ++i;
    while (i < end && isAlnum(bytes[i] ?? 0)) i++;
    if (i - from < 2 || i - from > 8) return false;
  }
  return true;
}
