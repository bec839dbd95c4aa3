import fc from 'fast-check';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeReadings, planChunks, readStationsBytes, type ReadOptions } from '../../workers/stations-reader.cjs';
import { STATIONS_FILE } from '../publish/snapshot-layout.js';
import { Tally } from '@canvass/core';
import { buildSnapshot } from '../publish/build-snapshot.js';
import { kz2022PublicationInput } from '../publish/reference-input.js';
import { StationRows, countStations, stationsReadOptions } from './read-stations.js';
import { VerifyWorker } from './verify-worker.js';

const options: ReadOptions = stationsReadOptions('e1');
const header = 'election,contest,station,version,accepted,hash,reason,voters,ballots-issued,votes:a,votes:b';

/** A data row: most valid (with a wrong hash, reported), some broken in one way or another. */
const row = fc.oneof(
  fc
    .tuple(fc.constantFrom('c1', 'c2'), fc.integer({ min: 1, max: 99 }), fc.nat(2000), fc.nat(2000), fc.nat(900), fc.nat(900))
    .map(([contest, s, voters, issued, a, b]) => `e1,${contest},s-${s},1,true,${'0'.repeat(64)},,${voters},${issued},${a},${b}`),
  fc.constantFrom('', 'e1,c1', 'e2,c1,s-1,1,true,x,,1,1,1,1', 'e1,c1,s-2,0,maybe,x,,-1,007,1,1', '\r'),
);

/** A reading as plain data; figures kept in parts (`mergeReadings(…, true)`) laid end to end as one merge lays them. */
const shape = ({ figureParts, ...reading }: ReturnType<typeof readStationsBytes>) => ({
  ...reading,
  figures: figureParts
    ? figureParts.flatMap((part, k) =>
        Array.from(part.figures.subarray(0, ((figureParts[k + 1]?.start ?? reading.counted) - part.start) * reading.columns.length)),
      )
    : Array.from(reading.figures),
  rowLine: Array.from(reading.rowLine),
  rowContest: Array.from(reading.rowContest),
  rowStation: Array.from(reading.rowStation),
});

describe('stations.csv in parts', () => {
  it('reads, part by part and merged, exactly what it reads in one go', () => {
    const layout = fc.record({
      crlf: fc.boolean(),
      bom: fc.boolean(),
      blankLinesBefore: fc.nat(30),
      lastLineEnds: fc.boolean(),
      // A header with a column twice: reported once, on line 1 or wherever the header is.
      head: fc.constantFrom(header, `${header},voters`),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), layout, fc.integer({ min: 1, max: 400 }), (rows, how, size) => {
        const eol = how.crlf ? '\r\n' : '\n';
        const text = `${how.bom ? '\ufeff' : ''}${eol.repeat(how.blankLinesBefore)}${[how.head, ...rows].join(eol)}${how.lastLineEnds ? eol : ''}`;
        const bytes = new TextEncoder().encode(text);
        const whole = readStationsBytes(bytes, options);
        const chunks = planChunks(bytes, size);
        if (!chunks) return;
        expect(chunks[0]?.from).toBe(0);
        expect(chunks.at(-1)?.to).toBe(bytes.length);
        const readings = chunks.map((chunk) => readStationsBytes(bytes, options, chunk));
        expect(shape(mergeReadings(readings))).toEqual(shape(whole));
      }),
      { numRuns: 300 },
    );
  });

  it('does not cut a file with a quote anywhere (a quoted field may span lines), nor a small one', () => {
    const rows = Array.from({ length: 100 }, (_, i) => `e1,c1,s-${i},1,true,${'0'.repeat(64)},,1,1,1,0`);
    const bytes = new TextEncoder().encode([header, ...rows].join('\n'));
    expect(planChunks(bytes, 1000)?.length).toBeGreaterThan(5);
    expect(planChunks(bytes, bytes.length)).toBeNull();
    const quoted = new TextEncoder().encode([header, ...rows, 'e1,c1,"s-x\ny",1,true,,,1,1,1,0'].join('\n'));
    expect(planChunks(quoted, 1000)).toBeNull();
    expect(planChunks(new TextEncoder().encode('\r\n'.repeat(5000)), 100)).toBeNull();
  });

  it('reports header problems once, with the first part', () => {
    const text = [`${header},nonsense`, ...Array.from({ length: 50 }, (_, i) => `e1,c1,s-${i},1,true,x,,1,1,1,0,`)].join('\n');
    const bytes = new TextEncoder().encode(text);
    const exact = { ...options, columns: { lines: ['voters', 'ballots-issued'], options: ['a', 'b'] } };
    const chunks = planChunks(bytes, 200) ?? [];
    const merged = mergeReadings(chunks.map((chunk) => readStationsBytes(bytes, exact, chunk)));
    const whole = readStationsBytes(bytes, exact);
    expect(merged.problems.filter((p) => 'line' in p && p.line === 1)).toHaveLength(1);
    expect(shape(merged)).toEqual(shape(whole));
    expect(whole.problems[0]).toMatchObject({ file: STATIONS_FILE, line: 1, column: 'nonsense' });
  });
});

