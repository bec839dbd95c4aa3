import { generateKeyPairSync } from 'node:crypto';
import { asDivisionId, asElectionId, asLineId, type DivisionResults, type TurnoutReport } from '@canvass/core';
import { describe, expect, test } from 'vitest';
import { protocolHash, sha256Hex } from '../ledger/canonical.js';
import { protocolKey } from '../tally/count-records.js';
import { buildSnapshot, contentDigest } from './build-snapshot.js';
import { ManifestSchema, checkManifestSignature, keyId } from './manifest.js';
import type { PublicationInput } from './publication-input.js';
import { kz2022PublicationInput, publicationInputFromProtocols } from './reference-input.js';
import { VERSION_PATTERN, versionName } from './snapshot-layout.js';
import { TINY_ELECTION, TINY_PROTOCOLS } from './tiny-election.js';

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);
const turnout = (station: string, at: string, participated: number, registered?: number): TurnoutReport => ({
  election: asElectionId('tiny-2030'),
  station: asDivisionId(station),
  at,
  participated,
  ...(registered === undefined ? {} : { registered }),
});

function tinyInput(): PublicationInput {
  return publicationInputFromProtocols(TINY_ELECTION, TINY_PROTOCOLS, {
    now: new Date('2030-03-03T15:00:00Z'),
    ledgerHead: { seq: 7, hash: 'ab'.repeat(32) },
    // Deliberately out of order: the file is sorted by cut-off, then station.
    turnout: [turnout('s2', '20:00', 160), turnout('s1', '20:00', 80), turnout('s1', '10:00', 20, 101)],
  });
}

/** What `canvass tally --format json` prints for a division, computed with the publication's status and protocols. */
function tallyJson(input: PublicationInput, division: string): string {
  const results = input.tally.results(asDivisionId(division), {
    status: (contest) => input.status(contest),
    stationProtocol: (station, contest) => input.counted.get(protocolKey(contest, station))?.protocol,
  });
  return `${JSON.stringify(results)}\n`;
}

