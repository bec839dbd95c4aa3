/**
 * The text of a `station-results/<parent>.json` file — each station's `JSON.stringify(tally.results(station))`
 * (published-results.ts) — as a template compiled once per contest, used both ways without building a million
 * results objects: the publisher writes the files from it (`text`), the verifier checks them against it (`matches`).
 *
 * Checking walks the template over the file's bytes (workers/station-walk.cjs, here or in the verifier's worker):
 * its fixed text compared eight bytes at a time, each number read from the file and compared with the recomputed one
 * in the file's plan (`plan`: each entry's counts), each percentage with the exact one computed from them there
 * (`percentHundredths`, equal to the core's bigint `percent`). The answer is yes or "not proven": on any difference, or on a value the template does not cover (a
 * negative count, a count beyond the exact range), the caller recomputes that file the precise way and says where it
 * differs.
 *
 * Equality of the template with the core's results text is tested both ways (station-entries.test.ts here and in
 * verify/).
 */
import { percentFast, type ContestIndex, type ElectionIndex, type ResultsStatus } from '@canvass/core';
import { COMMA, HEAD, MIDDLE, TAIL, walkStations, type WalkPlan, type WalkTemplate } from '../../workers/station-walk.cjs';

/** Where a station's counted figures come from: the verifier's rows of `stations.csv`, or the publisher's protocols. */
export interface StationFigures {
  /**
   * Puts the counted figures of station `at` in `contest` (its layout) into `out` from `offset` on (default 0); false
   * when none are counted (then `out` is left as it was).
   */
  figuresAt(contest: ContestIndex, at: number, out: Float64Array, offset?: number): boolean;
}

const encoder = new TextEncoder();

// The ops of workers/station-walk.cjs (its exported constants, written out: TypeScript must know them as literals).
const PIECE = 0;
const NUMBER = 1;
const PERCENT = 2;

