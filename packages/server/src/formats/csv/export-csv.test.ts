import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asContestId, asDivisionId, indexElection, type Election, type Protocol } from '@canvass/core';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { generateKz2022President } from '../../demo-data/generate-kz.js';
import { InputError } from '../../files/input-error.js';
import { readProtocolFile } from '../../files/protocol-file.js';
import { protocolHash } from '../../ledger/canonical.js';
import type { PublicationInput } from '../../publish/publication-input.js';
import { countRecords, protocolKey } from '../../tally/count-records.js';
import { CSV_EXTRA_COLUMNS, exportCsv, exportProtocolCsv } from './export-csv.js';
import { publicationFromCount } from '../../publish/reference-input.js';
import { SAMPLE_ELECTION, SAMPLE_PROTOCOLS } from './sample-election.js';

function publication(election: Election, protocols: readonly Protocol[]) {
  const indexed = indexElection(election);
  if (!indexed.ok) throw new Error(JSON.stringify(indexed.error));
  const count = countRecords(
    'protocols.jsonl',
    indexed.value,
    protocols.map((value, i) => ({ line: i + 1, value })),
  );
  return publicationFromCount(indexed.value, count, { now: new Date('2024-01-01T00:00:00Z') });
}

const dir = mkdtempSync(join(tmpdir(), 'canvass-csv-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const sample = publication(SAMPLE_ELECTION, SAMPLE_PROTOCOLS);
const hashOf = (contest: string, station: string) => sample.counted.get(protocolKey(contest, station))?.hash ?? '';

describe('exportCsv', () => {
  it('writes one row per counted protocol and contest, with where the station is, its version, hash and status', () => {
    expect(exportCsv(sample)).toBe(
      [
        'election,contest,region,district,station,version,hash,status,reason,voters,ballots-issued,invalid,votes:ana,votes:boris,votes:against-all,votes:unity,votes:green',
        `sample-2024,president,xa-n,xa-n-1,st-101,1,${hashOf('president', 'st-101')},accepted,,1000,700,20,400,230,50,,`,
        `sample-2024,president,xa-n,xa-n-1,st-102,1,${hashOf('president', 'st-102')},accepted,,800,500,10,200,250,40,,`,
        `sample-2024,president,xa-s,,st-201,1,${hashOf('president', 'st-201')},accepted,,1200,900,30,300,500,70,,`,
        `sample-2024,assembly,xa-n,xa-n-1,st-101,1,${hashOf('assembly', 'st-101')},accepted,,1000,700,25,,,25,390,260`,
        `sample-2024,assembly,xa-n,xa-n-1,st-102,1,${hashOf('assembly', 'st-102')},accepted,,800,500,12,,,18,250,220`,
        `sample-2024,assembly,xa-s,,st-201,1,${hashOf('assembly', 'st-201')},accepted,,1200,900,28,,,22,480,370`,
        '',
      ].join('\n'),
    );
    // The hash is SHA-256 of the protocol's RFC 8785 JSON, computed independently of Canvass for station 101:
    // {"contest":"president","election":"sample-2024","lines":{"ballots-issued":700,"invalid":20,"voters":1000},
    //  "station":"st-101","votes":{"against-all":50,"ana":400,"boris":230}}
    expect(hashOf('president', 'st-101')).toBe('2064be91293c1dba1e4d498ea9c9a77a9c9b4b0c6aa2a9cf4c696a329eb65787');
  });

  it('carries each whole protocol: every row hashes to its hash column', () => {
    const [header = [], ...rows] = parseCsv(exportCsv(sample));
    expect(rows).toHaveLength(6);
    for (const row of rows) {
      const cell = (name: string) => row[header.indexOf(name)] ?? '';
      const contest = SAMPLE_ELECTION.contests.find((c) => c.id === cell('contest'));
      const protocol = {
        election: cell('election'),
        contest: cell('contest'),
        station: cell('station'),
        lines: Object.fromEntries(SAMPLE_ELECTION.protocol.lines.map((l) => [l.id, Number(cell(l.id))])),
        votes: Object.fromEntries((contest?.options ?? []).map((o) => [o.id, Number(cell(`votes:${o.id}`))])),
      };
      expect(protocolHash(protocol)).toBe(cell('hash'));
    }
  });

  it('shows corrections: version, entered (not yet accepted), and the reason, quoted', () => {
    const key = protocolKey('president', 'st-201');
    const first = sample.counted.get(key);
    if (!first) throw new Error('sample has no protocol for st-201');
    const corrected = { ...first.protocol, reason: 'Recount of box 2, "complaint" No. 7, upheld' };
    const input: PublicationInput = {
      ...sample,
      counted: new Map([...sample.counted, [key, { protocol: corrected, version: 2, hash: protocolHash(corrected), accepted: false }]]),
    };
    expect(exportCsv(input).split('\n')[3]).toBe(
      `sample-2024,president,xa-s,,st-201,2,${protocolHash(corrected)},entered,"Recount of box 2, ""complaint"" No. 7, upheld",1200,900,30,300,500,70,,`,
    );
    const rows = parseCsv(exportProtocolCsv(input, asContestId('president')));
    expect([rows[0]?.[3], rows[3]?.[2], rows[3]?.[3]]).toEqual(['reason', 'st-201', corrected.reason]);
  });

  it('is, without its five extra columns and per contest, exactly the protocol file `canvass tally` reads', () => {
    const full = parseCsv(exportCsv(sample));
    const header = full[0] ?? [];
    for (const contest of SAMPLE_ELECTION.contests) {
      const [protocolHeader = [], ...protocolRows] = parseCsv(exportProtocolCsv(sample, contest.id));
      // Its columns: the full export's, less the extra ones and the other contests' votes, in the contest's ballot order.
      expect(protocolHeader).toEqual([
        ...header.filter((name) => !(CSV_EXTRA_COLUMNS as readonly string[]).includes(name) && !name.startsWith('votes:')),
        ...contest.options.map((o) => `votes:${o.id}`),
      ]);
      const rows = full
        .filter((row, r) => r > 0 && row[1] === contest.id)
        .map((row) => protocolHeader.map((name) => row[header.indexOf(name)]));
      expect(protocolRows).toEqual(rows);
      expect(protocolRows).toHaveLength(3);
    }
  });

  it('reads back through the protocol reader and counts to the same results (2022 reference election)', async () => {
    const kz = generateKz2022President();
    const input = publication(kz.election, kz.protocols);
    const path = file('kz-2022.csv', exportProtocolCsv(input, asContestId('president')));
    const records = await readProtocolFile(path);
    expect(records).toHaveLength(10_101);
    expect(records.map((r) => r.value)).toEqual(kz.protocols);
    const back = countRecords(path, input.index, records);
    for (const division of ['kz', ...kz.election.divisions.filter((d) => d.parent === 'kz').map((d) => d.id)])
      expect(back.tally.results(asDivisionId(division))).toEqual(input.tally.results(asDivisionId(division)));
  });

  it('is rejected by the protocol reader when the extra columns are left in (the documented difference)', async () => {
    const president = publication(
      SAMPLE_ELECTION,
      SAMPLE_PROTOCOLS.filter((p) => p.contest === 'president'),
    );
    const path = file('full.csv', exportCsv(president));
    const error = await readProtocolFile(path).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems.slice(0, 4)).toEqual([
      { file: path, line: 2, at: 'region', rule: 'csv-count', message: '"xa-n" is not a whole number; write the count in digits only' },
      { file: path, line: 2, at: 'district', rule: 'csv-count', message: '"xa-n-1" is not a whole number; write the count in digits only' },
      {
        file: path,
        line: 2,
        at: 'hash',
        rule: 'csv-count',
        message: `"${hashOf('president', 'st-101')}" is not a whole number; write the count in digits only`,
      },
      { file: path, line: 2, at: 'status', rule: 'csv-count', message: '"accepted" is not a whole number; write the count in digits only' },
    ]);
  });

  it('refuses an unknown contest', () => {
    expect(() => exportProtocolCsv(sample, asContestId('senate'))).toThrow('contest "senate" is not part of election "sample-2024"');
  });
});
