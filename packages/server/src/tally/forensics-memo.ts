/**
 * The integer-percentage test of a live election, per division, without recomputing every station each time: each
 * station's part (its integer flags and binomial probabilities, core `integerPercentagePart`) is kept with the
 * protocol version it came from and recomputed only when that version changes; a division is summed over its own
 * stations only (they lie in one range of a depth-first order of the geography). So a division's answer costs a pass
 * over its stations, and only new protocols cost the probabilities.
 */
import {
  IntegerPercentageSum,
  forensicStation,
  integerPercentagePart,
  readRow,
  type ContestIndex,
  type ElectionIndex,
  type IntegerPercentagePart,
  type IntegerPercentageTest,
} from '@canvass/core';
import { inPreliminary, type ElectionState, type LatestVersion } from '../domain/election-state.js';

/** Stations in depth-first order, and for each division the range of that order that lies under it. */
export interface StationOrder {
  readonly stations: Int32Array;
  readonly from: Int32Array;
  readonly to: Int32Array;
}

export function stationOrder(index: ElectionIndex): StationOrder {
  const n = index.divisionCount;
  const stations = new Int32Array(index.isStation.reduce((count, s) => count + s, 0));
  const from = new Int32Array(n);
  const to = new Int32Array(n);
  let position = 0;
  // Iterative depth-first walk: a division's range opens when it is entered and closes after its last child.
  const stack: number[] = [];
  const cursor = new Int32Array(n);
  for (let root = 0; root < n; root++) {
    if ((index.parent[root] ?? -1) >= 0) continue;
    stack.push(root);
    from[root] = position;
    if (index.isStation[root]) stations[position++] = root;
    while (stack.length > 0) {
      const at = stack[stack.length - 1] ?? 0;
      const k = (index.childStart[at] ?? 0) + (cursor[at] ?? 0);
      if (k < (index.childStart[at + 1] ?? 0)) {
        cursor[at] = (cursor[at] ?? 0) + 1;
        const child = index.childList[k] ?? 0;
        from[child] = position;
        if (index.isStation[child]) stations[position++] = child;
        stack.push(child);
      } else {
        to[at] = position;
        stack.pop();
      }
    }
  }
  return { stations, from, to };
}

interface ContestMemo {
  leaderAt: number;
  readonly source: (LatestVersion | undefined)[];
  readonly parts: (IntegerPercentagePart | undefined)[];
  /** Where an unfinished `warm` stopped: the place in the station order it resumes from. */
  cursor: number;
}

/** Stations computed between two looks at the clock. */
const CLOCK_EVERY = 256;

export class ForensicsMemo {
  readonly #state: ElectionState;
  #order: StationOrder | undefined;
  readonly #contests = new Map<number, ContestMemo>();

  constructor(state: ElectionState) {
    this.#state = state;
  }

  /** How many polling stations lie under division `at`. */
  stationCount(at: number): number {
    const order = (this.#order ??= stationOrder(this.#state.index));
    return (order.to[at] ?? 0) - (order.from[at] ?? 0);
  }

  /** Whether the polling station `station` lies under division `at` (or is it): its place in the order is in the range. */
  containsStation(at: number, station: number): boolean {
    const order = (this.#order ??= stationOrder(this.#state.index));
    const place = order.from[station] ?? -1;
    return (order.from[at] ?? 0) <= place && place < (order.to[at] ?? 0);
  }

  #memo(contest: ContestIndex, leaderAt: number): ContestMemo {
    let memo = this.#contests.get(contest.ordinal);
    if (!memo || memo.leaderAt !== leaderAt) {
      // Full length from the start: a division's range begins anywhere, and sparse writes would make dictionaries.
      const n = this.#state.index.divisionCount;
      memo = {
        leaderAt,
        source: new Array<LatestVersion | undefined>(n).fill(undefined),
        parts: new Array<IntegerPercentagePart | undefined>(n).fill(undefined),
        cursor: -1,
      };
      this.#contests.set(contest.ordinal, memo);
    }
    return memo;
  }

  /**
   * Brings the parts of the stations under division `at` up to date until `deadline` (a `performance.now()` time):
   * true when all are, false when time ran out first — the next call resumes where this one stopped. A million
   * stations' first computation takes seconds; in slices it never holds the event loop for long.
   */
  warm(contest: ContestIndex, at: number, leaderAt: number, deadline: number): boolean {
    const order = (this.#order ??= stationOrder(this.#state.index));
    const memo = this.#memo(contest, leaderAt);
    const from = order.from[at] ?? 0;
    const to = order.to[at] ?? 0;
    // Resume inside this division's range, or start it; a pass that began elsewhere wraps round to its start.
    const start = memo.cursor >= from && memo.cursor < to ? memo.cursor : from;
    const row = new Float64Array(contest.layout.width);
    let computed = 0;
    for (let step = 0; step < to - from; step++) {
      const k = from + ((start - from + step) % (to - from));
      const station = order.stations[k] ?? 0;
      if (!contest.votesHere[station]) continue;
      const latest = this.#state.latestAt(contest, station);
      if (!inPreliminary(latest) || memo.source[station] === latest) continue;
      refresh(memo, contest, station, latest, row);
      // The clock is read after the first station (so that a slice whose time is already up still moves on by
      // one) and then every CLOCK_EVERY stations.
      computed++;
      if ((computed === 1 || computed % CLOCK_EVERY === 0) && performance.now() >= deadline) {
        memo.cursor = k + 1;
        return false;
      }
    }
    memo.cursor = -1;
    return true;
  }

  /** The test over the counted protocols of the stations under division `at`, the leader being option `leaderAt`. */
  test(contest: ContestIndex, at: number, leaderAt: number): IntegerPercentageTest {
    const order = (this.#order ??= stationOrder(this.#state.index));
    const memo = this.#memo(contest, leaderAt);
    const sum = new IntegerPercentageSum();
    const row = new Float64Array(contest.layout.width);
    for (let k = order.from[at] ?? 0; k < (order.to[at] ?? 0); k++) {
      const station = order.stations[k] ?? 0;
      if (!contest.votesHere[station]) continue;
      const latest = this.#state.latestAt(contest, station);
      if (!inPreliminary(latest)) continue;
      if (memo.source[station] !== latest) refresh(memo, contest, station, latest, row);
      sum.add(memo.parts[station]);
    }
    return sum.result();
  }
}

/** Computes station `station`'s part from its counted protocol `latest` and remembers which version it came from. */
function refresh(memo: ContestMemo, contest: ContestIndex, station: number, latest: LatestVersion, row: Float64Array): void {
  memo.parts[station] = integerPercentagePart(forensicStation(contest, readRow(contest, latest.protocol, row), memo.leaderAt));
  memo.source[station] = latest;
}
