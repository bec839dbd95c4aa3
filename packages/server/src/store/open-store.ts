import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { resolve } from 'node:path';
import type { Database } from './database.js';
import { migrationProvider } from './migrations.js';

export type Dialect = 'sqlite' | 'postgres';

/** A connected, migrated database: SQLite (embedded, the default) or PostgreSQL (production, several instances). */
export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** For messages: the file path or the URL without its password. */
  readonly location: string;
  /** SQLite only: the connection itself, for the ledger's prepared-statement hot path. */
  readonly sqlite?: BetterSqlite3.Database | undefined;
  /** SQLite only: the database file (absolute), for the ledger writer thread; undefined for in-memory databases. */
  readonly sqliteFile?: string | undefined;
  /** PostgreSQL only: the connection pool, for the ledger's named prepared statement (hot path). */
  readonly pgPool?: pg.Pool | undefined;
  /**
   * PostgreSQL only: subscribe to a NOTIFY channel. Returns an unsubscribe function. When the connection is lost it
   * is opened again, and `onMessage('')` says notifications may have been missed meanwhile.
   */
  listen?(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export const isPostgresUrl = (location: string) => /^postgres(ql)?:\/\//.test(location);

/**
 * Opens a store at a file path (SQLite, WAL, synchronous=FULL so a commit is on disk when it returns) or a
 * `postgres://` URL, and runs pending migrations.
 */
export async function openStore(location: string): Promise<Store> {
  const store = isPostgresUrl(location) ? openPostgres(location) : openSqlite(location);
  const migrator = new Migrator({ db: store.db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    await store.close();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(
      `database migration ${failed} failed on ${store.location}: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
    );
  }
  return store;
}

function openSqlite(path: string): Store {
  const database = new BetterSqlite3(path);
  database.pragma('journal_mode = WAL');
  // FULL: every commit fsyncs the WAL, so an acknowledged write survives power loss, not only a process crash.
  database.pragma('synchronous = FULL');
  database.pragma('busy_timeout = 10000');
  database.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  return {
    db,
    dialect: 'sqlite',
    location: path,
    sqlite: database,
    sqliteFile: path === ':memory:' ? undefined : resolve(path),
    close: () => db.destroy(),
  };
}

function openPostgres(url: string): Store {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const location = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  let closing = false;
  // An idle connection the server ends (a restart, pg_terminate_backend, a failover) is dropped by the pool, which
  // opens a new one when next needed; without a listener the pool's 'error' event would crash the process. The
  // pool's end also resolves before its connections have finished closing, so errors then are expected.
  pool.on('error', (error) => {
    if (!closing) warnConnectionLost(location, error, 'an idle connection', 'the pool opens another when one is needed');
  });
  return {
    db,
    dialect: 'postgres',
    location,
    pgPool: pool,
    listen: (channel, onMessage) => subscribe(pool, location, channel, onMessage),
    close: () => {
      closing = true;
      return db.destroy();
    },
  };
}

/** How long a lost LISTEN connection waits before it is opened again: doubling from the first, up to the last. */
const RESUBSCRIBE_MS = [100, 5_000] as const;

/**
 * LISTEN on a connection of its own, kept: when the server ends that connection, a new one LISTENs again (retried
 * with backoff until it can), and `onMessage('')` then tells the subscriber that notifications may have been missed
 * in between, so it catches up from the ledger. The first LISTEN's failure is thrown.
 */
async function subscribe(
  pool: pg.Pool,
  location: string,
  channel: string,
  onMessage: (payload: string) => void,
): Promise<() => Promise<void>> {
  let client: pg.PoolClient | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  let delay: number = RESUBSCRIBE_MS[0];
  const later = () => {
    clearTimeout(retry);
    if (!stopped) retry = setTimeout(() => void again(), delay);
  };
  const handler = (message: pg.Notification) => {
    if (message.channel === channel) onMessage(message.payload ?? '');
  };
  const connect = async () => {
    const connected = await pool.connect();
    connected.on('notification', handler);
    connected.on('error', (error) => {
      if (client !== connected) return;
      client = undefined;
      connected.off('notification', handler);
      connected.release(error); // destroys it
      if (stopped) return;
      warnConnectionLost(location, error, `the LISTEN ${channel} connection`, 'listening again on a new one');
      later();
    });
    client = connected;
    try {
      await connected.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      if (client === connected) {
        client = undefined;
        connected.release(error as Error);
      }
      throw error;
    }
  };
  // A function, so that the compiler does not take `stopped` as still false after the await.
  const unsubscribed = () => stopped;
  const again = async () => {
    if (stopped) return;
    try {
      await connect();
      delay = RESUBSCRIBE_MS[0];
      if (!unsubscribed()) onMessage('');
      else if (client) {
        // Unsubscribed while this connected: nobody would release it.
        client.release();
        client = undefined;
      }
    } catch {
      delay = Math.min(delay * 2, RESUBSCRIBE_MS[1]);
      if (!client) later();
    }
  };
  try {
    await connect();
  } catch (error) {
    stopped = true; // the caller is told; nothing is retried behind its back
    clearTimeout(retry);
    throw error;
  }
  return async () => {
    stopped = true;
    clearTimeout(retry);
    const current = client;
    client = undefined;
    if (!current) return;
    current.off('notification', handler);
    try {
      await current.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`);
      current.release();
    } catch (error) {
      current.release(error as Error);
    }
  };
}

/** A line on the server's standard error (a process warning, code CANVASS_PG_CONNECTION_LOST). */
function warnConnectionLost(location: string, error: Error, what: string, then: string): void {
  process.emitWarning(`PostgreSQL ended ${what} to ${location} (${error.message}); ${then}`, {
    code: 'CANVASS_PG_CONNECTION_LOST',
  });
}
