/**
 * Verifies a published snapshot the way anyone can: the manifest's Ed25519 signature, every file's size and
 * SHA-256, every protocol's hash, and then every published result recomputed from the evidence alone —
 * `election.json` and `stations.csv` — with the core (`parseElection`, `Tally.add` per protocol,
 * `Tally.results` per division), compared field by field with the published results files.
 *
 * Each file is read once, in manifest order with a few reads ahead; results files are compared byte for byte with
 * their recomputation first, and parsed and compared field by field only when they differ, to say where.
 */
import { parseElectionFast } from '../files/fast-election.js';
import { createPublicKey, type KeyObject } from 'node:crypto';
import {
  Tally,
  formatPath,
  indexElection,
  type DivisionResults,
  type ElectionIssue,
  type Result,
  type ElectionIndex,
  type ResultsOptions,
  type ResultsStatus,
} from '@canvass/core';
import { inputError } from '../files/input-error.js';
import { sha256Hex } from '../ledger/canonical.js';
import { ManifestSchema, checkManifestSignature, keyId, type Manifest, type ManifestFile } from '../publish/manifest.js';
import { divisionResultsText, stationChildren } from '../publish/published-results.js';
import {
  ELECTION_FILE,
  MANIFEST_FILE,
  PUBLIC_KEY_FILE,
  SIGNATURE_FILE,
  STATIONS_FILE,
  STATION_RESULTS_DIR,
  TURNOUT_FILE,
  isSafeRelativePath,
  resultsPath,
  stationResultsPath,
  versionDir,
} from '../publish/snapshot-layout.js';
import { diffJson } from './diff-json.js';
import { readAhead } from './read-ahead.js';
import { ProtocolFigures, StationRows, countStations, readStationsHere, readingHolds, stationsReadOptions } from './read-stations.js';
import { parseJsonChunked } from './parse-json-chunked.js';
import { readElectionBytes } from './read-election.js';
import { readHashed } from './read-hashed.js';
import { locateSnapshot } from './snapshot-source.js';
import { StationEntries } from '../publish/station-entries.js';
import { VerifyWorker, type HashedFile, type WalkedFile } from './verify-worker.js';
import { walkAhead } from './walk-ahead.js';
import type { VerifyProblem, VerifyProblemKind, VerifyReport } from './verify-report.js';

export interface VerifyOptions {
  /** The signer's public key (SPKI PEM, or a private key PEM whose public half is used). Default: the snapshot's own. */
  readonly publicKeyPem?: string | undefined;
  /** How many problems the report lists; all are counted. Default 1000. */
  readonly maxProblems?: number | undefined;
  /** Reads in flight while results are compared. Default 8. */
  readonly readAhead?: number | undefined;
  /**
   * Whether a second thread reads `stations.csv` while this one parses `election.json`, and hashes the other files
   * (and checks station-results files) while this one compares results. Default: when `stations.csv` is large
   * (16 MB, some 90,000 rows, or more). The report is the same either way.
   */
  readonly worker?: boolean | undefined;
  /** Size of the parts of `stations.csv` the two threads share out (default 4 MB; tests cut small). */
  readonly chunkBytes?: number | undefined;
  /**
   * With the worker: whether this thread, too, checks station-results files while it waits for the worker's answers
   * (default true; tests turn it off to have the worker check them all).
   */
  readonly walkHere?: boolean | undefined;
}

