'use strict';
/**
 * Checks a `station-results/<parent>.json` file against the template that publish/station-entries.ts compiles, and
 * a plan of the values it must hold — without arithmetic or election data, so that the verifier's worker thread
 * (verify-files.cjs) can check files while the main thread does other work. Plain CommonJS beside `src/` and
 * `dist/`, like the other worker files, and used by the main thread too: one walker, wherever it runs.
 *
 * The template: `pool` (every fixed piece's bytes, one after another), `words` (the little-endian double of the
 * eight bytes from each position of the pool), `starts` and `lengths` of each piece, and `programs`: flat
 * `[op, a, b]` triples — PIECE (fixed text: piece `a`), NUMBER (a count as JSON writes it: slot `a`), PERCENT
 * (`"12.34"`, or `null` when slot `b` is 0: slot `a` as a percentage of slot `b`) — with `slots[p]`, the number of
 * value slots an entry of program `p` reads. Programs 0–3 are the head of an entry (up to the division id), the
 * middle (after it), the comma between contests and the tail; they read none.
 *
 * The plan, per station in file order: its id (`ids` bytes up to `idEnd[s]`), the programs of its contests
 * (`steps`: a count, then that many program numbers) and, one entry after another, each entry's slots (`values`):
 * the counts it prints and those its percentages are computed from. The percentages are computed here, in
 * hundredths (`percentHundredths`, the core's arithmetic/percent-fast.ts written out again), so that the thread
 * making plans only copies counts. A value the template does not cover (a negative or fractional count, one beyond
 * the exact range) is never matched: the caller checks that file the precise way.
 */

const PIECE = 0;
const NUMBER = 1;
const PERCENT = 2;

const HEAD = 0;
const MIDDLE = 1;
const COMMA = 2;
const TAIL = 3;

/** Whether `bytes` is exactly `[\n`, each planned station's entry, `,\n` between them, `\n]\n`. */
function walkStations(template, bytes, plan) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length;
  if (end < 5 || bytes[0] !== 91 || bytes[1] !== 10) return false;
  const { programs, slots } = template;
  const { ids, idEnd, steps, values } = plan;
  let pos = 2;
  let idStart = 0;
  let step = 0;
  let value = 0;
  for (let s = 0; s < idEnd.length; s++) {
    if (s > 0) {
      if (bytes[pos] !== 44 || bytes[pos + 1] !== 10) return false;
      pos += 2;
    }
    pos = run(template, programs[HEAD], bytes, view, pos, end, values, 0);
    if (pos < 0) return false;
    const idStop = idEnd[s];
    if (pos + idStop - idStart > end) return false;
    for (let i = idStart; i < idStop; i++) if (bytes[pos++] !== ids[i]) return false;
    idStart = idStop;
    pos = run(template, programs[MIDDLE], bytes, view, pos, end, values, 0);
    const contests = steps[step++];
    for (let c = 0; c < contests; c++) {
      if (c > 0) pos = run(template, programs[COMMA], bytes, view, pos, end, values, 0);
      const program = steps[step++];
      pos = run(template, programs[program], bytes, view, pos, end, values, value);
      value += slots[program];
    }
    pos = run(template, programs[TAIL], bytes, view, pos, end, values, 0);
    if (pos < 0) return false;
  }
  return pos + 3 === end && bytes[pos] === 10 && bytes[pos + 1] === 93 && bytes[pos + 2] === 10;
}

/** Matches `program` at `start`, its slots at `values[base]` on: the position after it, or −1. */
function run(template, program, bytes, view, start, end, values, base) {
  let pos = start;
  if (pos < 0 || program === undefined) return -1;
  const { pool, words, starts, lengths } = template;
  for (let pc = 0; pc < program.length; pc += 3) {
    const op = program[pc];
    if (op === PIECE) {
      const a = program[pc + 1];
      const at = starts[a];
      const length = lengths[a];
      if (pos + length > end) return -1;
      // Eight bytes at a time as doubles: equal doubles have equal bits here, since the expected text (printable
      // ASCII) is never a NaN nor a zero; a NaN read from the file equals nothing, which is a difference.
      let k = 0;
      for (; k + 8 <= length; k += 8) if (view.getFloat64(pos + k, true) !== words[at + k]) return -1;
      for (; k < length; k++) if (bytes[pos + k] !== pool[at + k]) return -1;
      pos += length;
    } else if (op === NUMBER) {
      pos = matchCount(bytes, pos, end, values[base + program[pc + 1]]);
      if (pos < 0) return -1;
    } else if (op === PERCENT) {
      const whole = values[base + program[pc + 2]];
      if (whole === 0) {
        // null
        if (pos + 4 > end || view.getInt32(pos, true) !== 0x6c6c756e) return -1;
        pos += 4;
        continue;
      }
      const hundredths = percentHundredths(values[base + program[pc + 1]], whole);
      if (hundredths < 0 || bytes[pos] !== 34) return -1;
      const fraction = hundredths % 100;
      pos = matchCount(bytes, pos + 1, end, (hundredths - fraction) / 100);
      if (
        pos < 0 ||
        pos + 4 > end ||
        bytes[pos] !== 46 ||
        bytes[pos + 1] !== 48 + Math.floor(fraction / 10) ||
        bytes[pos + 2] !== 48 + (fraction % 10) ||
        bytes[pos + 3] !== 34
      )
        return -1;
      pos += 4;
    } else {
      return -1;
    }
  }
  return pos;
}

/** Parts up to here (and wholes up to three times as much) take the double path: 2^53 / 20003, rounded down. */
const FAST_LIMIT = Math.floor(Number.MAX_SAFE_INTEGER / 20003);

/**
 * The core's `percentHundredths` (arithmetic/percent-fast.ts, where its exactness is argued), written out again for
 * this thread, which cannot load the core: `percent(part, whole, 2)` in hundredths, or −1 outside the range where
 * the double arithmetic is exact. Held equal to the core's by station-entries.test.ts.
 */
function percentHundredths(part, whole) {
  if (!(part >= 0 && whole > 0 && part <= FAST_LIMIT && whole <= FAST_LIMIT && Number.isInteger(part) && Number.isInteger(whole)))
    return -1;
  const n = 20000 * part + whole;
  const d = 2 * whole;
  let q = Math.floor(n / d);
  if (q * d > n) q--;
  else if ((q + 1) * d <= n) q++;
  return q;
}

/**
 * Matches the decimal text `JSON.stringify` writes for the count `value` at `pos`: the position after it, or −1
 * (also for values other than non-negative safe integers, which the template leaves to the precise path).
 */
function matchCount(bytes, start, end, value) {
  if (!(value >= 0 && value <= Number.MAX_SAFE_INTEGER && Number.isInteger(value))) return -1;
  let pos = start;
  if (bytes[pos] === 48) return value === 0 ? pos + 1 : -1;
  let read = 0;
  for (; pos < end && pos - start < 16; pos++) {
    const c = bytes[pos];
    if (c < 48 || c > 57) break;
    read = read * 10 + (c - 48);
  }
  return pos > start && read === value && !(pos < end && bytes[pos] >= 48 && bytes[pos] <= 57) ? pos : -1;
}

module.exports = { walkStations, percentHundredths, PIECE, NUMBER, PERCENT, HEAD, MIDDLE, COMMA, TAIL };