/**
 * Value slots of one station and contest: the roles, the percentage base, the registered totals, then the layout.
 * The holes of the contest's programs name them (NUMBER: `a`; PERCENT: `a` of `b`).
 */
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
  /** The template the walker reads: pieces, and programs 0–3 (head, middle, comma, tail) then 4 + 2 × ordinal + reported. */
  readonly template: WalkTemplate;
  /** Per contest ordinal: the value slots of its entry (LAYOUT + the layout's width). */
  readonly #slotCount: Int32Array;
  /** Every piece's text. */
  readonly #texts: readonly string[];
  readonly #values: Float64Array[];
  /**
   * Per contest ordinal: registered, participated, invalid, valid and the percentage base as their non-zero terms
   * only (a role names one to three of a layout's dozens of positions; a million stations evaluate five each).
   */
  readonly #roles: SparseTerms[][];
  /** Whether the template covers this election at all (its fixed text printable ASCII). */
  readonly usable: boolean;

  constructor(index: ElectionIndex, rows: StationFigures, status: (contest: string, complete: boolean) => ResultsStatus) {
    this.#index = index;
    this.#rows = rows;
    const texts: string[] = [];
    const programs: Int32Array[] = [];
    programs[HEAD] = new Program(texts).text(`{"election":${json(index.election.id)},"division":"`).done();
    programs[MIDDLE] = new Program(texts).text('","contests":[').done();
    programs[COMMA] = new Program(texts).text(',').done();
    programs[TAIL] = new Program(texts).text(']}').done();
    index.contests.forEach((contest) => {
      const { lines, options } = contest.layout;
      // The order JSON.stringify writes an object's keys in (integer-like keys first), as Object.fromEntries builds it.
      const lineOrder = Object.keys(Object.fromEntries(lines.map((line, i) => [line, i]))).map((line) => lines.indexOf(line as never));
      for (const reported of [0, 1]) {
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
        programs[contestProgram(contest.ordinal, reported)] = p.text('}}').done();
      }
    });
    this.#texts = texts;
    const pieces = texts.map((text) => encoder.encode(text));
    const total = pieces.reduce((sum, piece) => sum + piece.length, 0);
    const pool = new Uint8Array(total);
    const starts = new Int32Array(pieces.length);
    const lengths = new Int32Array(pieces.length);
    const words = new Float64Array(total);
    const view = new DataView(pool.buffer);
    let at = 0;
    pieces.forEach((piece, i) => {
      pool.set(piece, at);
      starts[i] = at;
      lengths[i] = piece.length;
      at += piece.length;
    });
    for (let i = 0; i + 8 <= total; i++) words[i] = view.getFloat64(i, true);
    this.#slotCount = Int32Array.from(index.contests, (contest) => LAYOUT + contest.layout.width);
    const slots = new Int32Array(programs.length);
    for (const contest of index.contests)
      for (const reported of [0, 1]) slots[contestProgram(contest.ordinal, reported)] = this.#slotCount[contest.ordinal] ?? 0;
    this.template = { pool, words, starts, lengths, programs, slots };
    // Printable ASCII only (ids are; anything else is left to the precise path), which the double compare relies on.
    this.usable = pool.every((c) => c >= 0x20 && c <= 0x7e);
    this.#values = index.contests.map((c) => new Float64Array(LAYOUT + c.layout.width));
    this.#roles = index.contests.map((c) =>
      [c.roles.registered, c.roles.participated, c.roles.invalid, c.roles.valid, c.percentBase].map(sparseTerms),
    );
  }

  /**
   * Whether `bytes` is exactly the published text of the stations `stations` (division indices, in order):
   * `[\n`, one entry per station, `,\n` between them, `\n]\n`.
   */
  matches(bytes: Uint8Array, stations: readonly number[]): boolean {
    const plan = this.plan(stations);
    if (plan === undefined) return false;
    const matched = walkStations(this.template, bytes, plan);
    this.recycle(plan.values.buffer as ArrayBuffer);
    return matched;
  }

  /**
   * Buffers of plans' values handed back once walked (`recycle`), for the next plans: a million stations' plans
   * hold some 300 MB of values, and fresh memory costs a page fault per page, which was a third of planning.
   */
  readonly #spare: ArrayBuffer[] = [];

  /** Lets a plan's `values` buffer (walked, or moved back from the thread that walked it) serve a later plan. */
  recycle(buffer: ArrayBuffer): void {
    if (this.#spare.length < MAX_SPARE && buffer.byteLength > 0) this.#spare.push(buffer);
  }

  /** Room for `count` values: a spare buffer when one is large enough (every slot is written), else a new one. */
  #valuesFor(count: number): Float64Array {
    const bytes = count * Float64Array.BYTES_PER_ELEMENT;
    for (let k = this.#spare.length - 1; k >= 0; k--) {
      const buffer = this.#spare[k];
      if (buffer && buffer.byteLength >= bytes) {
        this.#spare.splice(k, 1);
        return new Float64Array(buffer, 0, count);
      }
    }
    // Some room to spare, so that the buffer fits the next file's plan too (its district may be a little larger).
    return new Float64Array(new ArrayBuffer(Math.ceil((bytes * 5) / 4 / 4096) * 4096), 0, count);
  }

  /**
   * What the file of the stations `stations` (division indices, in order) must hold, for `walkStations` here or in
   * another thread; undefined when the template does not cover this election.
   */
  plan(stations: readonly number[]): WalkPlan | undefined {
    if (!this.usable) return undefined;
    const divisions = this.#index.election.divisions;
    const contests = this.#index.contests;
    // Sizes first (both programs of a contest have the same holes), then everything written in place.
    let stepCount = stations.length;
    let valueCount = 0;
    let idBytes = 0;
    for (const at of stations) {
      const division = divisions[at];
      if (!division) return undefined;
      idBytes += division.id.length;
      for (const contest of contests)
        if (contest.votesHere[at]) {
          stepCount++;
          valueCount += this.#slotCount[contest.ordinal] ?? 0;
        }
    }
    const ids = new Uint8Array(idBytes);
    const idEnd = new Int32Array(stations.length);
    const steps = new Int32Array(stepCount);
    const values = this.#valuesFor(valueCount);
    let idAt = 0;
    let step = 0;
    let value = 0;
    for (let s = 0; s < stations.length; s++) {
      const at = stations[s] ?? -1;
      const division = divisions[at];
      if (!division) return undefined;
      // Division ids are ASCII (`ID_PATTERN`): one byte per character (anything else is left to the precise path).
      const id = division.id;
      for (let i = 0; i < id.length; i++) {
        const c = id.charCodeAt(i);
        if (c > 0x7e) return undefined;
        ids[idAt++] = c;
      }
      idEnd[s] = idAt;
      const counted = step++;
      for (const contest of contests) {
        if (!contest.votesHere[at]) continue;
        // The entry's slots written in place; the walker computes its percentages from them.
        const reported = this.#fillSlots(contest, at, division.registered ?? 0, values, value);
        steps[step++] = contestProgram(contest.ordinal, reported);
        value += this.#slotCount[contest.ordinal] ?? 0;
      }
      steps[counted] = step - counted - 1;
    }
    return { ids, idEnd, steps, values };
  }

  /**
   * The published text of the stations `stations` (division indices, in order) — what `stationGroupText` makes of
   * each station's `JSON.stringify(tally.results(station))` — written from the template without building a results
   * object per station. Undefined when the template does not cover this election (`usable`).
   */
  text(stations: readonly number[]): string | undefined {
    if (!this.usable) return undefined;
    const divisions = this.#index.election.divisions;
    const programs = this.template.programs;
    let out = '[\n';
    for (let s = 0; s < stations.length; s++) {
      const at = stations[s] ?? -1;
      const division = divisions[at];
      if (!division) return undefined;
      if (s > 0) out += ',\n';
      // The id as it is: a division id (`ID_PATTERN`) needs no JSON escaping.
      out += this.#write(programs[HEAD], undefined) + division.id + this.#write(programs[MIDDLE], undefined);
      let first = true;
      for (const contest of this.#index.contests) {
        if (!contest.votesHere[at]) continue;
        if (!first) out += this.#write(programs[COMMA], undefined);
        first = false;
        const values = this.#stationValues(contest, at, division.registered ?? 0);
        const program = programs[contestProgram(contest.ordinal, this.#reported)];
        if (!program) return undefined;
        out += this.#write(program, values);
      }
      out += this.#write(programs[TAIL], undefined);
    }
    return `${out}\n]\n`;
  }

  /** `program` with its holes filled from `values`, as `JSON.stringify` writes them. */
  #write(program: Int32Array | undefined, values: Float64Array | undefined): string {
    let out = '';
    if (!program) return out;
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

  /** The slots of station `at` in `contest`, in a scratch array of the contest's. */
  #stationValues(contest: ContestIndex, at: number, registeredTotal: number): Float64Array {
    const values = this.#values[contest.ordinal] ?? new Float64Array(LAYOUT + contest.layout.width);
    this.#reported = this.#fillSlots(contest, at, registeredTotal, values, 0);
    return values;
  }

  /** Writes the slots of station `at` in `contest` into `out` from `offset`: 1 when it has a counted protocol, else 0. */
  #fillSlots(contest: ContestIndex, at: number, registeredTotal: number, out: Float64Array, offset: number): number {
    const layout = offset + LAYOUT;
    const counted = this.#rows.figuresAt(contest, at, out, layout);
    if (!counted) out.fill(0, layout, layout + contest.layout.width);
    const roles = this.#roles[contest.ordinal] ?? [];
    out[offset + REGISTERED] = sparseEvaluate(roles[0], out, layout);
    out[offset + PARTICIPATED] = sparseEvaluate(roles[1], out, layout);
    out[offset + INVALID] = sparseEvaluate(roles[2], out, layout);
    out[offset + VALID] = sparseEvaluate(roles[3], out, layout);
    out[offset + BASE] = sparseEvaluate(roles[4], out, layout);
    out[offset + REGISTERED_TOTAL] = registeredTotal;
    out[offset + REGISTERED_REPORTED] = counted ? registeredTotal : 0;
    return counted ? 1 : 0;
  }
}

/** Spare buffers kept (about the plans in flight at once, and then some). */
const MAX_SPARE = 256;

/** A sum of terms as its non-zero coefficients and their positions, in position order. */
interface SparseTerms {
  readonly at: Int32Array;
  readonly coef: Int32Array;
}

function sparseTerms(coefs: Int32Array): SparseTerms {
  const at: number[] = [];
  coefs.forEach((c, i) => {
    if (c !== 0) at.push(i);
  });
  return { at: Int32Array.from(at), coef: Int32Array.from(at, (i) => coefs[i] ?? 0) };
}

/** Exactly `evaluate(coefs, layout)` for the layout at `values[from]` on: the same products added in the same order, zeros skipped. */
function sparseEvaluate(terms: SparseTerms | undefined, values: Float64Array, from: number): number {
  if (!terms) return 0;
  let sum = 0;
  const { at, coef } = terms;
  for (let k = 0; k < at.length; k++) sum += (coef[k] ?? 0) * (values[from + (at[k] ?? 0)] ?? 0);
  return sum;
}

/** The program of a contest's entry, for a station with (1) or without (0) a counted protocol. */
const contestProgram = (ordinal: number, reported: number) => 4 + 2 * ordinal + reported;
