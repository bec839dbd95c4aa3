import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { cp, mkdtemp, readFile, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { InputError } from '../files/input-error.js';
import { canonicalJson, protocolHash, sha256Hex } from '../ledger/canonical.js';
import { ManifestSchema, publicKeyPem, signManifest, type Manifest } from '../publish/manifest.js';
import { kz2022PublicationInput, publicationInputFromProtocols } from '../publish/reference-input.js';
import { TINY_ELECTION, TINY_PROTOCOLS } from '../publish/tiny-election.js';
import { writeSnapshot, type SnapshotInfo } from '../publish/write-snapshot.js';
import type { VerifyProblem } from './verify-report.js';
import { verifySnapshot } from './verify-snapshot.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const publisherPem = publicKeyPem(publicKey);

let work: string;
let pristine: string;
let kz: SnapshotInfo;
let copies = 0;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'canvass-verify-'));
  pristine = join(work, 'pristine');
  kz = await writeSnapshot(kz2022PublicationInput(), pristine, privateKey);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A private copy of the KZ snapshot to tamper with. */
async function copy(): Promise<{ root: string; dir: string; base: string }> {
  const root = join(work, `copy-${++copies}`);
  await cp(pristine, root, { recursive: true });
  return { root, dir: join(root, 'v', kz.version), base: `v/${kz.version}/` };
}

async function edit(path: string, change: (text: string) => string): Promise<void> {
  const before = await readFile(path, 'utf8');
  const after = change(before);
  expect(after).not.toBe(before);
  await writeFile(path, after);
}

