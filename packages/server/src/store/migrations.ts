import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/**
 * Forward-only migrations, in code so the binary carries them. Never edit a released migration; add the next one.
 * Column types are chosen to mean the same on SQLite and PostgreSQL.
 */
const migrations: Record<string, Migration> = {
  '0001-ledger-and-accounts': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('events')
        .addColumn('seq', 'integer', (c) => c.primaryKey().check(sql`seq > 0`))
        .addColumn('time', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('election', 'text')
        .addColumn('subject', 'text')
        .addColumn('idem', 'text')
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull().check(sql`length(prev_hash) = 64`))
        .addColumn('hash', 'text', (c) => c.notNull().check(sql`length(hash) = 64`))
        .addColumn('signature', 'text', (c) => c.notNull())
        .addColumn('signed_seq', 'integer', (c) => c.notNull().check(sql`signed_seq >= seq`))
        .execute();
      // The per-election feed reads `election = ? and seq > ?`; everything else is served from the projection.
      await db.schema.createIndex('events_election').on('events').columns(['election', 'seq']).execute();
      await db.schema
        .createIndex('events_idem')
        .on('events')
        .columns(['actor', 'idem'])
        .unique()
        .where(sql.ref('idem'), 'is not', null)
        .execute();
      await db.schema
        .createTable('ledger_head')
        .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
        .addColumn('seq', 'integer', (c) => c.notNull().check(sql`seq >= 0`))
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await sql`insert into ledger_head (id, seq, hash) values (1, 0, ${'0'.repeat(64)})`.execute(db);
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'cec', 'commission', 'observer')`))
        .addColumn('election', 'text')
        .addColumn('division', 'text')
        .addColumn('password_hash', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('token_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('csrf', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('login_attempts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('ip', 'text', (c) => c.notNull())
        .addColumn('time', 'text', (c) => c.notNull())
        .addColumn('ok', 'integer', (c) => c.notNull().check(sql`ok in (0, 1)`))
        .execute();
      await db.schema.createIndex('login_attempts_name_time').on('login_attempts').columns(['name', 'time']).execute();
    },
  },
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
