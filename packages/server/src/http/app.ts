import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import { existsSync } from 'node:fs';
import { UNCACHED } from '../auth/auth-service.js';
import type { Canvass } from '../services/canvass.js';
import { LedgerUnavailableError } from '../services/ledger-writer.js';
import { isDatabaseUnavailable } from '../store/unavailable.js';
import type { UserRecord } from '../ledger/events.js';
import { problem, sendProblem } from './problem.js';
import { registerPublicRoutes } from './routes/public-routes.js';
import { GZIP_FROM_BYTES, registerReadRoutes } from './routes/read-routes.js';
import { registerSessionRoutes } from './routes/session-routes.js';
import { registerWriteRoutes } from './routes/write-routes.js';
import { registerWebRoutes } from './routes/web-routes.js';

export interface AppOptions {
  /** Built web site to serve at `/` (packages/web/dist); omitted: API only. */
  readonly webRoot?: string | undefined;
  readonly logger?: boolean | undefined;
  /** Mark cookies Secure (behind HTTPS). */
  readonly secureCookies?: boolean | undefined;
  /** Largest accepted request body, bytes. */
  readonly bodyLimit?: number | undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in account, if any (bearer token or session cookie). */
    user: (UserRecord & { readonly token?: string | undefined }) | undefined;
    /** How the account authenticated: cookie sessions must also send the CSRF token on writes. */
    via: 'token' | 'session' | undefined;
    csrf: string | undefined;
  }
}

export const SESSION_COOKIE = 'canvass_session';
/** The longest id (election, division, contest, account) a URL may carry. */
const MAX_PARAM_LENGTH = 200;
export const CSRF_HEADER = 'x-csrf-token';

