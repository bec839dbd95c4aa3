/**
 * The verifier's station-results files, read, hashed and checked against their plans (`StationEntries.plan`) by
 * both threads: batches go to the worker from the front and, while the main thread waits for the worker's answer,
 * it checks batches itself from the back — each file read once, by one thread. Answers come in file order.
 */
import { readFileSync } from 'node:fs';
import { sha256Hex } from '../ledger/canonical.js';
import type { StationEntries } from '../publish/station-entries.js';
import type { VerifyWorker, WalkedFile } from './verify-worker.js';

/**
 * Station-results files per batch, and batches in flight at the worker (the plans for the next are made meanwhile).
 * With its files read ahead (`VerifyWorker.prefetch`) the worker answers a batch quickly: 16 × 4 kept it busy where
 * 32 × 2 left it waiting for plans while this thread checked a batch of its own (1M stations: 4.84 s against 5.12 s,
 * medians of 5).
 */
export const WALK_BATCH_FILES = 16;
export const WALK_DEPTH = 4;

export type WalkItem = { readonly path: string; readonly file: string; readonly stations: readonly number[] };

/**
 * Each item's file read, hashed and checked against its plan, in order: its answer, or undefined when the file is
 * missing or could not be checked (then the caller reads and checks it the general way). Batches go to the worker
 * from the front; while this thread waits for the worker's answer, it checks batches itself, from the back (`here`).
 *
 * The first batches go to the worker at once, not when the first answer is asked for: the caller has other files to
 * check first (the divisions' results), and the worker would wait idle meanwhile. Further batches are sent as the
 * worker answers, whenever this thread lets the answers in.
 */
export function walkAhead(
  worker: VerifyWorker,
  entries: StationEntries,
  items: readonly WalkItem[],
  here: boolean,
): AsyncGenerator<WalkedFile | undefined, void, undefined> {
  const batches: (readonly WalkItem[])[] = [];
  for (let i = 0; i < items.length; i += WALK_BATCH_FILES) batches.push(items.slice(i, i + WALK_BATCH_FILES));
  const answers: (Map<string, WalkedFile> | undefined)[] = [];
  const sent: Promise<void>[] = [];
  let front = 0; // batches before it went to the worker
  let back = batches.length; // batches from it on were checked here
  let inFlight = 0;
  let failed = false;
  const send = () => {
    while (!failed && inFlight < WALK_DEPTH && front < back) {
      const k = front++;
      inFlight++;
      const files = (batches[k] ?? []).flatMap(({ path, file, stations }) => {
        const plan = entries.plan(stations);
        return plan ? [{ path, file, plan }] : [];
      });
      sent[k] = worker.walk(entries.template, files).then(
        ({ walked, buffers }) => {
          for (const buffer of buffers) entries.recycle(buffer);
          answers[k] = new Map(walked.map((w) => [w.path, w]));
          inFlight--;
          send();
        },
        () => {
          // The worker is gone: nothing more goes to it; what it had, and every batch not sent, is checked here.
          answers[k] = new Map();
          inFlight--;
          failed = true;
        },
      );
    }
  };
  send();
  return answersInOrder();

  async function* answersInOrder(): AsyncGenerator<WalkedFile | undefined, void, undefined> {
    for (let k = 0; k < batches.length; k++) {
      while (answers[k] === undefined) {
        const pending = sent[k];
        if (pending === undefined) {
          // Neither sent nor checked here (the worker failed; otherwise batches are sent in order as answers come).
          answers[k] = walkHere(entries, batches[k] ?? []);
        } else if (here && front < back) {
          // The worker has batch k (or will as soon as one is answered): check the last batch left here meanwhile.
          const j = --back;
          worker.skip((batches[j] ?? []).map((item) => item.path));
          answers[j] = walkHere(entries, batches[j] ?? []);
          // Let the worker's answers in.
          await new Promise((resolve) => setImmediate(resolve));
        } else {
          await pending;
          // Both outcomes answer it; were it somehow not, it is checked here rather than waited for forever.
          answers[k] ??= walkHere(entries, batches[k] ?? []);
        }
      }
      const answered = answers[k];
      for (const { path } of batches[k] ?? []) yield answered?.get(path);
    }
  }
}

/** What the worker does with a batch, done here. */
function walkHere(entries: StationEntries, batch: readonly WalkItem[]): Map<string, WalkedFile> {
  const walked = new Map<string, WalkedFile>();
  for (const { path, file, stations } of batch) {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(file);
    } catch {
      continue; // missing or unreadable: the caller reads it and says so
    }
    walked.set(path, { path, size: bytes.byteLength, sha256: sha256Hex(bytes), matched: entries.matches(bytes, stations) });
  }
  return walked;
}
