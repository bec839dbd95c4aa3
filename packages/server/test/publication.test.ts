import { execFile } from 'node:child_process';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkedProtocol } from '../src/schema/checked.js';
import { buildApp } from '../src/http/app.js';
import { Canvass } from '../src/services/canvass.js';
import { freshDatabase, type TestDatabase } from './support/databases.js';
import { protocolFor, smallElection, STATIONS } from './support/small-election.js';
import { CLI } from './support/spawn-server.js';

const run = async (args: readonly string[]) => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

/** The server publishes what it counts; the CLI publishes, exports, re-imports and verifies it. */
describe('publication from the server', () => {
  let db: TestDatabase;
  let canvass: Canvass;
  let url = '';
  let close: () => Promise<void>;
  const publishDir = () => join(db.dir, 'published');

  beforeAll(async () => {
    db = await freshDatabase('sqlite');
    canvass = await Canvass.open({ db: db.location, dataDir: db.dir, publishDir: join(db.dir, 'published') });
    await canvass.defineElection({ id: 'system', role: 'system' }, smallElection());
    const added = await canvass.addUser(
      { id: 'system', role: 'system' },
      { name: 'clerk', role: 'commission', election: 'test-2026', division: 'c' },
    );
    if (!added.ok) throw new Error(added.error.message);
    for (const [i, station] of STATIONS.entries()) {
      const entered = await canvass.submitProtocol(
        added.value.user,
        checkedProtocol(protocolFor(station, { a: 300 + i, b: 200, c: 100, 'against-all': 20 })),
        null,
      );
      expect(entered.ok).toBe(true);
    }
    await canvass.publisher?.flush();
    const app = await buildApp(canvass);
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    close = async () => {
      await app.close();
      await canvass.close();
    };
  });
  afterAll(async () => {
    await close();
    await db.drop();
  });

  it('writes a snapshot of the latest results that `canvass verify` confirms', async () => {
    const current = JSON.parse(await readFile(join(publishDir(), 'test-2026', 'current.json'), 'utf8')) as { resultsVersion: number };
    expect(current.resultsVersion).toBe(canvass.projection.elections.get('test-2026')?.resultsVersion);
    const verified = await run(['verify', join(publishDir(), 'test-2026')]);
    expect(verified.code).toBe(0);
  });

  it('serves versions as immutable and current.json with a short max-age', async () => {
    const current = await fetch(`${url}/published/test-2026/current.json`);
    expect(current.headers.get('cache-control')).toBe('public, max-age=2');
    const pointer = (await current.json()) as { version: string };
    const results = await fetch(`${url}/published/test-2026/v/${pointer.version}/results/c.json`);
    expect(results.status).toBe(200);
    expect(results.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const body = (await results.json()) as { contests: { stations: { reported: number } }[] };
    expect(body.contests[0]?.stations.reported).toBe(6);
    expect((await fetch(`${url}/published/test-2026/../../etc/passwd`)).status).toBe(404);
    expect((await fetch(`${url}/published/nope/current.json`)).status).toBe(404);
    // The verifier takes the URL too.
    expect((await run(['verify', `${url}/published/test-2026`])).code).toBe(0);
  });

  it('publishes, exports, re-imports and verifies through the CLI', async () => {
    await canvass.publisher?.flush();
    const out = join(db.dir, 'cli-published');
    // The CLI opens the same database (the server's key is in the data directory).
    const published = await run(['publish', '--db', db.location, '--data-dir', db.dir, '--out', out]);
    expect(published.code).toBe(0);
    expect((await run(['verify', out])).code).toBe(0);

    const nist = join(db.dir, 'nist.json');
    expect((await run(['export', '--db', db.location, '--data-dir', db.dir, '--format', 'nist-err', '--out', nist])).code).toBe(0);
    const report = JSON.parse(await readFile(nist, 'utf8')) as { '@type': string };
    expect(report['@type']).toBe('ElectionResults.ElectionReport');
    const imported = join(db.dir, 'imported');
    const reimport = await run(['import', '--format', 'nist-err', '--out', imported, nist]);
    expect(reimport.code).toBe(0);
    const [folder] = await readdir(imported);
    const tally = await run([
      'tally',
      '--election',
      join(imported, folder ?? '', 'election.json'),
      '--protocols',
      join(imported, folder ?? '', 'protocols.jsonl'),
      '--format',
      'json',
    ]);
    const original = await fetch(`${url}/api/v1/elections/test-2026/results/c`).then(
      (r) => r.json() as Promise<{ contests: { options: unknown; participated: number }[] }>,
    );
    const again = JSON.parse(tally.stdout) as { contests: { options: unknown; participated: number }[] };
    expect(again.contests[0]?.options).toEqual(original.contests[0]?.options);
    expect(again.contests[0]?.participated).toBe(original.contests[0]?.participated);

    for (const format of ['csv', 'openelections']) {
      const file = join(db.dir, `export.${format}.csv`);
      expect((await run(['export', '--db', db.location, '--data-dir', db.dir, '--format', format, '--out', file])).code).toBe(0);
      expect((await readFile(file, 'utf8')).split('\n').length).toBeGreaterThan(6);
    }
    const pdf = join(db.dir, 'protocol.pdf');
    const rendered = await run(['protocol-pdf', '--db', db.location, '--data-dir', db.dir, '--lang', 'kk', '--out', pdf]);
    expect(rendered.code).toBe(0);
    expect((await readFile(pdf)).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('reports a snapshot it could not write, instead of failing silently', async () => {
    const blocked = join(db.dir, 'not-a-directory');
    await writeFile(blocked, 'a file where the snapshots should go');
    const other = await Canvass.open({ db: join(db.dir, 'other.db'), dataDir: db.dir, publishDir: blocked });
    try {
      await other.defineElection({ id: 'system', role: 'system' }, smallElection());
      await other.publisher?.flush();
      expect(other.publisher?.lastError?.message).toMatch(/ENOTDIR|EEXIST/);
      const app = await buildApp(other);
      const health = await app.inject({ method: 'GET', url: '/api/v1/health' });
      expect(health.json<{ publishing: { lastError: string } }>().publishing.lastError).toMatch(/ENOTDIR|EEXIST/);
      await app.close();
    } finally {
      await other.close();
    }
  });

  it('imports the real Russian 2011 protocols and tallies United Russia to 32,371,737 votes', async () => {
    const out = join(db.dir, 'ru');
    const zip = join(import.meta.dirname, '../test-data/ru/2011.csv.zip');
    const imported = await run(['import', '--format', 'izbirkom', '--out', out, zip]);
    expect(imported.code).toBe(0);
    const [folder] = await readdir(out);
    const tally = await run([
      'tally',
      '--election',
      join(out, folder ?? '', 'election.json'),
      '--protocols',
      join(out, folder ?? '', 'protocols.jsonl'),
      '--format',
      'json',
    ]);
    const result = JSON.parse(tally.stdout) as {
      contests: { stations: { reported: number }; options: { option: string; votes: number }[] }[];
    };
    expect(result.contests[0]?.stations.reported).toBe(95_225);
    expect(Math.max(...(result.contests[0]?.options.map((o) => o.votes) ?? []))).toBe(32_371_737);

    // The integer-percentage test on the same files, as Kobak, Shpilkin & Pshenichnikov computed it.
    const files = ['--election', join(out, folder ?? '', 'election.json'), '--protocols', join(out, folder ?? '', 'protocols.jsonl')];
    const forensics = await run(['forensics', ...files, '--format', 'json']);
    expect(forensics.code).toBe(0);
    type Counts = { either: number; leader: number; turnout: number };
    const test = (
      JSON.parse(forensics.stdout) as {
        contests: { leader: string; integerPercentages: { considered: number; observed: Counts; expected: Counts; excess: Counts } }[];
      }
    ).contests[0];
    expect(test?.leader).toBe('edinaya-rossiya');
    expect(test?.integerPercentages).toMatchObject({ considered: 86_718, observed: { either: 17_803, leader: 9_708, turnout: 9_216 } });
    const tenths = (c: Counts | undefined) => [c?.either, c?.leader, c?.turnout].map((x) => x?.toFixed(1));
    expect(tenths(test?.integerPercentages.expected)).toEqual(['16800.4', '8941.5', '8767.2']);
    expect(tenths(test?.integerPercentages.excess)).toEqual(['1002.6', '766.5', '448.8']);
    const table = await run(['forensics', ...files]);
    expect(table.stdout).toContain('stations considered 86,718');
    expect(table.stdout).toMatch(/either\s+17,803\s+16,800\.4\s+1,002\.6/);
    expect(table.stdout).toMatch(/leader share\s+9,708\s+8,941\.5\s+766\.5/);
  }, 120_000);
});
