/**
 * How the importer reads tables and reports what it cannot read: every problem names the file, the line, the
 * column and the rule, and a station is imported from one clean row or not at all. The tables are the real rows of
 * sample-2011.csv / sample-2012.csv (test-data/ru), broken on purpose where a test says so.
 */
import { readFileSync } from 'node:fs';
import { ElectionSchema, ProtocolSchema, indexElection } from '@canvass/core';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { InputError, type InputProblem } from '../../files/input-error.js';
import { importIzbirkom, type IzbirkomFile, type IzbirkomImport } from './import-izbirkom.js';
import { DUMA_2011, PRESIDENT_2012 } from './izbirkom-elections.js';

const sampleText = (year: string) => readFileSync(new URL(`../../../test-data/ru/sample-${year}.csv`, import.meta.url), 'utf8');
const [HEADER = '', ...ROWS] = sampleText('2011')
  .split('\n')
  .filter((line) => line !== '');
/** Row `i` of the sample is on line `i + 2` of any table built as header + rows. */
const row = (i: number) => ROWS[i] ?? '';
const table = (name: string, rows: readonly string[], header = HEADER): IzbirkomFile => ({
  name,
  bytes: strToU8([header, ...rows].join('\n') + '\n'),
});

/** A row with one cell replaced; only for rows without quoted cells, so that splitting on commas is exact. */
function setCell(line: string, column: number, value: string): string {
  if (line.includes('"')) throw new Error('pick a row without quoted cells');
  const cells = line.split(',');
  cells[column] = value;
  return cells.join(',');
}

const stationIds = (imported: IzbirkomImport) => imported.protocols.map((p) => p.station);
const hasDivision = (imported: IzbirkomImport, id: string) => imported.election.divisions.some((d) => d.id === id);

