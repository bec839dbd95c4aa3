import { useMemo, useRef } from 'preact/hooks';
import { newIdempotencyKey, retryable } from '../api/client.js';
import type { Problem } from '../api/schemas.js';

export interface IdempotencyKeys {
  /** The key to send `body` with: the same as last time while the body is the same and no answer came back. */
  keyFor(body: unknown): string;
  /**
   * The outcome of the send: an answer (accepted or refused) ends the attempt, so that the next submission is a new
   * one; a failure after which the write may have been recorded (`retryable`) does not — sending it again by hand
   * must find it rather than record it twice.
   */
  settled(problem: Problem | undefined): void;
}

/** One Idempotency-Key per write a form makes, kept across the clerk's retries of the same content. */
export function useIdempotencyKeys(): IdempotencyKeys {
  const last = useRef<{ body: string; key: string } | undefined>(undefined);
  return useMemo(
    () => ({
      keyFor(body) {
        const text = JSON.stringify(body);
        if (last.current?.body !== text) last.current = { body: text, key: newIdempotencyKey() };
        return last.current.key;
      },
      settled(problem) {
        if (problem === undefined || !retryable(problem)) last.current = undefined;
      },
    }),
    [],
  );
}
