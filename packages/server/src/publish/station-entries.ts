/**
 * The text of a `station-results/<parent>.json` file — each station's `JSON.stringify(tally.results(station))`
 * (published-results.ts) — as a template compiled once per contest, used both ways without building a million
 * results objects: the publisher writes the files from it (`text`), the verifier checks them against it (`matches`).
 *
 * Checking walks the template over the file's bytes: its fixed text compared eight bytes at a time, each number read
 * from the file and compared with the recomputed one, each percentage compared with the exact one
 * (`percentHundredths`, equal to the core's bigint `percent`). The answer is yes or "not proven": on any difference,
 * or on a value the template does not cover (a negative count, a count beyond the exact range), the caller recomputes
 * that file the precise way and says where it differs.
 *
 * Equality of the template with the core's results text is tested both ways (station-entries.test.ts here and in
 * verify/).
 */
import { evaluate, percentFast, percentHundredths, type ContestIndex, type ElectionIndex, type ResultsStatus } from '@canvass/core';

/** Where a station's counted figures come from: the verifier's rows of `stations.csv`, or the publisher's protocols. */
export interface StationFigures {
  /** Puts the counted figures of station `at` in `contest` (its layout) into `out`; false when none are counted. */
  figuresAt(contest: ContestIndex, at: number, out: Float64Array): boolean;
}

const encoder = new TextEncoder();

const PIECE = 0;
const NUMBER = 1;
const PERCENT = 2;

/** Value slots of one station and contest: the roles, the percentage base, the registered totals, then the layout. */
const REGISTERED = 0;
const PARTICIPATED = 1;
const INVALID = 2;
const VALID = 3;
const BASE = 4;
const REGISTERED_TOTAL = 5;
const REGISTERED_REPORTED = 6;
const LAYOUT = 7;

/** Fixed text and holes, as a flat program: `[op, a, b]` triples. */
class Program {
  readonly ops: number[] = [];
  readonly #pieces: string[];
  #text = '';

  constructor(pieces: string[]) {
    this.#pieces = pieces;
  }

  text(text: string): this {
    this.#text += text;
    return this;
  }

  number(slot: number): this {
    this.#flush();
    this.ops.push(NUMBER, slot, 0);
    return this;
  }

  percent(part: number, whole: number): this {
    this.#flush();
    this.ops.push(PERCENT, part, whole);
    return this;
  }

  done(): Int32Array {
    this.#flush();
    return Int32Array.from(this.ops);
  }

  #flush(): void {
    if (this.#text === '') return;
    this.#pieces.push(this.#text);
    this.ops.push(PIECE, this.#pieces.length - 1, 0);
    this.#text = '';
  }
}

/** What `JSON.stringify` writes for a key or string value. */
const json = (text: string) => JSON.stringify(text);

export class StationEntries {
  readonly #index: ElectionIndex;
  readonly #rows: StationFigures;
  /** Per contest ordinal, per reported (0 or 1): the contest's entry. */
  readonly #programs: Int32Array[][];
  readonly #head: Int32Array;
  readonly #middle: Int32Array;
  readonly #comma: Int32Array;
  readonly #tail: Int32Array;
  /** Every piece's bytes, one after another, and the little-endian double of the eight bytes from each position. */
  readonly #pool: Uint8Array;
  readonly #start: Int32Array;
  readonly #length: Int32Array;
  readonly #words: Float64Array;
  /** Every piece's text. */
  readonly #texts: readonly string[];
  readonly #values: Float64Array[];
  readonly #layout: Float64Array[];
  /** Whether the template covers this election at all (its fixed text printable ASCII). */
  readonly usable: boolean;

