import { indexElection, type ResultsStatus, type TurnoutReport } from '@canvass/core';
import type { AppliedEvent, LedgerEvent, UserRecord } from '../ledger/events.js';
import { GENESIS_HASH, type ChainHead } from '../ledger/chain.js';
import { ElectionState, recordKey, reduceStation, type StationRecord } from './election-state.js';
import { responseOf } from './responses.js';

/** What a retried request with the same Idempotency-Key gets back: the event its first attempt committed. */
export interface IdempotentEntry {
  readonly seq: number;
  readonly kind: string;
  /** SHA-256 of the first request's canonical body: a different body under the same key is refused. */
  readonly request: string;
  /** The response the first attempt got. */
  readonly response: unknown;
}

/**
 * The current state as a projection of the ledger: rebuilt by replaying every event at start-up and updated as
 * events commit (here or, with PostgreSQL, in another instance). Nothing here is written except by `apply`.
 */
export class Projection {
  readonly elections = new Map<string, ElectionState>();
  readonly users = new Map<string, UserRecord>();
  readonly usersByName = new Map<string, UserRecord>();
  /** API tokens by id: whose, and whether revoked (the secrets' hashes live in the tokens table only). */
  readonly tokens = new Map<string, { readonly user: string; revoked: boolean }>();
  /** Accounts disabled (ids): they can no longer sign in or act. */
  readonly disabledUsers = new Set<string>();
  /**
   * When each account was last disabled (ms since the epoch, the event's time): a browser session created up to then
   * stays refused after the account is enabled again.
   */
  readonly lastDisabled = new Map<string, number>();
  readonly idempotency = new Map<string, IdempotentEntry>();
  head: ChainHead = { seq: 0, hash: GENESIS_HASH };
  /** Increases with every applied event; listeners (SSE, snapshots) compare it. */
  listeners = new Set<(events: readonly LedgerEvent[]) => void>();

  apply(event: AppliedEvent): void {
    if (event.seq !== this.head.seq + 1) throw new Error(`projection expected event ${this.head.seq + 1}, got ${event.seq}`);
    this.head = { seq: event.seq, hash: event.hash };
    if (event.idem !== null) {
      const request = (event.payload as { request?: unknown }).request;
      this.idempotency.set(idemKey(event.actor, event.idem), {
        seq: event.seq,
        kind: event.kind,
        request: typeof request === 'string' ? request : '',
        response: responseOf(event),
      });
    }
    switch (event.kind) {
      case 'election-defined': {
        const { election } = (event as AppliedEvent<'election-defined'>).payload;
        const index = indexElection(election);
        if (!index.ok) throw new Error(`ledger holds an invalid election definition at seq ${event.seq}`);
        this.elections.set(election.id, new ElectionState(index.value));
        return;
      }
      case 'user-added': {
        const { user } = (event as AppliedEvent<'user-added'>).payload;
        this.users.set(user.id, user);
        this.usersByName.set(user.name, user);
        return;
      }
      case 'token-issued': {
        const { user, token } = (event as AppliedEvent<'token-issued'>).payload;
        this.tokens.set(token, { user, revoked: false });
        return;
      }
      case 'user-disabled': {
        const { user } = (event as AppliedEvent<'user-disabled'>).payload;
        this.disabledUsers.add(user);
        this.lastDisabled.set(user, Date.parse(event.time));
        // Every token issued so far is revoked with the account: enabling it again does not bring them back.
        for (const token of this.tokens.values()) if (token.user === user) token.revoked = true;
        return;
      }
      case 'user-enabled': {
        this.disabledUsers.delete((event as AppliedEvent<'user-enabled'>).payload.user);
        return;
      }
      case 'token-revoked': {
        const { user, token } = (event as AppliedEvent<'token-revoked'>).payload;
        const known = this.tokens.get(token);
        if (known) known.revoked = true;
        else this.tokens.set(token, { user, revoked: true });
        return;
      }
      default: {
        const state = event.election === null ? undefined : this.elections.get(event.election);
        state?.apply(event);
      }
    }
  }

  applyAll(events: readonly LedgerEvent[]): void {
    for (const event of events) this.apply(event);
    if (events.length > 0) for (const listener of this.listeners) listener(events);
  }
}

export const idemKey = (actor: string, idem: string) => `${actor}\u0000${idem}`;

/**
 * The state a batch of commands is decided against: the committed projection plus the events already decided in
 * this batch (copy-on-write overlays), so two commands in one batch see each other without touching the
 * projection before the batch commits.
 */
