import { gzipSync } from 'node:zlib';
import { ancestry, childrenOf, err, ok, percent, type DivisionId, type DivisionResults, type Localized, type Result } from '@canvass/core';
import { ForensicsMemo } from '../tally/forensics-memo.js';
import { forensicsReport } from '../tally/forensics-report.js';
import type { DomainError } from '../domain/decide.js';
import { copyDifferences, exitPollDeviation, inSubtree } from '../domain/decide.js';
import { inPreliminary, keyedBy, type ElectionState, type EntryInfo, type ReviewInfo, type Stage } from '../domain/election-state.js';
import type { Projection } from '../domain/projection.js';
import type { ExitPoll, UserRecord } from '../ledger/events.js';

/**
 * One cached answer: its JSON text and byte size (measured once, not per request) and, made on first demand, the
 * same bytes gzipped. The ETag names the version; a gzipped answer is another representation, so it gets its own tag.
 */
export class CachedBody {
  readonly json: string;
  readonly size: number;
  readonly etag: string;
  readonly version: number;
  #gzip: { readonly bytes: Buffer; readonly etag: string } | undefined;

  constructor(json: string, etag: string, version: number) {
    this.json = json;
    this.size = Buffer.byteLength(json);
    this.etag = etag;
    this.version = version;
  }

  get gzip(): { readonly bytes: Buffer; readonly etag: string } {
    this.#gzip ??= { bytes: gzipSync(this.json), etag: `${this.etag.slice(0, -1)}.gz"` };
    return this.#gzip;
  }
}

/** What a throttled build answers when it ran out of its slice of the event loop (`#throttled`). */
const INCOMPLETE = Symbol('incomplete');

const notFound = (field: string, rule: string, message: string): { ok: false; error: DomainError } =>
  err({ kind: 'not-found', field, rule, message });

/** Who is reading: the public sees roles, signed-in accounts also see who did what. */
export interface Viewer {
  readonly user?: UserRecord | undefined;
}

/**
 * Read side. Every public answer is computed from the in-memory projection (never a query per page view) and
 * cached as serialized JSON per results version, so a reload costs a map lookup; the ETag is the version.
 */
export class ResultsService {
  readonly #projection: Projection;
  readonly #cache = new Map<string, CachedBody>();
  static readonly CACHE_LIMIT = 50_000;
  /** When each throttled answer was built (`#throttled`). */
  readonly #builtAt = new Map<string, number>();
  /** The least time between two builds of a throttled answer (tests that follow every change set it to 0). */
  throttleMs = 5000;
  /** How long a throttled answer's build may hold the event loop at once (`#throttled`; tests make it short). */
  sliceMs = 20;
  /** Throttled answers being finished in slices. */
  readonly #finishing = new Set<string>();
  readonly #memos = new WeakMap<ElectionState, ForensicsMemo>();

  constructor(projection: Projection) {
    this.#projection = projection;
  }

  election(id: string): Result<ElectionState, DomainError> {
    const state = this.#projection.elections.get(id);
    return state ? ok(state) : notFound('election', 'election-exists', `election "${id}" is not defined on this server`);
  }