describe('stations.csv shared between the worker and this thread', () => {
  it('reads the parts in both threads and merges them into the whole reading', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'canvass-parts-'));
    const worker = new VerifyWorker();
    try {
      const rows = Array.from(
        { length: 100_000 },
        (_, i) => `e1,c${1 + (i % 2)},s-${i},1,true,${'0'.repeat(64)},,${i},${i % 7},${i % 3},0`,
      );
      const text = `${[header, ...rows].join('\n')}\n`;
      const file = join(dir, 'stations.csv');
      await writeFile(file, text);
      const answer = worker.readStations(file, options, 8 * 1024);
      const here = worker.help();
      const read = await answer;
      // Some 1,200 parts, a third of a second's reading or more: this thread, woken when they are offered, takes some;
      // the worker the others.
      expect(here).toBeGreaterThan(0);
      expect(read?.parts.here).toBe(here);
      expect(read?.parts.there).toBeGreaterThan(0);
      expect(read && shape(read.reading)).toEqual(shape(readStationsBytes(new TextEncoder().encode(text), options)));
    } finally {
      await worker.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('StationRows over parts', () => {
  it('gives every station the figures it has when the parts are merged into one array', () => {
    const input = kz2022PublicationInput();
    const { index } = input;
    const csv = buildSnapshot(input).files.get(STATIONS_FILE) ?? new Uint8Array();
    const exact = stationsReadOptions(index.election.id, index);
    const chunks = planChunks(csv, 64 * 1024) ?? [];
    expect(chunks.length).toBeGreaterThan(20);
    const readings = chunks.map((chunk) => readStationsBytes(csv, exact, chunk));
    const kept = mergeReadings(readings, true);
    const copied = mergeReadings(readings);
    // Nothing copied: the parts' own arrays, and an empty merged one.
    expect(kept.figures.length).toBe(0);
    expect(kept.figureParts?.map((p) => p.figures)).toEqual(readings.map((r) => r.figures));
    const rowsOf = (reading: typeof kept) => {
      const rows = new StationRows(index, reading);
      countStations(reading, csv, index, new Tally(index), rows, () => undefined);
      return rows;
    };
    const fromParts = rowsOf(kept);
    const fromOne = rowsOf(copied);
    const contest = index.contests[0];
    if (!contest) throw new Error('no contest');
    const a = new Float64Array(contest.layout.width);
    const b = new Float64Array(contest.layout.width);
    let stations = 0;
    for (let at = 0; at < index.divisionCount; at++) {
      if (!index.isStation[at]) continue;
      stations++;
      expect(fromParts.figuresAt(contest, at, a)).toBe(fromOne.figuresAt(contest, at, b));
      expect(Array.from(a)).toEqual(Array.from(b));
    }
    expect(stations).toBe(10_101);
  });
});
