import i18next, { type TFunction } from 'i18next';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { en } from './en.js';
import { kk } from './kk.js';
import { ru } from './ru.js';

/** The site's languages, in the order the switch shows them: the state language, Russian, English. */
export const LANGUAGES = ['kk', 'ru', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];
export const isLang = (value: string | undefined): value is Lang => LANGUAGES.some((lang) => lang === value);

/** Each language's own name, shown in the switch in that language. */
export const LANGUAGE_NAMES: Readonly<Record<Lang, string>> = { kk: 'Қазақша', ru: 'Русский', en: 'English' };

const STORAGE_KEY = 'canvass.lang';

void i18next.init({
  resources: { en: { translation: en }, ru: { translation: ru }, kk: { translation: kk } },
  lng: 'kk',
  // Every language has every key (the resources share one type): a missing one must show, not fall back.
  fallbackLng: false,
  initAsync: false,
  interpolation: { escapeValue: false },
});

/** The language a visitor chose before, else the first of the browser's languages the site has, else Kazakh. */
export function preferredLanguage(): Lang {
  let remembered: string | null = null;
  try {
    remembered = localStorage.getItem(STORAGE_KEY);
  } catch {
    // storage disabled: fall through to the browser's languages
  }
  if (remembered !== null && isLang(remembered)) return remembered;
  for (const tag of navigator.languages) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLang(base)) return base;
  }
  return 'kk';
}

export function rememberLanguage(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // storage disabled: the language stays in the URL
  }
}

export type T = TFunction;

/** What a component needs to speak the visitor's language: the language, its translations and its number formats. */
export interface I18n {
  readonly lang: Lang;
  readonly t: T;
  readonly f: Formats;
}

/** Intl locale per site language (English with day-month dates, as in Kazakhstan). */
const LOCALES: Readonly<Record<Lang, string>> = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' };

export interface Formats {
  /** An integer count: `8,300,046` / `8 300 046`. */
  int(n: number): string;
  /** An exact percentage given as decimal text (`"81.31"`), localized without passing through a float. */
  percent(text: string | null | undefined): string;
  /** A signed difference in percentage points (`"+0.89"`). */
  points(text: string | null | undefined): string;
  /** A decimal given as text (`"82.2"`), with the locale's decimal separator. */
  decimal(text: string): string;
  /** A moment, in the given IANA zone, with the zone's offset. */
  dateTime(iso: string, timeZone: string): string;
  /** A calendar date `YYYY-MM-DD`. */
  date(day: string): string;
}

const formatCache = new Map<Lang, Formats>();

/** CLDR's Kazakh month names (format context: "20 қараша"). */
const KK_MONTHS = ['қаңтар', 'ақпан', 'наурыз', 'сәуір', 'мамыр', 'маусым', 'шілде', 'тамыз', 'қыркүйек', 'қазан', 'қараша', 'желтоқсан'];

/**
 * Kazakh by CLDR's kk rules, done here: Chromium's ICU has no Kazakh data and formats `kk` as the root locale
 * ("8,300,046", "2026 M11 28"). The digits grouping is the Russian one (no-break spaces), as in CLDR kk.
 */
function kazakhDateTime(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZone,
    timeZoneName: 'shortOffset',
  }).formatToParts(new Date(iso));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const month = KK_MONTHS[Number(part('month')) - 1] ?? part('month');
  return `${part('year')} ж. ${part('day')} ${month}, ${part('hour')}:${part('minute')}:${part('second')} ${part('timeZoneName')}`;
}

export function formats(lang: Lang): Formats {
  const cached = formatCache.get(lang);
  if (cached) return cached;
  const locale = lang === 'kk' ? 'ru-RU' : LOCALES[lang];
  const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const separator = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
  // The percent pattern around the number (`81,31 %` in Russian, `81.31%` in English), read from Intl; Kazakh
  // writes `81,31%` (CLDR kk).
  const percentParts = new Intl.NumberFormat(locale, { style: 'percent' }).formatToParts(0.5);
  const numberAt = percentParts.findIndex((p) => p.type === 'integer');
  const before =
    lang === 'kk'
      ? ''
      : percentParts
          .slice(0, numberAt)
          .map((p) => p.value)
          .join('');
  const after =
    lang === 'kk'
      ? '%'
      : percentParts
          .slice(numberAt + 1)
          .map((p) => p.value)
          .join('');
  const decimal = (text: string): string => {
    const match = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(text);
    if (!match) return text;
    const [, sign = '', whole = '0', fraction] = match;
    const minus = sign === '-' ? '\u2212' : sign;
    return `${minus}${integer.format(BigInt(whole))}${fraction === undefined ? '' : `${separator}${fraction}`}`;
  };
  const f: Formats = {
    int: (n) => integer.format(n),
    percent: (text) => (text === null || text === undefined ? '—' : `${before}${decimal(text)}${after}`),
    points: (text) => (text === null || text === undefined ? '—' : decimal(text)),
    decimal,
    dateTime: (iso, timeZone) =>
      lang === 'kk'
        ? kazakhDateTime(iso, timeZone)
        : new Intl.DateTimeFormat(locale, {
            day: 'numeric',
            month: 'long',
            year: 'numeric',
            hour: '2-digit',
            minute: '2-digit',
            second: '2-digit',
            timeZone,
            timeZoneName: 'short',
          }).format(new Date(iso)),
    date: (day) => {
      if (lang === 'kk') {
        const [y = '', m = '', d = ''] = day.split('-');
        return `${y} ж. ${Number(d)} ${KK_MONTHS[Number(m) - 1] ?? m}`;
      }
      return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`));
    },
  };
  formatCache.set(lang, f);
  return f;
}

export function i18nFor(lang: Lang): I18n {
  return { lang, t: i18next.getFixedT(lang), f: formats(lang) };
}

export const I18nContext = createContext<I18n>(i18nFor('kk'));
export const useI18n = (): I18n => useContext(I18nContext);

/** A name given in several languages, in the visitor's (the data may lack one: then English, then any). */
export function nameIn(names: Readonly<Record<string, string>> | undefined, lang: Lang): string {
  if (!names) return '';
  return names[lang] ?? names['en'] ?? Object.values(names)[0] ?? '';
}
