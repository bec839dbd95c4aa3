import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Result } from '@canvass/core';
import type { DomainError } from '../../domain/decide.js';
import type { Stage } from '../../domain/election-state.js';
import { fromRow } from '../../ledger/ledger-store.js';
import type { CachedBody } from '../../services/results-service.js';
import type { Canvass } from '../../services/canvass.js';
import { domainProblem, problem, sendProblem } from '../problem.js';

/** Live results change by the second: browsers and CDNs may reuse an answer briefly, then revalidate by ETag. */
export const LIVE_CACHE = 'public, max-age=2, stale-while-revalidate=30';

type ElectionParams = { election: string };

function stageOf(request: FastifyRequest<{ Querystring: { stage?: string } }>): Stage | undefined {
  const stage = request.query.stage ?? 'preliminary';
  return stage === 'preliminary' || stage === 'final' ? stage : undefined;
}

function sendCached(
  request: FastifyRequest,
  reply: FastifyReply,
  result: Result<CachedBody, DomainError>,
  cacheControl = LIVE_CACHE,
): FastifyReply {
  if (!result.ok) return sendProblem(reply, domainProblem(result.error));
  const { body, etag } = result.value;
  reply.header('etag', etag).header('cache-control', cacheControl);
  if (request.headers['if-none-match'] === etag) return reply.code(304).send();
  return reply.type('application/json; charset=utf-8').send(body);
}

const badStage = (reply: FastifyReply) =>
  sendProblem(
    reply,
    problem(422, 'stage', 'Unknown stage', 'stage is "preliminary" (counted as entered) or "final" (accepted by the higher commission)', {
      field: 'stage',
    }),
  );

const electionParam = { type: 'object', properties: { election: { type: 'string' } }, required: ['election'] } as const;
// Checked by the handler, whose refusal explains the two stages.
const stageQuery = {
  type: 'object',
  properties: { stage: { type: 'string', description: '"preliminary" (default) or "final"' } },
} as const;

export function registerPublicRoutes(api: FastifyInstance, canvass: Canvass): void {
  const results = canvass.results;

  api.get('/health', { schema: { tags: ['public'], summary: 'Liveness and the ledger head' } }, () => ({
    ok: true,
    ledger: canvass.projection.head,
    publishing: canvass.publisher ? { lastError: canvass.publisher.lastError?.message ?? null } : null,
  }));

  api.get('/elections', { schema: { tags: ['public'], summary: 'Elections on this server' } }, (_request, reply) =>
    reply.header('cache-control', LIVE_CACHE).send({
      elections: [...canvass.projection.elections.values()].map((s) => ({
        id: s.index.election.id,
        names: s.index.election.names,
        date: s.index.election.date,
      })),
    }),
  );

  api.get<{ Params: ElectionParams }>(
    '/elections/:election',
    { schema: { tags: ['public'], summary: 'The election: contests, options, schedule, protocol template', params: electionParam } },
    (request, reply) => sendCached(request, reply, results.summary(request.params.election)),
  );

  api.get<{ Params: ElectionParams & { division: string }; Querystring: { stage?: string } }>(
    '/elections/:election/results/:division',
    {
      schema: {
        tags: ['public'],
        summary: 'Results of a division (the `canvass tally --format json` shape); ETag = results version',
        querystring: stageQuery,
      },
    },
    (request, reply) => {
      const stage = stageOf(request);
      if (!stage) return badStage(reply);
      return sendCached(request, reply, results.results(request.params.election, request.params.division, stage));
    },
  );

  api.get<{ Params: ElectionParams & { division: string }; Querystring: { stage?: string } }>(
    '/elections/:election/divisions/:division',
    {
      schema: {
        tags: ['public'],
        summary: 'A division, its path from the top and its children, each with results',
        querystring: stageQuery,
      },
    },
    (request, reply) => {
      const stage = stageOf(request);
      if (!stage) return badStage(reply);
      return sendCached(request, reply, results.division(request.params.election, request.params.division, stage));
    },
  );

  api.get<{ Params: ElectionParams & { division: string } }>(
    '/elections/:election/turnout/:division',
    { schema: { tags: ['public'], summary: 'Cumulative turnout at each scheduled time, for the division and its children' } },
    (request, reply) => sendCached(request, reply, results.turnout(request.params.election, request.params.division)),
  );

  api.get<{ Params: ElectionParams & { division: string } }>(
    '/elections/:election/progress/:division',
    {
      schema: {
        tags: ['public'],
        summary: 'Stations counted, missing, stopped by the rules, awaiting a second entry or acceptance — per child division',
      },
    },
    (request, reply) => sendCached(request, reply, results.progress(request.params.election, request.params.division)),
  );

  api.get<{ Params: ElectionParams & { division: string } }>(
    '/elections/:election/flags/:division',
    {
      schema: {
        tags: ['public'],
        summary: 'Protocols that need attention: broken control relations, warnings, mismatched double entries, rejections',
      },
    },
    (request, reply) => sendCached(request, reply, results.flags(request.params.election, request.params.division)),
  );

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

  api.get<{ Params: ElectionParams }>(
    '/elections/:election/exit-polls',
    { schema: { tags: ['public'], summary: 'Exit polls with each estimate\u2019s deviation from the current count (percentage points)' } },
    (request, reply) => sendCached(request, reply, results.exitPolls(request.params.election)),
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
        summary: 'Server-sent events: `results` whenever the results or turnout version changes (at most 4 per second)',
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
          `event: results\ndata: ${JSON.stringify({ resultsVersion: state.resultsVersion, turnoutVersion: state.turnoutVersion, seq: canvass.projection.head.seq })}\n\n`,
        );
      send();
      let sent = { r: state.resultsVersion, t: state.turnoutVersion };
      let timer: NodeJS.Timeout | undefined;
      const listener = () => {
        if (timer) return;
        timer = setTimeout(() => {
          timer = undefined;
          if (sent.r !== state.resultsVersion || sent.t !== state.turnoutVersion) {
            sent = { r: state.resultsVersion, t: state.turnoutVersion };
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
