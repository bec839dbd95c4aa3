import { createHash, hash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { err, ok, type Result } from '@canvass/core';
import type { Projection } from '../domain/projection.js';
import type { UserRecord } from '../ledger/events.js';
import type { Database } from '../store/database.js';
import { verifyPassword } from './passwords.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** `cvt_<id>.<secret>`: the id finds the row, only the secret's SHA-256 is stored. */
export function newToken(): { id: string; secret: string; token: string; hash: string } {
  const id = randomBytes(9).toString('base64url');
  const secret = randomBytes(32).toString('base64url');
  return { id, secret, token: `cvt_${id}.${secret}`, hash: sha256(secret) };
}

const TOKEN = /^cvt_([A-Za-z0-9_-]{12})\.([A-Za-z0-9_-]{43})$/;
/** Answer of `tokenUserCached` when the token's row has not been read yet. */
export const UNCACHED = Symbol('uncached');

export interface Session {
  readonly user: UserRecord;
  readonly csrf: string;
  readonly expiresAt: number;
}

export type LoginError = { readonly kind: 'bad-credentials' } | { readonly kind: 'locked'; readonly retryAfterSeconds: number };

export const SESSION_HOURS = 12;
/** Failed logins per account name within the window before further attempts are refused. */
export const LOGIN_FAILURE_LIMIT = 5;
export const LOGIN_WINDOW_MINUTES = 15;

/**
 * Credentials: bearer tokens for machines, cookie sessions (with a CSRF token) for people. Secrets are stored only
 * as hashes; verified tokens and sessions are cached in memory so authentication costs no query on the hot path.
 */
export class AuthService {
  readonly #db: Kysely<Database>;
  readonly #projection: Projection;
  readonly #clock: () => Date;
  /** Verified tokens' rows by token id: the stored hash (as bytes, to compare) and the account. */
  readonly #tokens = new Map<string, { hash: Buffer; userId: string }>();
  /** Tokens that matched their stored hash, by their whole text: the account they act for, as last resolved. */
  readonly #verified = new Map<string, { id: string; userId: string; user: UserRecord; actor: UserRecord & { readonly token: string } }>();
  readonly #sessions = new Map<string, { userId: string; csrf: string; createdAt: number; expiresAt: number }>();

  constructor(db: Kysely<Database>, projection: Projection, clock: () => Date = () => new Date()) {
    this.#db = db;
    this.#projection = projection;
    this.#clock = clock;
  }

  /**
   * The account of a bearer token. Answered without a promise when the token's row is cached (every request after
   * an account's first): `tokenUserCached`; otherwise the row is read once.
   */
  async userForToken(header: string): Promise<(UserRecord & { readonly token: string }) | undefined> {
    const cached = this.tokenUserCached(header);
    if (cached !== UNCACHED) return cached;
    const id = TOKEN.exec(header)?.[1] ?? '';
    const row = await this.#db
      .selectFrom('tokens')
      .select(['token_hash', 'user_id'])
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (!row) return undefined;
    this.#tokens.set(id, { hash: Buffer.from(row.token_hash, 'hex'), userId: row.user_id });
    return this.tokenUserCached(header) as (UserRecord & { readonly token: string }) | undefined;
  }

  /**
   * The account of a bearer token whose row is cached, with the token's id (so that the writer can refuse the command
   * should the token be revoked before it is decided); `UNCACHED` when its row must be read first.
   */
  tokenUserCached(header: string): (UserRecord & { readonly token: string }) | undefined | typeof UNCACHED {
    // The hot path of every write: a token already verified is found by its exact text, with no regular expression
    // and no hash. Only tokens that matched their stored hash enter `#verified`, so its size is bounded by the
    // tokens issued, and a guess costs what it always did. Revocation and disabling are still checked every time.
    const known = this.#verified.get(header);
    if (known !== undefined) {
      if (this.#projection.tokens.get(known.id)?.revoked) return undefined;
      const user = this.#active(known.userId);
      if (user === undefined) return undefined;
      // The account's record is replaced when it changes: the actor is rebuilt from the current one.
      if (known.user !== user) {
        known.user = user;
        known.actor = { ...user, token: known.id };
      }
      return known.actor;
    }
    const match = TOKEN.exec(header);
    if (!match) return undefined;
    const [, id = '', secret = ''] = match;
    // Revoked (an event in the ledger: this instance may have cached the row before it was revoked).
    if (this.#projection.tokens.get(id)?.revoked) return undefined;
    const entry = this.#tokens.get(id);
    if (!entry) return UNCACHED;
    const given = hash('sha256', secret, 'buffer');
    if (given.length !== entry.hash.length || !timingSafeEqual(given, entry.hash)) return undefined;
    const user = this.#active(entry.userId);
    if (!user) return undefined;
    const actor = { ...user, token: id };
    this.#verified.set(header, { id, userId: entry.userId, user, actor });
    return actor;
  }

  /** The account, unless it is unknown here or disabled. */
  #active(id: string): UserRecord | undefined {
    return this.#projection.disabledUsers.has(id) ? undefined : this.#projection.users.get(id);
  }

  async login(name: string, password: string, ip: string): Promise<Result<{ sessionId: string; session: Session }, LoginError>> {
    const now = this.#clock();
    const since = new Date(now.getTime() - LOGIN_WINDOW_MINUTES * 60_000).toISOString();
    const failures = await this.#db
      .selectFrom('login_attempts')
      .select((eb) => [eb.fn.countAll<string | number>().as('n'), eb.fn.min('time').as('first')])
      .where('name', '=', name)
      .where('ok', '=', 0)
      .where('time', '>=', since)
      .executeTakeFirst();
    const failed = Number(failures?.n ?? 0);
    if (failed >= LOGIN_FAILURE_LIMIT) {
      const first = failures?.first ? Date.parse(failures.first) : now.getTime();
      const retry = Math.max(1, Math.ceil((first + LOGIN_WINDOW_MINUTES * 60_000 - now.getTime()) / 1000));
      await this.#record(name, ip, false, now);
      return err({ kind: 'locked', retryAfterSeconds: retry });
    }
    const row = await this.#db.selectFrom('users').select(['id', 'password_hash']).where('name', '=', name).executeTakeFirst();
    // Hash even for an unknown name, so timing does not reveal which names exist.
    const valid = row?.password_hash
      ? await verifyPassword(password, row.password_hash)
      : (await verifyPassword(password, DUMMY_HASH), false);
    await this.#record(name, ip, valid, now);
    const user = row ? this.#active(row.id) : undefined;
    if (!valid || !user) return err({ kind: 'bad-credentials' });
    const sessionId = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    const expiresAt = now.getTime() + SESSION_HOURS * 3_600_000;
    await this.#db
      .insertInto('sessions')
      .values({
        id_hash: sha256(sessionId),
        user_id: user.id,
        csrf,
        created_at: now.toISOString(),
        expires_at: new Date(expiresAt).toISOString(),
      })
      .execute();
    this.#sessions.set(sha256(sessionId), { userId: user.id, csrf, createdAt: now.getTime(), expiresAt });
    return ok({ sessionId, session: { user, csrf, expiresAt } });
  }

  async session(sessionId: string): Promise<Session | undefined> {
    const key = sha256(sessionId);
    let entry = this.#sessions.get(key);
    if (!entry) {
      const row = await this.#db
        .selectFrom('sessions')
        .select(['user_id', 'csrf', 'created_at', 'expires_at'])
        .where('id_hash', '=', key)
        .executeTakeFirst();
      if (!row) return undefined;
      entry = { userId: row.user_id, csrf: row.csrf, createdAt: Date.parse(row.created_at), expiresAt: Date.parse(row.expires_at) };
      this.#sessions.set(key, entry);
    }
    if (entry.expiresAt <= this.#clock().getTime()) return undefined;
    // A session from before the account was last disabled died with it, even though the account may be enabled again.
    if (entry.createdAt <= (this.#projection.lastDisabled.get(entry.userId) ?? -Infinity)) return undefined;
    const user = this.#active(entry.userId);
    return user ? { user, csrf: entry.csrf, expiresAt: entry.expiresAt } : undefined;
  }

  async logout(sessionId: string): Promise<void> {
    const key = sha256(sessionId);
    this.#sessions.delete(key);
    await this.#db.deleteFrom('sessions').where('id_hash', '=', key).execute();
  }

  async #record(name: string, ip: string, success: boolean, now: Date): Promise<void> {
    await this.#db
      .insertInto('login_attempts')
      .values({ id: randomUUID(), name: name.slice(0, 200), ip, time: now.toISOString(), ok: success ? 1 : 0 })
      .execute();
  }
}

/** A valid scrypt hash of a random password: verified against when the account does not exist. */
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
