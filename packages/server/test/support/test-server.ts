import type { Election } from '@canvass/core';
import type { FastifyInstance } from 'fastify';
import type { Role } from '../../src/ledger/events.js';
import { buildApp } from '../../src/http/app.js';
import { Canvass } from '../../src/services/canvass.js';
import type { WriterFaults } from '../../src/services/ledger-writer.js';
import { freshDatabase, type DatabaseKind, type TestDatabase } from './databases.js';

export interface Account {
  readonly name: string;
  readonly role: Role;
  readonly division?: string;
}

/** Accounts the API tests act as: one per role, and commissions at every level of the small election. */
export const ACCOUNTS = {
  admin: { name: 'admin', role: 'admin' },
  cec: { name: 'cec', role: 'cec' },
  country: { name: 'commission-c', role: 'commission', division: 'c' },
  r1: { name: 'commission-r1', role: 'commission', division: 'r1' },
  r1d1: { name: 'commission-r1-d1', role: 'commission', division: 'r1-d1' },
  station: { name: 'commission-r1-d1-s1', role: 'commission', division: 'r1-d1-s1' },
  r2: { name: 'commission-r2', role: 'commission', division: 'r2' },
  observer: { name: 'observer', role: 'observer', division: 'c' },
  observerR2: { name: 'observer-r2', role: 'observer', division: 'r2' },
} as const satisfies Record<string, Account>;

export type AccountKey = keyof typeof ACCOUNTS;

export interface TestServer {
  readonly db: TestDatabase;
  readonly canvass: Canvass;
  readonly app: FastifyInstance;
  readonly url: string;
  readonly tokens: Record<AccountKey, string>;
  /** fetch against the server, as an account (or the public), JSON in and out. */
  request(
    method: string,
    path: string,
    options?: { as?: AccountKey; body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export async function startTestServer(
  kind: DatabaseKind,
  election: Election,
  options: { db?: TestDatabase; accounts?: boolean; faults?: WriterFaults } = {},
): Promise<TestServer> {
  const db = options.db ?? (await freshDatabase(kind));
  const canvass = await Canvass.open({ db: db.location, dataDir: db.dir, follow: true, faults: options.faults });
  if (!canvass.projection.elections.has(election.id)) {
    const defined = await canvass.defineElection({ id: 'system', role: 'system' }, election);
    if (!defined.ok) throw new Error(`fixture election refused: ${defined.error.message}`);
  }
  const tokens = {} as Record<AccountKey, string>;
  if (options.accounts ?? true) {
    for (const [key, account] of Object.entries(ACCOUNTS) as [AccountKey, Account][]) {
      const added = await canvass.addUser(
        { id: 'system', role: 'system' },
        {
          name: account.name,
          role: account.role,
          election: account.role === 'admin' ? undefined : election.id,
          division: account.division,
          password: 'correct horse battery',
          token: true,
        },
      );
      if (!added.ok) throw new Error(`fixture account refused: ${added.error.message}`);
      tokens[key] = added.value.token ?? '';
    }
  }
  const app = await buildApp(canvass);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    db,
    canvass,
    app,
    url,
    tokens,
    async request(method, path, { as, body, raw, headers } = {}) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          ...(body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(as ? { authorization: `Bearer ${tokens[as]}` } : {}),
          ...headers,
        },
        ...(raw !== undefined ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
    async close() {
      await app.close();
      await canvass.close();
      if (!options.db) await db.drop();
    },
  };
}
