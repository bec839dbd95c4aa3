import BetterSqlite3 from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { POSTGRES_ADMIN_URL } from '../../test/support/databases.js';
import { isDatabaseUnavailable } from './unavailable.js';

/** Real errors from both databases: only those that trying again later can cure count as unavailable (503). */
describe('isDatabaseUnavailable', () => {
  const caught = async (run: () => unknown): Promise<unknown> => {
    try {
      await run();
    } catch (error) {
      return error;
    }
    throw new Error('expected an error');
  };

  it('takes SQLite locked past its busy timeout as unavailable, a broken constraint as not', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'canvass-unavailable-'));
    const path = join(dir, 'x.db');
    const one = new BetterSqlite3(path);
    const two = new BetterSqlite3(path, { timeout: 0 });
    try {
      one.exec('create table t (id integer primary key)');
      one.exec('begin immediate');
      const busy = await caught(() => two.exec('begin immediate'));
      expect((busy as { code?: string }).code).toBe('SQLITE_BUSY');
      expect(isDatabaseUnavailable(busy)).toBe(true);
      one.exec('insert into t values (1)');
      const duplicate = await caught(() => one.exec('insert into t values (1)'));
      expect(isDatabaseUnavailable(duplicate)).toBe(false);
      one.exec('rollback');
    } finally {
      one.close();
      two.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('takes a PostgreSQL refusal to connect and a refused socket as unavailable, bad SQL as not', async () => {
    const missing = new URL(POSTGRES_ADMIN_URL);
    missing.pathname = '/canvass_no_such_database';
    const refused = await caught(() => new pg.Client({ connectionString: missing.toString() }).connect());
    expect((refused as { severity?: string }).severity).toBe('FATAL');
    expect(isDatabaseUnavailable(refused)).toBe(true);
    const closedPort = await caught(() => new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:1/postgres' }).connect());
    expect(isDatabaseUnavailable(closedPort)).toBe(true);

    const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await client.connect();
    try {
      expect(isDatabaseUnavailable(await caught(() => client.query('select from no_such_table')))).toBe(false);
    } finally {
      await client.end();
    }
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseUnavailable('a string')).toBe(false);
  });
});
