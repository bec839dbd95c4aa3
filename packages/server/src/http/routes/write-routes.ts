import { ProtocolSchema, RESULTS_STATUSES, TurnoutReportSchema, type Protocol, type Result, type ResultsStatus } from '@canvass/core';
import type { DomainError } from '../../domain/decide.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { idemKey } from '../../domain/projection.js';
import type { UserRecord } from '../../ledger/events.js';
import type { Canvass } from '../../services/canvass.js';
import { csrfOk } from '../app.js';
import {
  checkedElements,
  compileParser,
  ExitPollSchema,
  parseExitPoll,
  parseProtocol,
  parseTurnout,
  type Checked,
} from '../../schema/checked.js';
import { domainProblem, problem, schemaProblem, sendProblem } from '../problem.js';

type ElectionParams = { election: string };

/** The JSON schemas are for the OpenAPI document; bodies are parsed by the zod schemas (one source of truth). */
const documentOnly = () => (data: unknown) => ({ value: data });
const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { target: 'draft-7', io: 'input', unrepresentable: 'any' });

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * Sends `value` as JSON serialized here: on the hot write routes, handing Fastify the text instead of the object
 * measured about 4 points of the empty-POST ceiling (its object path runs the pre-serialization and serializer
 * lookups for every answer).
 */
function sendJson(reply: FastifyReply, value: unknown): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(value));
}

/** The signed-in account, or undefined after answering 401. */
function signedIn(request: FastifyRequest, reply: FastifyReply): UserRecord | undefined {
  if (request.user) return request.user;
  const status = request.headers.authorization ? 'the bearer token is not valid' : 'sign in or send "Authorization: Bearer <token>"';
  void sendProblem(reply.header('www-authenticate', 'Bearer'), problem(401, 'authentication', 'Authentication required', status));
  return undefined;
}

/** The signed-in account for a write, or the problem that stops it (401, CSRF 403). */
function writer(request: FastifyRequest, reply: FastifyReply): UserRecord | undefined {
  if (!signedIn(request, reply)) return undefined;
  if (!csrfOk(request)) {
    void sendProblem(
      reply,
      problem(
        403,
        'csrf',
        'Missing CSRF token',
        'a request authenticated by the session cookie must send the session\u2019s CSRF token in X-CSRF-Token',
        { field: 'X-CSRF-Token' },
      ),
    );
    return undefined;
  }
  return request.user;
}

function idempotencyKey(request: FastifyRequest, reply: FastifyReply): string | null | false {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return null;
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)) {
    void sendProblem(
      reply,
      problem(422, 'idempotency-key', 'Bad Idempotency-Key', 'an Idempotency-Key is 1–200 visible ASCII characters', {
        field: 'Idempotency-Key',
      }),
    );
    return false;
  }
  return key;
}

function electionMatches(path: string, body: { election: string }, reply: FastifyReply): boolean {
  if (path === body.election) return true;
  void sendProblem(
    reply,
    problem(422, 'election-path', 'Election mismatch', `the URL names election "${path}" but the body says "${body.election}"`, {
      field: 'election',
    }),
  );
  return false;
}

const ReviewBody = z.strictObject({ version: z.number().int().min(1).optional(), reason: z.string().trim().min(3).max(2000).optional() });
const StatusBody = z.strictObject({
  contest: z.string().optional(),
  status: z.enum(RESULTS_STATUSES as [ResultsStatus, ...ResultsStatus[]]),
  reason: z.string().trim().min(3).max(2000).optional(),
});

const security = [{ bearer: [] }, { session: [] }];

const AccountBody = z.strictObject({ reason: z.string().trim().min(3).max(2000) });
const RevokeBody = z.strictObject({ token: z.string().min(1).max(200).optional() });

/**
 * A route whose body is one protocol (a commission's entry, an observer's copy): authenticated, Idempotency-Key
 * checked, the body parsed and its election matched with the URL, then `submit`; 201 with the station's URL.
 */
