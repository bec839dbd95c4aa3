import { randomUUID } from 'node:crypto';
import { err, ok, type Election, type Protocol, type Result, type ResultsStatus, type TurnoutReport } from '@canvass/core';
import { AuthService, newToken } from '../auth/auth-service.js';
import { hashPassword } from '../auth/passwords.js';
import {
  decideAddUser,
  decideDefineElection,
  decideExitPoll,
  decideIssueToken,
  decideDisableUser,
  decideEnableUser,
  decideRevokeTokens,
  decideProtocol,
  decideProtocolCopy,
  decideReview,
  decideStatus,
  decideTurnout,
  decideTurnoutBatch,
  idempotent,
  type Actor,
  type DomainError,
  type ExitPollInput,
  type CopyResponse,
  type ProtocolResponse,
  type ReviewCommand,
  type TurnoutResponse,
} from '../domain/decide.js';
import { Projection } from '../domain/projection.js';
import { canonicalJson, sha256Hex } from '../ledger/canonical.js';
import type { Role, UserRecord } from '../ledger/events.js';
import { loadOrCreateServerKey, type ServerKey } from '../ledger/server-key.js';
import { openStore, type Store } from '../store/open-store.js';
import type { Checked } from '../schema/checked.js';
import { LEDGER_CHANNEL, LedgerWriter, type WriterFaults } from './ledger-writer.js';
import { ResultsService } from './results-service.js';
import { canonicalProtocolJson } from '../publish/canonical-protocol.js';
import { SnapshotPublisher } from './snapshot-publisher.js';
import { replayLedger, type ReplayStats } from './replay.js';

/** How often a SQLite server reads the ledger head to find what other processes appended. */
export const FOLLOW_POLL_MS = 250;

export interface CanvassOptions {
  /** SQLite file path or `postgres://` URL. */
  readonly db: string;
  /** Where the server key lives. */
  readonly dataDir: string;
  readonly clock?: () => Date;
  /**
   * Follow what other processes append to the ledger (servers do; one-shot CLI commands do not): on PostgreSQL other
   * instances' commits through LISTEN/NOTIFY; on SQLite, which has no notifications, by reading the head every
   * `FOLLOW_POLL_MS` — so an account or an election added by the CLI while the server runs is usable within that.
   */
  readonly follow?: boolean;
  /** Publish signed snapshots of every results version into this directory (one subdirectory per election). */
  readonly publishDir?: string | undefined;
  /** Faults injected into the ledger writer, for tests only (`WriterFaults`). */
  readonly faults?: WriterFaults | undefined;
}

export interface NewUser {
  readonly name: string;
  readonly role: Role;
  readonly election?: string | undefined;
  readonly division?: string | undefined;
  readonly password?: string | undefined;
  /** An already computed hash (`hashPassword`), e.g. one shared password for a demo's accounts. */
  readonly passwordHash?: string | undefined;
  readonly token?: boolean | undefined;
}

/**
 * The results service: one factory builds the store, key, projection (replayed from the ledger), the group-commit
 * writer and the read services. The HTTP API and the CLI are thin adapters over these methods.
 */
export class Canvass {
  readonly store: Store;
  readonly key: ServerKey;
  readonly projection: Projection;
  readonly writer: LedgerWriter;
  readonly auth: AuthService;
  readonly results: ResultsService;
  readonly clock: () => Date;
  /** Milliseconds the start-up replay took, and how many events it applied. */
  readonly replay: ReplayStats;
  #unlisten: (() => Promise<void>) | undefined;
  #poll: NodeJS.Timeout | undefined;
  /** Set when the instance publishes snapshots. */
  publisher: SnapshotPublisher | undefined;

  private constructor(
    store: Store,
    key: ServerKey,
    projection: Projection,
    clock: () => Date,
    replay: ReplayStats,
    faults: WriterFaults | undefined,
  ) {
    this.store = store;
    this.key = key;
    this.projection = projection;
    this.clock = clock;
    this.replay = replay;
    this.writer = new LedgerWriter(store, projection, key, { clock, faults });
    this.auth = new AuthService(store.db, projection, clock);
    this.results = new ResultsService(projection);
  }

