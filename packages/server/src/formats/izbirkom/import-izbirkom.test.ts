/**
 * The real CEC tables: every station protocol of the State Duma election of 2011 and the presidential election of
 * 2012 (packages/server/test-data/ru, scraped from izbirkom.ru by Sergey Shpilkin; see SOURCES.md there).
 *
 * Totals are tallied over ALL protocols, including those that break a control relation, because the official
 * totals include them; data-README.md states that the sums agree with izbirkom.ru.
 */
import { readFileSync } from 'node:fs';
import {
  ElectionSchema,
  Tally,
  asDivisionId,
  indexElection,
  integerPercentagesOf,
  leadingOption,
  validateProtocol,
  type ContestResults,
  type ElectionIndex,
  type Finding,
  type Protocol,
} from '@canvass/core';
import { beforeAll, describe, expect, test } from 'vitest';
import { countRecords } from '../../tally/count-records.js';
import { importIzbirkom, type IzbirkomImport } from './import-izbirkom.js';

const readTestData = (name: string) => ({
  name,
  bytes: new Uint8Array(readFileSync(new URL(`../../../test-data/ru/${name}`, import.meta.url))),
});

interface Imported {
  readonly imported: IzbirkomImport;
  readonly index: ElectionIndex;
  readonly country: ContestResults;
  readonly findings: ReadonlyMap<string, readonly Finding[]>;
}

function importAndTally(file: string): Imported {
  const imported = importIzbirkom([readTestData(file)]);
  const indexed = indexElection(imported.election);
  if (!indexed.ok) throw new Error(JSON.stringify(indexed.error.slice(0, 5)));
  const index = indexed.value;
  const tally = new Tally(index);
  const findings = new Map<string, Finding[]>();
  for (const protocol of imported.protocols) {
    const added = tally.add(protocol);
    if (!added.ok) throw new Error(added.error.kind);
    const found = validateProtocol(index, protocol);
    if (found.length > 0) findings.set(protocol.station, found);
  }
  const country = tally.results(asDivisionId('ru'))?.contests[0];
  if (!country) throw new Error('no country results');
  return { imported, index, country, findings };
}

/** Station ids per relation code, sorted. */
function breaksByCode(findings: ReadonlyMap<string, readonly Finding[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [station, list] of findings) for (const finding of list) (out[finding.code] ??= []).push(station);
  for (const list of Object.values(out)) list.sort();
  return out;
}

/**
 * The integer-percentage test (Kobak, Shpilkin & Pshenichnikov 2016) on every imported protocol, the leader being
 * the country's, against the exact intermediate figures derived from the authors' published results
 * (test-data/ru/integer-percentage-targets-2011-2012.csv): the filtered stations and the observed integer counts
 * exactly, the binomial expectations and excesses to the file's one decimal.
 */