function protocolRoute(
  api: FastifyInstance,
  canvass: Canvass,
  route: { path: string; tag: string; summary: string; what: string },
  submit: (
    user: UserRecord,
    protocol: Checked<Protocol>,
    idem: string | null,
  ) => Promise<Result<{ election: string; station: string }, DomainError>>,
): void {
  api.post<{ Params: ElectionParams; Body: unknown }>(
    route.path,
    {
      bodyLimit: 64 * 1024,
      validatorCompiler: documentOnly,
      // The answer is a few hundred bytes: not worth the compression hooks on election night's hottest route.
      compress: false,
      schema: { tags: [route.tag], summary: route.summary, security, body: jsonSchema(ProtocolSchema) },
    },
    async (request, reply) => {
      const user = writer(request, reply);
      if (!user) return reply;
      const idem = idempotencyKey(request, reply);
      if (idem === false) return reply;
      const parsed = parseProtocol(request.body);
      if (!parsed.ok) return sendProblem(reply, schemaProblem(parsed.error, route.what));
      if (!electionMatches(request.params.election, parsed.value, reply)) return reply;
      const replayed = idem !== null && canvass.projection.idempotency.has(idemKey(user.id, idem));
      const result = await submit(user, parsed.value, idem);
      if (!result.ok) return sendProblem(reply, domainProblem(result.error));
      if (replayed) reply.header('idempotent-replayed', 'true');
      return sendJson(
        reply.code(201).header('location', `/api/v1/elections/${result.value.election}/stations/${result.value.station}`),
        result.value,
      );
    },
  );
}