  static async open(options: CanvassOptions): Promise<Canvass> {
    const store = await openStore(options.db);
    try {
      const key = await loadOrCreateServerKey(options.dataDir);
      const projection = new Projection();
      const replay = await replayLedger(store, projection);
      const canvass = new Canvass(store, key, projection, options.clock ?? (() => new Date()), replay, options.faults);
      if (options.publishDir !== undefined) canvass.publisher = new SnapshotPublisher(projection, key, options.publishDir, canvass.clock);
      if (options.follow && store.listen) {
        canvass.#unlisten = await store.listen(LEDGER_CHANNEL, (payload) => {
          // The payload is the head the notifying commit reached (ledger-writer.ts); anything else: catch up anyway.
          const seq = /^\d+$/.test(payload) ? Number(payload) : undefined;
          void canvass.writer.catchUp(seq).catch(() => undefined);
        });
        // A notification sent between the replay and LISTEN would be missed: catch up once now.
        await canvass.writer.catchUp();
      } else if (options.follow && store.sqlite) {
        const head = store.sqlite.prepare('select seq from ledger_head where id = 1');
        canvass.#poll = setInterval(() => {
          let seq: number;
          try {
            seq = (head.get() as { seq: number } | undefined)?.seq ?? 0;
          } catch {
            return; // tried again at the next tick
          }
          // Our own commits are known to the writer before they are applied: catchUp ignores those.
          if (seq > canvass.projection.head.seq) void canvass.writer.catchUp(seq).catch(() => undefined);
        }, FOLLOW_POLL_MS);
        canvass.#poll.unref();
      }
      return canvass;
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    if (this.#unlisten) await this.#unlisten();
    clearInterval(this.#poll);
    await this.writer.close();
    await this.publisher?.close();
    await this.store.close();
  }

  defineElection(actor: Actor, election: Election) {
    return this.writer.submit((view) => decideDefineElection(view, actor, election));
  }

  async addUser(actor: Actor, input: NewUser): Promise<Result<{ user: UserRecord; token?: string | undefined }, DomainError>> {
    const user: UserRecord = {
      id: randomUUID(),
      name: input.name,
      role: input.role,
      election: input.election ?? null,
      division: input.division ?? null,
    };
    const passwordHash = input.passwordHash ?? (input.password === undefined ? null : await hashPassword(input.password));
    const token = input.token ? newToken() : undefined;
    const now = this.clock().toISOString();
    const result = await this.writer.submit(
      (view) => {
        const added = decideAddUser(view, actor, user);
        if (!added.ok || !token) return added;
        const issued = decideIssueToken(actor, user, token.id);
        if (!issued.ok) return issued;
        return { ok: true, events: [...added.events, ...issued.events], respond: () => user };
      },
      [
        this.store.db
          .insertInto('users')
          .values({
            id: user.id,
            name: user.name,
            role: user.role,
            election: user.election,
            division: user.division,
            password_hash: passwordHash,
            created_at: now,
          })
          .compile(),
        ...(token
          ? [
              this.store.db
                .insertInto('tokens')
                .values({ id: token.id, user_id: user.id, token_hash: token.hash, created_at: now, revoked_at: null })
                .compile(),
            ]
          : []),
      ],
    );
    if (!result.ok) return result;
    return ok({ user: result.value, ...(token ? { token: token.token } : {}) });
  }

  /** A new API token for an existing account (printed once; only its hash is kept). */
  async issueToken(actor: Actor, name: string): Promise<Result<string, DomainError>> {
    const user = this.projection.usersByName.get(name);
    if (!user) return err({ kind: 'not-found', field: 'name', rule: 'user-exists', message: `no account is named "${name}"` });
    const token = newToken();
    const now = this.clock().toISOString();
    const result = await this.writer.submit(
      () => decideIssueToken(actor, user, token.id),
      [
        this.store.db
          .insertInto('tokens')
          .values({ id: token.id, user_id: user.id, token_hash: token.hash, created_at: now, revoked_at: null })
          .compile(),
      ],
    );
    return result.ok ? ok(token.token) : result;
  }

  /**
   * Revokes an account's API tokens — all of them, or the one with id `tokenId` (the part after `cvt_` and before the
   * dot) — recorded in the ledger, so every instance refuses them as soon as it has the event. Answers how many were
   * revoked (0 when none was in force).
   */
  async revokeTokens(actor: Actor, name: string, tokenId?: string): Promise<Result<{ revoked: number }, DomainError>> {
    const user = this.projection.usersByName.get(name);
    if (!user) return err({ kind: 'not-found', field: 'name', rule: 'user-exists', message: `no account is named "${name}"` });
    const own = [...this.projection.tokens].filter(([, token]) => token.user === user.id);
    if (tokenId !== undefined && !own.some(([id]) => id === tokenId))
      return err({
        kind: 'not-found',
        field: 'token',
        rule: 'token-exists',
        message: `account "${name}" has no token with id "${tokenId}" (the id is the part of cvt_<id>.<secret> before the dot)`,
      });
    const ids = own.filter(([id, token]) => !token.revoked && (tokenId === undefined || id === tokenId)).map(([id]) => id);
    if (ids.length === 0) return ok({ revoked: 0 });
    const now = this.clock().toISOString();
    return this.writer.submit(
      () => decideRevokeTokens(actor, user, ids),
      [this.store.db.updateTable('tokens').set({ revoked_at: now }).where('id', 'in', ids).compile()],
    );
  }

  /**
   * Disables an account: it can no longer sign in, and none of its tokens or sessions works, on every instance as
   * soon as it has the event (a command already authenticated is refused when it is decided).
   */
  async disableUser(actor: Actor, name: string, reason: string): Promise<Result<{ disabled: string }, DomainError>> {
    const user = this.projection.usersByName.get(name);
    if (!user) return err({ kind: 'not-found', field: 'name', rule: 'user-exists', message: `no account is named "${name}"` });
    const decide = () => decideDisableUser(actor, user, reason.trim());
    // Already disabled: nothing to record, but the reason is still checked.
    if (this.projection.disabledUsers.has(user.id)) {
      const checked = decide();
      return checked.ok ? ok({ disabled: user.name }) : err(checked.error);
    }
    // The event revokes the account's tokens and sessions for good (projection.ts); the rows say so too.
    const now = this.clock().toISOString();
    return this.writer.submit(decide, [
      this.store.db.updateTable('tokens').set({ revoked_at: now }).where('user_id', '=', user.id).where('revoked_at', 'is', null).compile(),
      this.store.db.deleteFrom('sessions').where('user_id', '=', user.id).compile(),
    ]);
  }

  /**
   * Lets a disabled account sign in again. Its tokens and sessions from before stay revoked: it gets a new token
   * (`issueToken`) or signs in anew.
   */
  async enableUser(actor: Actor, name: string, reason: string): Promise<Result<{ enabled: string }, DomainError>> {
    const user = this.projection.usersByName.get(name);
    if (!user) return err({ kind: 'not-found', field: 'name', rule: 'user-exists', message: `no account is named "${name}"` });
    const decide = () => decideEnableUser(actor, user, reason.trim());
    // Not disabled: nothing to record, but the reason is still checked.
    if (!this.projection.disabledUsers.has(user.id)) {
      const checked = decide();
      return checked.ok ? ok({ enabled: user.name }) : err(checked.error);
    }
    return this.writer.submit(decide);
  }

  submitProtocol(actor: Actor, protocol: Checked<Protocol>, idem: string | null): Promise<Result<ProtocolResponse, DomainError>> {
    const text = canonicalProtocolJson(protocol);
    // One hash: the protocol's in its event, and the request's for an idempotent retry.
    const hash = sha256Hex(text);
    return this.writer.submit(
      (view) => idempotent(view, actor, idem, idem === null ? '' : hash, () => decideProtocol(view, actor, protocol, idem, text, hash)),
      [],
      actor,
    );
  }

  /** An observer's copy of a station's protocol: recorded and compared with the counted one, never counted. */
  submitProtocolCopy(actor: Actor, copy: Checked<Protocol>, idem: string | null): Promise<Result<CopyResponse, DomainError>> {
    const text = canonicalProtocolJson(copy);
    const hash = sha256Hex(text);
    return this.writer.submit(
      (view) => idempotent(view, actor, idem, idem === null ? '' : hash, () => decideProtocolCopy(view, actor, copy, idem, text, hash)),
      [],
      actor,
    );
  }

  submitTurnout(actor: Actor, report: Checked<TurnoutReport>, idem: string | null): Promise<Result<TurnoutResponse, DomainError>> {
    const request = idem === null ? '' : sha256Hex(canonicalJson(report));
    return this.writer.submit(
      (view) => idempotent(view, actor, idem, request, () => decideTurnout(view, actor, report, idem, request)),
      [],
      actor,
    );
  }

  submitTurnoutBatch(actor: Actor, reports: readonly Checked<TurnoutReport>[]) {
    return this.writer.submit((view) => decideTurnoutBatch(view, actor, reports), [], actor);
  }

  review(actor: Actor, command: ReviewCommand) {
    return this.writer.submit((view) => decideReview(view, actor, command), [], actor);
  }

  changeStatus(actor: Actor, election: string, contest: string, to: ResultsStatus, reason: string | undefined) {
    return this.writer.submit((view) => decideStatus(view, actor, election, contest, to, reason), [], actor);
  }

  registerExitPoll(actor: Actor, election: string, input: Checked<ExitPollInput>, idem: string | null = null) {
    const id = randomUUID();
    const request = idem === null ? '' : sha256Hex(canonicalJson({ election, ...input }));
    return this.writer.submit(
      (view) => idempotent(view, actor, idem, request, () => decideExitPoll(view, actor, election, input, id, idem, request)),
      [],
      actor,
    );
  }
}
