import type { ComponentChildren } from 'preact';
import { ErrorBoundary, LocationProvider, lazy, useLocation } from 'preact-iso';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import { electionApi, API } from './api/client.js';
import { LiveContext, useLiveStream, useResource } from './api/live.js';
import { ElectionListSchema, SummarySchema, type Summary } from './api/schemas.js';
import { ElectionContext } from './election-context.js';
import {
  I18nContext,
  LANGUAGE_NAMES,
  LANGUAGES,
  i18nFor,
  isLang,
  nameIn,
  preferredLanguage,
  rememberLanguage,
  useI18n,
  type Lang,
} from './i18n/i18n.js';
import { inLanguage, resultsPath, signInPath } from './paths.js';
import { PublicView } from './public/public-view.js';
import { ErrorView, Loading, PageError, SyntheticNotice } from './ui/common.js';

// The commission screens are a separate chunk: the public first view never loads them.
const CommissionApp = lazy(() => import('./commission/commission-app.js').then((m) => m.CommissionApp));

export function App() {
  return (
    // Links to the API (its documentation, the stream) are not pages of the site: leave them to the browser.
    <LocationProvider scope={/^\/(?!api\/)/}>
      <Site />
    </LocationProvider>
  );
}

function Site() {
  const location = useLocation();
  const segments = location.path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => decodeURIComponent(s));
  const first = segments[0];
  const lang = isLang(first) ? first : undefined;
  const redirect = lang === undefined ? `/${preferredLanguage()}${location.url === '/' ? '' : location.url}` : undefined;
  useEffect(() => {
    if (redirect !== undefined) location.route(redirect, true);
  }, [redirect]);

  // A new page (not a new query string): start at its top and move the keyboard focus to its content.
  const previousPath = useRef(location.path);
  useEffect(() => {
    if (previousPath.current === location.path) return;
    const sameLanguagePage = inLanguage(previousPath.current, 'en') === inLanguage(location.path, 'en');
    previousPath.current = location.path;
    if (sameLanguagePage) return;
    window.scrollTo(0, 0);
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [location.path]);

  if (lang === undefined) return null;
  return <LanguageScope lang={lang} segments={segments.slice(1)} />;
}

function LanguageScope({ lang, segments }: { lang: Lang; segments: readonly string[] }) {
  const i18n = useMemo(() => i18nFor(lang), [lang]);
  useEffect(() => {
    document.documentElement.lang = lang;
    rememberLanguage(lang);
  }, [lang]);
  const [head, ...rest] = segments;
  let body: ComponentChildren;
  if (head === undefined) {
    body = <ElectionPicker />;
  } else if (head === 'sign-in') {
    body = (
      <Chrome>
        <ErrorBoundary>
          <CommissionApp screen="sign-in" />
        </ErrorBoundary>
      </Chrome>
    );
  } else if (head === 'commission' && rest[0] !== undefined) {
    body = (
      <ElectionScope election={rest[0]}>
        <ErrorBoundary>
          <CommissionApp screen={rest[1] ?? 'home'} arg={rest[2]} />
        </ErrorBoundary>
      </ElectionScope>
    );
  } else {
    body = (
      <ElectionScope election={head}>
        <PublicView division={rest[0]} />
      </ElectionScope>
    );
  }
  return <I18nContext.Provider value={i18n}>{body}</I18nContext.Provider>;
}

/** `/{lang}`: the only election straight away, or the list of them. */
function ElectionPicker() {
  const { t, lang } = useI18n();
  const { route } = useLocation();
  const list = useResource(`${API}/elections`, ElectionListSchema);
  const only = list.data?.elections.length === 1 ? list.data.elections[0] : undefined;
  useEffect(() => {
    if (only) route(resultsPath(lang, only.id), true);
  }, [only?.id, lang]);
  return (
    <Chrome>
      <h1>{t('app.elections')}</h1>
      {list.error && <ErrorView error={list.error} />}
      {!list.data && !list.error && <Loading />}
      {list.data && list.data.elections.length === 0 && <p>{t('app.noElections')}</p>}
      {list.data && list.data.elections.length > 1 && (
        <ul>
          {list.data.elections.map((e) => (
            <li key={e.id}>
              <a href={resultsPath(lang, e.id)}>{nameIn(e.names, lang)}</a>
            </li>
          ))}
        </ul>
      )}
    </Chrome>
  );
}

/** An election's pages: its live stream and summary, shared by every view below. */
function ElectionScope({ election, children }: { election: string; children: ComponentChildren }) {
  const { lang } = useI18n();
  const live = useLiveStream(election);
  const summary = useResource(electionApi(election), SummarySchema, live.results);
  const scope = useMemo(() => (summary.data ? { election, summary: summary.data } : undefined), [election, summary.data]);
  return (
    <LiveContext.Provider value={live}>
      <ElectionContext.Provider value={scope}>
        <Chrome summary={summary.data}>
          {summary.error && <PageError error={summary.error} back={`/${lang}`} />}
          {!summary.data && !summary.error && <Loading />}
          {scope && children}
        </Chrome>
      </ElectionContext.Provider>
    </LiveContext.Provider>
  );
}

/** Header (name, language switch, sign-in), the synthetic-data notice, the page, and the footer. */
function Chrome({ summary, children }: { summary?: Summary | undefined; children: ComponentChildren }) {
  const { t, lang, f } = useI18n();
  const location = useLocation();
  const home = summary ? resultsPath(lang, summary.id) : `/${lang}`;
  return (
    <>
      <a class="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header class="site-header">
        <div class="site-header-inner">
          <p class="brand">
            <a href={home}>
              <span class="brand-name">Canvass</span>
              <span class="brand-tagline">{t('app.tagline')}</span>
            </a>
          </p>
          {summary && <p class="election-name">{nameIn(summary.names, lang)}</p>}
          <nav class="language-switch" aria-label={t('app.language')}>
            <ul>
              {LANGUAGES.map((l) => (
                <li key={l}>
                  <a href={inLanguage(location.url, l)} lang={l} hrefLang={l} aria-current={l === lang ? 'true' : undefined}>
                    {LANGUAGE_NAMES[l]}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <a class="sign-in-link" href={summary ? signInPath(lang, location.url) : signInPath(lang)}>
            {t('app.commissions')}
          </a>
        </div>
      </header>
      {summary && <SyntheticNotice summary={summary} />}
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer class="site-footer">
        <p>{t('app.footer')}</p>
        {summary && (
          <p>
            {t('app.ledger', { seq: f.int(summary.ledger.seq) })} <code class="hash">{summary.ledger.hash.slice(0, 16)}…</code>
          </p>
        )}
        <p>
          <a href="/api/docs">{t('app.apiDocs')}</a>
        </p>
      </footer>
    </>
  );
}
