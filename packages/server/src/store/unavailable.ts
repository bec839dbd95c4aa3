/**
 * Whether an error says the database cannot be reached or used for now — rather than that the request or the code
 * is wrong. Such a request is answered 503 with Retry-After: trying again later can succeed.
 *
 * PostgreSQL: an error the server sent as FATAL (it ended the connection), or a SQLSTATE of class 08 (connection
 * exception), 53 (insufficient resources) or 57P (shut down, cannot connect now); a socket that failed; node-postgres'
 * own messages for a connection that ended or could not be made in time. SQLite: the file locked for longer than
 * the busy timeout, the disk full, an I/O error, a file that cannot be opened.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, severity } = error as Error & { code?: unknown; severity?: unknown };
  if (severity === 'FATAL' || severity === 'PANIC') return true;
  if (typeof code === 'string') {
    if (/^(08|53)[0-9A-Z]{3}$/.test(code) || /^57P0[1-4]$/.test(code)) return true;
    if (SOCKET_CODES.has(code)) return true;
    if (/^SQLITE_(BUSY|LOCKED|FULL|IOERR|CANTOPEN)/.test(code)) return true;
  }
  return PG_CLIENT_MESSAGES.some((pattern) => pattern.test(error.message));
}

const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

const PG_CLIENT_MESSAGES = [
  /^Connection terminated/,
  /^Client has encountered a connection error and is not queryable/,
  /^timeout exceeded when trying to connect/,
  /^Cannot use a pool after calling end on the pool/,
];
