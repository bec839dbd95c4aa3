/**
 * The content of a snapshot: every file of one version, produced one at a time so that a million stations never
 * sit in memory as one tree of buffers. `buildSnapshot` collects them (tests, small elections); `writeSnapshot`
 * streams them to disk.
 */
import type { ContestId } from '@canvass/core';
import type { KeyObject } from 'node:crypto';
import { canonicalJson, sha256Hex } from '../ledger/canonical.js';
import { keyId, manifestBytes, signManifest, type Manifest, type ManifestFile } from './manifest.js';
import type { PublicationInput } from './publication-input.js';
import { divisionResultsText, publishedResultsOptions, stationChildren, stationGroupText } from './published-results.js';
import {
  ELECTION_FILE,
  MANIFEST_FILE,
  SIGNATURE_FILE,
  SNAPSHOT_FORMAT,
  STATIONS_FILE,
  TURNOUT_FILE,
  resultsPath,
  stationResultsPath,
  versionName,
  type StationResultsLayout,
} from './snapshot-layout.js';
import { CountedFigures } from './counted-figures.js';
import { StationEntries } from './station-entries.js';
import { stationsCsvChunks } from './stations-csv.js';
import { turnoutCsvChunks } from './turnout-csv.js';

export interface SnapshotOptions {
  /** Station-level results: `grouped` (default) or `none` (see `StationResultsLayout`). */
  readonly stationResults?: StationResultsLayout | undefined;
}

/** One file of a version: its path inside the version directory and its text, whole or in chunks. */
export interface SnapshotEntry {
  readonly path: string;
  readonly content: string | Iterable<string>;
}

/**
 * Every data file of a version, in this order: `election.json`, `stations.csv`, `turnout.csv`, `results/<division>.json`
 * for every division that is not a polling station, then `station-results/<parent>.json` for every division with
 * polling stations under it (unless the layout is `none`). Results come from the tally in O(width) per division.
 * `stats.rows` counts the rows of `stations.csv` once that entry has been consumed.
 */
export function* snapshotEntries(
  input: PublicationInput,
  options: SnapshotOptions = {},
  stats: { rows: number } = { rows: 0 },
): Generator<SnapshotEntry, void, undefined> {
  const { index, tally } = input;
  const divisions = index.election.divisions;
  yield { path: ELECTION_FILE, content: `${JSON.stringify(index.election)}\n` };
  yield { path: STATIONS_FILE, content: stationsCsvChunks(input, stats) };
  yield { path: TURNOUT_FILE, content: turnoutCsvChunks(input) };
  const resultsOptions = publishedResultsOptions(input);
  const results = (at: number) => {
    const id = divisions[at]?.id;
    const value = id === undefined ? undefined : tally.results(id, resultsOptions);
    if (!value) throw new Error(`the tally does not know division ${id ?? at}`);
    return value;
  };
  for (let at = 0; at < index.divisionCount; at++) {
    const division = divisions[at];
    if (!division || index.isStation[at]) continue;
    yield { path: resultsPath(division.id), content: divisionResultsText(results(at)) };
  }
  if ((options.stationResults ?? 'grouped') === 'none') return;
  // Written from the template the verifier checks them with (the same text, tested), not from a results object per
  // station; the results objects only where the template does not cover the election.
  const entries = new StationEntries(index, new CountedFigures(input), (contest) => input.status(contest as ContestId));
  for (let at = 0; at < index.divisionCount; at++) {
    const parent = divisions[at];
    if (!parent || index.isStation[at]) continue;
    const stations = stationChildren(index.isStation, index.childStart, index.childList, at);
    if (stations.length === 0) continue;
    const content = entries.text(stations) ?? stationGroupText(stations.map((s) => JSON.stringify(results(s))));
    yield { path: stationResultsPath(parent.id), content };
  }
}

/** The content digest that names a version: SHA-256 of the canonical JSON of its (sorted) file list. */
export const contentDigest = (files: readonly ManifestFile[]): string => sha256Hex(canonicalJson(files));

export function sortFiles(files: readonly ManifestFile[]): ManifestFile[] {
  return [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The manifest of a version made of `files` (unsorted is fine). */
export function makeManifest(
  input: PublicationInput,
  files: readonly ManifestFile[],
  protocols: number,
  options: SnapshotOptions & { readonly signingKey?: KeyObject | undefined },
): Manifest {
  const sorted = sortFiles(files);
  const version = versionName(input.resultsVersion, contentDigest(sorted));
  return {
    format: SNAPSHOT_FORMAT,
    election: input.index.election.id,
    version,
    resultsVersion: input.resultsVersion,
    createdAt: input.now.toISOString(),
    ledger: { seq: input.ledgerHead.seq, hash: input.ledgerHead.hash },
    status: Object.fromEntries(input.index.contests.map((c) => [c.contest.id, input.status(c.contest.id)])),
    protocols,
    layout: { stationResults: options.stationResults ?? 'grouped' },
    ...(options.signingKey ? { signer: { algorithm: 'Ed25519' as const, keyId: keyId(options.signingKey) } } : {}),
    files: sorted,
  };
}

export interface BuiltSnapshot {
  readonly version: string;
  /** Every file of the version by its path inside the version directory, including `manifest.json` (and `manifest.sig` when signed). */
  readonly files: Map<string, Uint8Array>;
  readonly manifest: Manifest;
}

/** The whole version in memory. With a private key, `manifest.sig` is included and the manifest names its signer. */
export function buildSnapshot(input: PublicationInput, privateKey?: KeyObject, options: SnapshotOptions = {}): BuiltSnapshot {
  const encoder = new TextEncoder();
  const files = new Map<string, Uint8Array>();
  const listed: ManifestFile[] = [];
  const stats = { rows: 0 };
  for (const entry of snapshotEntries(input, options, stats)) {
    const text = typeof entry.content === 'string' ? entry.content : [...entry.content].join('');
    const bytes = encoder.encode(text);
    files.set(entry.path, bytes);
    listed.push({ path: entry.path, size: bytes.byteLength, sha256: sha256Hex(bytes) });
  }
  const manifest = makeManifest(input, listed, stats.rows, { ...options, signingKey: privateKey });
  const bytes = manifestBytes(manifest);
  files.set(MANIFEST_FILE, bytes);
  if (privateKey) files.set(SIGNATURE_FILE, encoder.encode(signManifest(bytes, privateKey)));
  return { version: manifest.version, files, manifest };
}