/** What an attacker with the signing key does after changing files: fix the manifest's sizes and hashes, re-sign, re-point. */
async function rehashAndResign(root: string, version: string, key: KeyObject, change: (m: Manifest) => Manifest = (m) => m): Promise<void> {
  const dir = join(root, 'v', version);
  const manifest = ManifestSchema.parse(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')));
  const files = await Promise.all(
    manifest.files.map(async (f) => {
      const bytes = await readFile(join(dir, f.path));
      return { path: f.path, size: bytes.byteLength, sha256: sha256Hex(bytes) };
    }),
  );
  const bytes = Buffer.from(canonicalJson(change({ ...manifest, files })));
  await writeFile(join(dir, 'manifest.json'), bytes);
  await writeFile(join(dir, 'manifest.sig'), signManifest(bytes, key));
  const current = JSON.parse(await readFile(join(root, 'current.json'), 'utf8')) as Record<string, unknown>;
  await writeFile(join(root, 'current.json'), JSON.stringify({ ...current, manifestSha256: sha256Hex(bytes) }));
}

/** Points current.json at the manifest as it now is. */
async function rehashPointer(root: string, dir: string): Promise<void> {
  const current = JSON.parse(await readFile(join(root, 'current.json'), 'utf8')) as Record<string, unknown>;
  await writeFile(
    join(root, 'current.json'),
    JSON.stringify({ ...current, manifestSha256: sha256Hex(await readFile(join(dir, 'manifest.json'))) }),
  );
}

/** The line of stations.csv for `station` and the row split into cells. */
async function stationRow(dir: string, station: string): Promise<{ line: number; cells: string[]; header: string[] }> {
  const lines = (await readFile(join(dir, 'stations.csv'), 'utf8')).split('\n');
  const at = lines.findIndex((l) => l.split(',')[2] === station);
  return { line: at + 1, cells: (lines[at] ?? '').split(','), header: (lines[0] ?? '').split(',') };
}

const STATION = 'kz-35-01-0001';
const ANCESTORS = ['kz-35-01', 'kz-35', 'kz'];

/** Adds one vote for Tokayev at STATION in stations.csv; returns the row's original and new protocol hash and its line. */
async function addTokayevVote(dir: string, updateHash: boolean): Promise<{ line: number; before: string; after: string }> {
  const { line, cells, header } = await stationRow(dir, STATION);
  const column = header.indexOf('votes:tokayev');
  const changed = [...cells];
  changed[column] = String(Number(cells[column]) + 1);
  const protocol = {
    election: cells[0],
    contest: cells[1],
    station: cells[2],
    lines: Object.fromEntries(header.slice(7, 13).map((h, i) => [h, Number(changed[7 + i])])),
    votes: Object.fromEntries(header.slice(13).map((h, i) => [h.slice('votes:'.length), Number(changed[13 + i])])),
  };
  const after = protocolHash(protocol);
  const before = cells[5] ?? '';
  if (updateHash) changed[5] = after;
  await edit(join(dir, 'stations.csv'), (text) => text.replace(cells.join(','), changed.join(',')));
  return { line, before, after };
}

type ResultsProblem = Extract<VerifyProblem, { kind: 'results' }>;
const resultsProblems = (problems: readonly VerifyProblem[]): ResultsProblem[] =>
  problems.filter((p): p is ResultsProblem => p.kind === 'results');

describe('verifySnapshot', () => {
  test('the KZ 2022 snapshot verifies: signature, every file, every protocol hash, every division recomputed', async () => {
    const report = await verifySnapshot(pristine, { publicKeyPem: publisherPem });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({
      ok: true,
      version: kz.version,
      via: 'current.json',
      election: 'kz-2022-president',
      resultsVersion: 10101,
      manifestSha256: kz.manifestSha256,
      signature: { valid: true, keySource: 'option', keyId: sha256Hex(publicKey.export({ type: 'spki', format: 'der' })) },
      checked: { files: kz.files, bytes: kz.bytes, protocols: 10101, divisions: 10289 },
      problemCount: 0,
    });
  });

  test("without a key it uses the snapshot's own public-key.pem, and says so", async () => {
    const report = await verifySnapshot(pristine);
    expect(report.ok).toBe(true);
    expect(report.signature.keySource).toBe('snapshot');
  });

  test('one changed byte in a results file: its hash, and the field that changed', async () => {
    const { root, base } = await copy();
    const file = join(root, base, 'results', 'kz.json');
    await edit(file, (text) => text.replace('"votes":6456393', '"votes":6456392'));
    const report = await verifySnapshot(root, { publicKeyPem: publisherPem });
    const manifest = ManifestSchema.parse(JSON.parse(await readFile(join(root, base, 'manifest.json'), 'utf8')));
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      {
        kind: 'file-hash',
        file: `${base}results/kz.json`,
        published: manifest.files.find((f) => f.path === 'results/kz.json')?.sha256,
        actual: sha256Hex(await readFile(file)),
      },
      {
        kind: 'results',
        file: `${base}results/kz.json`,
        division: 'kz',
        contest: 'president',
        option: 'tokayev',
        path: 'contests[0].options[0].votes',
        published: 6456392,
        recomputed: 6456393,
      },
    ]);
  });

  test('one changed protocol in stations.csv: the file hash, the row hash, and the station and its ancestors recomputed', async () => {
    const { root, dir, base } = await copy();
    const { line, before, after } = await addTokayevVote(dir, false);
    const report = await verifySnapshot(root, { publicKeyPem: publisherPem });
    expect(report.ok).toBe(false);
    expect(report.problems.filter((p) => p.kind !== 'results')).toEqual([
      {
        kind: 'file-hash',
        file: `${base}stations.csv`,
        published: expect.any(String),
        actual: sha256Hex(await readFile(join(dir, 'stations.csv'))),
      },
      {
        kind: 'protocol-hash',
        file: `${base}stations.csv`,
        line,
        contest: 'president',
        station: STATION,
        published: before,
        recomputed: after,
      },
    ]);
    const votes = resultsProblems(report.problems).filter((p) => p.path === 'contests[0].options[0].votes');
    // In manifest order: paths sorted ("-" sorts before ".").
    expect(votes.map((p) => [p.file, p.division, p.option])).toEqual([
      [`${base}results/kz-35-01.json`, 'kz-35-01', 'tokayev'],
      [`${base}results/kz-35.json`, 'kz-35', 'tokayev'],
      [`${base}results/kz.json`, 'kz', 'tokayev'],
      [`${base}station-results/kz-35-01.json`, STATION, 'tokayev'],
    ]);
    for (const p of votes) expect(p.recomputed).toBe((p.published as number) + 1);
    expect(new Set(resultsProblems(report.problems).map((p) => p.division))).toEqual(new Set([STATION, ...ANCESTORS]));
  });

  test('a changed protocol with its hash updated and the manifest re-signed still fails on recomputation', async () => {
    const { root, dir } = await copy();
    await addTokayevVote(dir, true);
    await rehashAndResign(root, kz.version, privateKey);
    const report = await verifySnapshot(root, { publicKeyPem: publisherPem });
    expect(report.signature.valid).toBe(true);
    expect(report.ok).toBe(false);
    expect(report.problems.filter((p) => p.kind !== 'results')).toEqual([]);
    expect(new Set(report.problems.map((p) => (p.kind === 'results' ? p.division : '')))).toEqual(new Set([STATION, ...ANCESTORS]));
    expect(report.problems).toContainEqual({
      kind: 'results',
      file: `v/${kz.version}/results/kz-35-01.json`,
      division: 'kz-35-01',
      contest: 'president',
      path: 'contests[0].valid',
      published: expect.any(Number),
      recomputed: expect.any(Number),
    });
  });

  test('a snapshot re-signed by someone else fails against the publisher’s key, naming both keys', async () => {
    const other = generateKeyPairSync('ed25519');
    const { root } = await copy();
    const otherId = sha256Hex(other.publicKey.export({ type: 'spki', format: 'der' }));
    await rehashAndResign(root, kz.version, other.privateKey, (m) => ({ ...m, signer: { algorithm: 'Ed25519', keyId: otherId } }));
    await writeFile(join(root, 'public-key.pem'), publicKeyPem(other.publicKey));
    const mine = await verifySnapshot(root, { publicKeyPem: publisherPem });
    expect(mine.ok).toBe(false);
    expect(mine.signature).toMatchObject({ valid: false, keySource: 'option', signerKeyId: otherId });
    expect(mine.problems).toEqual([
      {
        kind: 'signature',
        file: `v/${kz.version}/manifest.sig`,
        message: `not valid under key ${mine.signature.keyId ?? ''}; the manifest names signer key ${otherId}`,
      },
    ]);
    // Against its own (substituted) key it passes: which is why the report says where the key came from.
    const own = await verifySnapshot(root);
    expect(own).toMatchObject({ ok: true, signature: { valid: true, keySource: 'snapshot', keyId: otherId } });
  });

  test('a manifest changed after signing', async () => {
    const { root, dir } = await copy();
    await edit(join(dir, 'manifest.json'), (text) =>
      text.replace('"createdAt":"2022-11-21T04:00:00.000Z"', '"createdAt":"2022-11-21T05:00:00.000Z"'),
    );
    await rehashPointer(root, dir);
    const report = await verifySnapshot(root, { publicKeyPem: publisherPem });
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      {
        kind: 'signature',
        file: `v/${kz.version}/manifest.sig`,
        message: 'not a valid Ed25519 signature of manifest.json under this key: the manifest or the signature was changed',
      },
    ]);
  });

  test('a manifest signed by another key that names its signer: the report names both keys', async () => {
    const other = generateKeyPairSync('ed25519');
    const report = await verifySnapshot(pristine, { publicKeyPem: publicKeyPem(other.publicKey) });
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      {
        kind: 'signature',
        file: `v/${kz.version}/manifest.sig`,
        message: `not valid under key ${report.signature.keyId ?? ''}; the manifest names signer key ${report.signature.signerKeyId ?? ''}`,
      },
    ]);
    expect(report.signature.signerKeyId).not.toBe(report.signature.keyId);
  });

  test('a manifest that names another signer than the key that signed it', async () => {
    const { root } = await copy();
    await rehashAndResign(root, kz.version, privateKey, (m) => ({ ...m, signer: { algorithm: 'Ed25519', keyId: 'e'.repeat(64) } }));
    const report = await verifySnapshot(root, { publicKeyPem: publisherPem });
    expect(report.signature.valid).toBe(true);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      {
        kind: 'manifest',
        file: `v/${kz.version}/manifest.json`,
        path: 'signer.keyId',
        message: `names key ${'e'.repeat(64)}, but key ${report.signature.keyId ?? ''} signed it`,
      },
    ]);
  });

  test('a missing file and an unlisted one', async () => {
    const { root, dir, base } = await copy();
    await unlink(join(dir, 'station-results', 'kz-35-01.json'));
    await writeFile(join(dir, 'results', 'extra.json'), '{}\n');
    const report = await verifySnapshot(root, { publicKeyPem: publisherPem });
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      { kind: 'file-missing', file: `${base}station-results/kz-35-01.json` },
      { kind: 'file-unlisted', file: `${base}results/extra.json` },
    ]);
  });

  test('a missing manifest signature, and current.json not matching the manifest', async () => {
    const { root, dir, base } = await copy();
    await unlink(join(dir, 'manifest.sig'));
    await edit(join(root, 'current.json'), (text) => text.replace(kz.manifestSha256, '0'.repeat(64)));
    const report = await verifySnapshot(root, { publicKeyPem: publisherPem });
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      {
        kind: 'pointer',
        file: 'current.json',
        message: `"manifestSha256" is "${'0'.repeat(64)}", but the manifest's SHA-256 is ${kz.manifestSha256}`,
      },
      { kind: 'file-missing', file: `${base}manifest.sig` },
    ]);
  });

  test('current.json naming a version that is not there', async () => {
    const { root } = await copy();
    await edit(join(root, 'current.json'), (text) => text.replaceAll(kz.version, '9999999999-000000000000'));
    const report = await verifySnapshot(root);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      {
        kind: 'pointer',
        file: 'current.json',
        message: 'names version 9999999999-000000000000, but v/9999999999-000000000000/manifest.json does not exist',
      },
    ]);
  });

  test('a version directory can be verified on its own', async () => {
    const report = await verifySnapshot(join(pristine, 'v', kz.version), { publicKeyPem: publisherPem });
    expect(report).toMatchObject({ ok: true, via: 'version directory', version: kz.version });
  });

  test('what is not a snapshot is unreadable input (InputError, exit code 2)', async () => {
    await expect(verifySnapshot(join(work, 'no-such-dir'))).rejects.toBeInstanceOf(InputError);
    await expect(verifySnapshot(work)).rejects.toThrow(/not a snapshot/);
    await expect(verifySnapshot(pristine, { publicKeyPem: 'not a key' })).rejects.toMatchObject({ exitCode: 2 });
  });
});

