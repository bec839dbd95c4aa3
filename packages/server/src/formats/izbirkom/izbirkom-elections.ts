/**
 * The elections whose CEC station tables Canvass can import: what the file cannot say (date, seats, threshold,
 * the outcome rule), and the exact header each table has, so that a file is recognised by its header and a column
 * that moved is reported rather than read into the wrong line.
 *
 * - State Duma, 4 December 2011 (51-FZ): 450 seats by the federal party lists, Hare quota and largest remainders
 *   among the lists with 7 % or more of the voters who took part; "took part" is the number of ballots found in the
 *   boxes (valid + invalid), which is also the base of every published percentage.
 * - President, 4 March 2012 (19-FZ art. 76): elected with more than half of the voters who took part (valid +
 *   invalid ballots); otherwise a runoff between the two with the most votes.
 */
import {
  asContestId,
  asDivisionId,
  asElectionId,
  asOptionId,
  type Contest,
  type DivisionId,
  type ElectionId,
  type Localized,
  type RulePack,
  type Term,
} from '@canvass/core';
import { RU_DUMA_2011_RULES, RU_LINE_ORDER, RU_LINES, RU_PRESIDENT_2012_RULES } from './ru-rule-pack.js';

/** The country division every imported election hangs from. */
export const RU_COUNTRY: DivisionId = asDivisionId('ru');

export interface IzbirkomElection {
  /** Short name for messages and options, e.g. `duma-2011`. */
  readonly key: string;
  readonly id: ElectionId;
  readonly names: Localized;
  /** Election day, `YYYY-MM-DD` (Moscow time). */
  readonly date: string;
  /** The table's header for the 18 protocol lines, in the order of `RU_LINE_ORDER`. */
  readonly lineHeaders: readonly string[];
  /** The table's header for each option, in the order of `contest.options` (ballot order). */
  readonly optionHeaders: readonly string[];
  readonly contest: Contest;
  readonly rules: RulePack;
}

/** The part of the header before the lines: where the station is. */
export const KEY_HEADERS = ['region', 'tik', 'uik'] as const;
/** An optional last column: the CEC page of the station's territorial commission. */
export const URL_HEADER = 'url';

const TOOK_PART: readonly Term[] = [{ line: RU_LINES.valid }, { line: RU_LINES.invalid }];

export const DUMA_2011: IzbirkomElection = {
  key: 'duma-2011',
  id: asElectionId('ru-duma-2011'),
  names: {
    ru: 'Выборы депутатов Государственной Думы Федерального Собрания Российской Федерации шестого созыва',
    en: 'Election of deputies of the State Duma of the Russian Federation, sixth convocation',
  },
  date: '2011-12-04',
  lineHeaders: [
    'Число избирателей, внесенных в список избирателей',
    'Число избирательных бюллетеней, полученных участковой избирательной комиссией',
    'Число избирательных бюллетеней, выданных избирателям, проголосовавшим досрочно',
    'Число избирательных бюллетеней, выданных избирателям в помещении для голосования',
    'Число избирательных бюллетеней, выданных избирателям вне помещения для голосования',
    'Число погашенных избирательных бюллетеней',
    'Число избирательных бюллетеней в переносных ящиках для голосования',
    'Число избирательных бюллетеней в стационарных ящиках для голосования',
    'Число недействительных избирательных бюллетеней',
    'Число действительных избирательных бюллетеней',
    'Число открепительных удостоверений, полученных участковой избирательной комиссией',
    'Число открепительных удостоверений, выданных избирателям на избирательном участке',
    'Число избирателей, проголосовавших по открепительным удостоверениям на избирательном участке',
    'Число погашенных неиспользованных открепительных удостоверений',
    'Число открепительных удостоверений, выданных избирателям территориальной избирательной комиссией',
    'Число утраченных открепительных удостоверений',
    'Число утраченных избирательных бюллетеней',
    'Число избирательных бюллетеней, не учтенных при получении',
  ],
  optionHeaders: [
    '1. Политическая партия СПРАВЕДЛИВАЯ РОССИЯ',
    '2. Политическая партия "Либерально-демократическая партия России"',
    '3. Политическая партия "ПАТРИОТЫ РОССИИ"',
    '4. Политическая партия "Коммунистическая партия Российской Федерации"',
    '5. Политическая партия "Российская объединенная демократическая партия "ЯБЛОКО"',
    '6. Всероссийская политическая партия "ЕДИНАЯ РОССИЯ"',
    '7. Всероссийская политическая партия "ПРАВОЕ ДЕЛО"',
  ],
  contest: {
    id: asContestId('duma-federal-lists'),
    kind: 'party-list',
    names: { ru: 'Федеральный избирательный округ (федеральные списки кандидатов)', en: 'Federal constituency (party lists)' },
    division: RU_COUNTRY,
    options: [
      {
        id: asOptionId('spravedlivaya-rossiya'),
        kind: 'list',
        names: { ru: 'Политическая партия СПРАВЕДЛИВАЯ РОССИЯ', en: 'A Just Russia' },
      },
      {
        id: asOptionId('ldpr'),
        kind: 'list',
        names: { ru: 'Политическая партия «Либерально-демократическая партия России»', en: 'Liberal Democratic Party of Russia' },
      },
      { id: asOptionId('patrioty-rossii'), kind: 'list', names: { ru: 'Политическая партия «ПАТРИОТЫ РОССИИ»', en: 'Patriots of Russia' } },
      {
        id: asOptionId('kprf'),
        kind: 'list',
        names: {
          ru: 'Политическая партия «Коммунистическая партия Российской Федерации»',
          en: 'Communist Party of the Russian Federation',
        },
      },
      {
        id: asOptionId('yabloko'),
        kind: 'list',
        names: {
          ru: 'Политическая партия «Российская объединенная демократическая партия „ЯБЛОКО“»',
          en: 'Russian United Democratic Party "Yabloko"',
        },
      },
      {
        id: asOptionId('edinaya-rossiya'),
        kind: 'list',
        names: { ru: 'Всероссийская политическая партия «ЕДИНАЯ РОССИЯ»', en: 'United Russia' },
      },
      { id: asOptionId('pravoe-delo'), kind: 'list', names: { ru: 'Всероссийская политическая партия «ПРАВОЕ ДЕЛО»', en: 'Right Cause' } },
    ],
    rules: {
      percentBase: TOOK_PART,
      method: 'hare-largest-remainder',
      seats: 450,
      threshold: { percent: '7', base: TOOK_PART, inclusive: true },
      tieBreak: 'report',
    },
  },
  rules: RU_DUMA_2011_RULES,
};

