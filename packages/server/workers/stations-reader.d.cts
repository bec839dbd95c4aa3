import type { VerifyProblem } from '../src/verify/verify-report.js';

export interface ReadOptions {
  /** The election every row must name. */
  readonly electionId: string;
  /** The file name problems carry. */
  readonly file: string;
  readonly fixedColumns: readonly string[];
  readonly votesPrefix: string;
  readonly maxCount: number;
  /** The election's line and option ids; without them every column counts (checked by the caller afterwards). */
  readonly columns?: { readonly lines: readonly string[]; readonly options: readonly string[] } | undefined;
}

export interface CountColumnInfo {
  readonly kind: 'line' | 'vote';
  readonly id: string;
  /** The header name. */
  readonly name: string;
}

export interface StationsBytesReading {
  /** Data rows read. */
  readonly rows: number;
  /** False when the file could not be read to the end (bad header or CSV syntax). */
  readonly complete: boolean;
  /** Row and header problems, in file order. */
  readonly problems: VerifyProblem[];
  /** True when read without the election's columns. */
  readonly speculative: boolean;
  /** The count columns in header order: `figures` holds one value per column per counted row. */
  readonly columns: readonly CountColumnInfo[];
  /** The distinct contest ids of the counted rows; `rowContest` indexes this. */
  readonly contests: readonly string[];
  /** Rows that passed the row checks, to be counted (in file order). */
  readonly counted: number;
  /** `counted` × `columns.length` values, row by row; empty when `figureParts` holds them. */
  readonly figures: Uint32Array;
  /**
   * Set by `mergeReadings(parts, true)`: the figures left in the parts they were read in, each part's rows from
   * counted row `start` on (in order), so that merging copies no figures.
   */
  readonly figureParts?: readonly { readonly start: number; readonly figures: Uint32Array }[] | undefined;
  readonly rowLine: Int32Array;
  readonly rowContest: Uint16Array;
  /** Start and end byte offset of each counted row's station cell in the file, or −1, −1 when it is in `stationText`. */
  readonly rowStation: Int32Array;
  /** Station ids of counted rows whose record had quoted fields, by counted-row number. */
  readonly stationText: Readonly<Record<number, string>>;
}

/** A part of the file: the records in bytes [from, to), the first on line `line`; `lines` line ends in it. */
export interface Chunk {
  readonly from: number;
  readonly to: number;
  readonly line: number;
  readonly lines: number;
}

export declare function readStationsBytes(bytes: Uint8Array, options: ReadOptions, chunk?: Chunk): StationsBytesReading;
export declare function planChunks(bytes: Uint8Array, size: number): Chunk[] | null;
export declare function mergeReadings(parts: readonly StationsBytesReading[], keepFigureParts?: boolean): StationsBytesReading;
