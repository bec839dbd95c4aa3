/**
 * The verifier's second thread (workers/verify-files.cjs): `stations.csv` is read and checked there while this
 * thread parses `election.json`, and the other files are hashed there while this one compares results. Plain
 * CommonJS beside `src/` and `dist/` alike, so the same URL finds it from the sources (tests) and from the build (CLI).
 */
import { Worker } from 'node:worker_threads';
import type { ReadOptions, StationsBytesReading } from '../../workers/stations-reader.cjs';

export interface StationsAnswer {
  readonly reading: StationsBytesReading;
  /** SHA-256 (hex) of the whole file. */
  readonly sha256: string;
  /** The file's bytes, handed back. */
  readonly bytes: Uint8Array;
}

export interface HashedFile {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

type Answer = { readonly id: number; readonly error?: string } & Record<string, unknown>;

export class VerifyWorker {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, { resolve: (answer: Answer) => void; reject: (error: Error) => void }>();
  #next = 0;
  #failed: Error | undefined;

  constructor() {
    this.#worker = new Worker(new URL('../../workers/verify-files.cjs', import.meta.url));
    this.#worker.on('message', (answer: Answer) => {
      const waiting = this.#waiting.get(answer.id);
      this.#waiting.delete(answer.id);
      if (answer.error !== undefined) waiting?.reject(new Error(`verify worker: ${answer.error}`));
      else waiting?.resolve(answer);
    });
    this.#worker.on('error', (error) => {
      this.#fail(error);
    });
    this.#worker.on('exit', () => {
      this.#fail(new Error('verify worker exited'));
    });
  }

  #fail(error: Error): void {
    this.#failed ??= error;
    for (const waiting of this.#waiting.values()) waiting.reject(error);
    this.#waiting.clear();
  }

  #ask(message: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<Answer> {
    if (this.#failed) return Promise.reject(this.#failed);
    const id = this.#next++;
    return new Promise<Answer>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.#worker.postMessage({ ...message, id }, transfer);
    });
  }

  /**
   * Reads `stations.csv` there, from `source`: its bytes (moved to the worker and back in the answer, not copied) or
   * its absolute path (read there: a read here would wait for this thread, busy parsing the election). Undefined when
   * the file is missing.
   */
  async readStations(source: Uint8Array | string, options: ReadOptions): Promise<StationsAnswer | undefined> {
    let answer: Answer;
    if (typeof source === 'string') {
      answer = await this.#ask({ kind: 'stations', file: source, options });
    } else {
      const own = source.byteOffset === 0 && source.byteLength === source.buffer.byteLength && source.buffer instanceof ArrayBuffer;
      const moved = own ? source : source.slice();
      answer = await this.#ask({ kind: 'stations', bytes: moved, options }, [moved.buffer as ArrayBuffer]);
    }
    return answer['missing'] === true ? undefined : (answer as unknown as StationsAnswer);
  }

  /** Size and SHA-256 of each file that exists (`file`: its absolute path). */
  async hash(files: readonly { readonly path: string; readonly file: string }[]): Promise<HashedFile[]> {
    const answer = await this.#ask({ kind: 'hash', files });
    return answer['hashed'] as HashedFile[];
  }

  async close(): Promise<void> {
    this.#failed ??= new Error('verify worker closed');
    await this.#worker.terminate();
  }
}