describe('buildSnapshot (tiny election)', () => {
  const input = tinyInput();
  const { files, manifest, version } = buildSnapshot(input);

  test('stations.csv holds every counted protocol: all lines and votes, version, acceptance and hash; reasons quoted', () => {
    const hash = (i: number) => protocolHash(TINY_PROTOCOLS[i]);
    expect(text(files.get('stations.csv'))).toBe(
      [
        'election,contest,station,version,accepted,hash,reason,voters,ballots-received,ballots-issued,ballots-cancelled,ballots-in-boxes,invalid,votes:ann,votes:bob,votes:against-all,votes:xia,votes:yun',
        `tiny-2030,president,s1,1,true,${hash(0)},,100,100,80,20,80,5,40,30,5,,`,
        `tiny-2030,president,s2,1,true,${hash(1)},,200,200,160,40,160,0,70,80,10,,`,
        `tiny-2030,president,s3,1,true,${hash(2)},,300,300,243,57,243,3,150,90,0,,`,
        `tiny-2030,president,s4,1,true,${hash(3)},"Recount, ""box 2"", ordered\nby the district commission",400,400,260,140,260,10,100,120,30,,`,
        `tiny-2030,mayor-r1,s1,1,true,${hash(4)},,100,100,80,20,80,0,,,,50,30`,
        `tiny-2030,mayor-r1,s2,1,true,${hash(5)},,200,200,180,20,180,0,,,,90,90`,
        '',
      ].join('\n'),
    );
  });

  test('turnout.csv lists the reports by cut-off, then by station', () => {
    expect(text(files.get('turnout.csv'))).toBe(
      'election,station,at,participated,registered\ntiny-2030,s1,10:00,20,101\ntiny-2030,s1,20:00,80,\ntiny-2030,s2,20:00,160,\n',
    );
  });

  test('every division that is not a station has results/<id>.json, exactly the tally JSON', () => {
    for (const division of ['c', 'r1', 'r2', 'd21']) expect(text(files.get(`results/${division}.json`))).toBe(tallyJson(input, division));
    const national = JSON.parse(text(files.get('results/c.json'))) as DivisionResults;
    expect(national.contests).toHaveLength(1);
    expect(national.contests[0]).toMatchObject({
      contest: 'president',
      status: 'unofficial-partial',
      stations: { reported: 4, total: 5 },
      options: [
        { option: 'ann', votes: 360, percent: '49.66' },
        { option: 'bob', votes: 320, percent: '44.14' },
        { option: 'against-all', votes: 45, percent: '6.21' },
      ],
      outcome: { kind: 'runoff', runoff: ['ann', 'bob'] },
    });
    const region1 = JSON.parse(text(files.get('results/r1.json'))) as DivisionResults;
    expect(region1.contests.map((c) => [c.contest, c.status, c.outcome])).toEqual([
      ['president', 'unofficial-partial', undefined],
      ['mayor-r1', 'unofficial-complete', { kind: 'elected', elected: ['xia'] }],
    ]);
  });

  test('every station is in station-results/<parent>.json, in definition order, each the tally JSON', () => {
    const group = (parent: string, stations: string[]) => `[\n${stations.map((s) => tallyJson(input, s).trimEnd()).join(',\n')}\n]\n`;
    expect(text(files.get('station-results/r1.json'))).toBe(group('r1', ['s1', 's2']));
    expect(text(files.get('station-results/d21.json'))).toBe(group('d21', ['s3', 's4']));
    expect(text(files.get('station-results/r2.json'))).toBe(group('r2', ['s5']));
    const s5 = (JSON.parse(text(files.get('station-results/r2.json'))) as DivisionResults[])[0];
    expect(s5?.contests[0]?.stations).toEqual({ reported: 0, total: 1 });
  });

  test('the manifest lists every other file with its size and SHA-256, the ledger head, statuses and the version', () => {
    const parsed = ManifestSchema.parse(JSON.parse(text(files.get('manifest.json'))));
    expect([...files.keys()].sort()).toEqual([
      'election.json',
      'manifest.json',
      'results/c.json',
      'results/d21.json',
      'results/r1.json',
      'results/r2.json',
      'station-results/d21.json',
      'station-results/r1.json',
      'station-results/r2.json',
      'stations.csv',
      'turnout.csv',
    ]);
    expect(parsed.files.map((f) => f.path)).toEqual([...files.keys()].filter((p) => p !== 'manifest.json').sort());
    for (const file of parsed.files) {
      const bytes = files.get(file.path);
      expect(file).toEqual({ path: file.path, size: bytes?.byteLength, sha256: sha256Hex(bytes ?? new Uint8Array()) });
    }
    expect(parsed).toEqual({
      format: 'canvass-snapshot/1',
      election: 'tiny-2030',
      version,
      resultsVersion: 6,
      createdAt: '2030-03-03T15:00:00.000Z',
      ledger: { seq: 7, hash: 'ab'.repeat(32) },
      status: { president: 'unofficial-partial', 'mayor-r1': 'unofficial-complete' },
      protocols: 6,
      layout: { stationResults: 'grouped' },
      files: parsed.files,
    });
    expect(manifest).toEqual(parsed);
    expect(version).toMatch(VERSION_PATTERN);
    expect(version).toBe(versionName(6, contentDigest(parsed.files)));
    expect(version.startsWith('0000000006-')).toBe(true);
  });

  test('election.json is the election definition the verifier recomputes from', () => {
    expect(JSON.parse(text(files.get('election.json')))).toEqual(JSON.parse(JSON.stringify(TINY_ELECTION)));
  });

  test('with a key, the manifest names its signer and manifest.sig signs the exact manifest bytes', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const signed = buildSnapshot(input, privateKey);
    const bytes = signed.files.get('manifest.json') ?? new Uint8Array();
    expect(signed.manifest.signer).toEqual({ algorithm: 'Ed25519', keyId: keyId(publicKey) });
    expect(checkManifestSignature(bytes, text(signed.files.get('manifest.sig')), publicKey)).toBe(true);
    expect(checkManifestSignature(bytes, text(signed.files.get('manifest.sig')), generateKeyPairSync('ed25519').publicKey)).toBe(false);
    // The data files and so the version do not depend on the key.
    expect(signed.version).toBe(version);
  });

  test('the same content gives the same version; a different results version or content a different one', () => {
    expect(buildSnapshot(tinyInput()).version).toBe(version);
    expect(buildSnapshot({ ...tinyInput(), resultsVersion: 7 }).version).toBe(version.replace(/^0000000006/, '0000000007'));
    const fewer = publicationInputFromProtocols(TINY_ELECTION, TINY_PROTOCOLS.slice(0, 5), {
      now: new Date('2030-03-03T15:00:00Z'),
      ledgerHead: { seq: 6, hash: 'ab'.repeat(32) },
      resultsVersion: 6,
    });
    expect(buildSnapshot(fewer).version).not.toBe(version);
  });

  test('layout "none" publishes no station-level results files', () => {
    const none = buildSnapshot(input, undefined, { stationResults: 'none' });
    expect([...none.files.keys()].filter((p) => p.startsWith('station-results/'))).toEqual([]);
    expect(none.manifest.layout).toEqual({ stationResults: 'none' });
    expect(none.files.get('results/c.json')).toEqual(files.get('results/c.json'));
  });

  test('a counted protocol with an entry no column can hold is refused (it was never validated)', () => {
    const protocol = TINY_PROTOCOLS[0];
    if (!protocol) throw new Error('fixture');
    const broken = { ...protocol, lines: { ...protocol.lines, [asLineId('ballots-lost')]: 1 } };
    const counted = new Map(input.counted);
    counted.set(protocolKey('president', 's1'), { protocol: broken, version: 2, hash: protocolHash(broken), accepted: false });
    expect(() => buildSnapshot({ ...input, counted })).toThrow(/station "s1".*not in the election/);
  });
});

