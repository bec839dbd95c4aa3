/**
 * The verifier's second thread (workers/verify-files.cjs): `stations.csv` is read and checked there — when large, in
 * parts that this thread reads too once it is free (`help`) — while this thread parses `election.json`, and the other
 * files are hashed there while this one compares results. Plain CommonJS beside `src/` and `dist/` alike, so the same
 * URL finds it from the sources (tests) and from the build (CLI).
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort, type Transferable } from 'node:worker_threads';
import {
  mergeReadings,
  readStationsBytes,
  type Chunk,
  type ReadOptions,
  type StationsBytesReading,
} from '../../workers/stations-reader.cjs';
import type { WalkPlan, WalkTemplate } from '../../workers/station-walk.cjs';

export interface StationsAnswer {
  readonly reading: StationsBytesReading;
  /** SHA-256 (hex) of the whole file. */
  readonly sha256: string;
  /** The file's bytes, handed back. */
  readonly bytes: Uint8Array;
  /** How many parts each thread read (the whole file is one part when it was not cut). */
  readonly parts: { readonly here: number; readonly there: number };
}

export interface HashedFile {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

/** A station-results file read, hashed and checked against its plan there. */
export interface WalkedFile extends HashedFile {
  /** Exactly the planned text; when false the main thread checks the file the precise way, to say where it differs. */
  readonly matched: boolean;
}

type Answer = { readonly id: number; readonly error?: string } & Record<string, unknown>;

/** One part of `stations.csv` as one thread read it. */
interface PartReading {
  readonly chunk: number;
  readonly reading: StationsBytesReading;
}

/** What the worker offers to share while it reads `stations.csv`: the file in shared memory and its parts. */
interface Share {
  readonly bytes: Uint8Array;
  readonly chunks: readonly Chunk[];
  readonly claim: Int32Array;
}

export class VerifyWorker {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, { resolve: (answer: Answer) => void; reject: (error: Error) => void }>();
  #next = 0;
  #failed: Error | undefined;
  /** While `stations.csv` is read there: where its parts are offered, how they are read, and those read here. */
  #share: { port: MessagePort; offered: Int32Array; options: ReadOptions } | undefined;
  readonly #helped: PartReading[] = [];
  #helpFailed: Error | undefined;

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

  #ask(message: Record<string, unknown>, transfer: Transferable[] = []): Promise<Answer> {
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
  async readStations(source: Uint8Array | string, options: ReadOptions, chunkBytes?: number): Promise<StationsAnswer | undefined> {
    let answer: Answer;
    if (typeof source === 'string') {
      const { port1, port2 } = new MessageChannel();
      const offered = new Int32Array(new SharedArrayBuffer(4));
      this.#share = { port: port1, offered, options };
      try {
        answer = await this.#ask({ kind: 'stations', file: source, options, port: port2, offered, chunkBytes }, [port2]);
      } finally {
        this.#share = undefined;
        port1.close();
      }
    } else {
      const own = source.byteOffset === 0 && source.byteLength === source.buffer.byteLength && source.buffer instanceof ArrayBuffer;
      const moved = own ? source : source.slice();
      answer = await this.#ask({ kind: 'stations', bytes: moved, options }, [moved.buffer as ArrayBuffer]);
    }
    if (answer['missing'] === true) return undefined;
    if (this.#helpFailed) throw new Error(`verify worker: reading parts here failed: ${this.#helpFailed.message}`);
    const there = answer['readings'] as PartReading[];
    const here = this.#helped.splice(0);
    const parts = [...there, ...here].sort((a, b) => a.chunk - b.chunk);
    const chunks = typeof answer['chunks'] === 'number' ? answer['chunks'] : 1;
    if (parts.length !== chunks || parts.some((part, k) => part.chunk !== k))
      throw new Error(`verify worker: parts ${parts.map((p) => p.chunk).join(',')} of ${chunks} read (bug)`);
    return {
      // The figures stay in the parts' arrays (StationRows reads them there): no 80 MB copy for a million rows.
      reading: mergeReadings(
        parts.map((part) => part.reading),
        true,
      ),
      sha256: answer['sha256'] as string,
      bytes: answer['bytes'] as Uint8Array,
      parts: { here: here.length, there: there.length },
    };
  }

  /**
   * Reads parts of `stations.csv` here, now, while the worker reads the others, when it offers them (the file is
   * large and has no quotes). The main thread calls this when it has nothing else to do; if the worker is still
   * reading the file from disk, it waits for its offer (at most `waitMs`). Returns the number of parts read here.
   * Should reading a part fail here, the answer of `readStations` fails too, and the caller reads the file anew.
   */
  help(waitMs = 2000): number {
    const share = this.#share;
    if (!share) return 0;
    if (Atomics.load(share.offered, 0) === 0) Atomics.wait(share.offered, 0, 0, waitMs);
    const offer = receiveMessageOnPort(share.port)?.message as Share | undefined;
    if (!offer) return 0;
    const { bytes, chunks, claim } = offer;
    try {
      for (let k = Atomics.add(claim, 0, 1); k < chunks.length; k = Atomics.add(claim, 0, 1)) {
        const chunk = chunks[k];
        if (chunk) this.#helped.push({ chunk: k, reading: readStationsBytes(bytes, share.options, chunk) });
      }
    } catch (error) {
      this.#helpFailed = error instanceof Error ? error : new Error(String(error));
    }
    return this.#helped.length;
  }

  /** Size and SHA-256 of each file that exists (`file`: its absolute path). */
  async hash(files: readonly { readonly path: string; readonly file: string }[]): Promise<HashedFile[]> {
    const answer = await this.#ask({ kind: 'hash', files });
    return answer['hashed'] as HashedFile[];
  }

  /**
   * Reads, hashes and checks there each station-results file against its plan (`StationEntries.plan`; the plans'
   * buffers are moved, not copied, and their `values` buffers moved back in `buffers`, for later plans). Files that do
   * not exist are left out.
   */
  async walk(template: WalkTemplate, files: readonly { readonly path: string; readonly file: string; readonly plan: WalkPlan }[]) {
    const transfer = files.flatMap(
      ({ plan }) => [plan.ids.buffer, plan.idEnd.buffer, plan.steps.buffer, plan.values.buffer] as ArrayBuffer[],
    );
    const answer = await this.#ask({ kind: 'walk', template, files }, transfer);
    return { walked: answer['walked'] as WalkedFile[], buffers: answer['buffers'] as ArrayBuffer[] };
  }

  /**
   * The station-results files that `walk` will ask for, in that order: the worker reads and hashes them ahead while
   * it would otherwise wait for their plans. Not answered; a file it cannot read is read again by the walk.
   */
  prefetch(files: readonly { readonly path: string; readonly file: string }[]): void {
    if (!this.#failed) this.#worker.postMessage({ kind: 'prefetch', files });
  }

  /** Files this thread checks itself: the worker does not read them ahead (or lets go of them). */
  skip(paths: readonly string[]): void {
    if (!this.#failed) this.#worker.postMessage({ kind: 'skip', paths });
  }

  async close(): Promise<void> {
    this.#failed ??= new Error('verify worker closed');
    await this.#worker.terminate();
  }
}