function thrown(run: () => unknown): readonly InputProblem[] {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error.problems;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('a clean table', () => {
  const imported = importIzbirkom([table('sample-2011.csv', ROWS)]);

  test('is recognised as the Duma 2011 table and imported whole', () => {
    expect(imported.problems).toEqual([]);
    expect(imported.source).toBe(DUMA_2011);
    expect(imported.protocols.length).toBe(25);
    expect(ROWS.length).toBe(25);
  });

  test('gives a definition and protocols that pass the schemas and compile', () => {
    expect(ElectionSchema.parse(imported.election)).toEqual(imported.election);
    for (const protocol of imported.protocols) expect(ProtocolSchema.parse(protocol)).toEqual(protocol);
    expect(indexElection(imported.election).ok).toBe(true);
  });

  test('the election: date, time zone, lines in the form’s own words, roles, the contest and its rule pack', () => {
    const { election } = imported;
    expect([election.id, election.date, election.timeZone, election.names['en']]).toEqual([
      'ru-duma-2011',
      '2011-12-04',
      'Europe/Moscow',
      'Election of deputies of the State Duma of the Russian Federation, sixth convocation',
    ]);
    expect(election.protocol.lines.map((l) => l.id)).toEqual([
      'voters',
      'ballots-received',
      'ballots-issued-early',
      'ballots-issued-inside',
      'ballots-issued-outside',
      'ballots-cancelled',
      'ballots-mobile',
      'ballots-stationary',
      'invalid',
      'valid',
      'absentee-received',
      'absentee-issued',
      'absentee-voted',
      'absentee-cancelled',
      'absentee-issued-by-tik',
      'absentee-lost',
      'ballots-lost',
      'ballots-unaccounted',
    ]);
    expect(election.protocol.lines[2]).toEqual({
      id: 'ballots-issued-early',
      names: {
        ru: 'Число избирательных бюллетеней, выданных избирателям, проголосовавшим досрочно',
        en: 'Ballots issued to voters who voted early',
      },
    });
    expect(election.protocol.roles).toEqual({
      registered: [{ line: 'voters' }],
      participated: [{ line: 'ballots-issued-early' }, { line: 'ballots-issued-inside' }, { line: 'ballots-issued-outside' }],
      invalid: [{ line: 'invalid' }],
      valid: [{ line: 'valid' }],
    });
    expect(election.protocol.rules.id).toBe('ru-duma-2011-uik-protocol');
    expect(election.contests).toEqual([DUMA_2011.contest]);
  });

  test('the first station: its region, TIK and station with their Russian names, and its protocol', () => {
    expect(imported.election.divisions.slice(0, 4)).toEqual([
      {
        id: 'ru',
        kind: 'country',
        names: { ru: 'Российская Федерация', en: 'Russian Federation', kk: 'Ресей Федерациясы' },
        externalIds: { 'ocd-id': 'ocd-division/country:ru' },
      },
      {
        id: 'ru-r01',
        kind: 'region',
        parent: 'ru',
        names: { ru: 'Республика Адыгея (Адыгея)', en: 'Republic of Adygea' },
        externalIds: { 'ru-subject-code': '01' },
      },
      {
        id: 'ru-r01-t001',
        kind: 'territorial-commission',
        parent: 'ru-r01',
        names: { ru: '1 Адыгейская', en: '1 Adygeyskaya territorial commission' },
        externalIds: {
          izbirkom:
            'http://www.vybory.izbirkom.ru/region/izbirkom?action=show&global=true&root=12000001&tvd=2012000183551&vrn=100100028713299&prver=0&pronetvd=null&region=0&sub_region=99&type=233&vibid=2012000183551',
        },
      },
      {
        id: 'ru-r01-t001-u0001',
        kind: 'polling-station',
        parent: 'ru-r01-t001',
        names: { ru: 'УИК № 1', en: 'Polling station 1' },
        registered: 2609,
      },
    ]);
    // Республика Адыгея (Адыгея),1 Адыгейская,1,2609,2356,0,1614,182,560,182,1614,4,1792,10,10,2,0,11,0,0,0,36,13,7,472,16,1242,6,…
    expect(imported.protocols[0]).toEqual({
      election: 'ru-duma-2011',
      contest: 'duma-federal-lists',
      station: 'ru-r01-t001-u0001',
      lines: {
        voters: 2609,
        'ballots-received': 2356,
        'ballots-issued-early': 0,
        'ballots-issued-inside': 1614,
        'ballots-issued-outside': 182,
        'ballots-cancelled': 560,
        'ballots-mobile': 182,
        'ballots-stationary': 1614,
        invalid: 4,
        valid: 1792,
        'absentee-received': 10,
        'absentee-issued': 10,
        'absentee-voted': 2,
        'absentee-cancelled': 0,
        'absentee-issued-by-tik': 11,
        'absentee-lost': 0,
        'ballots-lost': 0,
        'ballots-unaccounted': 0,
      },
      votes: {
        'spravedlivaya-rossiya': 36,
        ldpr: 13,
        'patrioty-rossii': 7,
        kprf: 472,
        yabloko: 16,
        'edinaya-rossiya': 1242,
        'pravoe-delo': 6,
      },
    });
    expect(imported.origins.get(imported.protocols[0]!.station)).toEqual({ file: 'sample-2011.csv', line: 2 });
  });

  test('names with commas and stations abroad get readable ids', () => {
    expect(stationIds(imported)).toContain('ru-r38-t014-u0775'); // "14 Иркутск, Свердловская"
    expect(imported.election.divisions.find((d) => d.id === 'ru-r38-t014')?.names).toEqual({
      ru: '14 Иркутск, Свердловская',
      en: '14 Irkutsk, Sverdlovskaya territorial commission',
    });
    expect(stationIds(imported).filter((id) => id.startsWith('ru-r99'))).toEqual(['ru-r99-t098-u5348', 'ru-r99-t099-u5001']);
  });

  test('a .csv.zip gives the same import, and names the table inside the archive', () => {
    const zipped = importIzbirkom([{ name: 'sample.csv.zip', bytes: zipSync({ 'sample-2011.csv': table('x.csv', ROWS).bytes }) }]);
    expect(zipped.problems).toEqual([]);
    expect(zipped.election).toEqual(imported.election);
    expect(zipped.protocols).toEqual(imported.protocols);
    expect(zipped.origins.get(imported.protocols[3]!.station)).toEqual({ file: 'sample.csv.zip/sample-2011.csv', line: 5 });
  });

  test('a byte-order mark and Windows line ends change nothing', () => {
    const windows = importIzbirkom([{ name: 'excel.csv', bytes: strToU8('\uFEFF' + [HEADER, ...ROWS].join('\r\n') + '\r\n') }]);
    expect(windows.problems).toEqual([]);
    expect(windows.protocols).toEqual(imported.protocols);
    expect(windows.origins.get(imported.protocols[24]!.station)).toEqual({ file: 'excel.csv', line: 26 });
  });

  test('the 2012 table is recognised as the presidential election', () => {
    const president = importIzbirkom([{ name: 'sample-2012.csv', bytes: strToU8(sampleText('2012')) }]);
    expect(president.problems).toEqual([]);
    expect(president.source).toBe(PRESIDENT_2012);
    expect(president.protocols.length).toBe(16);
    expect(president.protocols[0]?.votes).toEqual({ zhirinovsky: 24, zyuganov: 382, mironov: 28, prokhorov: 71, putin: 1066 });
  });
});

describe('rows that cannot be imported', () => {
  const ADYGEA_1 = 'Республика Адыгея (Адыгея) / 1 Адыгейская / УИК 1';

  test('a row repeated exactly is imported once and the repeat reported', () => {
    const imported = importIzbirkom([table('t.csv', [...ROWS, row(0)])]);
    expect(imported.protocols.length).toBe(25);
    expect(imported.problems).toEqual([
      {
        file: 't.csv',
        line: 27,
        rule: 'izbirkom-duplicate-row',
        message: `this row repeats line 2 (${ADYGEA_1}) figure for figure; the repeat is ignored, delete it`,
      },
    ]);
  });

  test('a station listed twice with different figures is not imported at all; both rows are reported', () => {
    const imported = importIzbirkom([table('t.csv', [...ROWS, setCell(row(0), 3, '2610')])]);
    expect(imported.protocols.length).toBe(24);
    expect(stationIds(imported)).not.toContain('ru-r01-t001-u0001');
    expect(hasDivision(imported, 'ru-r01-t001-u0001')).toBe(false);
    const message = (other: number) =>
      `station ${ADYGEA_1} is also listed at line ${other} with different or unreadable figures; none of its rows is imported — keep exactly one row per station`;
    expect(imported.problems).toEqual([
      { file: 't.csv', line: 2, rule: 'izbirkom-station-twice', message: message(27) },
      { file: 't.csv', line: 27, rule: 'izbirkom-station-twice', message: message(2) },
    ]);
  });

  test('the same station in two files is reported with the other file’s name', () => {
    const imported = importIzbirkom([table('a.csv', ROWS.slice(0, 3)), table('b.csv', ROWS.slice(2))]);
    expect(imported.protocols.length).toBe(25);
    expect(imported.problems).toEqual([
      {
        file: 'b.csv',
        line: 2,
        rule: 'izbirkom-duplicate-row',
        message:
          'this row repeats a.csv line 4 (Республика Адыгея (Адыгея) / 1 Адыгейская / УИК 3) figure for figure; the repeat is ignored, delete it',
      },
    ]);
  });

  test('a negative count: the row is skipped and the cell named', () => {
    const imported = importIzbirkom([
      table(
        't.csv',
        ROWS.map((r, i) => (i === 1 ? setCell(r, 8, '-5') : r)),
      ),
    ]);
    expect(imported.problems).toEqual([
      {
        file: 't.csv',
        line: 3,
        at: 'column 9 (ballots-cancelled)',
        rule: 'izbirkom-count-negative',
        message: '-5 is negative; a count is 0 or more',
      },
    ]);
    expect(imported.protocols.length).toBe(24);
    expect(hasDivision(imported, 'ru-r01-t001-u0002')).toBe(false);
    expect(hasDivision(imported, 'ru-r01-t001-u0001')).toBe(true);
  });

  test('every fault of a row is reported: a fraction, an empty cell, an impossible number', () => {
    let broken = setCell(row(2), 26, '12.5');
    broken = setCell(broken, 11, '');
    broken = setCell(broken, 4, '100000001');
    const imported = importIzbirkom([table('t.csv', [row(0), broken])]);
    expect(imported.problems).toEqual([
      {
        file: 't.csv',
        line: 3,
        at: 'column 5 (ballots-received)',
        rule: 'izbirkom-count-range',
        message: '100000001 is more than any polling station can count (100000000)',
      },
      {
        file: 't.csv',
        line: 3,
        at: 'column 12 (invalid)',
        rule: 'izbirkom-count-missing',
        message: 'the count is empty; write 0 if there is nothing to count',
      },
      {
        file: 't.csv',
        line: 3,
        at: 'column 27 (votes:edinaya-rossiya)',
        rule: 'izbirkom-count-integer',
        message: '"12.5" is not a whole number; write the count in digits only',
      },
    ]);
    expect(stationIds(imported)).toEqual(['ru-r01-t001-u0001']);
  });

  test('a row with too few or too many columns', () => {
    const short = row(1).slice(0, row(1).lastIndexOf(','));
    const long = `${row(2)},7`;
    const imported = importIzbirkom([table('t.csv', [row(0), short, long])]);
    const message = (n: number) => `the row has ${n} columns, the header 29; quote any name that contains a comma`;
    expect(imported.problems).toEqual([
      { file: 't.csv', line: 3, rule: 'izbirkom-column-count', message: message(28) },
      { file: 't.csv', line: 4, rule: 'izbirkom-column-count', message: message(30) },
    ]);
    expect(stationIds(imported)).toEqual(['ru-r01-t001-u0001']);
  });

  test('a row that does not say which station it is', () => {
    const imported = importIzbirkom([table('t.csv', [setCell(row(0), 2, '1a'), setCell(row(1), 1, ' ')])]);
    expect(imported.problems).toEqual([
      {
        file: 't.csv',
        line: 2,
        at: 'column 3 (uik)',
        rule: 'izbirkom-uik',
        message: '"1a" is not a station number; write the UIK number in digits',
      },
      {
        file: 't.csv',
        line: 3,
        at: 'column 2 (tik)',
        rule: 'izbirkom-station-key',
        message: 'the territorial commission is empty; every row names its TIK',
      },
    ]);
    expect(imported.protocols).toEqual([]);
    expect(imported.election.divisions.map((d) => d.id)).toEqual(['ru']);
  });

  test('a broken row still counts as a listing of its station: the clean row of that station is not imported either', () => {
    const imported = importIzbirkom([table('t.csv', [row(0), row(1), setCell(row(0), 5, '-1')])]);
    expect(imported.problems).toEqual([
      {
        file: 't.csv',
        line: 4,
        at: 'column 6 (ballots-issued-early)',
        rule: 'izbirkom-count-negative',
        message: '-1 is negative; a count is 0 or more',
      },
      {
        file: 't.csv',
        line: 2,
        rule: 'izbirkom-station-twice',
        message: `station ${ADYGEA_1} is also listed at line 4 with different or unreadable figures; none of its rows is imported — keep exactly one row per station`,
      },
    ]);
    expect(stationIds(imported)).toEqual(['ru-r01-t001-u0002']);
  });

  test('only so many problems are listed; the rest are counted', () => {
    const rows = [0, 1, 2].map((i) => setCell(row(i), 3, 'x'));
    const imported = importIzbirkom([table('t.csv', rows)], { maxProblems: 2 });
    expect(imported.problems.map((p) => [p.line, p.rule])).toEqual([
      [2, 'izbirkom-count-integer'],
      [3, 'izbirkom-count-integer'],
      [undefined, 'izbirkom-too-many-problems'],
    ]);
    expect(imported.problems[2]?.message).toBe('1 more problem is not listed; fix the ones above first');
  });
});

describe('files that cannot be imported', () => {
  test('a header that matches no known election: the closest one and the first differing column are named', () => {
    const header = HEADER.replace('"Число избирательных бюллетеней, выданных избирателям в помещении для голосования"', 'inside');
    expect(thrown(() => importIzbirkom([table('t.csv', ROWS, header)]))).toEqual([
      {
        file: 't.csv',
        line: 1,
        at: 'column 7',
        rule: 'izbirkom-unknown-election',
        message:
          'the header matches no election Canvass knows (duma-2011, president-2012); the closest, duma-2011, differs: column 7 is "inside", expected "Число избирательных бюллетеней, выданных избирателям в помещении для голосования"',
      },
    ]);
  });

  test('a table of another election than the one asked for', () => {
    const file = { name: 'sample-2012.csv', bytes: strToU8(sampleText('2012')) };
    expect(thrown(() => importIzbirkom([file], { election: DUMA_2011 }))).toEqual([
      {
        file: 'sample-2012.csv',
        line: 1,
        rule: 'izbirkom-mixed-elections',
        message: 'this is a table of president-2012, but the import is of duma-2011; import each election on its own',
      },
    ]);
  });

  test('tables of two elections in one import: the second is left out', () => {
    const imported = importIzbirkom([table('sample-2011.csv', ROWS), { name: 'sample-2012.csv', bytes: strToU8(sampleText('2012')) }]);
    expect(imported.source).toBe(DUMA_2011);
    expect(imported.protocols.length).toBe(25);
    expect(imported.problems).toEqual([
      {
        file: 'sample-2012.csv',
        line: 1,
        rule: 'izbirkom-mixed-elections',
        message: 'this is a table of president-2012, but the import is of duma-2011; import each election on its own',
      },
    ]);
  });

  test('a second table whose header differs is compared with the election of the first', () => {
    const imported = importIzbirkom([table('a.csv', ROWS), table('b.csv', ROWS, HEADER.replace(',url', ',link'))]);
    expect(imported.problems).toEqual([
      {
        file: 'b.csv',
        line: 1,
        at: 'column 29',
        rule: 'izbirkom-header',
        message: 'the header is not that of the duma-2011 table: column 29 is "link", expected ""url" or the end of the header"',
      },
    ]);
  });

  test('what is not a table at all', () => {
    expect(
      thrown(() =>
        importIzbirkom([
          { name: 'broken.zip', bytes: strToU8('not a zip') },
          { name: 'empty.zip', bytes: zipSync({ 'readme.txt': strToU8('hello') }) },
          { name: 'notes.txt', bytes: strToU8('hello') },
          { name: 'cp1251.csv', bytes: new Uint8Array([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]) },
          { name: 'empty.csv', bytes: new Uint8Array() },
          { name: 'quote.csv', bytes: strToU8(`${HEADER}\n${row(0)}\n"unclosed,1,2\n`) },
        ]),
      ).map((p) => [p.file, p.line, p.rule]),
    ).toEqual([
      ['broken.zip', undefined, 'izbirkom-zip'],
      ['empty.zip', undefined, 'izbirkom-zip'],
      ['notes.txt', undefined, 'izbirkom-file-type'],
      ['cp1251.csv', undefined, 'izbirkom-encoding'],
      ['empty.csv', undefined, 'izbirkom-header'],
      ['quote.csv', 3, 'izbirkom-csv-syntax'],
    ]);
  });

  test('no files at all', () => {
    expect(thrown(() => importIzbirkom([]))).toEqual([
      { file: '(no files)', rule: 'izbirkom-no-tables', message: 'give at least one CEC station table (.csv or .csv.zip)' },
    ]);
  });
});