describe('buildSnapshot (KZ 2022 reference election)', () => {
  const input = kz2022PublicationInput();
  const { files } = buildSnapshot(input);

  test('the national results are the official figures, as the tally prints them', () => {
    expect(text(files.get('results/kz.json'))).toBe(tallyJson(input, 'kz'));
    const national = (JSON.parse(text(files.get('results/kz.json'))) as DivisionResults).contests[0];
    expect(national).toMatchObject({
      status: 'unofficial-complete',
      stations: { reported: 10101, total: 10101 },
      registered: 11953465,
      participated: 8300046,
      turnoutPercent: '69.44',
      invalid: 359568,
      outcome: { kind: 'elected', elected: ['tokayev'] },
    });
    expect(national?.options.map((o) => [o.option, o.votes, o.percent])).toEqual([
      ['tokayev', 6456393, '81.31'],
      ['dairabayev', 271641, '3.42'],
      ['abden', 206206, '2.60'],
      ['kazhyken', 200907, '2.53'],
      ['auesbayev', 176116, '2.22'],
      ['tursynbekova', 168731, '2.12'],
      ['against-all', 460484, '5.80'],
    ]);
  });

  test('every one of the 10,289 divisions has its results: 188 files and 10,101 stations in their parents’ groups', () => {
    const { divisions } = input.index.election;
    const resultFiles = [...files.keys()].filter((p) => p.startsWith('results/'));
    expect(resultFiles).toHaveLength(divisions.filter((d) => d.kind !== 'polling-station').length);
    expect(resultFiles).toHaveLength(188);
    const seen = new Map<string, string>();
    for (const [path, bytes] of files) {
      if (!path.startsWith('station-results/')) continue;
      const parent = path.slice('station-results/'.length, -'.json'.length);
      for (const entry of JSON.parse(text(bytes)) as DivisionResults[]) seen.set(entry.division, parent);
    }
    expect(seen.size).toBe(10101);
    for (const division of divisions) if (division.kind === 'polling-station') expect(seen.get(division.id)).toBe(division.parent);
  });

  test('stations.csv has one row per station, each with its protocol hash', () => {
    const rows = text(files.get('stations.csv')).trimEnd().split('\n').slice(1);
    expect(rows).toHaveLength(10101);
    const first = input.counted.values().next().value;
    expect(rows[0]?.startsWith(`kz-2022-president,president,${first?.protocol.station},1,true,${first?.hash},,`)).toBe(true);
    expect(first?.hash).toBe(protocolHash(first?.protocol));
  });
});
