/**
 * The tables. The ledger (`events`) is the source of truth; every other table holds what must not be public
 * (credentials, sessions, login attempts) or exists for locking (`ledger_head`). Counts and sequence numbers are
 * integers with CHECK constraints as the last line of defence.
 */
export interface Database {
  events: EventsTable;
  ledger_head: LedgerHeadTable;
  users: UsersTable;
  tokens: TokensTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
}

export interface EventsTable {
  seq: number;
  time: string;
  actor: string;
  kind: string;
  election: string | null;
  /** What the event is about, for lookups: e.g. `president/kz-35-01-0001` for a protocol. */
  subject: string | null;
  /** The actor's Idempotency-Key, if any: a retried request finds its first result. */
  idem: string | null;
  /** Canonical JSON (RFC 8785) of the payload, stored as text so the hashed bytes never change. */
  payload: string;
  prev_hash: string;
  hash: string;
  /** Ed25519 signature (base64) by the server key of the hash of event `signed_seq`, the last event of the same commit. */
  signature: string;
  signed_seq: number;
}

export interface LedgerHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface UsersTable {
  id: string;
  name: string;
  role: string;
  election: string | null;
  division: string | null;
  password_hash: string | null;
  created_at: string;
}

export interface TokensTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: string;
  revoked_at: string | null;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  csrf: string;
  created_at: string;
  expires_at: string;
}

export interface LoginAttemptsTable {
  id: string;
  name: string;
  ip: string;
  time: string;
  ok: number;
}
