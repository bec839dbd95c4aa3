/** A compiled station-results template (publish/station-entries.ts); see station-walk.cjs. */
export interface WalkTemplate {
  readonly pool: Uint8Array;
  readonly words: Float64Array;
  readonly starts: Int32Array;
  readonly lengths: Int32Array;
  /** Flat `[op, a, b]` triples per program: 0–3 head, middle, comma, tail; then the contests' entries. */
  readonly programs: readonly Int32Array[];
  /** Value slots an entry of each program reads (0 for programs 0–3). */
  readonly slots: Int32Array;
}

/** What one station-results file must hold, station by station; see station-walk.cjs. */
export interface WalkPlan {
  readonly ids: Uint8Array;
  readonly idEnd: Int32Array;
  readonly steps: Int32Array;
  readonly values: Float64Array;
}

export declare const PIECE: 0;
export declare const NUMBER: 1;
export declare const PERCENT: 2;
export declare const HEAD: 0;
export declare const MIDDLE: 1;
export declare const COMMA: 2;
export declare const TAIL: 3;

export declare function percentHundredths(part: number, whole: number): number;
export declare function walkStations(template: WalkTemplate, bytes: Uint8Array, plan: WalkPlan): boolean;