export const PRESIDENT_2012: IzbirkomElection = {
  key: 'president-2012',
  id: asElectionId('ru-president-2012'),
  names: { ru: 'Выборы Президента Российской Федерации', en: 'Election of the President of the Russian Federation' },
  date: '2012-03-04',
  lineHeaders: [
    'Число избирателей, включенных в список избирателей',
    'Число избирательных бюллетеней, полученных участковой избирательной комиссией',
    'Число избирательных бюллетеней, выданных избирателям, проголосовавшим досрочно',
    'Число избирательных бюллетеней, выданных в помещении для голосования в день голосования',
    'Число избирательных бюллетеней, выданных вне помещения для голосования в день голосования',
    'Число погашенных избирательных бюллетеней',
    'Число избирательных бюллетеней в переносных ящиках для голосования',
    'Число бюллетеней в стационарных ящиках для голосования',
    'Число недействительных избирательных бюллетеней',
    'Число действительных избирательных бюллетеней',
    'Число полученных открепительных удостоверений',
    'Число открепительных удостоверений, выданных избирателям на избирательном участке',
    'Число избирателей, проголосовавших по открепительным удостоверениям',
    'Число неиспользованных открепительных удостоверений',
    'Число открепительных удостоверений, выданных избирателям ТИК',
    'Число утраченных открепительных удостоверений',
    'Число утраченных избирательных бюллетеней',
    'Число избирательных бюллетеней, не учтенных при получении',
  ],
  optionHeaders: [
    'Жириновский Владимир Вольфович',
    'Зюганов Геннадий Андреевич',
    'Миронов Сергей Михайлович',
    'Прохоров Михаил Дмитриевич',
    'Путин Владимир Владимирович',
  ],
  contest: {
    id: asContestId('president'),
    kind: 'majority-runoff',
    names: { ru: 'Президент Российской Федерации', en: 'President of the Russian Federation' },
    division: RU_COUNTRY,
    options: [
      {
        id: asOptionId('zhirinovsky'),
        kind: 'candidate',
        names: { ru: 'Жириновский Владимир Вольфович', en: 'Vladimir Zhirinovsky' },
        party: { ru: 'ЛДПР', en: 'Liberal Democratic Party of Russia' },
      },
      {
        id: asOptionId('zyuganov'),
        kind: 'candidate',
        names: { ru: 'Зюганов Геннадий Андреевич', en: 'Gennady Zyuganov' },
        party: { ru: 'КПРФ', en: 'Communist Party of the Russian Federation' },
      },
      {
        id: asOptionId('mironov'),
        kind: 'candidate',
        names: { ru: 'Миронов Сергей Михайлович', en: 'Sergey Mironov' },
        party: { ru: 'СПРАВЕДЛИВАЯ РОССИЯ', en: 'A Just Russia' },
      },
      {
        id: asOptionId('prokhorov'),
        kind: 'candidate',
        names: { ru: 'Прохоров Михаил Дмитриевич', en: 'Mikhail Prokhorov' },
        party: { ru: 'самовыдвижение', en: 'self-nominated' },
      },
      {
        id: asOptionId('putin'),
        kind: 'candidate',
        names: { ru: 'Путин Владимир Владимирович', en: 'Vladimir Putin' },
        party: { ru: 'ЕДИНАЯ РОССИЯ', en: 'United Russia' },
      },
    ],
    rules: { percentBase: TOOK_PART, winThreshold: { percent: '50', strict: true }, runoffSize: 2 },
  },
  rules: RU_PRESIDENT_2012_RULES,
};

/** Every election the importer recognises by its header. */
export const IZBIRKOM_ELECTIONS: readonly IzbirkomElection[] = [DUMA_2011, PRESIDENT_2012];

/** Header cells compare with runs of white space collapsed (the 2012 table has a double space in one header). */
export const normalizeHeader = (cell: string) => cell.replace(/\s+/g, ' ').trim();

/** The full header a table of `election` has, without the optional `url` column. */
export function expectedHeader(election: IzbirkomElection): string[] {
  return [...KEY_HEADERS, ...election.lineHeaders, ...election.optionHeaders].map(normalizeHeader);
}

/** Line names for the protocol template: the form's Russian wording of this election, and English. */
export function lineNames(election: IzbirkomElection) {
  return RU_LINE_ORDER.map((line, i) => ({ id: line.id, names: { ru: normalizeHeader(election.lineHeaders[i] ?? ''), en: line.en } }));
}
