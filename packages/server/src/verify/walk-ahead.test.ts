import { Tally, type ResultsStatus } from '@canvass/core';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../ledger/canonical.js';
import { buildSnapshot } from '../publish/build-snapshot.js';
import { stationChildren } from '../publish/published-results.js';
import { kz2022PublicationInput } from '../publish/reference-input.js';
import { STATIONS_FILE, stationResultsPath } from '../publish/snapshot-layout.js';
import { StationEntries } from '../publish/station-entries.js';
import { StationRows, countStations, readStationsHere, stationsReadOptions } from './read-stations.js';
import { WALK_BATCH_FILES, WALK_DEPTH, walkAhead, type WalkItem } from './walk-ahead.js';
import { VerifyWorker, type WalkedFile } from './verify-worker.js';

/**
 * The reference election's 167 station-results files on disk (some changed, one missing), checked by a real worker
 * thread and by this one; and by this one alone when the worker is gone.
 */
describe('walkAhead', () => {
  let dir = '';
  let entries: StationEntries;
  let items: WalkItem[] = [];
  const published = new Map<string, Uint8Array>();
  const [changed, missing, longer] = [3, 40, 166];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'canvass-walk-'));
    const input = kz2022PublicationInput();
    const { index } = input;
    const snapshot = buildSnapshot(input);
    const csv = snapshot.files.get(STATIONS_FILE) ?? new Uint8Array();
    const reading = readStationsHere(csv, stationsReadOptions(index.election.id, index));
    const rows = new StationRows(index, reading);
    countStations(reading, csv, index, new Tally(index), rows, () => undefined);
    const status = snapshot.manifest.status;
    entries = new StationEntries(
      index,
      rows,
      (contest, complete): ResultsStatus => status[contest] ?? (complete ? 'unofficial-complete' : 'unofficial-partial'),
    );
    items = index.election.divisions.flatMap((division, at) => {
      const stations = stationChildren(index.isStation, index.childStart, index.childList, at);
      const path = stationResultsPath(division.id);
      const bytes = snapshot.files.get(path);
      if (stations.length === 0 || !bytes) return [];
      published.set(path, bytes);
      return [{ path, file: join(dir, `${division.id}.json`), stations }];
    });
    for (const [k, item] of items.entries()) {
      let bytes = published.get(item.path) ?? new Uint8Array();
      if (k === missing) continue;
      if (k === changed) bytes = new TextEncoder().encode(new TextDecoder().decode(bytes).replace('"votes":', '"votes":1'));
      if (k === longer) bytes = new Uint8Array([...bytes, 32]);
      published.set(item.path, bytes);
      await writeFile(item.file, bytes);
    }
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const collect = async (worker: VerifyWorker, here: boolean) => {
    const answers: (WalkedFile | undefined)[] = [];
    for await (const answer of walkAhead(worker, entries, items, here)) answers.push(answer);
    return answers;
  };
  /** What every file's answer must be: its size and hash as written, matched unless changed; none when missing. */
  const expected = () =>
    items.map((item, k) => {
      if (k === missing) return undefined;
      const bytes = published.get(item.path) ?? new Uint8Array();
      return { path: item.path, size: bytes.byteLength, sha256: sha256Hex(bytes), matched: k !== changed && k !== longer };
    });

  it('answers every file in order, whichever thread checked it', async () => {
    expect(items).toHaveLength(167);
    const worker = new VerifyWorker();
    try {
      expect(await collect(worker, false)).toEqual(expected());
      expect(await collect(worker, true)).toEqual(expected());
    } finally {
      await worker.close();
    }
  });

  it('sends the worker its first batches at once, before the first answer is asked for', async () => {
    const worker = new VerifyWorker();
    const sent: number[] = [];
    const walk = worker.walk.bind(worker);
    // The real worker, its requests counted.
    worker.walk = (template, files) => {
      sent.push(files.length);
      return walk(template, files);
    };
    try {
      const answers = walkAhead(worker, entries, items, true);
      expect(sent).toEqual(Array.from({ length: WALK_DEPTH }, () => WALK_BATCH_FILES));
      // Nothing is lost by asking later: every answer still comes, in order.
      const all: (WalkedFile | undefined)[] = [];
      for await (const answer of answers) all.push(answer);
      expect(all).toEqual(expected());
    } finally {
      await worker.close();
    }
  });

  it('answers a file the worker read ahead from the bytes it read then, the file read once', async () => {
    const worker = new VerifyWorker();
    const first = items[0];
    if (!first) throw new Error('no items');
    const original = published.get(first.path) ?? new Uint8Array();
    try {
      worker.prefetch(items.map(({ path, file }) => ({ path, file })));
      // Messages are answered in order, and the worker reads a file ahead between two of them: after these two the
      // first file has been read.
      await worker.hash([]);
      await worker.hash([]);
      await writeFile(first.file, '[\n]\n');
      expect(await collect(worker, true)).toEqual(expected());
    } finally {
      await writeFile(first.file, original);
      await worker.close();
    }
  });

  it('answers nothing it did not check when the worker is gone, and this thread checks what it takes', async () => {
    const worker = new VerifyWorker();
    await worker.close();
    // The batches it was sent come back unanswered (the caller reads and checks those files the general way); once
    // it has failed nothing more goes to it, and this thread checks the rest itself.
    const alone = await collect(worker, false);
    const sentFirst = WALK_DEPTH * WALK_BATCH_FILES;
    expect(alone.slice(0, sentFirst)).toEqual(items.slice(0, sentFirst).map(() => undefined));
    expect(alone.slice(sentFirst)).toEqual(expected().slice(sentFirst));
    // With this thread checking from the back, whatever it took is answered as before, the rest left to the caller.
    const answers = await collect(worker, true);
    const want = expected();
    answers.forEach((answer, k) => {
      if (answer !== undefined) expect(answer).toEqual(want[k]);
    });
    expect(answers.at(-1)).toEqual(want.at(-1));
  });
});