  constructor(index: ElectionIndex, rows: StationFigures, status: (contest: string, complete: boolean) => ResultsStatus) {
    this.#index = index;
    this.#rows = rows;
    const texts: string[] = [];
    this.#head = new Program(texts).text(`{"election":${json(index.election.id)},"division":"`).done();
    this.#middle = new Program(texts).text('","contests":[').done();
    this.#comma = new Program(texts).text(',').done();
    this.#tail = new Program(texts).text(']}').done();
    this.#programs = index.contests.map((contest) => {
      const { lines, options } = contest.layout;
      // The order JSON.stringify writes an object's keys in (integer-like keys first), as Object.fromEntries builds it.
      const lineOrder = Object.keys(Object.fromEntries(lines.map((line, i) => [line, i]))).map((line) => lines.indexOf(line as never));
      return [0, 1].map((reported) => {
        const p = new Program(texts)
          .text(`{"contest":${json(contest.contest.id)},"status":${json(status(contest.contest.id, reported === 1))},`)
          .text(`"stations":{"reported":${reported},"total":1},"registered":`)
          .number(REGISTERED)
          .text(',"participated":')
          .number(PARTICIPATED)
          .text(',"invalid":')
          .number(INVALID)
          .text(',"valid":')
          .number(VALID)
          .text(',"turnoutPercent":')
          .percent(PARTICIPATED, REGISTERED)
          .text(',"options":[');
        options.forEach((option, i) => {
          p.text(`${i === 0 ? '' : ','}{"option":${json(option.id)},"votes":`)
            .number(LAYOUT + lines.length + i)
            .text(',"percent":')
            .percent(LAYOUT + lines.length + i, BASE)
            .text('}');
        });
        p.text('],"registeredTotal":')
          .number(REGISTERED_TOTAL)
          .text(',"registeredCoveredPercent":')
          .percent(REGISTERED_REPORTED, REGISTERED_TOTAL)
          .text(',"percentBase":')
          .number(BASE)
          .text(',"lines":{');
        lineOrder.forEach((at, i) => {
          p.text(`${i === 0 ? '' : ','}${json(lines[at] ?? '')}:`).number(LAYOUT + at);
        });
        return p.text('}}').done();
      });
    });
    this.#texts = texts;
    const pieces = texts.map((text) => encoder.encode(text));
    const total = pieces.reduce((sum, piece) => sum + piece.length, 0);
    this.#pool = new Uint8Array(total);
    this.#start = new Int32Array(pieces.length);
    this.#length = new Int32Array(pieces.length);
    this.#words = new Float64Array(total);
    const view = new DataView(this.#pool.buffer);
    let at = 0;
    pieces.forEach((piece, i) => {
      this.#pool.set(piece, at);
      this.#start[i] = at;
      this.#length[i] = piece.length;
      at += piece.length;
    });
    for (let i = 0; i + 8 <= total; i++) this.#words[i] = view.getFloat64(i, true);
    // Printable ASCII only (ids are; anything else is left to the precise path), which the double compare relies on.
    this.usable = this.#pool.every((c) => c >= 0x20 && c <= 0x7e);
    this.#values = index.contests.map((c) => new Float64Array(LAYOUT + c.layout.width));
    this.#layout = index.contests.map((c) => new Float64Array(c.layout.width));
  }

  /**
   * Whether `bytes` is exactly the published text of the stations `stations` (division indices, in order):
   * `[\n`, one entry per station, `,\n` between them, `\n]\n`.
   */
  matches(bytes: Uint8Array, stations: readonly number[]): boolean {
    if (!this.usable) return false;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const end = bytes.length;
    if (end < 5 || bytes[0] !== 91 || bytes[1] !== 10) return false;
    let pos = 2;
    const divisions = this.#index.election.divisions;
    for (let s = 0; s < stations.length; s++) {
      const at = stations[s] ?? -1;
      const division = divisions[at];
      if (!division) return false;
      if (s > 0) {
        if (bytes[pos] !== 44 || bytes[pos + 1] !== 10) return false;
        pos += 2;
      }
      pos = this.#run(this.#head, bytes, view, pos, end, undefined);
      pos = this.#id(bytes, pos, end, division.id);
      pos = this.#run(this.#middle, bytes, view, pos, end, undefined);
      let first = true;
      for (const contest of this.#index.contests) {
        if (!contest.votesHere[at]) continue;
        if (!first) pos = this.#run(this.#comma, bytes, view, pos, end, undefined);
        first = false;
        const values = this.#stationValues(contest, at, division.registered ?? 0);
        const program = this.#programs[contest.ordinal]?.[this.#reported];
        if (!program) return false;
        pos = this.#run(program, bytes, view, pos, end, values);
      }
      pos = this.#run(this.#tail, bytes, view, pos, end, undefined);
      if (pos < 0) return false;
    }
    return pos + 3 === end && bytes[pos] === 10 && bytes[pos + 1] === 93 && bytes[pos + 2] === 10;
  }

  /**
   * The published text of the stations `stations` (division indices, in order) — what `stationGroupText` makes of
   * each station's `JSON.stringify(tally.results(station))` — written from the template without building a results
   * object per station. Undefined when the template does not cover this election (`usable`).
   */
  text(stations: readonly number[]): string | undefined {
    if (!this.usable) return undefined;
    const divisions = this.#index.election.divisions;
    let out = '[\n';
    for (let s = 0; s < stations.length; s++) {
      const at = stations[s] ?? -1;
      const division = divisions[at];
      if (!division) return undefined;
      if (s > 0) out += ',\n';
      // The id as it is: a division id (`ID_PATTERN`) needs no JSON escaping.
      out += this.#write(this.#head, undefined) + division.id + this.#write(this.#middle, undefined);
      let first = true;
      for (const contest of this.#index.contests) {
        if (!contest.votesHere[at]) continue;
        if (!first) out += this.#write(this.#comma, undefined);
        first = false;
        const values = this.#stationValues(contest, at, division.registered ?? 0);
        const program = this.#programs[contest.ordinal]?.[this.#reported];
        if (!program) return undefined;
        out += this.#write(program, values);
      }
      out += this.#write(this.#tail, undefined);
    }
    return `${out}\n]\n`;
  }