export function registerWriteRoutes(api: FastifyInstance, canvass: Canvass): void {
  protocolRoute(
    api,
    canvass,
    {
      path: '/elections/:election/protocols',
      tag: 'commission',
      summary: 'Enter one station protocol (exactly one line of protocols.jsonl); a correction adds "reason". Optional Idempotency-Key.',
      what: 'protocol',
    },
    (user, protocol, idem) => canvass.submitProtocol(user, protocol, idem),
  );
  protocolRoute(
    api,
    canvass,
    {
      path: '/elections/:election/protocol-copies',
      tag: 'observer',
      summary:
        'An observer\u2019s copy of a station\u2019s protocol (the shape of one line of protocols.jsonl): recorded with its findings and compared with the counted protocol, never counted. Optional Idempotency-Key.',
      what: 'protocol copy',
    },
    (user, copy, idem) => canvass.submitProtocolCopy(user, copy, idem),
  );

  api.post<{ Params: ElectionParams; Body: unknown }>(
    '/elections/:election/turnout',
    {
      bodyLimit: 8 * 1024,
      validatorCompiler: documentOnly,
      // A few dozen bytes of answer, sent through the day by every station: no compression hooks.
      compress: false,
      schema: {
        tags: ['commission'],
        summary: 'A station\u2019s cumulative turnout at a scheduled time. Optional Idempotency-Key.',
        security,
        body: jsonSchema(TurnoutReportSchema),
      },
    },
    async (request, reply) => {
      const user = writer(request, reply);
      if (!user) return reply;
      const idem = idempotencyKey(request, reply);
      if (idem === false) return reply;
      const parsed = parseTurnout(request.body);
      if (!parsed.ok) return sendProblem(reply, schemaProblem(parsed.error, 'turnout report'));
      if (!electionMatches(request.params.election, parsed.value, reply)) return reply;
      const replayed = idem !== null && canvass.projection.idempotency.has(idemKey(user.id, idem));
      const result = await canvass.submitTurnout(user, parsed.value, idem);
      if (!result.ok) return sendProblem(reply, domainProblem(result.error));
      if (replayed) reply.header('idempotent-replayed', 'true');
      return sendJson(reply.code(201), result.value);
    },
  );

  const TurnoutBatch = z.array(TurnoutReportSchema).min(1).max(5000);
  const parseBatch = compileParser(TurnoutBatch);
  api.post<{ Params: ElectionParams; Body: unknown }>(
    '/elections/:election/turnout/batch',
    {
      bodyLimit: 2 * 1024 * 1024,
      validatorCompiler: documentOnly,
      schema: {
        tags: ['commission'],
        summary: 'Up to 5,000 turnout reports at once (a territorial commission\u2019s stations): all recorded or none',
        security,
        body: jsonSchema(TurnoutBatch),
      },
    },
    async (request, reply) => {
      const user = writer(request, reply);
      if (!user) return reply;
      const parsed = parseBatch(request.body);
      if (!parsed.ok) return sendProblem(reply, schemaProblem(parsed.error, 'turnout batch'));
      for (const report of parsed.value) if (!electionMatches(request.params.election, report, reply)) return reply;
      const result = await canvass.submitTurnoutBatch(user, checkedElements(parsed.value));
      if (!result.ok) return sendProblem(reply, domainProblem(result.error));
      return reply.code(201).send(result.value);
    },
  );

  for (const decision of ['accept', 'reject'] as const) {
    api.post<{ Params: ElectionParams & { station: string; contest: string }; Body: unknown }>(
      `/elections/:election/protocols/:station/:contest/${decision}`,
      {
        bodyLimit: 8 * 1024,
        validatorCompiler: documentOnly,
        schema: {
          tags: ['commission'],
          summary:
            decision === 'accept'
              ? 'The higher commission accepts the latest version (needed for final results)'
              : 'The higher commission rejects the latest version, with a reason',
          security,
          body: jsonSchema(ReviewBody),
        },
      },
      async (request, reply) => {
        const user = writer(request, reply);
        if (!user) return reply;
        const parsed = ReviewBody.safeParse(request.body ?? {});
        if (!parsed.success) return sendProblem(reply, schemaProblem(parsed.error, 'review'));
        const { election, station, contest } = request.params;
        const result = await canvass.review(user, {
          election,
          station,
          contest,
          decision,
          version: parsed.data.version,
          reason: parsed.data.reason,
        });
        if (!result.ok) return sendProblem(reply, domainProblem(result.error));
        return reply.send(result.value);
      },
    );
  }

  api.post<{ Params: ElectionParams; Body: unknown }>(
    '/elections/:election/status',
    {
      bodyLimit: 8 * 1024,
      validatorCompiler: documentOnly,
      schema: {
        tags: ['cec'],
        summary:
          'Change the results status of a contest (all contests when omitted): partial → complete → certified; correction/recount reopen',
        security,
        body: jsonSchema(StatusBody),
      },
    },
    async (request, reply) => {
      const user = writer(request, reply);
      if (!user) return reply;
      const parsed = StatusBody.safeParse(request.body);
      if (!parsed.success) return sendProblem(reply, schemaProblem(parsed.error, 'status change'));
      const state = canvass.projection.elections.get(request.params.election);
      const contests =
        parsed.data.contest !== undefined ? [parsed.data.contest] : (state?.index.election.contests.map((c) => c.id) ?? ['']);
      const changes = [];
      for (const contest of contests) {
        const result = await canvass.changeStatus(user, request.params.election, contest, parsed.data.status, parsed.data.reason);
        if (!result.ok) return sendProblem(reply, domainProblem(result.error));
        changes.push(result.value);
      }
      return reply.send({ changes });
    },
  );

  api.post<{ Params: ElectionParams; Body: unknown }>(
    '/elections/:election/exit-polls',
    {
      bodyLimit: 16 * 1024,
      validatorCompiler: documentOnly,
      schema: { tags: ['cec'], summary: 'Register a published exit poll', security, body: jsonSchema(ExitPollSchema) },
    },
    async (request, reply) => {
      const user = writer(request, reply);
      if (!user) return reply;
      const idem = idempotencyKey(request, reply);
      if (idem === false) return reply;
      const parsed = parseExitPoll(request.body);
      if (!parsed.ok) return sendProblem(reply, schemaProblem(parsed.error, 'exit poll'));
      const replayed = idem !== null && canvass.projection.idempotency.has(idemKey(user.id, idem));
      const result = await canvass.registerExitPoll(user, request.params.election, parsed.value, idem);
      if (!result.ok) return sendProblem(reply, domainProblem(result.error));
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(result.value);
    },
  );

  registerAccountRoutes(api, canvass);
}