class Findings {
  readonly listed: VerifyProblem[] = [];
  readonly byKind: Partial<Record<VerifyProblemKind, number>> = {};
  count = 0;
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  add = (problem: VerifyProblem): void => {
    this.count++;
    this.byKind[problem.kind] = (this.byKind[problem.kind] ?? 0) + 1;
    if (this.listed.length < this.#max) this.listed.push(problem);
  };
}

const MAX_DIFFERENCES_PER_DIVISION = 50;
const decoder = new TextDecoder();
const decode = (bytes: Uint8Array) => decoder.decode(bytes);

/**
 * Verifies the snapshot at `source` (a snapshot directory or http(s) URL, or one of its version directories).
 * Throws an `InputError` only when the source is not a readable snapshot at all or the given key is unusable;
 * everything else is a problem in the report.
 */
export async function verifySnapshot(source: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const threads: { worker?: VerifyWorker | undefined } = {};
  try {
    return await verifyWith(source, options, threads);
  } finally {
    await threads.worker?.close();
  }
}

/** Below this size of `stations.csv` starting a thread costs more than it saves. */
const WORKER_FROM_BYTES = 16e6;

async function verifyWith(source: string, options: VerifyOptions, threads: { worker?: VerifyWorker | undefined }): Promise<VerifyReport> {
  const started = performance.now();
  let givenKey: KeyObject | undefined;
  if (options.publicKeyPem !== undefined) {
    try {
      givenKey = createPublicKey(options.publicKeyPem);
    } catch (error) {
      throw inputError('--public-key', 'public-key', `not a PEM public (or private) key: ${(error as Error).message}`);
    }
    if (givenKey.asymmetricKeyType !== 'ed25519')
      throw inputError(
        '--public-key',
        'public-key',
        `snapshots are signed with Ed25519; this is a ${givenKey.asymmetricKeyType ?? '?'} key`,
      );
  }

  const located = await locateSnapshot(source);
  const { root, version } = located;
  const base = `${versionDir(version)}/`;
  const findings = new Findings(options.maxProblems ?? 1000);
  const report = findings.add;
  const checked = { files: 0, bytes: 0, protocols: 0, divisions: 0 };
  let manifest: Manifest | undefined = undefined;
  let manifestSha256 = '';
  let signature: VerifyReport['signature'] = { valid: false, keySource: 'none', keyId: null, signerKeyId: null };
  const timing = { election: 0, stations: 0, results: 0 };
  let lap = performance.now();
  const phase = (name: keyof typeof timing) => {
    const now = performance.now();
    timing[name] += (now - lap) / 1000;
    lap = now;
  };

  const finish = (): VerifyReport => ({
    ok: findings.count === 0 && signature.valid,
    source: root.label,
    version,
    via: located.via,
    election: manifest?.election ?? null,
    resultsVersion: manifest?.resultsVersion ?? null,
    ledger: manifest ? manifest.ledger : null,
    createdAt: manifest?.createdAt ?? null,
    manifestSha256,
    signature,
    checked,
    problemCount: findings.count,
    problemsByKind: findings.byKind,
    problems: findings.listed,
    seconds: (performance.now() - started) / 1000,
    timing,
  });

  // The manifest and where current.json points.
  const manifestPath = base + MANIFEST_FILE;
  const manifestRaw = await root.read(manifestPath);
  if (!manifestRaw) {
    report({ kind: 'pointer', file: 'current.json', message: `names version ${version}, but ${manifestPath} does not exist` });
    return finish();
  }
  checked.files++;
  checked.bytes += manifestRaw.byteLength;
  manifestSha256 = sha256Hex(manifestRaw);
  if (located.current) checkPointer(decode(located.current), version, manifestSha256, report);
  manifest = parseManifest(decode(manifestRaw), manifestPath, report);

  // The signature.
  let key = givenKey;
  let keySource: VerifyReport['signature']['keySource'] = givenKey ? 'option' : 'none';
  if (!key) {
    const pem = await root.read(PUBLIC_KEY_FILE);
    if (!pem) {
      report({ kind: 'signature', file: PUBLIC_KEY_FILE, message: 'no public key: the snapshot has none and none was given' });
    } else {
      try {
        key = createPublicKey(decode(pem));
        keySource = 'snapshot';
      } catch {
        report({ kind: 'signature', file: PUBLIC_KEY_FILE, message: 'not a PEM public key' });
      }
    }
  }
  const signaturePath = base + SIGNATURE_FILE;
  const signatureRaw = await root.read(signaturePath);
  const signerKeyId = manifest?.signer?.keyId ?? null;
  const usedKeyId = key ? keyId(key) : null;
  let valid = false;
  if (!signatureRaw) {
    report({ kind: 'file-missing', file: signaturePath });
  } else if (key) {
    checked.files++;
    checked.bytes += signatureRaw.byteLength;
    valid = key.asymmetricKeyType === 'ed25519' && checkManifestSignature(manifestRaw, decode(signatureRaw), key);
    if (!valid)
      report({
        kind: 'signature',
        file: signaturePath,
        message:
          signerKeyId !== null && signerKeyId !== usedKeyId
            ? `not valid under key ${usedKeyId ?? '?'}; the manifest names signer key ${signerKeyId}`
            : 'not a valid Ed25519 signature of manifest.json under this key: the manifest or the signature was changed',
      });
  }
  if (valid && signerKeyId !== null && signerKeyId !== usedKeyId)
    report({
      kind: 'manifest',
      file: manifestPath,
      path: 'signer.keyId',
      message: `names key ${signerKeyId}, but key ${usedKeyId ?? '?'} signed it`,
    });
  signature = { valid, keySource, keyId: usedKeyId, signerKeyId };
  if (!manifest) return finish();
  // The version directory's files, listed meanwhile (thousands of entries), checked against the manifest at the end.
  const presentFiles = root.list(base.slice(0, -1));
  if (manifest.version !== version)
    report({ kind: 'manifest', file: manifestPath, path: 'version', message: `names version ${manifest.version}, but lies in ${base}` });

  // Every listed file is read once; these helpers check size and hash as it arrives.
  const listed = new Map<string, ManifestFile>();
  for (const file of manifest.files) {
    if (listed.has(file.path)) report({ kind: 'manifest', file: manifestPath, path: 'files', message: `"${file.path}" is listed twice` });
    listed.set(file.path, file);
  }
  /** Checks a listed file's size and SHA-256 (`sha256` computed here unless given). */
  const checkFile = (path: string, size: number, sha256: () => string) => {
    const entry = listed.get(path);
    if (!entry) return;
    const file = base + path;
    if (size !== entry.size) report({ kind: 'file-size', file, published: entry.size, actual: size });
    const actual = sha256();
    if (actual !== entry.sha256) report({ kind: 'file-hash', file, published: entry.sha256, actual });
  };
  /**
   * Counts a file as read (or reports it missing) and checks it, with `hashed`, its SHA-256, when the worker has
   * computed it already — unless `later`: then the caller checks it once the worker's hashes are in.
   */
  const arrived = (path: string, bytes: Uint8Array | undefined, hashed?: HashedFile, later = false): Uint8Array | undefined => {
    if (!bytes) {
      report({ kind: 'file-missing', file: base + path });
      return undefined;
    }
    checked.files++;
    checked.bytes += bytes.byteLength;
    if (!later) checkFile(path, bytes.byteLength, () => (hashed?.size === bytes.byteLength ? hashed.sha256 : sha256Hex(bytes)));
    return bytes;
  };
  const checkListed = (path: string) => {
    if (!listed.has(path)) report({ kind: 'manifest', file: manifestPath, path: 'files', message: `"${path}" is not listed` });
  };

  // The election here and, meanwhile, the protocols in the worker (which cannot know the election's columns yet:
  // `readingHolds` checks its assumption below); then the worker hashes every other file.
  lap = performance.now();
  const worker = (options.worker ?? (listed.get(STATIONS_FILE)?.size ?? 0) >= WORKER_FROM_BYTES) ? new VerifyWorker() : undefined;
  threads.worker = worker;
  const rest = manifest.files.map((f) => f.path).filter((path) => path !== ELECTION_FILE && path !== STATIONS_FILE);
  // On disk, read and hashed together (the hash of each part while the next is read).
  const electionFile = root.localPath?.(base + ELECTION_FILE);
  const electionRead: Promise<{ bytes: Uint8Array; sha256?: string } | undefined> =
    electionFile !== undefined
      ? readHashed(electionFile).catch((error: unknown) => {
          // As the source's own read words it: exit 2, the file named, not an internal error.
          throw inputError(electionFile, 'snapshot-readable', `cannot read the file: ${(error as Error).message}`);
        })
      : root.read(base + ELECTION_FILE).then((bytes) => bytes && { bytes });
  const stationsFile = root.localPath?.(base + STATIONS_FILE);
  const stationsRead = worker && stationsFile !== undefined ? undefined : root.read(base + STATIONS_FILE);
  const early = stationsReadOptions(manifest.election);
  const stationsEarly = !worker
    ? undefined
    : stationsRead
      ? stationsRead.then((bytes) => (bytes && bytes.byteLength > 0 ? worker.readStations(bytes, early) : undefined))
      : worker.readStations(stationsFile ?? '', early, options.chunkBytes);
  const grouped = manifest.layout.stationResults === 'grouped';
  // Station-results files are not hashed with the rest: once the election and stations.csv are read, the worker
  // reads, hashes and checks them against their plans (`walkAhead`).
  const walkable = (path: string) => worker !== undefined && grouped && path.startsWith(`${STATION_RESULTS_DIR}/`);
  const localFiles = root.localPath
    ? rest
        .filter((path) => isSafeRelativePath(path) && !walkable(path))
        .flatMap((path) => {
          const file = root.localPath?.(base + path);
          return file === undefined ? [] : [{ path, file }];
        })
    : [];
  const hashedEarly =
    worker && stationsEarly && localFiles.length > 0
      ? stationsEarly.then(
          () => worker.hash(localFiles),
          () => worker.hash(localFiles),
        )
      : undefined;
  // Then, while this thread counts the protocols and plans the first walks, the worker reads the station-results
  // files ahead, in the order the walks will ask for them (`walkItems` below: those of them the election calls for).
  const walkAheadFiles = root.localPath
    ? rest.flatMap((path) => {
        const file = walkable(path) && isSafeRelativePath(path) ? root.localPath?.(base + path) : undefined;
        return file === undefined ? [] : [{ path, file }];
      })
    : [];
  if (worker && stationsEarly && walkAheadFiles.length > 0)
    void stationsEarly.then(
      () => {
        worker.prefetch(walkAheadFiles);
      },
      () => undefined,
    );
  // Handled where they are awaited; without this a failure while the election is parsed would be "unhandled".
  for (const pending of [stationsRead, stationsEarly, hashedEarly]) pending?.catch(() => undefined);

  // Read in a helper so that the raw bytes and text (hundreds of megabytes for a million stations) are garbage as
  // soon as they are parsed, not held for the rest of the verification.
  const index = await (async () => {
    checkListed(ELECTION_FILE);
    const read = await electionRead;
    const hashed = read?.sha256 === undefined ? undefined : { path: ELECTION_FILE, size: read.bytes.byteLength, sha256: read.sha256 };
    const raw = arrived(ELECTION_FILE, read?.bytes, hashed);
    return raw ? parseElectionFile(raw, base + ELECTION_FILE, report) : undefined;
  })();
  phase('election');
  const tally = index ? new Tally(index) : undefined;
  let rows: StationRows | undefined;
  let recompute = false;
  if (index && tally) {
    if (index.election.id !== manifest.election)
      report({
        kind: 'manifest',
        file: manifestPath,
        path: 'election',
        message: `names election "${manifest.election}", election.json is "${index.election.id}"`,
      });
    checkStatus(index, manifest, manifestPath, report);
    checkListed(STATIONS_FILE);
    // The worker may be reading stations.csv still: read parts of it here meanwhile.
    worker?.help();
    const reading = await (async () => {
      // Should the worker fail, its copy of the bytes is gone with it: read the file again and check it here.
      const answer = await stationsEarly?.catch(() => undefined);
      const raw = answer?.bytes ?? (stationsEarly ? await root.read(base + STATIONS_FILE) : await stationsRead);
      if (!arrived(STATIONS_FILE, raw, answer && { path: STATIONS_FILE, size: answer.bytes.byteLength, sha256: answer.sha256 }) || !raw)
        return undefined;
      const read =
        answer && readingHolds(answer.reading, early, index)
          ? answer.reading
          : readStationsHere(raw, stationsReadOptions(index.election.id, index));
      rows = new StationRows(index, read);
      countStations(read, raw, index, tally, rows, (p) => {
        report({ ...p, file: base + p.file });
      });
      return read;
    })();
    if (reading) {
      checked.protocols = reading.rows;
      recompute = reading.complete;
      if (reading.rows !== manifest.protocols)
        report({
          kind: 'manifest',
          file: manifestPath,
          path: 'protocols',
          message: `says ${manifest.protocols} protocols; stations.csv has ${reading.rows} rows`,
        });
    }
  }
  phase('stations');

  // Which results files the election calls for.
  const expected = new Map<string, { readonly group: boolean; readonly at: number }>();
  if (index) {
    index.election.divisions.forEach((division, at) => {
      if (index.isStation[at]) return;
      expected.set(resultsPath(division.id), { group: false, at });
      if (grouped && stationChildren(index.isStation, index.childStart, index.childList, at).length > 0)
        expected.set(stationResultsPath(division.id), { group: true, at });
    });
    for (const [path, target] of expected)
      if (!listed.has(path))
        report({ kind: 'results-missing', file: base + path, division: index.election.divisions[target.at]?.id ?? '?' });
  }

  // Everything else in the manifest: hashes, and results compared with their recomputation.
  if (!listed.has(TURNOUT_FILE))
    report({ kind: 'manifest', file: manifestPath, path: 'files', message: `"${TURNOUT_FILE}" is not listed` });
  const status = manifest.status;
  const statusOf = (contest: string, complete: boolean) => status[contest] ?? defaultStatus(complete);
  const figures = index && grouped && rows ? new ProtocolFigures(index, rows) : undefined;
  const entries = index && grouped && rows ? new StationEntries(index, rows, statusOf) : undefined;
  const resultsOptions: ResultsOptions | undefined = recompute
    ? {
        status: statusOf,
        ...(figures ? { stationProtocol: (station, contest) => figures.protocol(station, contest) } : {}),
      }
    : undefined;
  // Files the worker hashes are compared meanwhile; their problems wait for the hashes, to be listed in file order.
  const hashedThere = new Set(hashedEarly ? localFiles.map((f) => f.path) : []);
  const waiting: { path: string; size: number; problems: VerifyProblem[] }[] = [];
  // Station-results files checked there against their plans — of those read ahead, in the same order, the ones the
  // election calls for: read here only when one is not matched.
  const walkItems =
    worker && index && entries?.usable && resultsOptions
      ? walkAheadFiles.flatMap(({ path, file }) => {
          const target = expected.get(path);
          return target?.group
            ? [{ path, file, stations: stationChildren(index.isStation, index.childStart, index.childList, target.at) }]
            : [];
        })
      : [];
  const walkedThere = new Map(walkItems.map((item) => [item.path, item.stations.length]));
  const walked = worker && entries ? walkAhead(worker, entries, walkItems, options.walkHere ?? true) : undefined;
  const { readNow } = root;
  const reads = readNow
    ? undefined
    : readAhead(
        rest.filter((path) => !walkedThere.has(path)),
        (p) => root.read(base + p),
        options.readAhead ?? 8,
      );
  const hashedHere = new Map<string, HashedFile>();
  for (const path of rest) {
    let raw: Uint8Array | undefined;
    let walk: WalkedFile | undefined;
    if (walkedThere.has(path)) {
      walk = (await walked?.next())?.value ?? undefined;
      if (walk) hashedHere.set(path, walk);
      if (walk?.matched) {
        checked.files++;
        checked.bytes += walk.size;
        waiting.push({ path, size: walk.size, problems: [] });
        checked.divisions += walkedThere.get(path) ?? 0;
        continue;
      }
      // Not matched (or not checked there): read here, to say where it differs.
      raw = await root.read(base + path);
    } else {
      raw = readNow ? readNow(base + path) : (await reads?.next())?.value?.[1];
    }
    const later = raw !== undefined && (hashedThere.has(path) || walk?.size === raw.byteLength);
    const problems: VerifyProblem[] = [];
    const say = later ? (p: VerifyProblem) => problems.push(p) : report;
    const bytes = arrived(path, raw, undefined, later);
    if (later && raw) waiting.push({ path, size: raw.byteLength, problems });
    if (path === TURNOUT_FILE) continue;
    const target = expected.get(path);
    if (!target) {
      if (index)
        say({ kind: 'manifest', file: manifestPath, path: 'files', message: `"${path}" is not a file of this election's snapshot` });
      continue;
    }
    if (!bytes || !index || !tally || !resultsOptions) continue;
    if (target.group && entries && !walk) {
      const stations = stationChildren(index.isStation, index.childStart, index.childList, target.at);
      if (entries.matches(bytes, stations)) {
        checked.divisions += stations.length;
        continue;
      }
    }
    const comparison = { file: base + path, at: target.at, text: decode(bytes), index, tally, options: resultsOptions, report: say };
    checked.divisions += target.group && figures ? compareGroup(comparison, figures) : compareDivision(comparison);
  }
  const hashed = new Map((hashedEarly ? await hashedEarly.catch(() => []) : []).map((h) => [h.path, h]));
  for (const [path, file] of hashedHere) hashed.set(path, file);
  for (const file of waiting) {
    const there = hashed.get(file.path);
    // Not hashed there after all (the worker failed, or found the file missing): read it again here.
    const again = there?.size === file.size ? undefined : await root.read(base + file.path);
    checkFile(file.path, file.size, () => (there?.size === file.size ? there.sha256 : again ? sha256Hex(again) : '(unreadable)'));
    for (const problem of file.problems) report(problem);
  }
  phase('results');

  // Files in the version directory that the manifest does not cover.
  const present = await presentFiles;
  if (present)
    for (const path of present)
      if (!listed.has(path) && path !== MANIFEST_FILE && path !== SIGNATURE_FILE) report({ kind: 'file-unlisted', file: base + path });

  return finish();
}

const defaultStatus = (complete: boolean): ResultsStatus => (complete ? 'unofficial-complete' : 'unofficial-partial');

function checkPointer(text: string, version: string, manifestSha256: string, report: (p: VerifyProblem) => void): void {
  try {
    const pointer = JSON.parse(text) as Record<string, unknown>;
    const expected = `${versionDir(version)}/${MANIFEST_FILE}`;
    if (pointer['manifest'] !== expected)
      report({
        kind: 'pointer',
        file: 'current.json',
        message: `"manifest" is ${JSON.stringify(pointer['manifest'])}, expected "${expected}"`,
      });
    if (pointer['manifestSha256'] !== manifestSha256)
      report({
        kind: 'pointer',
        file: 'current.json',
        message: `"manifestSha256" is ${JSON.stringify(pointer['manifestSha256'])}, but the manifest's SHA-256 is ${manifestSha256}`,
      });
  } catch {
    report({ kind: 'pointer', file: 'current.json', message: 'not valid JSON' });
  }
}

function parseManifest(text: string, file: string, report: (p: VerifyProblem) => void): Manifest | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    report({ kind: 'manifest', file, message: `not valid JSON: ${(error as Error).message}` });
    return undefined;
  }
  const parsed = ManifestSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues.slice(0, 50))
    report({ kind: 'manifest', file, path: formatPath('', issue.path), message: issue.message });
  return undefined;
}

