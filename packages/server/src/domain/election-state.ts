import {
  Tally,
  type ContestId,
  type ContestIndex,
  type DivisionId,
  type ElectionIndex,
  type Finding,
  type Protocol,
  type ResultsStatus,
  type TurnoutReport,
} from '@canvass/core';
import type { ExitPoll, AppliedEvent, CopyComparison, LineDifference, ProtocolStatus } from '../ledger/events.js';

/** One entry (a keyed protocol) as the history shows it, as recorded in the ledger at `seq`. */
export interface EntryInfo {
  readonly seq: number;
  readonly protocol: Protocol;
  readonly time: string;
  readonly actor: string;
  readonly version: number;
  readonly status: ProtocolStatus;
  readonly hash: string;
  readonly findings: readonly Finding[];
  readonly reason?: string | undefined;
  readonly differences?: readonly LineDifference[] | undefined;
}

export interface ReviewInfo {
  readonly seq: number;
  readonly time: string;
  readonly actor: string;
  readonly version: number;
  readonly decision: 'accepted' | 'rejected';
  readonly reason?: string | undefined;
}

/** An observer's copy of a station's protocol, as recorded at `seq`. */
export interface CopyInfo {
  readonly seq: number;
  readonly time: string;
  readonly actor: string;
  readonly copy: Protocol;
  readonly hash: string;
  readonly findings: readonly Finding[];
  /** How it compared with the protocol that counted when it arrived. */
  readonly compared: CopyComparison | null;
}

/** The latest confirmed version of a station's protocol for one contest. */
export interface LatestVersion {
  readonly version: number;
  readonly status: 'counted' | 'rejected-by-rules';
  readonly protocol: Protocol;
  readonly hash: string;
  readonly seq: number;
  readonly accepted: boolean;
  readonly rejectedReason?: string | undefined;
}

export interface PendingEntry {
  readonly actor: string;
  readonly protocol: Protocol;
  readonly seq: number;
}

/** Everything known about one station's protocol for one contest. Immutable: every change makes a new record. */
export interface StationRecord {
  readonly station: DivisionId;
  readonly contest: ContestId;
  readonly entries: readonly EntryInfo[];
  readonly reviews: readonly ReviewInfo[];
  readonly latest?: LatestVersion | undefined;
  /** Double entry: entries for the next version that are not yet confirmed. */
  readonly pending: readonly PendingEntry[];
}

/** Counts toward the preliminary results: the latest version is valid and not rejected by the higher commission. */
export const inPreliminary = (latest: LatestVersion | undefined): latest is LatestVersion =>
  latest?.status === 'counted' && latest.rejectedReason === undefined;
/** Counts toward the final results: additionally accepted by the higher commission. */
export const inFinal = (latest: LatestVersion | undefined): latest is LatestVersion => inPreliminary(latest) && latest.accepted;

export const recordKey = (contest: string, station: string) => `${contest}/${station}`;

export const nextVersion = (record: StationRecord | undefined) => (record?.latest?.version ?? 0) + 1;

/** Whether `actor` keyed version `version` of this record (either keyer under double entry): it may not review it. */
export const keyedBy = (record: StationRecord | undefined, version: number, actor: string): boolean =>
  record?.entries.some((entry) => entry.version === version && entry.actor === actor) ?? false;

export type Stage = 'preliminary' | 'final';

/**
 * Reduces a protocol event on one station record. Pure, so the same code serves the committed projection and the
 * staged view a batch of commands is decided against.
 */
