import { Option } from 'commander';
import { Canvass } from '../services/canvass.js';
import { InputError } from '../files/input-error.js';
import type { DomainError } from '../domain/decide.js';

/** `--db`: a SQLite file (default ./canvass.db) or a postgres:// URL (default $DATABASE_URL when set). */
export const dbOption = () => new Option('--db <path|url>', 'SQLite file or postgres:// URL').env('DATABASE_URL').default('canvass.db');
export const dataDirOption = () =>
  new Option('--data-dir <dir>', 'directory holding the server key (server-key.pem)').default('canvass-data');

export async function openCanvass(db: string, dataDir: string, follow = false, publishDir?: string): Promise<Canvass> {
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
