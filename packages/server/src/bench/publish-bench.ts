/**
 * Publication benchmark: writes and verifies a snapshot of the 10,101-station reference election and of a
 * synthetic election with a million stations (country → 20 regions → 2,000 districts → 1,000,000 stations,
 * 10 options, protocols generated on demand), with station-level results grouped per district (the default) and
 * without them. Prints figures only; targets (issue): snapshot of 10,101 stations < 1 s, of 1,000,000 < 60 s;
 * verification ≥ 200,000 stations/s.
 *
 * The writer runs in a process of its own (publish-write.ts), gone before verification starts: after a million
 * stations its heap holds over a gigabyte, and even idle it slowed a verification beside it. Verification is timed
 * as an observer runs it: `canvass verify --format json` in a process of its own, wall clock from spawn to exit
 * (Node's start-up and loading the verifier included), after the kernel has written the fresh files back to disk;
 * three runs, the median reported.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StationResultsLayout } from '../publish/snapshot-layout.js';
import type { VerifyReport } from '../verify/verify-report.js';
import type { WrittenSnapshot } from './publish-write.js';

const CLI = fileURLToPath(new URL('../../bin/canvass.js', import.meta.url));
const WRITER = fileURLToPath(new URL('./publish-write.js', import.meta.url));
const VERIFY_ROUNDS = 3;

/** Runs `node args…` to its end: its exit code, standard output and standard error. */
async function runNode(args: readonly string[]): Promise<{ out: string; code: number | null; err: string }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { out, code, err };
}

/**
 * Waits for the kernel to write every dirty page back to disk (`sync`; skipped where there is no such command): it
 * would otherwise write the fresh snapshot (over a gigabyte) back while `canvass verify` runs, on the same cores. An
 * observer's copy has long been written.
 */
function flushToDisk(): void {
  try {
    execFileSync('sync', { stdio: 'ignore' });
  } catch {
    // Not on this system: the figures then include the write-back.
  }
}

async function verifyByCli(dir: string, keyFile: string): Promise<{ report: VerifyReport; wall: number }> {
  const started = performance.now();
  const { out, code, err } = await runNode([CLI, 'verify', dir, '--public-key', keyFile, '--format', 'json']);
  const wall = (performance.now() - started) / 1000;
  if (code !== 0 && code !== 1) throw new Error(`canvass verify exited with ${String(code)}: ${err}`);
  return { report: JSON.parse(out) as VerifyReport, wall };
}

const n = (x: number) => Math.round(x).toLocaleString('en-US');
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

export interface PublishBenchOptions {
  /** Stations of the synthetic election (default 1,000,000; 0 skips it). */
  readonly syntheticStations?: number | undefined;
}

export async function benchPublish(options: PublishBenchOptions = {}): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'canvass-publish-bench-'));
  const peak = { rssMb: 0 };
  try {
    await run('KZ 2022', ['kz', join(root, 'kz'), 'grouped'], peak);
    const stations = options.syntheticStations ?? 1_000_000;
    if (stations > 0)
      for (const layout of ['grouped', 'none'] as const)
        await run('synthetic', ['synthetic', join(root, `synthetic-${layout}`), layout, String(stations)], peak);
    console.log(`publish  peak RSS of the writer ${n(peak.rssMb)} MB`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Writes a snapshot in a process of its own (publish-write.ts), then verifies it as an observer would. */
async function run(name: string, args: [string, string, StationResultsLayout, ...string[]], peak: { rssMb: number }): Promise<void> {
  const [, dir, layout] = args;
  const writing = await runNode([WRITER, ...args]);
  if (writing.code !== 0) throw new Error(`writing the ${name} snapshot failed: ${writing.err}`);
  const info = JSON.parse(writing.out) as WrittenSnapshot;
  peak.rssMb = Math.max(peak.rssMb, info.rssMb);
  const { stations, keyFile } = info;
  const label = `${n(stations)} stations`;
  console.log(`publish  input  ${label} (${name}): ${info.input.toFixed(2)} s to build and count (RSS peak ${n(info.inputRssMb)} MB)`);
  console.log(
    `publish  ${label} (station results ${layout}): ${info.written.toFixed(2)} s, ${mb(info.bytes)}, ${n(info.files)} files (RSS peak ${n(info.rssMb)} MB)`,
  );
  flushToDisk();
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
