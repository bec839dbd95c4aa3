import type { Chain, NightRequest } from './night-plan.js';

export interface RunOptions {
  readonly baseUrl: string;
  readonly election: string;
  /** Bearer token per account name. */
  readonly tokens: ReadonlyMap<string, string>;
  /** Wall-clock length of the night (0..1) in milliseconds; 0 = as fast as the server answers. */
  readonly durationMs: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
  readonly signal?: AbortSignal | undefined;
}

export interface RunStats {
  requests: number;
  /** Responses that were refusals the script expected (none are): reported, and the night fails. */
  failures: { readonly chain: string; readonly status: number; readonly body: string }[];
}

/** A min-heap of chains by the time of their next step. */
class Heap {
  readonly #items: { at: number; chain: Chain; step: number }[] = [];

  get size(): number {
    return this.#items.length;
  }

  push(item: { at: number; chain: Chain; step: number }): void {
    const a = this.#items;
    a.push(item);
    for (let i = a.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      const ai = a[i];
      const ap = a[p];
      if (!ai || !ap || ap.at <= ai.at) break;
      a[i] = ap;
      a[p] = ai;
      i = p;
    }
  }

  peek(): { at: number; chain: Chain; step: number } | undefined {
    return this.#items[0];
  }

  pop(): { at: number; chain: Chain; step: number } | undefined {
    const a = this.#items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if ((a[l]?.at ?? Infinity) < (a[m]?.at ?? Infinity)) m = l;
        if ((a[r]?.at ?? Infinity) < (a[m]?.at ?? Infinity)) m = r;
        if (m === i) break;
        const ai = a[i];
        const am = a[m];
        if (!ai || !am) break;
        a[i] = am;
        a[m] = ai;
        i = m;
      }
    }
    return top;
  }
}

function describe(request: NightRequest, election: string): { path: string; body: unknown; account: string } {
  const base = `/api/v1/elections/${election}`;
  switch (request.kind) {
    case 'protocol':
      return { path: `${base}/protocols`, body: request.body, account: request.account };
    case 'accept':
      return { path: `${base}/protocols/${request.station}/${request.contest}/accept`, body: {}, account: request.account };
    case 'turnout':
      return { path: `${base}/turnout/batch`, body: request.reports, account: request.account };
  }
}

/**
 * Plays the night through the real HTTP API: each chain's steps in order, at their scheduled times, with at most
 * `concurrency` requests in flight. Every request carries an Idempotency-Key (chain and step), so a retried request
 * after a network error cannot count twice.
 */
export async function runNight(chains: readonly Chain[], options: RunOptions, onStep?: (at: number) => void): Promise<RunStats> {
  const heap = new Heap();
  for (const chain of chains) {
    const first = chain.steps[0];
    if (first) heap.push({ at: first.at, chain, step: 0 });
  }
  const stats: RunStats = { requests: 0, failures: [] };
  const started = Date.now();
  const due = (at: number) => started + at * options.durationMs;

  const send = async (chain: Chain, step: number): Promise<void> => {
    const request = chain.steps[step]?.request;
    if (!request) return;
    const { path, body, account } = describe(request, options.election);
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await fetch(`${options.baseUrl}${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${options.tokens.get(account) ?? ''}`,
            ...(request.kind === 'accept' ? {} : { 'idempotency-key': `${chain.id}#${step}` }),
          },
          body: JSON.stringify(body),
          ...(options.signal ? { signal: options.signal } : {}),
        });
        const text = await response.text();
        stats.requests++;
        // 409 "in flight": the same key is still being written; ask again in a moment.
        if (response.status === 409 && text.includes('idempotency-in-flight') && attempt < 50) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          continue;
        }
        if (!response.ok) stats.failures.push({ chain: chain.id, status: response.status, body: text.slice(0, 500) });
        return;
      } catch (error) {
        if (options.signal?.aborted || attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * (attempt + 1)));
      }
    }
  };

  // A chain is out of the heap while its step runs, so it is never in two workers at once; a worker that finds the
  // heap empty waits while other steps still run (they may push their chain's next step).
  let running = 0;
  const worker = async () => {
    for (;;) {
      const next = heap.pop();
      if (!next) {
        if (running === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 5));
        continue;
      }
      running++;
      try {
        const wait = due(next.at) - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        await send(next.chain, next.step);
        onStep?.(next.at);
        const following = next.chain.steps[next.step + 1];
        if (following) heap.push({ at: Math.max(following.at, next.at), chain: next.chain, step: next.step + 1 });
      } finally {
        running--;
      }
    }
  };
  const workers = Array.from({ length: options.concurrency }, worker);
  await Promise.all(workers);
  return stats;
}