export function reduceStation(record: StationRecord | undefined, event: AppliedEvent): StationRecord | undefined {
  switch (event.kind) {
    case 'protocol-entered': {
      const p = (event as AppliedEvent<'protocol-entered'>).payload;
      const entry: EntryInfo = {
        seq: event.seq,
        protocol: p.protocol,
        time: event.time,
        actor: event.actor,
        version: p.version,
        status: p.status,
        hash: p.hash,
        findings: p.findings.length === 0 ? NONE : p.findings,
        reason: p.protocol.reason,
        differences: p.differences,
      };
      const station = record?.station ?? p.protocol.station;
      const contest = record?.contest ?? p.protocol.contest;
      const entries = record ? [...record.entries, entry] : [entry];
      const reviews = record?.reviews ?? NONE;
      if (p.status === 'awaiting-second-entry' || p.status === 'entry-mismatch') {
        const pending = [
          ...(record?.pending ?? NONE).filter((e) => e.actor !== event.actor),
          { actor: event.actor, protocol: p.protocol, seq: event.seq },
        ];
        return stationRecord(station, contest, entries, reviews, pending, record?.latest);
      }
      const latest = latestVersion(p.version, p.status, p.protocol, p.hash, event.seq, false, undefined);
      return stationRecord(station, contest, entries, reviews, NONE, latest);
    }
    case 'protocol-accepted':
    case 'protocol-rejected': {
      const latest = record?.latest;
      if (!record || !latest) return record;
      const p = (event as AppliedEvent<'protocol-accepted'> | AppliedEvent<'protocol-rejected'>).payload;
      const rejected = event.kind === 'protocol-rejected' ? (event as AppliedEvent<'protocol-rejected'>).payload.reason : undefined;
      const review: ReviewInfo = {
        seq: event.seq,
        time: event.time,
        actor: event.actor,
        version: p.version,
        decision: rejected === undefined ? 'accepted' : 'rejected',
        reason: rejected,
      };
      const reviews = [...record.reviews, review];
      const reviewed =
        p.version === latest.version
          ? latestVersion(latest.version, latest.status, latest.protocol, latest.hash, latest.seq, rejected === undefined, rejected)
          : latest;
      return stationRecord(record.station, record.contest, record.entries, reviews, record.pending, reviewed);
    }
    default:
      return record;
  }
}

/** Shared by every record with nothing in a list: a million stations need not hold a million empty arrays. */
const NONE: readonly never[] = Object.freeze([]);

/*
 * Records and versions are built only here, always with every field in the same order, so that a million of them
 * share one hidden class each. (Built by spreading, `{ ...record, latest }`, every record got a hidden class of its
 * own: a quarter of a kilobyte per station, and most of the start-up replay's garbage-collection time.)
 */
function stationRecord(
  station: DivisionId,
  contest: ContestId,
  entries: readonly EntryInfo[],
  reviews: readonly ReviewInfo[],
  pending: readonly PendingEntry[],
  latest: LatestVersion | undefined,
): StationRecord {
  return { station, contest, entries, reviews, pending, latest };
}

function latestVersion(
  version: number,
  status: LatestVersion['status'],
  protocol: Protocol,
  hash: string,
  seq: number,
  accepted: boolean,
  rejectedReason: string | undefined,
): LatestVersion {
  return { version, status, protocol, hash, seq, accepted, rejectedReason };
}

export interface TurnoutPoint {
  readonly at: string;
  readonly participated: number;
  /** Voters on the lists of the stations that reported at this time. */
  readonly registered: number;
  readonly stationsReported: number;
  readonly percent: string | null;
}

/**
 * The committed state of one election: every station record, the two tallies (preliminary: counted as soon as
 * valid; final: accepted by the higher commission), declared statuses, turnout and exit polls.
 */
