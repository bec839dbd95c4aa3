/**
 * The public read path: the answers millions load on election night (results, divisions, turnout, progress, exit
 * polls). Each comes from the results service's per-version cache as ready bytes with an ETag; none depends on who
 * asks. So these routes are registered apart from the account-aware API: no cookie parsing, no session lookup, no
 * per-request compression — an answer of 2 KB or more is gzipped once per version and the gzipped bytes reused.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Result } from '@canvass/core';
import type { DomainError } from '../../domain/decide.js';
import type { Stage } from '../../domain/election-state.js';
import type { CachedBody } from '../../services/results-service.js';
import type { Canvass } from '../../services/canvass.js';
import { problem, sendDomainProblem, sendProblem } from '../problem.js';

/** Live results change by the second: browsers and CDNs may reuse an answer briefly, then revalidate by ETag. */
export const LIVE_CACHE = 'public, max-age=2, stale-while-revalidate=30';

/** Smaller answers go out as they are: gzip would cost more than it saves (and CDNs compress anyway). */
export const GZIP_FROM_BYTES = 2048;

/** Route options of the read path: the compression plugin stays out of it (these answers bring their own). */
const READ = { compress: false, decompress: false } as const;

type ElectionParams = { election: string };

function stageOf(request: FastifyRequest<{ Querystring: { stage?: string } }>): Stage | undefined {
  const stage = request.query.stage ?? 'preliminary';
  return stage === 'preliminary' || stage === 'final' ? stage : undefined;
}

/** Whether an Accept-Encoding header admits gzip (`gzip` or `*`, not with q=0). */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  for (const part of header.split(',')) {
    const [coding = '', ...params] = part.split(';');
    const name = coding.trim().toLowerCase();
    if (name !== 'gzip' && name !== '*') continue;
    const q = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('q='));
    if (q === undefined || Number(q.slice(2)) > 0) return true;
  }
  return false;
}

/**
 * Whether an If-None-Match header names `etag` (RFC 9110 §13.1.2): `*`, or a list of tags compared weakly (`W/"x"`
 * matches `"x"`). The exact single tag, what browsers send back, is checked first and costs one comparison.
 */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header === etag) return true;
  const bare = etag.startsWith('W/') ? etag.slice(2) : etag;
  for (const part of header.split(',')) {
    const tag = part.trim();
    if (tag === '*' || (tag.startsWith('W/') ? tag.slice(2) : tag) === bare) return true;
  }
  return false;
}

function sendCached(
  request: FastifyRequest,
  reply: FastifyReply,
  result: Result<CachedBody, DomainError>,
  cacheControl = LIVE_CACHE,
): FastifyReply {
  if (!result.ok) return sendDomainProblem(reply, result.error);
  const cached = result.value;
  const gzip = cached.size >= GZIP_FROM_BYTES && acceptsGzip(request.headers['accept-encoding']) ? cached.gzip : undefined;
  const etag = gzip ? gzip.etag : cached.etag;
  reply.header('etag', etag).header('cache-control', cacheControl);
  // Only an answer that may be gzipped depends on Accept-Encoding; a smaller one is the same bytes for every client,
  // and one header less on the hottest reads (a new version that grows past the threshold says Vary again).
  if (cached.size >= GZIP_FROM_BYTES) reply.header('vary', 'accept-encoding');
  if (etagMatches(request.headers['if-none-match'], etag)) return reply.code(304).send();
  reply.type('application/json; charset=utf-8');
  return gzip ? reply.header('content-encoding', 'gzip').send(gzip.bytes) : reply.send(cached.json);
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

export function registerReadRoutes(api: FastifyInstance, canvass: Canvass): void {
  const results = canvass.results;

  api.get('/health', { ...READ, schema: { tags: ['public'], summary: 'Liveness, the ledger head, and whether writes are taken' } }, () => ({
    ok: true,
    ledger: canvass.projection.head,
    // "unavailable" while the SQLite writer thread is being started again: writes get 503 meanwhile.
    writes: canvass.writer.state.unavailable === undefined ? 'accepted' : 'unavailable',
    publishing: canvass.publisher ? { lastError: canvass.publisher.lastError?.message ?? null } : null,
  }));

  api.get('/elections', { ...READ, schema: { tags: ['public'], summary: 'Elections on this server' } }, (_request, reply) =>
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
    {
      ...READ,
      schema: { tags: ['public'], summary: 'The election: contests, options, schedule, protocol template', params: electionParam },
    },
    (request, reply) => sendCached(request, reply, results.summary(request.params.election)),
  );

  /** A division's answer at a stage (`?stage=preliminary|final`), refused with an explanation for any other stage. */
  const staged = (
    path: string,
    summary: string,
    answer: (election: string, division: string, stage: Stage) => Result<CachedBody, DomainError>,
  ) =>
    api.get<{ Params: ElectionParams & { division: string }; Querystring: { stage?: string } }>(
      path,
      { ...READ, schema: { tags: ['public'], summary, querystring: stageQuery } },
      (request, reply) => {
        const stage = stageOf(request);
        if (!stage) return badStage(reply);
        return sendCached(request, reply, answer(request.params.election, request.params.division, stage));
      },
    );

  staged(
    '/elections/:election/results/:division',
    'Results of a division (the `canvass tally --format json` shape); ETag = results version',
    (election, division, stage) => results.results(election, division, stage),
  );
  staged(
    '/elections/:election/divisions/:division',
    'A division, its path from the top and its children, each with results',
    (election, division, stage) => results.division(election, division, stage),
  );

  api.get<{ Params: ElectionParams & { division: string } }>(
    '/elections/:election/turnout/:division',
    { ...READ, schema: { tags: ['public'], summary: 'Cumulative turnout at each scheduled time, for the division and its children' } },
    (request, reply) => sendCached(request, reply, results.turnout(request.params.election, request.params.division)),
  );

  api.get<{ Params: ElectionParams & { division: string } }>(
    '/elections/:election/progress/:division',
    {
      ...READ,
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
      ...READ,
      schema: {
        tags: ['public'],
        summary: 'Protocols that need attention: broken control relations, warnings, mismatched double entries, rejections',
      },
    },
    (request, reply) => sendCached(request, reply, results.flags(request.params.election, request.params.division)),
  );

  api.get<{ Params: ElectionParams & { division: string } }>(
    '/elections/:election/forensics/:division',
    {
      ...READ,
      schema: {
        tags: ['public'],
        summary:
          'Statistical indicators over the counted protocols under a division: the integer-percentage test (observed, expected, excess, z); 503 with Retry-After while a first computation is under way',
      },
    },
    (request, reply) => sendCached(request, reply, results.forensics(request.params.election, request.params.division)),
  );

  api.get<{ Params: ElectionParams & { division: string } }>(
    '/elections/:election/discrepancies/:division',
    {
      ...READ,
      schema: {
        tags: ['public'],
        summary:
          'The discrepancy register: observers\u2019 protocol copies under a division against the protocols that count now; the differing ones, largest first',
      },
    },
    (request, reply) => sendCached(request, reply, results.discrepancies(request.params.election, request.params.division)),
  );

  api.get<{ Params: ElectionParams }>(
    '/elections/:election/exit-polls',
    {
      ...READ,
      schema: { tags: ['public'], summary: 'Exit polls with each estimate\u2019s deviation from the current count (percentage points)' },
    },
    (request, reply) => sendCached(request, reply, results.exitPolls(request.params.election)),
  );
}