function parseElectionFile(bytes: Uint8Array, file: string, report: (p: VerifyProblem) => void): ElectionIndex | undefined {
  const read = readElectionBytes(bytes);
  const parsed = read ? indexElection(read) : parseElectionJson(bytes);
  if (parsed === undefined) return undefined;
  if (parsed.ok) return parsed.value;
  for (const issue of parsed.error.slice(0, 50))
    report({ kind: 'election', file, path: issue.path, message: `${issue.message} [${issue.rule}]` });
  return undefined;

  function parseElectionJson(bytes: Uint8Array): Result<ElectionIndex, readonly ElectionIssue[]> | undefined {
    let json: unknown;
    try {
      json = parseJsonChunked(bytes, 'divisions');
    } catch (error) {
      report({ kind: 'election', file, path: '(top level)', message: `not valid JSON: ${(error as Error).message}` });
      return undefined;
    }
    return parseElectionFast(json);
  }
}

function checkStatus(index: ElectionIndex, manifest: Manifest, file: string, report: (p: VerifyProblem) => void): void {
  const contests = new Set<string>(index.contests.map((c) => c.contest.id));
  for (const contest of contests)
    if (!(contest in manifest.status)) report({ kind: 'manifest', file, path: `status.${contest}`, message: 'no status for this contest' });
  for (const contest of Object.keys(manifest.status))
    if (!contests.has(contest)) report({ kind: 'manifest', file, path: `status.${contest}`, message: 'no such contest in election.json' });
}

