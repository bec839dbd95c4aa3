import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { formatPath } from '@canvass/core';
import type { DomainError } from '../domain/decide.js';

/** One field-level error inside a problem. */
export interface FieldError {
  readonly field: string;
  readonly rule: string;
  readonly message: string;
}

/**
 * RFC 9457 problem details. `type` is a URN naming the rule, `field` the first offending field, `errors` all of
 * them; validation findings ride along as `findings`.
 */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly field?: string | undefined;
  readonly rule: string;
  readonly errors?: readonly FieldError[] | undefined;
  readonly [extension: string]: unknown;
}

export const problemType = (rule: string) => `urn:canvass:problem:${rule}`;

export function problem(status: number, rule: string, title: string, detail: string, extra: Record<string, unknown> = {}): Problem {
  return { type: problemType(rule), title, status, detail, rule, ...extra };
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.code(p.status).type('application/problem+json; charset=utf-8').send(p);
}

const TITLES: Record<DomainError['kind'], [number, string]> = {
  invalid: [422, 'The request breaks a rule'],
  'not-found': [404, 'Not found'],
  forbidden: [403, 'Not allowed for this account'],
  conflict: [409, 'Conflicts with the current state'],
  unavailable: [503, 'Not ready yet'],
};

/** The one place where domain errors become HTTP statuses. */
export function domainProblem(error: DomainError): Problem {
  const [status, title] = TITLES[error.kind];
  const field = 'field' in error ? error.field : undefined;
  return problem(status, error.rule, title, error.message, {
    ...(field !== undefined ? { field, errors: [{ field, rule: error.rule, message: error.message }] } : {}),
    ...('findings' in error ? { findings: error.findings } : {}),
    ...('issues' in error ? { issues: error.issues } : {}),
    ...('retryAfterSeconds' in error ? { retryAfter: error.retryAfterSeconds } : {}),
  });
}

/** A domain error as a problem response: its status, and `Retry-After` when it says when to ask again. */
export function sendDomainProblem(reply: FastifyReply, error: DomainError): FastifyReply {
  if (error.kind === 'unavailable') reply.header('retry-after', String(error.retryAfterSeconds)).header('cache-control', 'no-store');
  return sendProblem(reply, domainProblem(error));
}

/** A zod failure as a 422 problem listing every field. */
export function schemaProblem(error: z.ZodError, what: string): Problem {
  const errors: FieldError[] = error.issues.map((issue) => ({
    field: formatPath('', issue.path),
    rule: issue.code,
    message: issue.message,
  }));
  const first = errors[0];
  return problem(
    422,
    'schema',
    `The ${what} is not well-formed`,
    first ? `${first.field}: ${first.message}` : `the ${what} is not well-formed`,
    { field: first?.field, errors },
  );
}