  /** An election and one of its divisions (by index), or the problem naming which is unknown. */
  #division(election: string, division: string): Result<{ state: ElectionState; at: number }, DomainError> {
    const found = this.election(election);
    if (!found.ok) return found;
    const at = found.value.index.divisionIndex(division);
    if (at === undefined) return notFound('division', 'division-exists', `division "${division}" is not part of election "${election}"`);
    return ok({ state: found.value, at });
  }

  #cached(key: string, version: number, build: () => unknown): CachedBody {
    const hit = this.#cache.get(key);
    if (hit?.version === version) return hit;
    return this.#store(key, version, build());
  }

  #store(key: string, version: number, body: unknown): CachedBody {
    if (this.#cache.size >= ResultsService.CACHE_LIMIT) this.#cache.clear();
    const entry = new CachedBody(JSON.stringify(body), `"${key.replace(/[^A-Za-z0-9._-]/g, '.')}.v${version}"`, version);
    this.#cache.set(key, entry);
    return entry;
  }

  /**
   * As `#cached`, for answers that cost a pass over a division's stations or the election's copies: rebuilt for a new
   * version at most once every `throttleMs`, the answer of the version it was built at (its ETag says which) served
   * meanwhile — so that readers following a live count cannot keep the event loop busy recomputing it.
   *
   * A build gets `sliceMs` of the event loop at once (`deadline`); one that needs longer (the forensics of a million
   * stations after a start: seconds) answers `INCOMPLETE` and is finished in further slices, with requests served in
   * between. Meanwhile the previous answer is served, or, when there is none yet, undefined.
   */
  #throttled(key: string, version: () => number, build: (deadline: number) => unknown): CachedBody | undefined {
    const hit = this.#cache.get(key);
    const builtAt = this.#builtAt.get(key) ?? 0;
    if (hit && (hit.version === version() || performance.now() - builtAt < this.throttleMs)) return hit;
    if (this.#finishing.has(key)) return hit;
    const body = build(performance.now() + this.sliceMs);
    if (body !== INCOMPLETE) {
      this.#builtAt.set(key, performance.now());
      return this.#store(key, version(), body);
    }
    this.#finishing.add(key);
    const step = () => {
      let next: unknown;
      try {
        next = build(performance.now() + this.sliceMs);
      } catch {
        // Asked again, it is rebuilt (and fails) in the request that asks.
        this.#finishing.delete(key);
        return;
      }
      if (next === INCOMPLETE) {
        setImmediate(step);
        return;
      }
      this.#finishing.delete(key);
      this.#builtAt.set(key, performance.now());
      this.#store(key, version(), next);
    };
    setImmediate(step);
    return hit;
  }

  #memo(state: ElectionState): ForensicsMemo {
    let memo = this.#memos.get(state);
    if (!memo) {
      memo = new ForensicsMemo(state);
      this.#memos.set(state, memo);
    }
    return memo;
  }

  /** The tally JSON (same shape as `canvass tally --format json`) for one division. */
  results(election: string, division: string, stage: Stage): Result<CachedBody, DomainError> {
    const found = this.#division(election, division);
    if (!found.ok) return found;
    const { state } = found.value;
    return ok(
      this.#cached(`results/${election}/${stage}/${division}`, state.resultsVersion, () =>
        this.resultsObject(state, division as DivisionId, stage),
      ),
    );
  }

  resultsObject(state: ElectionState, division: DivisionId, stage: Stage): DivisionResults | undefined {
    return state.tally(stage).results(division, {
      status: (contest) => state.status(contest),
      stationProtocol: (station, contest) => state.countedProtocol(stage, station, contest),
    });
  }

  /** A division and its children with names, each child's results: what the map and the drill-down need. */
  division(election: string, division: string, stage: Stage): Result<CachedBody, DomainError> {
    const found = this.#division(election, division);
    if (!found.ok) return found;
    const { state, at } = found.value;
    return ok(
      this.#cached(`division/${election}/${stage}/${division}`, state.resultsVersion, () => {
        const divisions = state.index.election.divisions;
        const describe = (i: number) => {
          const d = divisions[i];
          return d
            ? {
                id: d.id,
                kind: d.kind,
                names: d.names,
                ...(d.externalIds ? { externalIds: d.externalIds } : {}),
                ...(d.registered !== undefined ? { registered: d.registered } : {}),
              }
            : undefined;
        };
        return {
          election,
          division: describe(at),
          path: ancestry(state.index, at).map((id) => {
            const i = state.index.divisionIndex(id) ?? 0;
            return { id, kind: divisions[i]?.kind, names: divisions[i]?.names };
          }),
          results: this.resultsObject(state, division as DivisionId, stage),
          children: childrenOf(state.index, at).map((child) => ({
            ...describe(child),
            results: this.resultsObject(state, (divisions[child]?.id ?? '') as DivisionId, stage),
          })),
        };
      }),
    );
  }

  /** Public facts of the election: names, contests and options, the schedule, the top divisions. */
  summary(election: string): Result<CachedBody, DomainError> {
    const found = this.election(election);
    if (!found.ok) return found;
    const state = found.value;
    return ok(
      this.#cached(`summary/${election}`, state.resultsVersion, () => {
        const e = state.index.election;
        const root = e.divisions.findIndex((d) => d.parent === undefined);
        return {
          id: e.id,
          names: e.names,
          date: e.date,
          timeZone: e.timeZone,
          synthetic: e.synthetic ?? null,
          doubleEntry: e.doubleEntry,
          turnoutSchedule: e.turnoutSchedule,
          protocol: e.protocol,
          root: e.divisions[root]?.id,
          stations: state.index.isStation.reduce((n, s) => n + s, 0),
          contests: e.contests.map((c) => ({ ...c, status: state.status(c.id) })),
          resultsVersion: state.resultsVersion,
          ledger: { seq: this.#projection.head.seq, hash: this.#projection.head.hash },
        };
      }),
    );
  }

  turnout(election: string, division: string): Result<CachedBody, DomainError> {
    const found = this.#division(election, division);
    if (!found.ok) return found;
    const { state, at } = found.value;
    return ok(
      this.#cached(`turnout/${election}/${division}`, state.turnoutVersion, () => ({
        election,
        division,
        timeZone: state.index.election.timeZone,
        points: state.turnoutOf(at, percent),
        children: childrenOf(state.index, at).map((child) => ({
          division: state.index.election.divisions[child]?.id,
          points: state.turnoutOf(child, percent),
        })),
      })),
    );
  }

  exitPolls(election: string): Result<CachedBody, DomainError> {
    const found = this.election(election);
    if (!found.ok) return found;
    const state = found.value;
    return ok(
      this.#cached(`exit-polls/${election}`, state.resultsVersion, () => ({
        election,
        polls: state.exitPolls.map((poll) => this.#withDeviation(state, poll)),
      })),
    );
  }

  #withDeviation(state: ElectionState, poll: ExitPoll) {
    const contest = state.index.contest(poll.contest);
    const root = contest ? state.index.election.divisions[contest.root]?.id : undefined;
    const result = root ? this.resultsObject(state, root, 'preliminary')?.contests.find((c) => c.contest === poll.contest) : undefined;
    return {
      ...poll,
      count: { status: result?.status ?? null, stations: result?.stations ?? null },
      estimates: Object.entries(poll.estimates).map(([option, estimate]) => {
        const votes = result?.options.find((o) => o.option === option)?.votes ?? 0;
        const { count, deviation } = exitPollDeviation(estimate, votes, result?.percentBase ?? 0);
        return { option, estimate, count, deviation };
      }),
    };
  }

  /** Every protocol version of a station with its findings, reviews and turnout. */
  station(election: string, station: string, viewer: Viewer): Result<unknown, DomainError> {
    const found = this.election(election);
    if (!found.ok) return found;
    const state = found.value;
    const at = state.index.divisionIndex(station);
    if (at === undefined || !state.index.isStation[at])
      return notFound('station', 'station-exists', `"${station}" is not a polling station of election "${election}"`);
    const division = state.index.election.divisions[at];
    const actor = (id: string) => this.#actor(id, viewer);
    const entry = ({ protocol, ...e }: EntryInfo) => ({ ...e, lines: protocol.lines, votes: protocol.votes, actor: actor(e.actor) });
    const review = (r: ReviewInfo) => ({ ...r, actor: actor(r.actor) });
    const signedIn = viewer.user !== undefined;
    return ok({
      election,
      station: {
        id: division?.id,
        names: division?.names,
        registered: division?.registered,
        timeZone: division?.timeZone,
        closes: division?.closes,
      },
      path: ancestry(state.index, at).map((id) => ({
        id,
        names: state.index.election.divisions[state.index.divisionIndex(id) ?? 0]?.names as Localized,
      })),
      contests: state.index.contests
        .filter((c) => c.votesHere[at])
        .map((c) => {
          const record = state.records.get(`${c.contest.id}/${station}`);
          const latest = record?.latest;
          return {
            contest: c.contest.id,
            status: state.status(c.contest.id),
            latest: latest
              ? {
                  version: latest.version,
                  status: latest.status,
                  accepted: latest.accepted,
                  rejectedReason: latest.rejectedReason ?? null,
                  hash: latest.hash,
                  lines: latest.protocol.lines,
                  votes: latest.protocol.votes,
                  counted: state.countedProtocol('preliminary', station, c.contest.id) !== undefined,
                }
              : null,
            // Unconfirmed double entries are for the commissions, not the public.
            entries: (record?.entries ?? [])
              .filter((e) => signedIn || e.status === 'counted' || e.status === 'rejected-by-rules')
              .map(entry),
            reviews: (record?.reviews ?? []).map(review),
            // Observers' copies, each against the protocol that counts now, if one does (and, as recorded, the one
            // that counted when it arrived).
            copies: (state.copies.get(`${c.contest.id}/${station}`) ?? []).map((copy) => ({
              seq: copy.seq,
              time: copy.time,
              actor: actor(copy.actor),
              hash: copy.hash,
              lines: copy.copy.lines,
              votes: copy.copy.votes,
              findings: copy.findings,
              comparedOnArrival: copy.compared,
              now: inPreliminary(latest)
                ? { version: latest.version, hash: latest.hash, differences: copyDifferences(copy.copy, latest.protocol) }
                : null,
            })),
          };
        }),
      turnout: state.index.election.turnoutSchedule.map((time, slot) => {
        const report = state.stationTurnout(station)[slot];
        return {
          at: time,
          participated: report?.participated ?? null,
          registered: report ? (report.registered ?? division?.registered ?? null) : null,
        };
      }),
    });
  }

  /**
   * How far the count has come under a division, per contest and per child division: stations counted, missing,
   * stopped by the rules, waiting for a second entry or for the higher commission.
   */
  progress(election: string, division: string): Result<CachedBody, DomainError> {
    const found = this.#division(election, division);
    if (!found.ok) return found;
    const { state, at } = found.value;
    return ok(
      this.#cached(`progress/${election}/${division}`, state.resultsVersion, () => {
        const index = state.index;
        const children = childrenOf(index, at);
        const childOf = (station: number): number => {
          let d = station;
          while (d >= 0 && index.parent[d] !== at) d = index.parent[d] ?? -1;
          return d;
        };
        return {
          election,
          division,
          contests: index.contests.map((contest) => {
            const empty = () => ({
              stations: 0,
              counted: 0,
              missing: 0,
              rejectedByRules: 0,
              awaitingSecondEntry: 0,
              entryMismatch: 0,
              awaitingAcceptance: 0,
              accepted: 0,
              rejectedByCommission: 0,
            });
            const total = empty();
            const perChild = new Map<number, ReturnType<typeof empty>>(children.map((c) => [c, empty()]));
            for (let s = 0; s < index.divisionCount; s++) {
              if (!contest.votesHere[s]) continue;
              const inside = s === at ? s : childOf(s);
              if (inside < 0) continue;
              const row = perChild.get(inside);
              const record = state.records.get(`${contest.contest.id}/${index.election.divisions[s]?.id ?? ''}`);
              for (const counts of row ? [total, row] : [total]) {
                counts.stations++;
                const latest = record?.latest;
                const pending = record?.pending ?? [];
                if (pending.length > 1) counts.entryMismatch++;
                else if (pending.length === 1) counts.awaitingSecondEntry++;
                if (!latest) {
                  counts.missing++;
                  continue;
                }
                if (latest.status === 'rejected-by-rules') counts.rejectedByRules++;
                else if (latest.rejectedReason !== undefined) counts.rejectedByCommission++;
                else {
                  counts.counted++;
                  if (latest.accepted) counts.accepted++;
                  else counts.awaitingAcceptance++;
                }
              }
            }
            return {
              contest: contest.contest.id,
              status: state.status(contest.contest.id),
              totals: total,
              children: children.map((c) => ({
                division: index.election.divisions[c]?.id,
                names: index.election.divisions[c]?.names,
                ...perChild.get(c),
              })),
            };
          }),
        };
      }),
    );
  }

  /** Protocols that need attention under a division: broken control relations, warnings, mismatched entries, rejections. */
  flags(election: string, division: string): Result<CachedBody, DomainError> {
    const found = this.#division(election, division);
    if (!found.ok) return found;
    const { state } = found.value;
    return ok(
      this.#cached(`flags/${election}/${division}`, state.resultsVersion, () => {
        const flagged = [];
        for (const record of state.records.values()) {
          if (!inSubtree(state.index, division, record.station)) continue;
          const last = record.entries[record.entries.length - 1];
          const latest = record.latest;
          const reasons: string[] = [];
          if (record.pending.length > 1) reasons.push('entry-mismatch');
          if (latest?.status === 'rejected-by-rules') reasons.push('rejected-by-rules');
          if (latest?.rejectedReason !== undefined) reasons.push('rejected-by-commission');
          if (last && last.findings.some((f) => f.severity === 'warning')) reasons.push('warnings');
          if (reasons.length === 0) continue;
          flagged.push({
            station: record.station,
            contest: record.contest,
            version: latest?.version ?? null,
            reasons,
            findings: (last?.findings ?? []).map((f) => ({ code: f.code, severity: f.severity, message: f.message })),
            rejectedReason: latest?.rejectedReason ?? null,
            seq: last?.seq ?? null,
            time: last?.time ?? null,
          });
        }
        flagged.sort((a, b) => (b.seq ?? 0) - (a.seq ?? 0));
        return { election, division, count: flagged.length, flagged: flagged.slice(0, 500) };
      }),
    );
  }

  /**
   * Statistical indicators over the counted protocols under a division, per contest: the integer-percentage test of
   * Kobak, Shpilkin & Pshenichnikov (core `integerPercentageTest`), the leader being the contest's. Indicators to
   * look at, not proof. Each station's part is kept until its protocol changes (`ForensicsMemo`), and a division's
   * answer is rebuilt at most every `throttleMs`.
   */
  forensics(election: string, division: string): Result<CachedBody, DomainError> {
    const found = this.#division(election, division);
    if (!found.ok) return found;
    const { state, at } = found.value;
    const memo = this.#memo(state);
    const answer = this.#throttled(
      `forensics/${election}/${division}`,
      () => state.resultsVersion,
      (deadline) => {
        const progress = { complete: true };
        const report = forensicsReport(state.index, division, state.preliminary, (contest, leaderAt) => {
          if (memo.warm(contest, at, leaderAt, deadline)) return memo.test(contest, at, leaderAt);
          progress.complete = false;
          return undefined;
        });
        return progress.complete ? { ...report, resultsVersion: state.resultsVersion } : INCOMPLETE;
      },
    );
    if (answer) return ok(answer);
    const stations = state.index.isStation[at] ? 1 : memo.stationCount(at);
    return err({
      kind: 'unavailable',
      rule: 'forensics-computing',
      message: `the indicators of the ${stations.toLocaleString('en-US')} stations under "${division}" are being computed (the first time since the server started, or the leader changed); retry in a second`,
      retryAfterSeconds: 1,
    });
  }

  /**
   * The discrepancy register of a division: every observer's copy filed for a station under it, compared with the
   * protocol that counts there now — how many match, differ, or have nothing counted to compare with — and the
   * differing ones listed (at most 500), the largest difference first. Public, like the station pages it links to
   * (observers by role only); it follows both the count and the copies.
   */
  discrepancies(election: string, division: string): Result<CachedBody, DomainError> {
    const found = this.#division(election, division);
    if (!found.ok) return found;
    const { state, at } = found.value;
    const memo = this.#memo(state);
    // Both versions only grow, so their sum changes whenever either does. Built in one go: a pass over the copies.
    const answer = this.#throttled(
      `discrepancies/${election}/${division}`,
      () => state.resultsVersion + state.copiesVersion,
      () => {
        let copies = 0;
        let matching = 0;
        let uncompared = 0;
        const stations = new Set<string>();
        const differing = [];
        for (const [key, list] of state.copies) {
          const first = list[0];
          if (!first) continue;
          const station = state.index.divisionIndex(first.copy.station);
          if (station === undefined || !memo.containsStation(at, station)) continue;
          stations.add(first.copy.station);
          const latest = state.records.get(key)?.latest;
          const counted = inPreliminary(latest) ? latest : undefined;
          for (const copy of list) {
            copies++;
            if (!counted) {
              uncompared++;
              continue;
            }
            const differences = copyDifferences(copy.copy, counted.protocol);
            if (differences.length === 0) {
              matching++;
              continue;
            }
            differing.push({
              station: copy.copy.station,
              contest: copy.copy.contest,
              seq: copy.seq,
              time: copy.time,
              hash: copy.hash,
              counted: { version: counted.version, hash: counted.hash },
              largest: Math.max(...differences.map((d) => Math.abs((d.copy ?? 0) - (d.counted ?? 0)))),
              differences,
            });
          }
        }
        differing.sort((a, b) => b.largest - a.largest || a.seq - b.seq);
        return {
          election,
          division,
          copies,
          stations: stations.size,
          matching,
          differing: differing.length,
          uncompared,
          discrepancies: differing.slice(0, 500),
        };
      },
    );
    // Built in one go, it is always there.
    if (!answer) throw new Error('the discrepancy register was not built (bug)');
    return ok(answer);
  }

  /**
   * Counted protocols waiting for acceptance by this account (the CEC: all; a commission: stations below it), with
   * each station's names; not the versions this account keyed itself, which another account must review (four eyes).
   */
  reviewQueue(election: string, user: UserRecord): Result<unknown, DomainError> {
    const found = this.election(election);
    if (!found.ok) return found;
    const state = found.value;
    const scope = user.role === 'cec' ? (state.index.election.divisions.find((d) => d.parent === undefined)?.id ?? '') : user.division;
    if (user.election !== election || scope === null || (user.role !== 'cec' && user.role !== 'commission')) {
      return err({ kind: 'forbidden', rule: 'review-scope', message: 'only the CEC or a commission of this election has a review queue' });
    }
    const queue = [];
    for (const record of state.records.values()) {
      const latest = record.latest;
      if (!latest || latest.status !== 'counted' || latest.accepted || latest.rejectedReason !== undefined) continue;
      if (!inSubtree(state.index, scope, record.station, user.role !== 'cec')) continue;
      if (keyedBy(record, latest.version, user.id)) continue;
      const at = state.index.divisionIndex(record.station);
      queue.push({
        station: record.station,
        names: at === undefined ? undefined : state.index.election.divisions[at]?.names,
        contest: record.contest,
        version: latest.version,
        hash: latest.hash,
        seq: latest.seq,
        lines: latest.protocol.lines,
        votes: latest.protocol.votes,
        findings: record.entries[record.entries.length - 1]?.findings ?? [],
      });
    }
    queue.sort((a, b) => a.seq - b.seq);
    return ok({ election, division: scope, count: queue.length, queue: queue.slice(0, 500) });
  }

  #actor(id: string, viewer: Viewer): { readonly role: string; readonly name?: string | undefined } {
    const user = this.#projection.users.get(id);
    if (!user) return { role: id === 'system' ? 'system' : 'unknown' };
    return viewer.user ? { role: user.role, name: user.name } : { role: user.role };
  }
}
