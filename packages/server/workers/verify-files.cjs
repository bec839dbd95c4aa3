'use strict';
/**
 * The snapshot verifier's second thread (src/verify/verify-worker.ts): reads and checks `stations.csv` while the
 * main thread parses `election.json`, then reads and hashes the other files of the version from disk, so that the
 * main thread only compares results. Answers one message at a time, in order:
 * - `{ id, kind: 'stations', bytes | file, options, port?, offered?, chunkBytes? }` → `{ id, readings, chunks, sha256,
 *   bytes }` (the bytes, given or read from the absolute path `file`, and the typed arrays transferred, not copied),
 *   or `{ id, missing: true }`. With `port`, a file read here is read into shared memory and, when it is large, cut
 *   into parts (`planChunks`) that both threads read: `{ bytes, chunks, claim }` goes to `port` at once, then
 *   `offered[0]` is set to 1 and the main thread woken (also when nothing is offered), and each thread takes the next
 *   part with `Atomics.add(claim, 0, 1)` until none is left. `readings` are this thread's, as `{ chunk, reading }`,
 *   and `chunks` the number of parts (absent: one reading of the whole file);
 * - `{ id, kind: 'hash', files: [{ path, file }] }` → `{ id, hashed: [{ path, size, sha256 }] }` for the files that
 *   exist (`file` is the absolute path; a missing one is left out: the main thread reports it).
 * - `{ id, kind: 'walk', template, files: [{ path, file, plan }] }` → `{ id, walked: [{ path, size, sha256, matched }],
 *   buffers }`:
 *   as `hash`, and each file also checked against its plan with `walkStations` (station-walk.cjs); a file not
 *   matched is checked again by the main thread, the precise way; `buffers` are the plans' values buffers, moved
 *   back for later plans. A file prefetched (below) is not read again.
 * - `{ kind: 'prefetch', files: [{ path, file }] }`, not answered: the station-results files the walks will ask for,
 *   in the order they will; between messages, while it would otherwise wait for the main thread's plans, this thread
 *   reads and hashes them ahead (at most PREFETCH_BYTES held). A file that cannot be read is left for the walk,
 *   which reads it again and answers as it would have.
 * - `{ kind: 'skip', paths }`, not answered: files the main thread checks itself; not prefetched, or let go.
 * A failure answers `{ id, error }`.
 */
const { parentPort } = require('node:worker_threads');
const { closeSync, fstatSync, openSync, readSync } = require('node:fs');
const { hash } = require('node:crypto');
const { planChunks, readStationsBytes } = require('./stations-reader.cjs');
const { walkStations } = require('./station-walk.cjs');

/** Parts of `stations.csv` that the two threads share out: about 4 MB, some 23,000 rows, each. */
const CHUNK_BYTES = 4 << 20;

let buffer = new Uint8Array(1 << 20);

/** Bytes of station-results files held read and hashed ahead of the walks that ask for them. */
const PREFETCH_BYTES = 192 << 20;

/** The prefetch: files to read ahead, in order; those read (`ready`); those not to read (walked or skipped). */
const ahead = { files: [], next: 0, ready: new Map(), held: 0, done: new Set(), scheduled: false };

/** Reads and hashes the next file ahead, then lets any waiting message in before the one after. */
function prefetchNext() {
  ahead.scheduled = false;
  while (ahead.next < ahead.files.length && ahead.held < PREFETCH_BYTES) {
    const { path, file } = ahead.files[ahead.next++];
    if (ahead.done.has(path) || ahead.ready.has(path)) continue;
    try {
      const bytes = readPooled(file);
      if (bytes) {
        ahead.ready.set(path, { bytes, sha256: hash('sha256', bytes, 'hex') });
        ahead.held += bytes.byteLength;
      }
    } catch {
      // Left for the walk, which reads it again and answers as it would have.
    }
    break;
  }
  schedulePrefetch();
}

function schedulePrefetch() {
  if (ahead.scheduled || ahead.next >= ahead.files.length || ahead.held >= PREFETCH_BYTES) return;
  ahead.scheduled = true;
  setImmediate(prefetchNext);
}

/** A prefetched file's bytes and hash, taken out; undefined when it was not prefetched. `release` them when done. */
function takePrefetched(path) {
  ahead.done.add(path);
  const ready = ahead.ready.get(path);
  if (!ready) return undefined;
  ahead.ready.delete(path);
  ahead.held -= ready.bytes.byteLength;
  return ready;
}

/**
 * Buffers of prefetched files let go of, for the next files read ahead: memory touched once (fresh memory costs a
 * page fault per page, which showed as a fifth of the reading). Sizes in whole megabytes, so that they fit again.
 */
const pool = [];

function readPooled(file) {
  return readWhole(file, (size) => {
    const k = pool.findIndex((b) => b.byteLength > size);
    return k >= 0 ? new Uint8Array(pool.splice(k, 1)[0]) : new Uint8Array(Math.ceil((size + 1) / MB) * MB);
  });
}