describe('verifySnapshot (tiny election)', () => {
  const tiny = () =>
    publicationInputFromProtocols(TINY_ELECTION, TINY_PROTOCOLS, {
      now: new Date('2030-03-03T15:00:00Z'),
      ledgerHead: { seq: 6, hash: 'cd'.repeat(32) },
    });

  test('a reason with commas, quotes and a line break round-trips through stations.csv and its hash', async () => {
    const root = join(work, 'tiny');
    await writeSnapshot(tiny(), root, privateKey);
    const report = await verifySnapshot(root, { publicKeyPem: publisherPem });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, checked: { protocols: 6, divisions: 9 } });
  });

  test('a published hash that is not the protocol’s is found at its row', async () => {
    const input = tiny();
    const counted = new Map(input.counted);
    const s2 = counted.get('president\u0000s2');
    if (!s2) throw new Error('fixture');
    counted.set('president\u0000s2', { ...s2, hash: 'f'.repeat(64) });
    const root = join(work, 'tiny-bad-hash');
    const info = await writeSnapshot({ ...input, counted }, root, privateKey);
    const report = await verifySnapshot(root, { publicKeyPem: publisherPem });
    expect(report.problems).toEqual([
      {
        kind: 'protocol-hash',
        file: `v/${info.version}/stations.csv`,
        line: 3,
        contest: 'president',
        station: 's2',
        published: 'f'.repeat(64),
        recomputed: s2.hash,
      },
    ]);
  });

  test('with station-level results left out, the rest still verifies', async () => {
    const root = join(work, 'tiny-none');
    await writeSnapshot(tiny(), root, privateKey, { stationResults: 'none' });
    const report = await verifySnapshot(root, { publicKeyPem: publisherPem });
    expect(report).toMatchObject({ ok: true, problems: [], checked: { protocols: 6, divisions: 4 } });
  });
});