/** The HTTP API (and the web site) over one Canvass instance. */
export async function buildApp(canvass: Canvass, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 256 * 1024,
    // Ids in URLs are validated by the domain; keep Fastify's router strict and fast.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PARAM_LENGTH },
    trustProxy: true,
    // Errors the router meets before any route runs (a URL that does not decode, a too long id): problem+json too.
    frameworkErrors: (error, _request, reply) => {
      const answer =
        error.code === 'FST_ERR_BAD_URL'
          ? problem(400, 'url-encoding', 'Malformed URL', 'a part of the URL is not valid percent-encoding (UTF-8 bytes as %XX)')
          : error.code === 'FST_ERR_MAX_PARAM_LENGTH'
            ? problem(414, 'url-length', 'URL part too long', `an id in the URL is longer than ${MAX_PARAM_LENGTH} characters`)
            : problem(error.statusCode ?? 400, 'request', 'Bad request', error.message);
      void sendProblem(reply, answer);
    },
  });

  // Only JSON bodies are accepted; anything else is a 415, not a string that fails later.
  app.removeContentTypeParser('text/plain');
  // gzip for bodies over 2 KB (the site's files, station histories, feeds). The read path's answers bring their own,
  // gzipped once per version (routes/read-routes.ts). Compressed request bodies are not accepted.
  await app.register(fastifyCompress, { threshold: GZIP_FROM_BYTES, encodings: ['gzip', 'deflate'], globalDecompression: false });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Canvass results API',
        version: '1',
        description:
          'Election results from the polling-station protocol to the published result. Errors are RFC 9457 problem+json naming the field and the rule. Writes need a bearer token (`Authorization: Bearer cvt_…`) or a session cookie with the `X-CSRF-Token` header. 503 with Retry-After (rule `database-unavailable`) means try again: a write sent again with the same Idempotency-Key is recorded at most once.',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } },
      },
    },
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const code = error.code;
    if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendProblem(
        reply,
        problem(
          415,
          'content-type',
          'Unsupported content type',
          `send the body as application/json (got ${request.headers['content-type'] ?? 'none'})`,
          { field: 'Content-Type' },
        ),
      );
    }
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      // The route's own limit (a protocol 64 KiB, a turnout batch 2 MiB, …), not the server-wide one.
      const limit = request.routeOptions.bodyLimit;
      return sendProblem(
        reply,
        problem(413, 'body-size', 'Request body too large', `the body exceeds this endpoint's limit of ${limit} bytes`),
      );
    }
    if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return sendProblem(reply, problem(400, 'json-body', 'Empty JSON body', 'the request says it carries JSON but the body is empty'));
    }
    if (error instanceof SyntaxError || code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
      return sendProblem(reply, problem(400, 'json-syntax', 'Malformed JSON', `the body is not valid JSON: ${error.message}`));
    }
    if (error.validation) {
      const errors = error.validation.map((v) => ({
        field: v.instancePath.replace(/^\//, '').replace(/\//g, '.') || (v.params['missingProperty'] as string | undefined) || '(body)',
        rule: v.keyword,
        message: v.message ?? 'invalid',
      }));
      return sendProblem(
        reply,
        problem(422, 'schema', 'The request is not well-formed', `${errors[0]?.field ?? ''}: ${errors[0]?.message ?? ''}`, {
          field: errors[0]?.field,
          errors,
        }),
      );
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return sendProblem(reply, problem(status, 'request', 'Bad request', error.message));
    if (error instanceof LedgerUnavailableError || isDatabaseUnavailable(error)) {
      // Not the request's fault, and not for good: the client tries again (a write with the same Idempotency-Key,
      // which records it once even if the lost answer was a commit's).
      request.log.warn(error);
      return sendProblem(
        reply.header('retry-after', '1').header('cache-control', 'no-store'),
        problem(
          503,
          'database-unavailable',
          'The database is unavailable',
          // What failed is in the server's log, not told to the client.
          `${error instanceof LedgerUnavailableError ? 'the ledger could not be written' : 'the database could not be reached'}; try again shortly — a write sent again with the same Idempotency-Key is recorded at most once`,
          { retryAfter: 1 },
        ),
      );
    }
    request.log.error(error);
    return sendProblem(
      reply,
      problem(
        500,
        'internal',
        'Internal error',
        'the server could not complete the request; nothing was changed unless a success was reported',
      ),
    );
  });

  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/') || request.url.startsWith('/published/') || !options.webRoot || !existsSync(options.webRoot)) {
      return sendProblem(
        reply,
        problem(404, 'route', 'No such endpoint', `${request.method} ${request.url.split('?')[0] ?? ''} is not an endpoint; see /api/docs`),
      );
    }
    // The web app routes on the client: every other GET gets index.html.
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });

  // The public read path: nothing here depends on who asks, so no cookies and no sessions (read-routes.ts).
  await app.register(
    (api, _options, done) => {
      registerReadRoutes(api, canvass);
      done();
    },
    { prefix: '/api/v1' },
  );

  // Everything that depends on the account: bearer tokens or session cookies (with CSRF tokens for writes).
  await app.register(async (scope) => {
    await scope.register(fastifyCookie);
    scope.decorateRequest('user', undefined);
    scope.decorateRequest('via', undefined);
    scope.decorateRequest('csrf', undefined);
    scope.addHook('onRequest', (request, _reply, done) => {
      const header = request.headers.authorization;
      if (header !== undefined) {
        const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
        // A known token is checked without a promise (the hot path of every write); an unknown one reads its row.
        const cached = token ? canvass.auth.tokenUserCached(token) : undefined;
        if (cached !== UNCACHED) {
          if (cached) {
            request.user = cached;
            request.via = 'token';
          }
          done();
          return;
        }
        canvass.auth.userForToken(token ?? '').then((user) => {
          if (user) {
            request.user = user;
            request.via = 'token';
          }
          done();
        }, done);
        return;
      }
      const sessionId = request.cookies[SESSION_COOKIE];
      if (!sessionId) {
        done();
        return;
      }
      canvass.auth.session(sessionId).then((session) => {
        if (session) {
          request.user = session.user;
          request.via = 'session';
          request.csrf = session.csrf;
        }
        done();
      }, done);
    });
    await scope.register(
      (api, _options, done) => {
        registerPublicRoutes(api, canvass);
        registerWriteRoutes(api, canvass);
        registerSessionRoutes(api, canvass, { secureCookies: options.secureCookies ?? false });
        registerWebRoutes(api, canvass);
        done();
      },
      { prefix: '/api/v1' },
    );
  });

  app.get('/api/docs', { schema: { hide: true } }, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=60').send(app.swagger()),
  );

  // Published snapshots: versions never change (cache for a year); current.json names the newest (short max-age).
  const publisher = canvass.publisher;
  if (publisher) {
    app.get<{ Params: { election: string; '*': string } }>('/published/:election/*', { schema: { hide: true } }, async (request, reply) => {
      const { election } = request.params;
      const path = request.params['*'];
      if (!canvass.projection.elections.has(election) || path.split('/').some((part) => part === '..' || part.startsWith('.'))) {
        return sendProblem(reply, problem(404, 'published-file', 'Not published', `nothing is published at ${request.url}`));
      }
      const cache = path.startsWith('v/')
        ? 'public, max-age=31536000, immutable'
        : path === 'current.json'
          ? 'public, max-age=2'
          : 'public, max-age=300';
      return reply.header('cache-control', cache).sendFile(path, publisher.directory(election), { cacheControl: false });
    });
  }

  const webRoot = options.webRoot && existsSync(options.webRoot) ? options.webRoot : undefined;
  const publishRoot = publisher ? publisher.directory('') : undefined;
  if (webRoot || publishRoot) {
    await app.register(fastifyStatic, {
      // sendFile for snapshots passes its own root; this one must merely exist.
      root: webRoot ?? process.cwd(),
      // Without a site this only provides reply.sendFile for the published snapshots.
      serve: webRoot !== undefined,
      setHeaders: (res, path) => {
        if (publishRoot !== undefined && path.startsWith(publishRoot)) return; // set by the route above
        // Built assets carry content hashes in their names: cache them for a year; index.html is revalidated.
        res.setHeader(
          'cache-control',
          /[.-][A-Za-z0-9_-]{8,}\.(js|css|woff2?|svg|png|geojson|json)$/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
  return app;
}

/** Whether a cookie-authenticated write carries the session's CSRF token. Token-authenticated writes need none. */
export function csrfOk(request: FastifyRequest): boolean {
  if (request.via !== 'session') return true;
  const sent = request.headers[CSRF_HEADER];
  return typeof sent === 'string' && sent === request.csrf;
}
