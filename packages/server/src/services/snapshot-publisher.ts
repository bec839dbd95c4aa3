import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Projection } from '../domain/projection.js';
import type { ServerKey } from '../ledger/server-key.js';
import { publicationInputOf } from '../publish/projection-input.js';
import { writeSnapshot, type SnapshotInfo } from '../publish/write-snapshot.js';

/**
 * Publishes every election's results as immutable, signed snapshot versions (publish/), coalesced: at most one
 * write in progress, at most about one per second, and — since building a snapshot runs on the event loop —
 * never more often than leaves it 80 % of its time for requests (the pause after a write is 4× its duration).
 * Each write reflects the latest state; changes during a write trigger the next one.
 */
export class SnapshotPublisher {
  readonly #projection: Projection;
  readonly #key: ServerKey;
  readonly #root: string;
  readonly #clock: () => Date;
  readonly #published = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #earliest = 0;
  #closed = false;
  readonly #listener = () => {
    this.#schedule();
  };
  /** The last snapshot written per election, and failures (never thrown into the request path). */
  readonly latest = new Map<string, SnapshotInfo>();
  lastError: Error | undefined;

  constructor(projection: Projection, key: ServerKey, root: string, clock: () => Date = () => new Date()) {
    this.#projection = projection;
    this.#key = key;
    this.#root = root;
    this.#clock = clock;
    try {
      mkdirSync(root, { recursive: true });
    } catch (error) {
      this.lastError = error as Error;
    }
    projection.listeners.add(this.#listener);
    this.#schedule();
  }

  /** Where an election's snapshots live. */
  directory(election: string): string {
    return join(this.#root, election);
  }

  #schedule(): void {
    if (this.#closed || this.#timer || this.#running) return;
    const wait = Math.max(0, this.#earliest - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#running = this.#publishChanged().finally(() => {
        this.#running = undefined;
        if (this.#dirty()) this.#schedule();
      });
    }, wait);
  }

  #dirty(): boolean {
    for (const [id, state] of this.#projection.elections) if (this.#published.get(id) !== state.resultsVersion) return true;
    return false;
  }

  async #publishChanged(): Promise<void> {
    for (const [id, state] of this.#projection.elections) {
      const version = state.resultsVersion;
      if (this.#published.get(id) === version) continue;
      const started = Date.now();
      try {
        const info = await writeSnapshot(
          publicationInputOf(this.#projection, state, this.#clock()),
          this.directory(id),
          this.#key.privateKey,
        );
        this.latest.set(id, info);
        this.#published.set(id, version);
      } catch (error) {
        // Never thrown into the request path, but never silent: the operator sees it, and /health reports it.
        this.lastError = error as Error;
        process.stderr.write(`canvass: snapshot of election ${id} not written: ${(error as Error).message}\n`);
      }
      const took = Date.now() - started;
      this.#earliest = Date.now() + Math.max(1000 - took, 4 * took);
    }
  }

  /** Publishes whatever changed now and waits for it (for shutdown and tests). */
  async flush(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#running) await this.#running;
    if (this.#dirty()) await this.#publishChanged();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#projection.listeners.delete(this.#listener);
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#running) await this.#running;
  }
}
