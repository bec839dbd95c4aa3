/**
 * The Russian control relations on real protocols: `sample-2011.csv` and `sample-2012.csv` are rows copied
 * unchanged from the CEC tables (test-data/ru/SOURCES.md lists their source lines), picked so that every warning
 * fires somewhere and every term of every relation is needed somewhere. The relations of the law's annex hold on
 * every real protocol, so the error-level rules are tried on real rows with one figure changed, each change named.
 */
import { readFileSync } from 'node:fs';
import {
  RulePackSchema,
  asDivisionId,
  asLineId,
  asOptionId,
  indexElection,
  validateProtocol,
  type ElectionIndex,
  type Protocol,
} from '@canvass/core';
import { describe, expect, test } from 'vitest';
import { importIzbirkom, type IzbirkomImport } from './import-izbirkom.js';
import { RU_CONTROL_RELATIONS, RU_DUMA_2011_RULES, RU_PRESIDENT_2012_RULES } from './ru-rule-pack.js';

const readTestData = (name: string) => ({
  name,
  bytes: new Uint8Array(readFileSync(new URL(`../../../test-data/ru/${name}`, import.meta.url))),
});

function load(name: string): { imported: IzbirkomImport; index: ElectionIndex } {
  const imported = importIzbirkom([readTestData(name)]);
  expect(imported.problems).toEqual([]);
  const indexed = indexElection(imported.election);
  if (!indexed.ok) throw new Error(JSON.stringify(indexed.error));
  return { imported, index: indexed.value };
}

/** Codes found per fixture line, for the lines with any finding. */
function codesByLine({ imported, index }: { imported: IzbirkomImport; index: ElectionIndex }): Record<number, string[]> {
  const out: Record<number, string[]> = {};
  for (const protocol of imported.protocols) {
    const codes = validateProtocol(index, protocol).map((f) => f.code);
    const line = imported.origins.get(protocol.station)?.line ?? -1;
    if (codes.length > 0) out[line] = codes;
  }
  return out;
}

describe('the rule packs', () => {
  test('are valid rule packs with unique codes', () => {
    for (const pack of [RU_DUMA_2011_RULES, RU_PRESIDENT_2012_RULES]) expect(RulePackSchema.parse(pack)).toEqual(pack);
    expect(RU_CONTROL_RELATIONS.map((r) => `${r.code} ${r.severity}`)).toEqual([
      'RU-1 error',
      'RU-2 error',
      'RU-3 error',
      'RU-4 error',
      'RU-5 error',
      'RU-6 warning',
      'RU-7 warning',
      'RU-8 warning',
      'RU-9 warning',
    ]);
  });

  test('every message is in English, Russian and Kazakh and shows both sides and the difference', () => {
    for (const relation of RU_CONTROL_RELATIONS) {
      expect(Object.keys(relation.message).sort(), relation.code).toEqual(['en', 'kk', 'ru']);
      for (const text of Object.values(relation.message)) {
        expect(text, relation.code).toMatch(/\{left\}/);
        expect(text, relation.code).toMatch(/\{right\}/);
        expect(text, relation.code).toMatch(/\{difference\}/);
      }
    }
  });
});