interface Comparison {
  readonly file: string;
  readonly at: number;
  readonly text: string;
  readonly index: ElectionIndex;
  readonly tally: Tally;
  readonly options: ResultsOptions;
  readonly report: (p: VerifyProblem) => void;
}

function recomputeAt(c: Comparison, at: number): DivisionResults {
  const id = c.index.election.divisions[at]?.id;
  const results = id === undefined ? undefined : c.tally.results(id, c.options);
  if (!results) throw new Error(`division ${at} is not in the tally (bug)`);
  return results;
}

/** `results/<division>.json`. Returns the number of division results compared (1). */
function compareDivision(c: Comparison): number {
  const results = recomputeAt(c, c.at);
  const recomputed = divisionResultsText(results);
  if (c.text === recomputed) return 1;
  const published = parseJson(c);
  if (published !== undefined) reportDifferences(c, published, JSON.parse(recomputed) as unknown, results.division);
  return 1;
}

/** `station-results/<parent>.json`. Returns the number of station results compared. */
function compareGroup(c: Comparison, figures: ProtocolFigures): number {
  const { index } = c;
  const stations = stationChildren(index.isStation, index.childStart, index.childList, c.at);
  const items = stations.map((s) => {
    figures.hint = s;
    return JSON.stringify(recomputeAt(c, s));
  });
  figures.hint = -1;
  if (sameGroupText(c.text, items)) return stations.length;
  const published = parseJson(c);
  if (published === undefined) return stations.length;
  if (!Array.isArray(published)) {
    c.report({ kind: 'results-format', file: c.file, message: 'not a JSON array of station results' });
    return stations.length;
  }
  const parent = index.election.divisions[c.at]?.id ?? '?';
  const byDivision = new Map<string, unknown>();
  for (const entry of published as unknown[]) {
    const id = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>)['division'] : undefined;
    if (typeof id !== 'string') {
      c.report({ kind: 'results-format', file: c.file, message: 'an entry has no "division"' });
    } else if (byDivision.has(id)) {
      c.report({ kind: 'results-format', file: c.file, message: `two entries for division "${id}"` });
    } else {
      byDivision.set(id, entry);
    }
  }
  const expectedIds = new Set<string>();
  stations.forEach((s, i) => {
    const id = index.election.divisions[s]?.id ?? '?';
    expectedIds.add(id);
    const entry = byDivision.get(id);
    if (entry === undefined) c.report({ kind: 'results-missing', file: c.file, division: id });
    else reportDifferences(c, entry, JSON.parse(items[i] ?? 'null') as unknown, id);
  });
  for (const id of byDivision.keys())
    if (!expectedIds.has(id))
      c.report({
        kind: 'results-format',
        file: c.file,
        message: `has an entry for "${id}", which is not a polling station directly under "${parent}"`,
      });
  return stations.length;
}