export class ElectionState {
  readonly index: ElectionIndex;
  readonly preliminary: Tally;
  readonly final: Tally;
  readonly records = new Map<string, StationRecord>();
  readonly statuses = new Map<string, ResultsStatus>();
  readonly exitPolls: ExitPoll[] = [];
  /** Observers' protocol copies by record key (`contest/station`), in the order they arrived. */
  readonly copies = new Map<string, CopyInfo[]>();
  /** Station index → latest report per scheduled time (by schedule position). */
  readonly #turnout = new Map<number, (TurnoutReport | undefined)[]>();
  readonly #turnoutParticipated: Float64Array[];
  readonly #turnoutRegistered: Float64Array[];
  readonly #turnoutStations: Int32Array[];
  /** Increases whenever anything a reader of results sees changes. */
  resultsVersion = 0;
  turnoutVersion = 0;
  /** Increases with every observer's copy (copies change no result, but the discrepancy register). */
  copiesVersion = 0;
  /** Per contest ordinal, per division index: the station's latest version (for readers that go by index). */
  readonly #latestAt: (LatestVersion | undefined)[][] = [];
  lastSeq = 0;

  constructor(index: ElectionIndex) {
    this.index = index;
    this.preliminary = new Tally(index);
    this.final = new Tally(index);
    for (const contest of index.election.contests) this.statuses.set(contest.id, 'unofficial-partial');
    const n = index.divisionCount;
    const times = index.election.turnoutSchedule.length;
    this.#turnoutParticipated = Array.from({ length: times }, () => new Float64Array(n));
    this.#turnoutRegistered = Array.from({ length: times }, () => new Float64Array(n));
    this.#turnoutStations = Array.from({ length: times }, () => new Int32Array(n));
  }

  /** The latest version of station `at`'s protocol in `contest`, by index: what `records` holds, without a key. */
  latestAt(contest: ContestIndex, at: number): LatestVersion | undefined {
    return this.#latestAt[contest.ordinal]?.[at];
  }

  #setLatest(record: StationRecord): void {
    const contest = this.index.contest(record.contest);
    const at = this.index.divisionIndex(record.station);
    if (!contest || at === undefined) return;
    // Filled to full length at once: writing far past the end of an empty array would make it a dictionary.
    const row = (this.#latestAt[contest.ordinal] ??= new Array<LatestVersion | undefined>(this.index.divisionCount).fill(undefined));
    row[at] = record.latest;
  }

  status(contest: string): ResultsStatus {
    return this.statuses.get(contest) ?? 'unofficial-partial';
  }

  tally(stage: Stage): Tally {
    return stage === 'final' ? this.final : this.preliminary;
  }

  /** The protocol that counts for a station at a stage, for station-level results. */
  countedProtocol(stage: Stage, station: string, contest: string): Protocol | undefined {
    const latest = this.records.get(recordKey(contest, station))?.latest;
    const counts = stage === 'final' ? inFinal(latest) : inPreliminary(latest);
    return counts ? latest?.protocol : undefined;
  }

  /** Applies a committed event of this election. Events arrive in sequence order, exactly once. */
  apply(event: AppliedEvent): void {
    this.lastSeq = event.seq;
    switch (event.kind) {
      case 'protocol-entered':
      case 'protocol-accepted':
      case 'protocol-rejected': {
        const key =
          event.kind === 'protocol-entered'
            ? recordKey(
                (event as AppliedEvent<'protocol-entered'>).payload.protocol.contest,
                (event as AppliedEvent<'protocol-entered'>).payload.protocol.station,
              )
            : recordKey(
                (event as AppliedEvent<'protocol-accepted'>).payload.contest,
                (event as AppliedEvent<'protocol-accepted'>).payload.station,
              );
        const before = this.records.get(key);
        const after = reduceStation(before, event);
        if (!after) return;
        this.records.set(key, after);
        this.#setLatest(after);
        // Both tallies, always (no short-circuit: a rejection changes both).
        const preliminary = this.#retally(this.preliminary, before?.latest, after.latest, inPreliminary);
        const final = this.#retally(this.final, before?.latest, after.latest, inFinal);
        const changed = preliminary || final;
        if (changed || event.kind === 'protocol-entered') this.resultsVersion++;
        return;
      }
      case 'status-changed':
        this.statuses.set((event as AppliedEvent<'status-changed'>).payload.contest, (event as AppliedEvent<'status-changed'>).payload.to);
        this.resultsVersion++;
        return;
      case 'exit-poll-registered':
        this.exitPolls.push((event as AppliedEvent<'exit-poll-registered'>).payload.poll);
        this.resultsVersion++;
        return;
      case 'turnout-reported':
        this.#applyTurnout((event as AppliedEvent<'turnout-reported'>).payload.report);
        return;
      case 'protocol-copy-submitted': {
        // Evidence beside the count: the results do not change.
        const p = (event as AppliedEvent<'protocol-copy-submitted'>).payload;
        const key = recordKey(p.copy.contest, p.copy.station);
        const copy: CopyInfo = {
          seq: event.seq,
          time: event.time,
          actor: event.actor,
          copy: p.copy,
          hash: p.hash,
          findings: p.findings,
          compared: p.compared,
        };
        const list = this.copies.get(key);
        if (list) list.push(copy);
        else this.copies.set(key, [copy]);
        this.copiesVersion++;
        return;
      }
      default:
        return;
    }
  }