  /** `program` with its holes filled from `values`, as `JSON.stringify` writes them. */
  #write(program: Int32Array, values: Float64Array | undefined): string {
    let out = '';
    for (let pc = 0; pc < program.length; pc += 3) {
      const op = program[pc] ?? -1;
      const a = program[pc + 1] ?? 0;
      if (op === PIECE) {
        out += this.#texts[a] ?? '';
      } else if (op === NUMBER) {
        out += JSON.stringify(values?.[a] ?? 0);
      } else {
        const percent = percentFast(values?.[a] ?? 0, values?.[program[pc + 2] ?? 0] ?? 0);
        out += percent === null ? 'null' : `"${percent}"`;
      }
    }
    return out;
  }

  /** Whether the last `#stationValues` found a counted protocol (1) or not (0). */
  #reported = 0;

  #stationValues(contest: ContestIndex, at: number, registeredTotal: number): Float64Array {
    const values = this.#values[contest.ordinal] ?? new Float64Array(LAYOUT + contest.layout.width);
    const layout = this.#layout[contest.ordinal] ?? new Float64Array(contest.layout.width);
    const counted = this.#rows.figuresAt(contest, at, layout);
    if (!counted) layout.fill(0);
    this.#reported = counted ? 1 : 0;
    values[REGISTERED] = evaluate(contest.roles.registered, layout);
    values[PARTICIPATED] = evaluate(contest.roles.participated, layout);
    values[INVALID] = evaluate(contest.roles.invalid, layout);
    values[VALID] = evaluate(contest.roles.valid, layout);
    values[BASE] = evaluate(contest.percentBase, layout);
    values[REGISTERED_TOTAL] = registeredTotal;
    values[REGISTERED_REPORTED] = counted ? registeredTotal : 0;
    values.set(layout, LAYOUT);
    return values;
  }

  /** The id as JSON writes it: its characters as they are, since a division id (`ID_PATTERN`) needs no escaping. */
  #id(bytes: Uint8Array, pos: number, end: number, id: string): number {
    if (pos < 0 || pos + id.length > end) return -1;
    for (let i = 0; i < id.length; i++) if (bytes[pos + i] !== id.charCodeAt(i)) return -1;
    return pos + id.length;
  }

  /** Matches `program` at `pos`: the position after it, or −1. */
  #run(program: Int32Array, bytes: Uint8Array, view: DataView, start: number, end: number, values: Float64Array | undefined): number {
    let pos = start;
    if (pos < 0) return -1;
    const pool = this.#pool;
    const words = this.#words;
    const starts = this.#start;
    const lengths = this.#length;
    for (let pc = 0; pc < program.length; pc += 3) {
      const op = program[pc] ?? -1;
      const a = program[pc + 1] ?? 0;
      if (op === PIECE) {
        const from = starts[a] ?? 0;
        const length = lengths[a] ?? 0;
        if (pos + length > end) return -1;
        // Eight bytes at a time as doubles: equal doubles have equal bits here, since the expected text (ASCII, no
        // NUL, no DEL) is never a NaN nor a zero; a NaN read from the file equals nothing, which is a difference.
        let k = 0;
        for (; k + 8 <= length; k += 8) if (view.getFloat64(pos + k, true) !== words[from + k]) return -1;
        for (; k < length; k++) if (bytes[pos + k] !== pool[from + k]) return -1;
        pos += length;
      } else if (op === NUMBER) {
        pos = matchCount(bytes, pos, end, values?.[a] ?? -1);
        if (pos < 0) return -1;
      } else {
        const whole = values?.[program[pc + 2] ?? 0] ?? -1;
        if (whole === 0) {
          // null
          if (pos + 4 > end || view.getInt32(pos, true) !== 0x6c6c756e) return -1;
          pos += 4;
          continue;
        }
        const hundredths = percentHundredths(values?.[a] ?? -1, whole);
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
      }
    }
    return pos;
  }
}

/**
 * Matches the decimal text `JSON.stringify` writes for the count `value` at `pos`: the position after it, or −1
 * (also for values other than non-negative safe integers, which the template leaves to the precise path).
 */
function matchCount(bytes: Uint8Array, start: number, end: number, value: number): number {
  if (!(value >= 0 && value <= Number.MAX_SAFE_INTEGER && Number.isInteger(value))) return -1;
  let pos = start;
  const first = bytes[pos];
  if (first === 48) return value === 0 ? pos + 1 : -1;
  let read = 0;
  for (; pos < end && pos - start < 16; pos++) {
    const c = bytes[pos] ?? 0;
    if (c < 48 || c > 57) break;
    read = read * 10 + (c - 48);
  }
  return pos > start && read === value && !(pos < end && (bytes[pos] ?? 0) >= 48 && (bytes[pos] ?? 0) <= 57) ? pos : -1;
}
