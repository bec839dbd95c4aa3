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
  /** PostgreSQL only: subscribe to a NOTIFY channel. Returns an unsubscribe function. */
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
  return {
    db,
    dialect: 'postgres',
    location,
    pgPool: pool,
    async listen(channel, onMessage) {
      const client = await pool.connect();
      const handler = (message: pg.Notification) => {
        if (message.channel === channel) onMessage(message.payload ?? '');
      };
      client.on('notification', handler);
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      return async () => {
        client.off('notification', handler);
        try {
          await client.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`);
        } finally {
          client.release();
        }
      };
    },
    close: () => db.destroy(),
  };
}