function expectIntegerPercentages(run: Imported, year: string, leader: string): void {
  const [header, ...rows] = readFileSync(new URL('../../../test-data/ru/integer-percentage-targets-2011-2012.csv', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.trim().split(','));
  const row = rows.find((r) => r[0] === year) ?? [];
  const target = (column: string) => Number(row[header?.indexOf(column) ?? -1]);
  const contest = run.index.contests[0];
  if (!contest) throw new Error('no contest');
  const leaderAt = leadingOption(contest, run.country.options);
  expect(leaderAt === undefined ? undefined : contest.layout.options[leaderAt]?.id).toBe(leader);
  const test = integerPercentagesOf(contest, run.imported.protocols, leaderAt ?? -1);
  expect(test.considered).toBe(target('n_stations_aoas_criteria'));
  expect(test.considered + test.excluded).toBe(target('stations_with_leader_data'));
  expect(test.observed).toEqual({
    either: target('obs_int_either'),
    leader: target('obs_int_leader'),
    turnout: target('obs_int_turnout'),
  });
  const oneDecimal = (x: number) => x.toFixed(1);
  expect([test.expected.either, test.expected.leader, test.expected.turnout].map(oneDecimal)).toEqual(
    ['exact_expected_either', 'exact_expected_leader', 'exact_expected_turnout'].map((c) => target(c).toFixed(1)),
  );
  expect([test.excess.either, test.excess.leader, test.excess.turnout].map(oneDecimal)).toEqual(
    ['excess_either_exact', 'excess_leader_exact', 'excess_turnout_exact'].map((c) => target(c).toFixed(1)),
  );
  // The authors' Monte Carlo excess agrees within its own noise (2 % of one replicate's spread: 1.0 in 2011, 1.4 in
  // 2012); that spread per replicate is close to the analytic standard deviation.
  const spread = target('mc_std_either_per_replicate');
  expect(Math.abs(test.excess.either - target('published_excess_either_mc'))).toBeLessThan(0.02 * spread);
  expect(test.sd.either / spread).toBeGreaterThan(0.97);
  expect(test.sd.either / spread).toBeLessThan(1.03);
}

const relationOf = (findings: readonly Finding[] | undefined) =>
  (findings ?? []).map((f) => ({ code: f.code, severity: f.severity, left: f.left, right: f.right }));

function kinds(protocols: readonly Protocol[], imported: IzbirkomImport) {
  const count: Record<string, number> = {};
  for (const division of imported.election.divisions) count[division.kind] = (count[division.kind] ?? 0) + 1;
  return { ...count, protocols: protocols.length };
}

describe('Duma 2011 (2011.csv.zip)', () => {
  let run: Imported;
  beforeAll(() => {
    run = importAndTally('2011.csv.zip');
  });

  test('imports every station without a problem: 84 regions, 2,746 TIKs, 95,225 stations', () => {
    expect(run.imported.problems).toEqual([]);
    expect(kinds(run.imported.protocols, run.imported)).toEqual({
      country: 1,
      region: 84,
      'territorial-commission': 2746,
      'polling-station': 95225,
      protocols: 95225,
    });
  });

  test('United Russia has 32,371,737 votes; 95,225 stations with 109,229,337 registered voters', () => {
    const { country } = run;
    expect(country.stations).toEqual({ reported: 95225, total: 95225 });
    expect(country.registered).toBe(109_229_337);
    expect(country.registeredTotal).toBe(109_229_337);
    expect(country.options).toEqual([
      { option: 'spravedlivaya-rossiya', votes: 8_695_458, percent: '13.25' },
      { option: 'ldpr', votes: 7_664_516, percent: '11.68' },
      { option: 'patrioty-rossii', votes: 639_067, percent: '0.97' },
      { option: 'kprf', votes: 12_599_420, percent: '19.19' },
      { option: 'yabloko', votes: 2_252_327, percent: '3.43' },
      { option: 'edinaya-rossiya', votes: 32_371_737, percent: '49.31' },
      { option: 'pravoe-delo', votes: 392_727, percent: '0.60' },
    ]);
    // Took part = ballots issued; percentages on valid + invalid (65,648,690).
    expect([country.participated, country.valid, country.invalid, country.percentBase]).toEqual([
      65_766_594, 64_615_252, 1_033_438, 65_648_690,
    ]);
    // The integer-percentage targets file gives the same turnout and leader share (60.21 %, 49.31 %).
    expect(country.turnoutPercent).toBe('60.21');
  });

  test('the seats come out as the CEC allocated them: 238 / 92 / 64 / 56', () => {
    const outcome = run.country.outcome;
    if (outcome?.kind !== 'seats') throw new Error(`expected seats, got ${JSON.stringify(outcome)}`);
    // Lists without seats may be listed with 0 or left out; only the seats won are compared.
    expect(Object.fromEntries(Object.entries(outcome.seats).filter(([, seats]) => seats > 0))).toEqual({
      'spravedlivaya-rossiya': 64,
      ldpr: 56,
      kprf: 92,
      'edinaya-rossiya': 238,
    });
    expect(outcome.qualified).toEqual(['spravedlivaya-rossiya', 'ldpr', 'kprf', 'edinaya-rossiya']);
  });

  test('which real protocols break which control relation', () => {
    // The four relations of the law's annex (RU-1…RU-4) and the absentee balance (RU-5) hold at every station.
    expect(breaksByCode(run.findings)).toEqual({
      'RU-6': [
        'ru-r22-t052-u0460',
        'ru-r22-t052-u0473',
        'ru-r25-t009-u0354',
        'ru-r38-t014-u0775',
        'ru-r45-t023-u0144',
        'ru-r50-t048-u2251',
        'ru-r53-t011-u0219',
        'ru-r59-t032-u3263',
        'ru-r63-t026-u1378',
        'ru-r67-t002-u0044',
      ],
      'RU-7': [
        'ru-r18-t010-u1724',
        'ru-r18-t016-u0549',
        'ru-r21-t013-u0485',
        'ru-r29-t030-u0931',
        'ru-r38-t014-u0775',
        'ru-r47-t027-u0886',
        'ru-r47-t027-u0893',
        'ru-r50-t007-u0212',
        'ru-r50-t048-u2253',
        'ru-r50-t048-u2260',
        'ru-r50-t068-u3143',
        'ru-r50-t071-u3295',
        'ru-r53-t011-u0250',
        'ru-r57-t016-u0161',
        'ru-r63-t042-u1696',
        'ru-r66-t035-u1867',
        'ru-r66-t036-u0447',
        'ru-r70-t014-u0242',
      ],
      'RU-8': [
        'ru-r18-t010-u1724',
        'ru-r18-t016-u0549',
        'ru-r21-t013-u0485',
        'ru-r29-t030-u0931',
        'ru-r38-t014-u0775',
        'ru-r47-t027-u0886',
        'ru-r47-t027-u0893',
        'ru-r50-t007-u0212',
        'ru-r50-t048-u2253',
        'ru-r50-t048-u2260',
        'ru-r50-t068-u3143',
        'ru-r50-t071-u3295',
        'ru-r53-t011-u0250',
        'ru-r57-t016-u0161',
        'ru-r63-t042-u1696',
        'ru-r66-t035-u1867',
        'ru-r66-t036-u0447',
        'ru-r70-t014-u0242',
      ],
      'RU-9': ['ru-r25-t014-u0471', 'ru-r50-t010-u0426'],
    });
  });

  test('named stations, with the figures they break the relations by', () => {
    const { imported, findings } = run;
    const at = (id: string) => {
      const station = imported.election.divisions.find((d) => d.id === id);
      const tik = imported.election.divisions.find((d) => d.id === station?.parent);
      const region = imported.election.divisions.find((d) => d.id === tik?.parent);
      return [region?.names['ru'], tik?.names['ru'], station?.names['ru'], imported.origins.get(asDivisionId(id))];
    };
    // Udmurtia, Zavyalovo TIK, UIK 1724: 140 ballots in the stationary box, 139 issued in the room, none early.
    expect(at('ru-r18-t010-u1724')).toEqual([
      'Удмуртская Республика',
      '10 Завьяловская',
      'УИК № 1724',
      { file: '2011.csv.zip/2011.csv', line: 6607 },
    ]);
    expect(relationOf(findings.get('ru-r18-t010-u1724'))).toEqual([
      { code: 'RU-7', severity: 'warning', left: 140, right: 139 },
      { code: 'RU-8', severity: 'warning', left: 144, right: 143 },
    ]);
    // Irkutsk, Sverdlovsky TIK, UIK 775: one ballot too many in the mobile box, fourteen in the stationary one.
    expect(at('ru-r38-t014-u0775')).toEqual([
      'Иркутская область',
      '14 Иркутск, Свердловская',
      'УИК № 775',
      { file: '2011.csv.zip/2011.csv', line: 65644 },
    ]);
    expect(relationOf(findings.get('ru-r38-t014-u0775'))).toEqual([
      { code: 'RU-6', severity: 'warning', left: 26, right: 25 },
      { code: 'RU-7', severity: 'warning', left: 1042, right: 1028 },
      { code: 'RU-8', severity: 'warning', left: 1068, right: 1053 },
    ]);
    // Smolensk, Vyazma TIK, UIK 44: 258 ballots in the mobile boxes, 255 issued outside.
    expect(relationOf(findings.get('ru-r67-t002-u0044'))).toEqual([{ code: 'RU-6', severity: 'warning', left: 258, right: 255 }]);
    // Primorsky Krai, Kirovsky TIK, UIK 471: 201 voted with absentee certificates, 199 ballots issued in all.
    expect(at('ru-r25-t014-u0471')).toEqual([
      'Приморский край',
      '14 Кировская',
      'УИК № 471',
      { file: '2011.csv.zip/2011.csv', line: 58187 },
    ]);
    expect(relationOf(findings.get('ru-r25-t014-u0471'))).toEqual([{ code: 'RU-9', severity: 'warning', left: 201, right: 199 }]);
  });

  test('no error-level relation is broken, so the server counts every protocol and flags 29 with warnings', () => {
    const counted = countRecords(
      '2011.csv.zip',
      run.index,
      run.imported.protocols.map((value, i) => ({ line: i + 2, value })),
    );
    expect(counted.notCounted).toEqual([]);
    expect(counted.warnings.length).toBe(29);
    expect(counted.tally.results(asDivisionId('ru'))?.contests[0]?.options[5]).toEqual({
      option: 'edinaya-rossiya',
      votes: 32_371_737,
      percent: '49.31',
    });
  });

  test('integer percentages: 17,803 stations against 16,800.4 expected, as Kobak, Shpilkin & Pshenichnikov found', () => {
    expectIntegerPercentages(run, '2011', 'edinaya-rossiya');
  });

  test('region ids use the subject codes the CEC itself uses in its links (root=<code>2……)', () => {
    const mismatches: string[] = [];
    for (const division of run.imported.election.divisions) {
      if (division.kind !== 'territorial-commission' || division.parent === 'ru-r99') continue;
      const root = /[?&]root=(\d+)/.exec(division.externalIds?.['izbirkom'] ?? '')?.[1] ?? '';
      const code = root.slice(0, -7).padStart(2, '0');
      if (`ru-r${code}` !== division.parent || root.at(-7) !== '2') mismatches.push(`${division.id} ${root}`);
    }
    expect(mismatches).toEqual([]);
  });
});

describe('President 2012 (2012.csv.zip)', () => {
  let run: Imported;
  beforeAll(() => {
    run = importAndTally('2012.csv.zip');
  });

  test('imports every station without a problem: 85 regions, 2,746 TIKs, 95,415 stations', () => {
    expect(run.imported.problems).toEqual([]);
    expect(kinds(run.imported.protocols, run.imported)).toEqual({
      country: 1,
      region: 85,
      'territorial-commission': 2746,
      'polling-station': 95415,
      protocols: 95415,
    });
  });

  test('the definition passes the election schema unchanged', () => {
    const parsed = ElectionSchema.safeParse(run.imported.election);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual(run.imported.election);
  });

  test('Putin has 45,602,075 votes (the official figure), 63.60 %, elected in the first round', () => {
    const { country } = run;
    expect(country.stations).toEqual({ reported: 95415, total: 95415 });
    expect(country.registered).toBe(109_860_331);
    expect(country.options).toEqual([
      { option: 'zhirinovsky', votes: 4_458_103, percent: '6.22' },
      { option: 'zyuganov', votes: 12_318_353, percent: '17.18' },
      { option: 'mironov', votes: 2_763_935, percent: '3.85' },
      { option: 'prokhorov', votes: 5_722_508, percent: '7.98' },
      { option: 'putin', votes: 45_602_075, percent: '63.60' },
    ]);
    expect([country.participated, country.valid, country.invalid, country.percentBase]).toEqual([
      71_780_800, 70_864_974, 836_691, 71_701_665,
    ]);
    expect(country.turnoutPercent).toBe('65.34');
    expect(country.outcome).toEqual({ kind: 'elected', elected: ['putin'] });
  });

  test('which real protocols break which control relation', () => {
    expect(breaksByCode(run.findings)).toEqual({
      'RU-6': [
        'ru-r03-t022-u0635',
        'ru-r14-t002-u0022',
        'ru-r21-t018-u0894',
        'ru-r22-t007-u0125',
        'ru-r23-t028-u2844',
        'ru-r25-t019-u0600',
        'ru-r30-t003-u0498',
        'ru-r35-t008-u0396',
        'ru-r43-t013-u0376',
        'ru-r43-t015-u0482',
        'ru-r50-t007-u0220',
        'ru-r53-t003-u0072',
        'ru-r54-t031-u1972',
        'ru-r63-t032-u0869',
        'ru-r66-t076-u0967',
        'ru-r67-t006-u0140',
        'ru-r67-t017-u0419',
        'ru-r67-t024-u0696',
        'ru-r68-t026-u0785',
        'ru-r70-t019-u0128',
        'ru-r74-t016-u0995',
        'ru-r74-t025-u1256',
        'ru-r74-t029-u0216',
        'ru-r78-t010-u0279',
      ],
      'RU-7': [
        'ru-r39-t008-u0188',
        'ru-r39-t008-u0227',
        'ru-r39-t008-u0244',
        'ru-r39-t017-u0421',
        'ru-r41-t006-u0058',
        'ru-r43-t014-u0409',
        'ru-r50-t064-u2978',
        'ru-r63-t040-u1493',
        'ru-r66-t056-u2317',
        'ru-r66-t062-u0736',
        'ru-r74-t045-u2075',
      ],
      'RU-8': [
        'ru-r03-t022-u0635',
        'ru-r39-t008-u0188',
        'ru-r39-t008-u0227',
        'ru-r39-t008-u0244',
        'ru-r39-t017-u0421',
        'ru-r41-t006-u0058',
        'ru-r43-t014-u0409',
        'ru-r50-t064-u2978',
        'ru-r63-t040-u1493',
        'ru-r66-t056-u2317',
        'ru-r66-t062-u0736',
        'ru-r66-t076-u0967',
        'ru-r74-t045-u2075',
      ],
    });
  });

  test('named stations, with the figures they break the relations by', () => {
    const { imported, findings } = run;
    // Buryatia, Ulan-Ude Zheleznodorozhny TIK, UIK 635: 30 ballots in the mobile boxes, 29 issued outside.
    expect(imported.origins.get(asDivisionId('ru-r03-t022-u0635'))).toEqual({ file: '2012.csv.zip/2012.csv', line: 4653 });
    expect(relationOf(findings.get('ru-r03-t022-u0635'))).toEqual([
      { code: 'RU-6', severity: 'warning', left: 30, right: 29 },
      { code: 'RU-8', severity: 'warning', left: 712, right: 711 },
    ]);
    // Kaliningrad, Leningradsky TIK, UIK 188: 1,419 ballots in the stationary boxes, 1,418 issued in the room.
    expect(imported.origins.get(asDivisionId('ru-r39-t008-u0188'))).toEqual({ file: '2012.csv.zip/2012.csv', line: 44154 });
    expect(relationOf(findings.get('ru-r39-t008-u0188'))).toEqual([
      { code: 'RU-7', severity: 'warning', left: 1419, right: 1418 },
      { code: 'RU-8', severity: 'warning', left: 1435, right: 1434 },
    ]);
  });

  test('integer percentages: 18,025 stations against 16,864.0 expected, as Kobak, Shpilkin & Pshenichnikov found', () => {
    expectIntegerPercentages(run, '2012', 'putin');
  });

  test('Baikonur and the stations abroad are regions of their own in 2012', () => {
    const regions = run.imported.election.divisions.filter((d) => d.kind === 'region' && Number(d.id.slice(4)) >= 90);
    expect(regions.map((d) => [d.id, d.names])).toEqual([
      ['ru-r98', { ru: '98 Город Байконур (Республика Казахстан)', en: 'Baikonur (Republic of Kazakhstan)' }],
      ['ru-r99', { ru: '99 Территория за пределами РФ', en: 'Outside the Russian Federation' }],
    ]);
  });
});
