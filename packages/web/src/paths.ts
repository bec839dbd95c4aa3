/**
 * Every view has a path-based permalink:
 *
 *   /{lang}/{election}                          national results
 *   /{lang}/{election}/{division}               a region, district or polling station (the data says which)
 *   /{lang}/sign-in                             commission sign-in
 *   /{lang}/commission/{election}/{screen}/…    commission screens
 *
 * `?stage=final|preliminary`, `?map=turnout` and `?contest=` are kept while drilling down, so a shared link shows
 * the same view. A path without a language (`/kz-2022-president/kz-35`) gets the visitor's language prepended.
 */
import type { Lang } from './i18n/i18n.js';

/** The view options carried in the query string. */
export const VIEW_PARAMS = ['stage', 'map', 'contest'] as const;

export function keepQuery(query: Readonly<Record<string, string>>): string {
  const params = new URLSearchParams();
  for (const key of VIEW_PARAMS) {
    const value = query[key];
    if (value !== undefined && value !== '') params.set(key, value);
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

export const resultsPath = (lang: Lang, election: string, division?: string, query = ''): string =>
  `/${lang}/${encodeURIComponent(election)}${division === undefined ? '' : `/${encodeURIComponent(division)}`}${query}`;

export const signInPath = (lang: Lang, next?: string): string =>
  `/${lang}/sign-in${next === undefined ? '' : `?next=${encodeURIComponent(next)}`}`;

export type CommissionScreen = 'home' | 'protocol' | 'turnout' | 'review' | 'cec' | 'accounts';

export const commissionPath = (lang: Lang, election: string, screen: CommissionScreen = 'home', arg?: string): string =>
  `/${lang}/commission/${encodeURIComponent(election)}${screen === 'home' ? '' : `/${screen}`}${arg === undefined ? '' : `/${encodeURIComponent(arg)}`}`;

/** The same page in another language. */
export function inLanguage(url: string, lang: Lang): string {
  const [path = '/', search = ''] = url.split('?');
  const segments = path.split('/').filter((s) => s !== '');
  segments[0] = lang;
  return `/${segments.join('/')}${search === '' ? '' : `?${search}`}`;
}
