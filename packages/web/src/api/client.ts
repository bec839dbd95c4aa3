import type { z } from 'zod';
import { ProblemSchema, type Problem } from './schemas.js';

export const API = '/api/v1';

export const electionApi = (election: string) => `${API}/elections/${encodeURIComponent(election)}`;

/** A refused or failed request, carrying the server's problem details (or ones made up for a network failure). */
export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? 'request failed');
    this.problem = problem;
  }
}

async function problemOf(response: Response): Promise<Problem> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const parsed = ProblemSchema.safeParse(body);
  return parsed.success ? { status: response.status, ...parsed.data } : { status: response.status, title: response.statusText };
}

const networkProblem = (error: unknown): Problem => ({
  status: 0,
  rule: 'network',
  detail: error instanceof Error ? error.message : String(error),
});

/** GETs in flight, so that two views asking for the same resource at once share one request. */
const inFlight = new Map<string, Promise<unknown>>();

/**
 * GETs a cacheable JSON resource and parses it. `fresh` revalidates with the server (If-None-Match, a 304 when
 * nothing changed) instead of trusting the browser's copy for its max-age: used after the live stream said that
 * something changed.
 */
export async function getJson<T>(path: string, schema: z.ZodType<T>, fresh = false): Promise<T> {
  const key = `${fresh ? 'fresh' : 'cached'} ${path}`;
  let body = inFlight.get(key);
  if (!body) {
    body = fetchJson(path, fresh).finally(() => inFlight.delete(key));
    inFlight.set(key, body);
  }
  const parsed = schema.safeParse(await body);
  if (!parsed.success) throw new ApiError({ rule: 'response-shape', detail: `${path}: ${parsed.error.issues[0]?.message ?? ''}` });
  return parsed.data;
}

async function fetchJson(path: string, fresh: boolean): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: 'application/json' }, cache: fresh ? 'no-cache' : 'default' });
  } catch (error) {
    throw new ApiError(networkProblem(error));
  }
  if (!response.ok) throw new ApiError(await problemOf(response));
  return response.json() as Promise<unknown>;
}

export type Sent<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: Problem };

export interface SendOptions {
  /**
   * Makes the write safe to send again: the server records it at most once under this key (per account) and answers
   * a repeat as it answered the first. With a key, a write that may have been recorded (`retryable`) is sent again
   * by itself, up to `RETRY_SECONDS.length` times.
   */
  readonly idempotencyKey?: string;
}

/**
 * Whether a keyed write that got `problem` may have been recorded and can be sent again as it is: it failed on the
 * network, the database was unavailable (503), or its first attempt was still being written (409).
 */
export const retryable = (problem: Problem): boolean =>
  problem.status === 0 || problem.status === 503 || problem.rule === 'idempotency-in-flight';

/** Waits before each automatic retry, unless the server's answer says how long (`retryAfter`, at most 10 s). */
export const RETRY_SECONDS = [1, 2, 4] as const;

/** A new Idempotency-Key: 128 random bits in hex (getRandomValues works on plain http too, randomUUID does not). */
export function newIdempotencyKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * A write: JSON body, the session's CSRF token, the answer parsed; a refusal comes back as its problem details. With
 * an Idempotency-Key, a `retryable` failure is retried (the answer to a committed write can be lost on the way back:
 * the retry gets it, and nothing is recorded twice).
 */
export async function send<T>(
  method: 'POST' | 'DELETE',
  path: string,
  body: unknown,
  csrf: string | null,
  schema: z.ZodType<T>,
  options: SendOptions = {},
): Promise<Sent<T>> {
  for (let attempt = 0; ; attempt++) {
    const sent = await sendOnce(method, path, body, csrf, schema, options.idempotencyKey);
    const wait = RETRY_SECONDS[attempt];
    if (sent.ok || options.idempotencyKey === undefined || wait === undefined) return sent;
    if (!retryable(sent.problem)) return sent;
    const seconds = Math.min(sent.problem.retryAfter ?? wait, 10);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  }
}

async function sendOnce<T>(
  method: 'POST' | 'DELETE',
  path: string,
  body: unknown,
  csrf: string | null,
  schema: z.ZodType<T>,
  idempotencyKey: string | undefined,
): Promise<Sent<T>> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        accept: 'application/json, application/problem+json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(csrf !== null ? { 'x-csrf-token': csrf } : {}),
        ...(idempotencyKey !== undefined ? { 'idempotency-key': idempotencyKey } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      cache: 'no-store',
    });
  } catch (error) {
    return { ok: false, problem: networkProblem(error) };
  }
  if (!response.ok) return { ok: false, problem: await problemOf(response) };
  const text = await response.text();
  const parsed = schema.safeParse(text === '' ? undefined : JSON.parse(text));
  if (!parsed.success)
    return { ok: false, problem: { status: response.status, rule: 'response-shape', detail: parsed.error.issues[0]?.message ?? '' } };
  return { ok: true, value: parsed.data };
}
