import type { FastifyInstance } from 'fastify';
import { fromRow } from '../../ledger/ledger-store.js';
import type { Canvass } from '../../services/canvass.js';
import { domainProblem, problem, sendProblem } from '../problem.js';
import { LIVE_CACHE } from './read-routes.js';

type ElectionParams = { election: string };

/** The rest of the public API: what depends on who asks (station histories, the review queue), the feeds and the stream. */
export function registerPublicRoutes(api: FastifyInstance, canvass: Canvass): void {
  const results = canvass.results;

  api.get<{ Params: ElectionParams }>(
    '/elections/:election/review-queue',
    {
      schema: {
        tags: ['commission'],
        summary: 'Counted protocols waiting for this account\u2019s acceptance or rejection',
        security: [{ bearer: [] }, { session: [] }],
      },
    },
    (request, reply) => {
      if (!request.user)
        return sendProblem(reply, problem(401, 'authentication', 'Authentication required', 'sign in to see your review queue'));
      const queue = results.reviewQueue(request.params.election, request.user);
      if (!queue.ok) return sendProblem(reply, domainProblem(queue.error));
      return reply.header('cache-control', 'private, no-store').send(queue.value);
    },
  );

  api.get<{ Params: ElectionParams & { station: string } }>(
    '/elections/:election/stations/:station',
    {
      schema: {
        tags: ['public'],
        summary: 'Every protocol version of a station with findings and reviews (account names for signed-in users)',
      },
    },
    (request, reply) => {
      const station = results.station(request.params.election, request.params.station, { user: request.user });
      if (!station.ok) return sendProblem(reply, domainProblem(station.error));
      return reply.header('cache-control', request.user ? 'private, no-store' : LIVE_CACHE).send(station.value);
    },
  );

  const feedQuery = {
    type: 'object',
    properties: { after: { type: 'integer', minimum: 0 }, limit: { type: 'integer', minimum: 1, maximum: 1000 } },
  } as const;

  api.get<{ Params: ElectionParams; Querystring: { after?: number; limit?: number } }>(
    '/elections/:election/events',
    {
      schema: {
        tags: ['public'],
        summary: 'Incremental feed of this election\u2019s ledger events after a sequence number',
        querystring: feedQuery,
      },
    },
    async (request, reply) => {
      if (!canvass.projection.elections.has(request.params.election))
        return sendProblem(
          reply,
          domainProblem({
            kind: 'not-found',
            field: 'election',
            rule: 'election-exists',
            message: `election "${request.params.election}" is not defined on this server`,
          }),
        );
      const rows = await canvass.store.db
        .selectFrom('events')
        .selectAll()
        .where('election', '=', request.params.election)
        .where('seq', '>', request.query.after ?? 0)
        .orderBy('seq')
        .limit(request.query.limit ?? 100)
        .execute();
      const events = rows.map((row) => fromRow(row, false));
      return reply.header('cache-control', 'public, max-age=1').send({ events, head: canvass.projection.head });
    },
  );

  api.get<{ Querystring: { after?: number; limit?: number } }>(
    '/ledger/events',
    { schema: { tags: ['public'], summary: 'The whole hash chain, in order, for independent verification', querystring: feedQuery } },
    async (request, reply) => {
      const rows = await canvass.store.db
        .selectFrom('events')
        .selectAll()
        .where('seq', '>', request.query.after ?? 0)
        .orderBy('seq')
        .limit(request.query.limit ?? 100)
        .execute();
      return reply
        .header('cache-control', 'public, max-age=1')
        .send({ events: rows.map((row) => fromRow(row, false)), head: canvass.projection.head });
    },
  );

  api.get(
    '/ledger/public-key',
    { schema: { tags: ['public'], summary: 'The server\u2019s Ed25519 public key (SPKI PEM) that signs every ledger event' } },
    (_request, reply) =>
      reply.type('application/x-pem-file').header('cache-control', 'public, max-age=3600').send(canvass.key.publicKeyPem),
  );

  api.get<{ Params: ElectionParams }>(
    '/elections/:election/stream',
    {
      schema: {
        tags: ['public'],
        summary: 'Server-sent events: `results` whenever the results, turnout or copies version changes (at most 4 per second)',
      },
    },
    (request, reply) => {
      const state = canvass.projection.elections.get(request.params.election);
      if (!state)
        return sendProblem(
          reply,
          domainProblem({
            kind: 'not-found',
            field: 'election',
            rule: 'election-exists',
            message: `election "${request.params.election}" is not defined on this server`,
          }),
        );
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      const send = () =>
        raw.write(
          `event: results\ndata: ${JSON.stringify({ resultsVersion: state.resultsVersion, turnoutVersion: state.turnoutVersion, copiesVersion: state.copiesVersion, seq: canvass.projection.head.seq })}\n\n`,
        );
      send();
      let sent = { r: state.resultsVersion, t: state.turnoutVersion, c: state.copiesVersion };
      let timer: NodeJS.Timeout | undefined;
      const listener = () => {
        if (timer) return;
        timer = setTimeout(() => {
          timer = undefined;
          if (sent.r !== state.resultsVersion || sent.t !== state.turnoutVersion || sent.c !== state.copiesVersion) {
            sent = { r: state.resultsVersion, t: state.turnoutVersion, c: state.copiesVersion };
            send();
          }
        }, 250);
      };
      canvass.projection.listeners.add(listener);
      const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), 15_000);
      request.raw.on('close', () => {
        canvass.projection.listeners.delete(listener);
        clearInterval(heartbeat);
        if (timer) clearTimeout(timer);
      });
    },
  );
}
