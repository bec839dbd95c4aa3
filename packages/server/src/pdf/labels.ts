/**
 * Every word of the result protocol PDF in the three languages of the public site. Templates take `{name}`
 * placeholders. Kazakh and Russian wording follows the CEC's own terms where they exist (хаттама / протокол,
 * учаске / участок); have a native speaker review before use in a real election.
 */
import type { ResultsStatus } from '@canvass/core';

export type ProtocolLanguage = 'kk' | 'ru' | 'en';
export const PROTOCOL_LANGUAGES: readonly ProtocolLanguage[] = ['kk', 'ru', 'en'];

export interface Labels {
  readonly document: string;
  readonly contest: string;
  readonly division: string;
  readonly status: string;
  readonly statuses: Readonly<Record<ResultsStatus, string>>;
  readonly stationsReported: string;
  readonly registeredCovered: string;
  readonly lines: string;
  readonly turnout: string;
  readonly valid: string;
  readonly percentBase: string;
  readonly options: string;
  readonly option: string;
  readonly votes: string;
  readonly outcome: string;
  readonly elected: string;
  readonly runoff: string;
  readonly and: string;
  readonly seats: string;
  readonly tie: string;
  readonly tieFor: Readonly<Record<'elected' | 'runoff' | 'seats', string>>;
  readonly noVotes: string;
  readonly outcomeElsewhere: string;
  readonly ledger: string;
  readonly resultsVersion: string;
  readonly produced: string;
  readonly manifest: string;
  readonly noManifest: string;
  readonly synthetic: string;
  readonly page: string;
}