/**
 * Accounts, for an administrator away from the server's console (the CLI does the same): disable an account (its
 * tokens and sessions stop working on every instance as soon as it has the event), enable it again, revoke tokens.
 * Each is an event in the ledger with its actor and reason. The role is checked before the account named is looked
 * up, so that others cannot learn which names exist; an account may revoke its own tokens.
 */
function registerAccountRoutes(api: FastifyInstance, canvass: Canvass): void {
  type NameParams = { name: string };
  const adminOnly = (user: UserRecord, reply: FastifyReply, what: string): boolean => {
    if (user.role === 'admin') return true;
    void sendProblem(reply, domainProblem({ kind: 'forbidden', rule: 'role-admin', message: `only an administrator may ${what}` }));
    return false;
  };
  api.get(
    '/users',
    {
      schema: {
        tags: ['admin'],
        summary: 'Every account: name, role, scope, whether disabled, and its API tokens in force and revoked (admin)',
        security,
      },
    },
    (request, reply) => {
      const user = signedIn(request, reply);
      if (!user || !adminOnly(user, reply, 'list the accounts')) return reply;
      const { projection } = canvass;
      const tokens = new Map<string, { active: number; revoked: number }>();
      for (const token of projection.tokens.values()) {
        const counts = tokens.get(token.user) ?? { active: 0, revoked: 0 };
        if (token.revoked) counts.revoked++;
        else counts.active++;
        tokens.set(token.user, counts);
      }
      const users = [...projection.users.values()]
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .map((user) => ({
          name: user.name,
          role: user.role,
          election: user.election,
          division: user.division,
          disabled: projection.disabledUsers.has(user.id),
          tokens: tokens.get(user.id) ?? { active: 0, revoked: 0 },
        }));
      return reply.header('cache-control', 'no-store').send({ users });
    },
  );
  for (const action of ['disable', 'enable'] as const) {
    api.post<{ Params: NameParams; Body: unknown }>(
      `/users/:name/${action}`,
      {
        bodyLimit: 8 * 1024,
        validatorCompiler: documentOnly,
        schema: {
          tags: ['admin'],
          summary:
            action === 'disable'
              ? 'Disable an account: it can no longer sign in, and its tokens and sessions are revoked for good (admin)'
              : 'Enable a disabled account again; its earlier tokens and sessions stay revoked (admin)',
          security,
          body: jsonSchema(AccountBody),
        },
      },
      async (request, reply) => {
        const user = writer(request, reply);
        if (!user) return reply;
        if (!adminOnly(user, reply, `${action} an account`)) return reply;
        const parsed = AccountBody.safeParse(request.body);
        if (!parsed.success) return sendProblem(reply, schemaProblem(parsed.error, `account ${action}`));
        const result =
          action === 'disable'
            ? await canvass.disableUser(user, request.params.name, parsed.data.reason)
            : await canvass.enableUser(user, request.params.name, parsed.data.reason);
        if (!result.ok) return sendProblem(reply, domainProblem(result.error));
        return reply.send(result.value);
      },
    );
  }
  api.post<{ Params: NameParams; Body: unknown }>(
    '/users/:name/revoke-tokens',
    {
      bodyLimit: 8 * 1024,
      validatorCompiler: documentOnly,
      schema: {
        tags: ['admin'],
        summary: 'Revoke an account’s API tokens, all or the one with id "token" (admin, or the account itself)',
        security,
        body: jsonSchema(RevokeBody),
      },
    },
    async (request, reply) => {
      const user = writer(request, reply);
      if (!user) return reply;
      if (user.name !== request.params.name && !adminOnly(user, reply, 'revoke another account’s tokens')) return reply;
      const parsed = RevokeBody.safeParse(request.body ?? {});
      if (!parsed.success) return sendProblem(reply, schemaProblem(parsed.error, 'token revocation'));
      const result = await canvass.revokeTokens(user, request.params.name, parsed.data.token);
      if (!result.ok) return sendProblem(reply, domainProblem(result.error));
      return reply.send(result.value);
    },
  );
}
