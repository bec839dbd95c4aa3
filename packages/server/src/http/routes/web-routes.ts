import type { FastifyInstance } from 'fastify';
import type { LedgerEvent } from '../../ledger/events.js';
import type { Canvass } from '../../services/canvass.js';
import { domainProblem, sendProblem } from '../problem.js';
import { etagMatches, LIVE_CACHE } from './read-routes.js';

/** When an election's results or turnout last changed: the ledger event that changed them. */
interface LastChange {
  readonly seq: number;
  readonly time: string | null;
  readonly body: string;
}

/**
 * Read-only endpoints that exist for the web site's views. Everything here must be computed from the in-memory
 * projection and cached per results version (see ResultsService), never a database query per page view.
 */
export function registerWebRoutes(api: FastifyInstance, canvass: Canvass): void {
  const changes = new Map<string, LastChange>();
  const remember = (election: string, seq: number, time: string | null) => {
    changes.set(election, { seq, time, body: JSON.stringify({ election, seq, time }) });
  };
  // Events committed while the server runs (here, or by another instance followed through the store) carry their time.
  const listener = (events: readonly LedgerEvent[]) => {
    for (const event of events) {
      if (event.election === null) continue;
      const state = canvass.projection.elections.get(event.election);
      if (state?.lastSeq === event.seq) remember(event.election, event.seq, event.time);
    }
  };
  canvass.projection.listeners.add(listener);
  api.addHook('onClose', (_instance, done) => {
    canvass.projection.listeners.delete(listener);
    done();
  });

  api.get<{ Params: { election: string } }>(
    '/elections/:election/updated',
    {
      schema: {
        tags: ['public'],
        summary: 'When the results or turnout of an election last changed: the ledger sequence number and time of that event',
        params: { type: 'object', properties: { election: { type: 'string' } }, required: ['election'] },
      },
    },
    async (request, reply) => {
      const { election } = request.params;
      const state = canvass.projection.elections.get(election);
      if (!state)
        return sendProblem(
          reply,
          domainProblem({
            kind: 'not-found',
            field: 'election',
            rule: 'election-exists',
            message: `election "${election}" is not defined on this server`,
          }),
        );
      const seq = state.lastSeq;
      let change = changes.get(election);
      if (change?.seq !== seq) {
        // Only for the events replayed at start-up (the listener sees every later one): one lookup by primary key,
        // then remembered until the next change.
        const row =
          seq === 0 ? undefined : await canvass.store.db.selectFrom('events').select('time').where('seq', '=', seq).executeTakeFirst();
        if (state.lastSeq === seq) remember(election, seq, row?.time ?? null);
        change = changes.get(election) ?? {
          seq,
          time: row?.time ?? null,
          body: JSON.stringify({ election, seq, time: row?.time ?? null }),
        };
      }
      const etag = `"updated.${election.replace(/[^A-Za-z0-9._-]/g, '.')}.${change.seq}"`;
      reply.header('etag', etag).header('cache-control', LIVE_CACHE);
      if (etagMatches(request.headers['if-none-match'], etag)) return reply.code(304).send();
      return reply.type('application/json; charset=utf-8').send(change.body);
    },
  );
}