describe('verifySnapshot over HTTP', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
      readFile(join(work, path)).then(
        (body) => response.writeHead(200).end(body),
        () => response.writeHead(404).end(),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
  });

  test('a snapshot served over HTTP verifies from its root URL and from a version URL', async () => {
    const report = await verifySnapshot(`${url}/pristine/`, { publicKeyPem: publisherPem });
    expect(report).toMatchObject({ ok: true, checked: { protocols: 10101, divisions: 10289 } });
    const version = await verifySnapshot(`${url}/pristine/v/${kz.version}/`);
    expect(version).toMatchObject({ ok: true, via: 'version directory', signature: { keySource: 'snapshot' } });
  });

  test('tampering is found over HTTP too, and a URL with no snapshot is unreadable input', async () => {
    const { root, base } = await copy();
    await unlink(join(root, base, 'results', 'kz-75.json'));
    const name = root.slice(work.length);
    const report = await verifySnapshot(`${url}${name}`, { publicKeyPem: publisherPem });
    expect(report.problems).toEqual([{ kind: 'file-missing', file: `${base}results/kz-75.json` }]);
    await expect(verifySnapshot(`${url}/nothing-here/`)).rejects.toBeInstanceOf(InputError);
  });
});

describe('verifySnapshot with and without its worker thread', () => {
  const same = async (root: string) => {
    const strip = (report: Awaited<ReturnType<typeof verifySnapshot>>) => ({ ...report, seconds: 0, timing: null });
    const threaded = strip(await verifySnapshot(root, { publicKeyPem: publisherPem, worker: true }));
    // stations.csv in parts of 64 KB (some 380 rows) that the two threads share out, as a large file is.
    const parts = strip(await verifySnapshot(root, { publicKeyPem: publisherPem, worker: true, chunkBytes: 64 * 1024 }));
    // Every station-results file checked by the worker (by default this thread checks some too).
    const there = strip(await verifySnapshot(root, { publicKeyPem: publisherPem, worker: true, walkHere: false }));
    const single = strip(await verifySnapshot(root, { publicKeyPem: publisherPem, worker: false }));
    expect(threaded).toEqual(single);
    expect(parts).toEqual(single);
    expect(there).toEqual(single);
    return threaded;
  };

  test('station-results files missing, lengthened, swapped or emptied are found, in file order', async () => {
    const { root, dir, base } = await copy();
    const groups = join(dir, 'station-results');
    const names = (await readdir(groups)).sort();
    const [missing = '', longer = '', swapA = '', swapB = '', empty = ''] = [names[0], names[7], names[20], names[21], names.at(-1)];
    await unlink(join(groups, missing));
    await edit(join(groups, longer), (text) => `${text} `);
    const [a, b] = [await readFile(join(groups, swapA)), await readFile(join(groups, swapB))];
    await writeFile(join(groups, swapA), b);
    await writeFile(join(groups, swapB), a);
    await writeFile(join(groups, empty), '');
    const report = await same(root);
    const located = report.problems.map((p) => [p.kind, p.file]);
    const at = (name: string) => `${base}station-results/${name}`;
    expect(located.filter(([kind]) => kind === 'file-missing')).toEqual([['file-missing', at(missing)]]);
    for (const name of [longer, swapA, swapB, empty]) {
      expect(located).toContainEqual(['file-size', at(name)]);
      expect(located).toContainEqual(['file-hash', at(name)]);
    }
    // Each changed file's own problems, its size and hash first, in the order of the files.
    const files = located.map(([, file]) => file).filter((file, i, all) => all.indexOf(file) === i);
    expect(files).toEqual([at(missing), at(longer), at(swapA), at(swapB), at(empty)].sort());
    // A swapped file holds another district's stations: each of its own is missing from it.
    const group = swapA.replace(/\.json$/, '');
    const swapped = report.problems.filter((p) => p.file === at(swapA) && p.kind === 'results-missing');
    expect(swapped.length).toBeGreaterThan(0);
    expect(swapped.every((p) => p.kind === 'results-missing' && p.division.startsWith(`${group}-`))).toBe(true);
  });

  test('a changed station entry in a grouped file is located exactly', async () => {
    const { root, dir, base } = await copy();
    const file = join(dir, 'station-results', 'kz-35-01.json');
    const text = await readFile(file, 'utf8');
    const entry = text.split(',\n').find((e) => e.includes(`"division":"${STATION}"`)) ?? '';
    const votes = /"option":"tokayev","votes":(\d+)/.exec(entry)?.[1] ?? '';
    await edit(file, (t) =>
      t.replace(entry, entry.replace(`"option":"tokayev","votes":${votes}`, `"option":"tokayev","votes":${Number(votes) + 1}`)),
    );
    const report = await same(root);
    expect(report.problems).toEqual([
      {
        kind: 'file-hash',
        file: `${base}station-results/kz-35-01.json`,
        published: expect.any(String),
        actual: sha256Hex(await readFile(file)),
      },
      {
        kind: 'results',
        file: `${base}station-results/kz-35-01.json`,
        division: STATION,
        contest: 'president',
        option: 'tokayev',
        path: 'contests[0].options[0].votes',
        published: Number(votes) + 1,
        recomputed: Number(votes),
      },
    ]);
  });

  test('the same report for the pristine snapshot and for changed protocols', async () => {
    expect((await same(pristine)).ok).toBe(true);
    const changed = await copy();
    await addTokayevVote(changed.dir, false);
    expect((await same(changed.root)).problemCount).toBeGreaterThan(2);
  });

  test('the same report for rows the reader must read as text or refuse', async () => {
    const { root, dir } = await copy();
    const csv = join(dir, 'stations.csv');
    const lines = (await readFile(csv, 'utf8')).split('\n');
    const cells = (at: number) => (lines[at] ?? '').split(',');
    // Quoted fields (the same values), a count that is not one, a station that does not exist, a second row for a
    // station, a short row, a blank line and CRLF endings.
    const quoted = cells(1).map((c, i) => (i === 2 || i === 8 ? `"${c}"` : c));
    const badCount = cells(2).map((c, i) => (i === 9 ? '-1' : i === 10 ? '007' : c));
    const unknown = cells(3).map((c, i) => (i === 2 ? 'kz-nowhere' : c));
    const edited = [
      lines[0],
      quoted.join(','),
      badCount.join(','),
      unknown.join(','),
      lines[4],
      lines[4],
      'kz-2022-president,president',
      '',
      ...lines.slice(5),
    ].join('\r\n');
    await writeFile(csv, edited);
    const report = await same(root);
    const rows = report.problems.filter((p) => p.kind === 'station-row').map((p) => [p.line, p.column, p.message]);
    expect(rows).toEqual([
      [3, 'ballots-issued', '"-1" is not a count (a whole number from 0 to 100000000, digits only)'],
      [3, 'ballots-cancelled', '"007" is not a count (a whole number from 0 to 100000000, digits only)'],
      [4, 'station', 'no such polling station in the election'],
      [6, 'station', 'a second row for the same station and contest'],
      [7, undefined, '2 fields, the header has 20'],
    ]);
  });

  test('the same report when the header has a column the election does not know, or a quote is not closed', async () => {
    const extra = await copy();
    const csv = join(extra.dir, 'stations.csv');
    await edit(csv, (text) => text.replace('\n', ',votes:nobody\n').replaceAll(/^(kz-2022-president,.*)$/gm, '$1,'));
    const report = await same(extra.root);
    expect(report.problems.filter((p) => p.kind === 'station-row')).toEqual([
      {
        kind: 'station-row',
        file: `${extra.base}stations.csv`,
        line: 1,
        column: 'votes:nobody',
        message: 'column "votes:nobody" is neither a protocol line nor an option of the election',
      },
    ]);
    const broken = await copy();
    await edit(join(broken.dir, 'stations.csv'), (text) => text.replace(`,${STATION},`, `,"${STATION},`));
    const brokenReport = await same(broken.root);
    expect(brokenReport.problems.filter((p) => p.kind === 'station-row')).toEqual([
      {
        kind: 'station-row',
        file: `${broken.base}stations.csv`,
        line: (await stationRow(join(pristine, 'v', kz.version), STATION)).line,
        message: 'not valid CSV: a quoted field is not closed; the rest of the file is not read',
      },
    ]);
  });

  test.each([
    [
      'text after a closing quote',
      (cell: string) => `"${cell}"x`,
      'text after a closing quote (a field is either quoted entirely or not at all)',
    ],
    [
      'a quote inside an unquoted field',
      (cell: string) => `${cell}"x`,
      'a quote inside an unquoted field (quote the whole field and double the quote)',
    ],
  ])('the same report for %s, at its line', async (_, broken, message) => {
    const { root, dir, base } = await copy();
    // A byte-order mark first: it is not part of the header, and line numbers are unchanged by it.
    await edit(join(dir, 'stations.csv'), (text) => `\ufeff${text.replace(`,${STATION},`, `,${broken(STATION)},`)}`);
    const report = await same(root);
    expect(report.problems.filter((p) => p.kind === 'station-row')).toEqual([
      {
        kind: 'station-row',
        file: `${base}stations.csv`,
        line: (await stationRow(join(pristine, 'v', kz.version), STATION)).line,
        message: `not valid CSV: ${message}; the rest of the file is not read`,
      },
    ]);
  });
});