/**
 * Whether `text` is exactly `stationGroupText(items)` (publish/published-results.ts), compared item by item without building that text: the
 * items are one line each (JSON.stringify writes no line breaks), so `,\n` separates them unambiguously.
 */
function sameGroupText(text: string, items: readonly string[]): boolean {
  const open = '[\n';
  const close = '\n]\n';
  if (!text.startsWith(open) || !text.endsWith(close)) return false;
  const parts = text.slice(open.length, text.length - close.length).split(',\n');
  return parts.length === items.length && parts.every((part, i) => part === items[i]);
}

function parseJson(c: Comparison): unknown {
  try {
    return JSON.parse(c.text) as unknown;
  } catch (error) {
    c.report({ kind: 'results-format', file: c.file, message: `not valid JSON: ${(error as Error).message}` });
    return undefined;
  }
}

function reportDifferences(c: Comparison, published: unknown, recomputed: unknown, division: string): void {
  for (const difference of diffJson(published, recomputed, MAX_DIFFERENCES_PER_DIVISION))
    c.report({ kind: 'results', file: c.file, division, ...locate(difference.path, recomputed), ...difference });
}

/** The contest and option a results path such as `contests[0].options[2].votes` points into. */
function locate(path: string, recomputed: unknown): { contest?: string; option?: string } {
  const match = /^contests\[(\d+)\](?:\.options\[(\d+)\])?/.exec(path);
  if (!match) return {};
  const contests = (recomputed as { contests?: { contest?: string; options?: { option?: string }[] }[] }).contests;
  const contest = contests?.[Number(match[1])];
  const option = match[2] === undefined ? undefined : contest?.options?.[Number(match[2])]?.option;
  return { ...(contest?.contest ? { contest: contest.contest } : {}), ...(option ? { option } : {}) };
}
