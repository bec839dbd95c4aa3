import { createContext } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { z } from 'zod';
import { ApiError, electionApi, getJson } from './client.js';

/** What the results stream last said: versions that change whenever results, turnout or observers' copies change. */
export interface Live {
  readonly results: number;
  readonly turnout: number;
  readonly copies: number;
  readonly seq: number;
  readonly connected: boolean;
}

const NOT_CONNECTED: Live = { results: 0, turnout: 0, copies: 0, seq: 0, connected: false };
export const LiveContext = createContext<Live>(NOT_CONNECTED);
export const useLive = (): Live => useContext(LiveContext);

// copiesVersion: absent from servers older than the discrepancy register.
const StreamEventSchema = z.object({
  resultsVersion: z.number(),
  turnoutVersion: z.number(),
  copiesVersion: z.number().optional(),
  seq: z.number(),
});

/**
 * Follows an election's server-sent events. The stream carries only version numbers: views refetch their cacheable
 * resources when a version moves (so a million readers cost the server cached answers, never a query each).
 */
export function useLiveStream(election: string | undefined): Live {
  const [live, setLive] = useState<Live>(NOT_CONNECTED);
  useEffect(() => {
    if (election === undefined || typeof EventSource === 'undefined') return;
    const source = new EventSource(`${electionApi(election)}/stream`);
    source.addEventListener('results', (event: MessageEvent<string>) => {
      let data: unknown;
      try {
        data = JSON.parse(event.data);
      } catch {
        return;
      }
      const parsed = StreamEventSchema.safeParse(data);
      if (parsed.success)
        setLive({
          results: parsed.data.resultsVersion,
          turnout: parsed.data.turnoutVersion,
          copies: parsed.data.copiesVersion ?? 0,
          seq: parsed.data.seq,
          connected: true,
        });
    });
    // The browser reconnects by itself; on reconnect the server sends the current versions again.
    source.addEventListener('error', () => {
      setLive((previous) => ({ ...previous, connected: false }));
    });
    return () => {
      source.close();
    };
  }, [election]);
  return live;
}

export interface Resource<T> {
  readonly data: T | undefined;
  readonly error: ApiError | undefined;
  readonly loading: boolean;
}

/**
 * A cacheable GET that follows a version: fetched when `path` changes, revalidated when `version` moves. Answers
 * that arrive out of order are dropped, so a slow old response never replaces a newer one.
 */
export function useResource<T>(path: string | null, schema: z.ZodType<T>, version: number | string = 0): Resource<T> {
  const [state, setState] = useState<{ path: string | null; data?: T; error?: ApiError; loading: boolean }>({
    path: null,
    loading: path !== null,
  });
  const last = useRef<{ path: string | null; request: number }>({ path: null, request: 0 });
  // An answer the server is still computing (503 with a time to retry after) is asked for again then.
  const [retry, setRetry] = useState(0);
  const retryAfter = state.error?.problem.status === 503 ? state.error.problem.retryAfter : undefined;
  useEffect(() => {
    if (retryAfter === undefined) return;
    const timer = setTimeout(
      () => {
        setRetry((n) => n + 1);
      },
      Math.min(Math.max(retryAfter, 1), 30) * 1000,
    );
    return () => {
      clearTimeout(timer);
    };
  }, [retryAfter, state.error]);
  useEffect(() => {
    if (path === null) return;
    const fresh = last.current.path === path;
    const request = last.current.request + 1;
    last.current = { path, request };
    setState((s) => (s.path === path ? { ...s, loading: true } : { path, loading: true }));
    getJson(path, schema, fresh).then(
      (data) => {
        if (last.current.request === request) setState({ path, data, loading: false });
      },
      (error: unknown) => {
        if (last.current.request !== request) return;
        const apiError = error instanceof ApiError ? error : new ApiError({ detail: String(error) });
        setState((s) => ({ path, ...(s.path === path && s.data !== undefined ? { data: s.data } : {}), error: apiError, loading: false }));
      },
    );
  }, [path, version, schema, retry]);
  const current = state.path === path;
  const waiting = current && retryAfter !== undefined;
  return {
    data: current ? state.data : undefined,
    // Not an error to show while it is being computed: still loading.
    error: current && !waiting ? state.error : undefined,
    loading: !current || state.loading || waiting,
  };
}