describe('real 2011 protocols (sample-2011.csv)', () => {
  const sample = load('sample-2011.csv');

  test('each rule fires exactly on the rows that break it', () => {
    expect(codesByLine(sample)).toEqual({
      13: ['RU-7', 'RU-8'], // Udmurtia, 10 Zavyalovskaya, UIK 1724
      14: ['RU-7', 'RU-8'], // Udmurtia, 16 Izhevsk Ustinovskaya, UIK 549
      15: ['RU-7', 'RU-8'], // Chuvashia, 13 Marposadskaya, UIK 485
      18: ['RU-7', 'RU-8'], // Arkhangelsk, 30 Kholmogorskaya, UIK 931
      19: ['RU-6'], // Kurgan, 23 Shadrinsk city, UIK 144
      20: ['RU-6'], // Novgorod, 11 Veliky Novgorod, UIK 219
      21: ['RU-6'], // Smolensk, 2 Vyazemskaya, UIK 44
      24: ['RU-9'], // Primorsky, 14 Kirovskaya, UIK 471
      25: ['RU-6', 'RU-7', 'RU-8'], // Irkutsk, 14 Irkutsk Sverdlovskaya, UIK 775
      26: ['RU-9'], // Moscow Oblast, 10 Domodedovo city, UIK 426
    });
  });

  test('a finding tells the clerk both sides and the difference, in each language', () => {
    const protocol = sample.imported.protocols.find((p) => p.station === asDivisionId('ru-r18-t010-u1724'));
    if (!protocol) throw new Error('station missing');
    const [stationary] = validateProtocol(sample.index, protocol);
    expect(stationary).toEqual({
      code: 'RU-7',
      severity: 'warning',
      message: {
        en: 'The stationary boxes held 140 ballots, but only 139 were issued in the polling room or early; 1 more than could have been put in. Record the explanation in the protocol remarks.',
        ru: 'В стационарных ящиках 140 бюллетеней, а в помещении для голосования и досрочно выдано только 139; это на 1 больше, чем могло быть опущено. Занесите объяснение в особое мнение или замечания к протоколу.',
        kk: 'Стационарлық жәшіктерде 140 бюллетень бар, ал дауыс беру үй-жайында және мерзімінен бұрын тек 139 бюллетень берілген; салынуы мүмкін саннан 1 артық. Түсініктемені хаттаманың ескертулеріне жазыңыз.',
      },
      values: { 'ballots-stationary': 140, 'ballots-issued-early': 0, 'ballots-issued-inside': 139 },
      relation: 'ballots-stationary ≤ ballots-issued-early + ballots-issued-inside',
      left: 140,
      right: 139,
    });
  });

  describe('error-level relations, on a real row with one figure changed', () => {
    // Adygea, 1 Adygeyskaya, UIK 1 (fixture line 2): voters 2609, received 2356, issued 0 + 1614 + 182, cancelled 560,
    // boxes 182 + 1614, invalid 4, valid 1792, absentee 10 = 10 + 0 + 0, 2 voted with certificates; breaks nothing.
    const original = sample.imported.protocols[0];
    if (!original) throw new Error('fixture is empty');
    const change = (lines: Record<string, number>, votes: Record<string, number> = {}): Protocol => ({
      ...original,
      lines: { ...original.lines, ...Object.fromEntries(Object.entries(lines).map(([k, v]) => [asLineId(k), v])) },
      votes: { ...original.votes, ...Object.fromEntries(Object.entries(votes).map(([k, v]) => [asOptionId(k), v])) },
    });
    const found = (protocol: Protocol) =>
      validateProtocol(sample.index, protocol).map((f) => ({ code: f.code, severity: f.severity, left: f.left, right: f.right }));

    test('the real row breaks nothing', () => {
      expect(original.station).toBe('ru-r01-t001-u0001');
      expect(found(original)).toEqual([]);
    });

    test.each([
      [
        'fewer voters on the list than ballots issued',
        { voters: 1795 },
        {},
        [{ code: 'RU-1', severity: 'error', left: 1795, right: 1796 }],
      ],
      ['one cancelled ballot too many', { 'ballots-cancelled': 561 }, {}, [{ code: 'RU-2', severity: 'error', left: 2356, right: 2357 }]],
      [
        'a lost ballot the count does not explain',
        { 'ballots-lost': 1 },
        {},
        [{ code: 'RU-2', severity: 'error', left: 2356, right: 2357 }],
      ],
      [
        'an unaccounted ballot the count does not explain',
        { 'ballots-unaccounted': 1 },
        {},
        [{ code: 'RU-2', severity: 'error', left: 2356, right: 2355 }],
      ],
      ['one invalid ballot too many', { invalid: 5 }, {}, [{ code: 'RU-3', severity: 'error', left: 1796, right: 1797 }]],
      [
        'one valid ballot too many',
        { valid: 1793 },
        {},
        [
          { code: 'RU-3', severity: 'error', left: 1796, right: 1797 },
          { code: 'RU-4', severity: 'error', left: 1793, right: 1792 },
        ],
      ],
      ['one vote too many for a list', {}, { 'edinaya-rossiya': 1243 }, [{ code: 'RU-4', severity: 'error', left: 1792, right: 1793 }]],
      [
        'one absentee certificate cancelled too many',
        { 'absentee-cancelled': 1 },
        {},
        [{ code: 'RU-5', severity: 'error', left: 10, right: 11 }],
      ],
      ['one absentee certificate lost too many', { 'absentee-lost': 1 }, {}, [{ code: 'RU-5', severity: 'error', left: 10, right: 11 }]],
      [
        'a ballot moved from the stationary to the mobile box',
        { 'ballots-mobile': 183, 'ballots-stationary': 1613 },
        {},
        [{ code: 'RU-6', severity: 'warning', left: 183, right: 182 }],
      ],
      [
        'a ballot moved from the mobile to the stationary box',
        { 'ballots-mobile': 181, 'ballots-stationary': 1615 },
        {},
        [{ code: 'RU-7', severity: 'warning', left: 1615, right: 1614 }],
      ],
      [
        'more absentee voters than ballots issued',
        { 'absentee-voted': 1797 },
        {},
        [{ code: 'RU-9', severity: 'warning', left: 1797, right: 1796 }],
      ],
    ])('%s', (_name, lines: Record<string, number>, votes: Record<string, number>, expected) => {
      expect(found(change(lines, votes))).toEqual(expected);
    });
  });
});

describe('real 2012 protocols (sample-2012.csv)', () => {
  const sample = load('sample-2012.csv');

  test('each rule fires exactly on the rows that break it', () => {
    expect(codesByLine(sample)).toEqual({
      8: ['RU-6', 'RU-8'], // Buryatia, 22 Ulan-Ude Zheleznodorozhnaya, UIK 635
      10: ['RU-6'], // Sakha, 2 Aldanskaya, UIK 22
      12: ['RU-7', 'RU-8'], // Kamchatka, 6 Petropavlovsk-Kamchatsky city, UIK 58
      14: ['RU-7', 'RU-8'], // Kaliningrad, 8 Leningradskaya, UIK 188
      15: ['RU-7', 'RU-8'], // Kaliningrad, 8 Leningradskaya, UIK 227
    });
  });

  test('a station with no voters on its list and no ballots issued breaks nothing', () => {
    const protocol = sample.imported.protocols.find((p) => p.station === asDivisionId('ru-r35-t008-u0404'));
    if (!protocol) throw new Error('station missing');
    expect([protocol.lines[asLineId('voters')], protocol.lines[asLineId('ballots-received')]]).toEqual([0, 100]);
    expect(validateProtocol(sample.index, protocol)).toEqual([]);
  });
});
