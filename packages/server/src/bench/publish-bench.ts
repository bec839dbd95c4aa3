/**
 * Publication benchmark: writes and verifies a snapshot of the 10,101-station reference election and of a
 * synthetic election with a million stations (country → 20 regions → 2,000 districts → 1,000,000 stations,
 * 10 options, protocols generated on demand), with station-level results grouped per district (the default) and
 * without them. Prints figures only; targets (issue): snapshot of 10,101 stations < 1 s, of 1,000,000 < 60 s;
 * verification ≥ 200,000 stations/s.
 *
 * Verification is timed as an observer runs it: `canvass verify --format json` in a process of its own, wall clock
 * from spawn to exit (Node's start-up and loading the verifier included), not inside this process, whose heap still
 * holds the writer's garbage (about 2 GB after writing a million stations); three runs, the median reported.
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { PublicationInput } from '../publish/publication-input.js';
import { kz2022PublicationInput } from '../publish/reference-input.js';
import type { StationResultsLayout } from '../publish/snapshot-layout.js';
import { syntheticPublicationInput } from '../publish/synthetic-input.js';
import { writeSnapshot } from '../publish/write-snapshot.js';
import { publicKeyPem } from '../publish/manifest.js';
import type { VerifyReport } from '../verify/verify-report.js';

const CLI = fileURLToPath(new URL('../../bin/canvass.js', import.meta.url));

/** A full garbage collection of this process (V8's `gc`, exposed for the call). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
}
const VERIFY_ROUNDS = 3;

/** `canvass verify DIR --public-key KEY --format json` in its own process: its report and the wall-clock seconds. */
async function verifyByCli(dir: string, keyFile: string): Promise<{ report: VerifyReport; wall: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'verify', dir, '--public-key', keyFile, '--format', 'json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const wall = (performance.now() - started) / 1000;
  if (code !== 0 && code !== 1) throw new Error(`canvass verify exited with ${String(code)}: ${err}`);
  return { report: JSON.parse(out) as VerifyReport, wall };
}

const n = (x: number) => Math.round(x).toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const peakRss = () => `${n(process.resourceUsage().maxRSS / 1024)} MB`;

export interface PublishBenchOptions {
  /** Stations of the synthetic election (default 1,000,000; 0 skips it). */
  readonly syntheticStations?: number | undefined;
}

export async function benchPublish(options: PublishBenchOptions = {}): Promise<void> {
  const { privateKey } = generateKeyPairSync('ed25519');
  const root = await mkdtemp(join(tmpdir(), 'canvass-publish-bench-'));
  const now = new Date('2022-11-21T04:00:00Z');
  try {
    await run('KZ 2022', () => kz2022PublicationInput(now), join(root, 'kz'), privateKey, 'grouped');
    const stations = options.syntheticStations ?? 1_000_000;
    if (stations > 0) {
      const spec = { stations, regions: 20, districts: Math.max(20, Math.round(stations / 500)), options: 10, seed: 1 };
      for (const layout of ['grouped', 'none'] as const)
        await run('synthetic', () => syntheticPublicationInput(spec, now), join(root, `synthetic-${layout}`), privateKey, layout);
    }
    console.log(`publish  peak RSS ${peakRss()}`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/**
 * Builds the input, writes the snapshot, lets go of the input (a verifier has only the files), then verifies.
 */
async function run(
  name: string,
  makeInput: () => PublicationInput,
  dir: string,
  privateKey: KeyObject,
  layout: StationResultsLayout,
): Promise<void> {
  let started = performance.now();
  let input: PublicationInput | undefined = makeInput();
  const stations = input.counted.size;
  const label = `${n(stations)} stations`;
  console.log(`publish  input  ${label} (${name}): ${seconds(performance.now() - started)} to build and count (RSS peak ${peakRss()})`);
  started = performance.now();
  const info = await writeSnapshot(input, dir, privateKey, { stationResults: layout });
  const written = performance.now() - started;
  input = undefined;
  console.log(
    `publish  ${label} (station results ${layout}): ${seconds(written)}, ${mb(info.bytes)}, ${n(info.files)} files (RSS peak ${peakRss()})`,
  );
  const keyFile = `${dir}.public-key.pem`;
  await writeFile(keyFile, publicKeyPem(privateKey));
  // This process still holds the writer's garbage (gigabytes for a million stations); left alone, V8 collects it in
  // the background while `canvass verify` runs, on the same two cores. An observer's machine has no such process:
  // collect it now.
  collectGarbage();
  // Several runs, the median reported: on a shared machine one run of the same command moves by a third.
  const walls: number[] = [];
  for (let round = 1; round <= VERIFY_ROUNDS; round++) {
    const { report, wall: verified } = await verifyByCli(dir, keyFile);
    walls.push(verified);
    console.log(
      `verify   ${label} (station results ${layout}, run ${round}): ${verified.toFixed(2)} s by \`canvass verify\`, ${n(stations / verified)} stations/s — in it: election ${report.timing.election.toFixed(
        2,
      )} s, stations.csv ${report.timing.stations.toFixed(2)} s, results ${report.timing.results.toFixed(2)} s; ${
        report.ok ? 'ok' : `NOT ok (${n(report.problemCount)} problems)`
      }`,
    );
  }
  await rm(keyFile);
  const sorted = [...walls].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  console.log(
    `verify   ${label} (station results ${layout}): median ${median.toFixed(2)} s, ${n(stations / median)} stations/s over ${VERIFY_ROUNDS} runs (${sorted
      .map((w) => w.toFixed(2))
      .join(
        ', ',
      )} s)${stations >= 100_000 ? '; target ≥ 200,000 stations/s' : ' (Node’s start-up and loading the verifier are about half of it)'}`,
  );
  await rm(dir, { recursive: true, force: true });
}