export class StagedView {
  readonly #projection: Projection;
  /** Station records staged in this batch, by election and then by `recordKey` (no key built per lookup). */
  readonly #records = new Map<string, Map<string, StationRecord | undefined>>();
  readonly #statuses = new Map<string, ResultsStatus>();
  readonly #turnout = new Map<string, (TurnoutReport | undefined)[]>();
  readonly #idempotency = new Map<string, IdempotentEntry>();
  readonly #users = new Map<string, UserRecord>();
  readonly #elections = new Set<string>();
  /** The view of the batch still being written before this one, if any: its effects are not in the projection yet. */
  #parent: StagedView | undefined;

  constructor(projection: Projection, parent?: StagedView) {
    this.#projection = projection;
    this.#parent = parent;
  }

  election(id: string): ElectionState | undefined {
    return this.#projection.elections.get(id);
  }

  /**
   * The batch before this one is now in the projection: stop consulting its view. (Without this, views would chain
   * back through every batch of a busy night and each lookup would walk the chain.)
   */
  parentSettled(parent: StagedView): void {
    if (this.#parent === parent) this.#parent = undefined;
  }

  /** A view on top of this one, for a decision made of several steps that must stand or fall together. */
  child(): StagedView {
    return new StagedView(this.#projection, this);
  }

  electionDefinedInBatch(id: string): boolean {
    return this.#elections.has(id) || (this.#parent?.electionDefinedInBatch(id) ?? false);
  }

  record(election: string, contest: string, station: string): StationRecord | undefined {
    return this.#record(election, recordKey(contest, station));
  }

  #record(election: string, key: string): StationRecord | undefined {
    const staged = this.#records.get(election);
    if (staged?.has(key)) return staged.get(key);
    if (this.#parent) return this.#parent.#record(election, key);
    return this.#projection.elections.get(election)?.records.get(key);
  }

  status(election: string, contest: string): ResultsStatus {
    return (
      this.#statuses.get(`${election}\u0000${contest}`) ??
      (this.#parent
        ? this.#parent.status(election, contest)
        : (this.#projection.elections.get(election)?.status(contest) ?? 'unofficial-partial'))
    );
  }

  stationTurnout(election: string, station: string): readonly (TurnoutReport | undefined)[] {
    return (
      this.#turnout.get(`${election}\u0000${station}`) ??
      (this.#parent
        ? this.#parent.stationTurnout(election, station)
        : (this.#projection.elections.get(election)?.stationTurnout(station) ?? []))
    );
  }

  idempotent(actor: string, idem: string): IdempotentEntry | undefined {
    const key = idemKey(actor, idem);
    return this.#idempotency.get(key) ?? (this.#parent ? this.#parent.idempotent(actor, idem) : this.#projection.idempotency.get(key));
  }

  userByName(name: string): UserRecord | undefined {
    return this.#users.get(name) ?? (this.#parent ? this.#parent.userByName(name) : this.#projection.usersByName.get(name));
  }

  /** Records the effect of an event decided in this batch (numbered provisionally by `seq`). */
  stage(event: AppliedEvent): void {
    if (event.idem !== null) {
      const request = (event.payload as { request?: unknown }).request;
      this.#idempotency.set(idemKey(event.actor, event.idem), {
        seq: event.seq,
        kind: event.kind,
        request: typeof request === 'string' ? request : '',
        response: undefined,
      });
    }
    const election = event.election ?? '';
    switch (event.kind) {
      case 'election-defined':
        this.#elections.add((event as AppliedEvent<'election-defined'>).payload.election.id);
        return;
      case 'user-added': {
        const { user } = (event as AppliedEvent<'user-added'>).payload;
        this.#users.set(user.name, user);
        return;
      }
      case 'protocol-entered':
      case 'protocol-accepted':
      case 'protocol-rejected': {
        const { contest, station } =
          event.kind === 'protocol-entered'
            ? (event as AppliedEvent<'protocol-entered'>).payload.protocol
            : (event as AppliedEvent<'protocol-accepted'>).payload;
        const key = recordKey(contest, station);
        let staged = this.#records.get(election);
        if (!staged) this.#records.set(election, (staged = new Map<string, StationRecord | undefined>()));
        staged.set(key, reduceStation(this.#record(election, key), event));
        return;
      }
      case 'status-changed': {
        const { contest, to } = (event as AppliedEvent<'status-changed'>).payload;
        this.#statuses.set(`${election}\u0000${contest}`, to);
        return;
      }
      case 'turnout-reported': {
        const { report } = (event as AppliedEvent<'turnout-reported'>).payload;
        const slot = this.election(election)?.index.election.turnoutSchedule.indexOf(report.at) ?? -1;
        const reports = [...this.stationTurnout(election, report.station)];
        if (slot >= 0) reports[slot] = report;
        this.#turnout.set(`${election}\u0000${report.station}`, reports);
        return;
      }
      default:
        return;
    }
  }
}
