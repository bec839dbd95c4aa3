import { Option } from 'commander';
import { existsSync } from 'node:fs';
import { isPostgresUrl } from '../store/open-store.js';
import { Canvass } from '../services/canvass.js';
import { InputError, inputError } from '../files/input-error.js';
import type { DomainError } from '../domain/decide.js';

/** `--db`: a SQLite file (default ./canvass.db) or a postgres:// URL (default $DATABASE_URL when set). */
export const dbOption = () => new Option('--db <path|url>', 'SQLite file or postgres:// URL').env('DATABASE_URL').default('canvass.db');
export const dataDirOption = () =>
  new Option('--data-dir <dir>', 'directory holding the server key (server-key.pem)').default('canvass-data');

/**
 * A SQLite database that must already exist: opening a mistyped path would otherwise create an empty database, and
 * `ledger verify` would report it "OK: 0 events", a server would serve no election. (`init` creates one.)
 */
export function requireDatabase(db: string): void {
  if (isPostgresUrl(db) || db === ':memory:' || existsSync(db)) return;
  throw inputError(db, 'database-exists', 'no database at this path; check --db, or create one with `canvass init --db … --election …`');
}

/** Opens the database at `db` (which must exist, unless `create`) and replays its ledger. */
export async function openCanvass(
  db: string,
  dataDir: string,
  options: { follow?: boolean; publishDir?: string | undefined; create?: boolean } = {},
): Promise<Canvass> {
  const { follow = false, publishDir, create = false } = options;
  if (!create) requireDatabase(db);
  try {
    return await Canvass.open({ db, dataDir, follow, publishDir });
  } catch (error) {
    throw new InputError([{ file: db, rule: 'database', message: `cannot open the database: ${(error as Error).message}` }]);
  }
}

/** A refused command as a CLI error naming the field and rule. */
export function domainFailure(source: string, error: DomainError): InputError {
  const field = 'field' in error ? error.field : undefined;
  const issues = 'issues' in error ? error.issues : undefined;
  if (issues) return new InputError(issues.map((issue) => ({ file: source, at: issue.path, rule: issue.rule, message: issue.message })));
  return new InputError([{ file: source, ...(field !== undefined ? { at: field } : {}), rule: error.rule, message: error.message }]);
}