export const LABELS: Readonly<Record<ProtocolLanguage, Labels>> = {
  en: {
    document: 'Results protocol',
    contest: 'Contest',
    division: 'Division',
    status: 'Status',
    statuses: {
      'unofficial-partial': 'Preliminary results, count in progress',
      'unofficial-complete': 'Preliminary results, all polling stations counted',
      certified: 'Final results, certified',
      recount: 'Recount in progress',
      correction: 'Corrected results',
    },
    stationsReported: 'Polling stations reported: {reported} of {total}',
    registeredCovered: 'Voters on the lists of these stations: {percent} % of {total}',
    lines: 'Protocol lines (sum over the reporting stations)',
    turnout: 'Turnout',
    valid: 'Valid ballots',
    percentBase: 'Base of the percentages',
    options: 'Votes',
    option: 'Candidate / list',
    votes: 'Votes',
    outcome: 'Outcome',
    elected: 'Elected: {names}',
    runoff: 'No candidate has the required majority; second round between {names}',
    and: 'and',
    seats: 'Seats:',
    tie: 'Tie: {names} have equal votes for {places} place(s) ({what}); the commission decides',
    tieFor: { elected: 'election', runoff: 'second round', seats: 'seats' },
    noVotes: 'No votes counted yet',
    outcomeElsewhere: 'The outcome is decided for the whole contest ({division}).',
    ledger: 'Ledger head: entry no. {seq}, hash {hash}',
    resultsVersion: 'Results version {version}',
    produced: 'Produced {time}',
    manifest: 'SHA-256 of the published snapshot manifest (in the QR code; check with canvass verify):',
    noManifest: 'Not part of a published snapshot: there is no manifest hash.',
    synthetic: 'Synthetic data',
    page: 'Page {n} of {total}',
  },
  ru: {
    document: 'Протокол об итогах голосования',
    contest: 'Выборы',
    division: 'Территория',
    status: 'Статус',
    statuses: {
      'unofficial-partial': 'Предварительные итоги, подсчёт продолжается',
      'unofficial-complete': 'Предварительные итоги, подсчитаны все участки',
      certified: 'Окончательные итоги, утверждены',
      recount: 'Идёт пересчёт голосов',
      correction: 'Исправленные итоги',
    },
    stationsReported: 'Поступили данные участков: {reported} из {total}',
    registeredCovered: 'Избирателей в списках этих участков: {percent} % от {total}',
    lines: 'Строки протокола (сумма по поступившим участкам)',
    turnout: 'Явка',
    valid: 'Действительные бюллетени',
    percentBase: 'База для процентов',
    options: 'Голоса',
    option: 'Кандидат / список',
    votes: 'Голоса',
    outcome: 'Итог',
    elected: 'Избран(а): {names}',
    runoff: 'Ни один кандидат не набрал необходимого большинства; повторное голосование: {names}',
    and: 'и',
    seats: 'Распределение мандатов:',
    tie: 'Равенство голосов: {names} — мест: {places} ({what}); решает избирательная комиссия',
    tieFor: { elected: 'избрание', runoff: 'второй тур', seats: 'мандаты' },
    noVotes: 'Голоса ещё не подсчитаны',
    outcomeElsewhere: 'Итог определяется по всей территории выборов ({division}).',
    ledger: 'Последняя запись журнала: № {seq}, хеш {hash}',
    resultsVersion: 'Версия итогов {version}',
    produced: 'Сформировано {time}',
    manifest: 'SHA-256 манифеста опубликованной версии (в QR-коде; проверка: canvass verify):',
    noManifest: 'Не входит в опубликованную версию: хеша манифеста нет.',
    synthetic: 'Синтетические данные',
    page: 'Страница {n} из {total}',
  },
  kk: {
    document: 'Дауыс беру қорытындылары туралы хаттама',
    contest: 'Сайлау',
    division: 'Аумақ',
    status: 'Мәртебесі',
    statuses: {
      'unofficial-partial': 'Алдын ала қорытындылар, санау жалғасуда',
      'unofficial-complete': 'Алдын ала қорытындылар, барлық учаске саналды',
      certified: 'Түпкілікті қорытындылар, бекітілді',
      recount: 'Дауыстар қайта саналуда',
      correction: 'Түзетілген қорытындылар',
    },
    stationsReported: 'Деректері түскен учаскелер: {total} ішінен {reported}',
    registeredCovered: 'Осы учаскелердің тізіміндегі сайлаушылар: {total} санының {percent} %',
    lines: 'Хаттама жолдары (деректері түскен учаскелер бойынша сомасы)',
    turnout: 'Сайлаушылардың қатысуы',
    valid: 'Жарамды бюллетеньдер',
    percentBase: 'Пайыздық есептеу негізі',
    options: 'Дауыстар',
    option: 'Кандидат / тізім',
    votes: 'Дауыс',
    outcome: 'Қорытынды',
    elected: 'Сайланды: {names}',
    runoff: 'Ешбір кандидат қажетті көпшілік дауыс ала алмады; қайта дауыс беру: {names}',
    and: 'және',
    seats: 'Мандаттардың бөлінуі:',
    tie: 'Дауыстар тең: {names} — орын саны: {places} ({what}); мәселені сайлау комиссиясы шешеді',
    tieFor: { elected: 'сайлану', runoff: 'екінші тур', seats: 'мандаттар' },
    noVotes: 'Дауыстар әлі саналған жоқ',
    outcomeElsewhere: 'Қорытынды бүкіл сайлау аумағы бойынша анықталады ({division}).',
    ledger: 'Журналдың соңғы жазбасы: № {seq}, хеш {hash}',
    resultsVersion: 'Қорытындылар нұсқасы {version}',
    produced: 'Жасалған уақыты {time}',
    manifest: 'Жарияланған нұсқа манифесінің SHA-256 хеші (QR-кодта; тексеру: canvass verify):',
    noManifest: 'Жарияланған нұсқаға кірмейді: манифест хеші жоқ.',
    synthetic: 'Синтетикалық деректер',
    page: '{total} беттің {n}-беті',
  },
};

/** Fills `{name}` placeholders. */
export function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    return value === undefined ? whole : String(value);
  });
}
