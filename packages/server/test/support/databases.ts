import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * The same tests run on both databases, for real: a fresh SQLite file, and a fresh PostgreSQL database created on
 * the server named by CANVASS_TEST_POSTGRES (default: the local cluster, as CI starts it). No mocks.
 */
export const POSTGRES_ADMIN_URL = process.env['CANVASS_TEST_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type DatabaseKind = 'sqlite' | 'postgres';
export const DATABASES: readonly DatabaseKind[] = ['sqlite', 'postgres'];

export interface TestDatabase {
  readonly kind: DatabaseKind;
  /** What `--db` takes: a file path or a postgres:// URL. */
  readonly location: string;
  /** A directory for the server key and other files of this test. */
  readonly dir: string;
  drop(): Promise<void>;
}

export async function freshDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'canvass-test-'));
  if (kind === 'sqlite') {
    return { kind, location: join(dir, 'canvass.db'), dir, drop: () => rm(dir, { recursive: true, force: true }) };
  }
  const name = `canvass_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is needed for these tests and is not reachable at ${POSTGRES_ADMIN_URL} (${(error as Error).message}); start it (see README) or set CANVASS_TEST_POSTGRES`,
    );
  }
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    kind,
    location: url.toString(),
    dir,
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