  #retally(
    tally: Tally,
    before: LatestVersion | undefined,
    after: LatestVersion | undefined,
    counts: (l: LatestVersion | undefined) => l is LatestVersion,
  ): boolean {
    const was = counts(before);
    const is = counts(after);
    if (was && is && before.seq === after.seq) return false;
    if (was) unwrap(tally.remove(before.protocol));
    if (is) unwrap(tally.add(after.protocol));
    return was || is;
  }

  #applyTurnout(report: TurnoutReport): void {
    const at = this.index.divisionIndex(report.station);
    const slot = this.index.election.turnoutSchedule.indexOf(report.at);
    if (at === undefined || slot < 0) return;
    const reports = this.#turnout.get(at) ?? [];
    const previous = reports[slot];
    reports[slot] = report;
    this.#turnout.set(at, reports);
    const registered = (r: TurnoutReport) => r.registered ?? this.index.election.divisions[at]?.registered ?? 0;
    const participated = this.#turnoutParticipated[slot];
    const registeredSums = this.#turnoutRegistered[slot];
    const stations = this.#turnoutStations[slot];
    if (!participated || !registeredSums || !stations) return;
    for (let d = at; d >= 0; d = this.index.parent[d] ?? -1) {
      participated[d] = (participated[d] ?? 0) + report.participated - (previous?.participated ?? 0);
      registeredSums[d] = (registeredSums[d] ?? 0) + registered(report) - (previous ? registered(previous) : 0);
      if (!previous) stations[d] = (stations[d] ?? 0) + 1;
    }
    this.turnoutVersion++;
  }

  /** Latest turnout reports of one station, by schedule position. */
  stationTurnout(station: string): readonly (TurnoutReport | undefined)[] {
    const at = this.index.divisionIndex(station);
    return at === undefined ? [] : (this.#turnout.get(at) ?? []);
  }

  /** Every latest turnout report, for publication. */
  *turnoutReports(): Generator<TurnoutReport> {
    for (const reports of this.#turnout.values()) for (const r of reports) if (r) yield r;
  }

  /** Cumulative turnout of a division at each scheduled time. */
  turnoutOf(division: number, percent: (part: number, whole: number) => string | null): TurnoutPoint[] {
    return this.index.election.turnoutSchedule.map((at, slot) => {
      const participated = this.#turnoutParticipated[slot]?.[division] ?? 0;
      const registered = this.#turnoutRegistered[slot]?.[division] ?? 0;
      return {
        at,
        participated,
        registered,
        stationsReported: this.#turnoutStations[slot]?.[division] ?? 0,
        percent: percent(participated, registered),
      };
    });
  }
}

function unwrap(result: { ok: boolean }): void {
  // The projection only adds protocols that were validated against this election when they were entered.
  if (!result.ok) throw new Error(`ledger event does not fit the tally: ${JSON.stringify(result)}`);
}