const MB = 1 << 20;

function release(bytes) {
  if (pool.length < 64) pool.push(bytes.buffer);
}

/**
 * The file's bytes, or undefined when it is missing: in a buffer reused from file to file (fresh memory is slow to
 * touch) or, with `own`, in a buffer of its own (to hand to the main thread, or to keep).
 */
function readFile(file, own, shared = false) {
  const bytes = readWhole(file, (size) => {
    if (own) return new Uint8Array(shared ? new SharedArrayBuffer(size + 1) : new ArrayBuffer(size + 1));
    if (size + 1 > buffer.length) buffer = new Uint8Array(Math.max(size + 1, buffer.length * 2));
    return buffer;
  });
  // The reused buffer, should it have grown while the file was read, is kept grown.
  if (bytes && !own && bytes.buffer !== buffer.buffer) buffer = new Uint8Array(bytes.buffer);
  return bytes;
}

/**
 * Reads the whole file into `room(size)` (a buffer with room for at least `size + 1` bytes, so that the end shows
 * as a read of 0), growing it should the file grow meanwhile: its bytes, or undefined when the file is missing.
 */
function readWhole(file, room) {
  let fd;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    if (error.code === 'ENOENT' || error.code === 'EISDIR' || error.code === 'ENOTDIR') return undefined;
    throw error;
  }
  try {
    let into = room(fstatSync(fd).size);
    let length = 0;
    for (;;) {
      if (length === into.length) {
        const bigger = new Uint8Array(into.length * 2);
        bigger.set(into);
        into = bigger;
      }
      const read = readSync(fd, into, length, into.length - length, null);
      if (read === 0) break;
      length += read;
    }
    return into.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

parentPort.on('message', (message) => {
  const { id } = message;
  try {
    if (message.kind === 'stations') {
      const { options, port, offered } = message;
      // `offered` is set (and the main thread woken) once the parts are offered, or it is clear there will be none.
      let bytes;
      let shared = false;
      let chunks;
      const claim = new Int32Array(new SharedArrayBuffer(4));
      try {
        bytes = message.bytes ?? readFile(message.file, true, port !== undefined);
        shared = bytes?.buffer instanceof SharedArrayBuffer;
        chunks = shared ? (planChunks(bytes, message.chunkBytes ?? CHUNK_BYTES) ?? undefined) : undefined;
        if (chunks) port.postMessage({ bytes, chunks, claim });
      } finally {
        port?.close();
        if (offered) {
          Atomics.store(offered, 0, 1);
          Atomics.notify(offered, 0);
        }
      }
      if (!bytes) {
        parentPort.postMessage({ id, missing: true });
        return;
      }
      const sha256 = hash('sha256', bytes, 'hex');
      const readings = [];
      if (chunks) {
        for (let k = Atomics.add(claim, 0, 1); k < chunks.length; k = Atomics.add(claim, 0, 1))
          readings.push({ chunk: k, reading: readStationsBytes(bytes, options, chunks[k]) });
      } else {
        readings.push({ chunk: 0, reading: readStationsBytes(bytes, options) });
      }
      const transfer = shared ? [] : [bytes.buffer];
      for (const { reading } of readings)
        transfer.push(reading.figures.buffer, reading.rowLine.buffer, reading.rowContest.buffer, reading.rowStation.buffer);
      parentPort.postMessage({ id, readings, chunks: chunks?.length, sha256, bytes }, transfer);
    } else if (message.kind === 'hash') {
      const hashed = [];
      for (const { path, file } of message.files) {
        const bytes = readFile(file, false);
        if (bytes) hashed.push({ path, size: bytes.byteLength, sha256: hash('sha256', bytes, 'hex') });
      }
      parentPort.postMessage({ id, hashed });
    } else if (message.kind === 'walk') {
      const walked = [];
      for (const { path, file, plan } of message.files) {
        const ready = takePrefetched(path);
        const bytes = ready ? ready.bytes : readFile(file, false);
        if (bytes)
          walked.push({
            path,
            size: bytes.byteLength,
            sha256: ready ? ready.sha256 : hash('sha256', bytes, 'hex'),
            matched: walkStations(message.template, bytes, plan),
          });
        if (ready) release(ready.bytes);
      }
      // The plans' values buffers go back, for the main thread's next plans (fresh memory is slow to touch).
      const buffers = message.files.map(({ plan }) => plan.values.buffer);
      parentPort.postMessage({ id, walked, buffers }, buffers);
      schedulePrefetch();
    } else if (message.kind === 'prefetch') {
      ahead.files.push(...message.files);
      schedulePrefetch();
    } else if (message.kind === 'skip') {
      for (const path of message.paths) {
        const ready = takePrefetched(path);
        if (ready) release(ready.bytes);
      }
    } else {
      parentPort.postMessage({ id, error: `unknown request ${String(message.kind)}` });
    }
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
