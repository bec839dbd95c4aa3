import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import type { ApiError } from '../api/client.js';
import type { Problem, Summary } from '../api/schemas.js';
import { nameIn, useI18n, type T } from '../i18n/i18n.js';

export function Loading() {
  const { t } = useI18n();
  return (
    <p class="loading" role="status">
      {t('app.loading')}
    </p>
  );
}

/** Problem rules the site explains in the visitor's language; any other shows the server's own detail. */
const KNOWN_RULES = new Set([
  'network',
  'database-unavailable',
  'credentials',
  'authentication',
  'csrf',
  'login-rate',
  'correction-reason',
  'division-scope',
  'role-commission',
  'role-cec',
  'results-certified',
  'rejection-reason',
  'latest-version',
  'protocol-valid',
  'protocol-entered',
  'higher-commission',
  'review-scope',
  'status-transition',
  'status-reason',
  'all-stations-in',
  'turnout-cumulative',
  'turnout-within-list',
  'scheduled-time',
  'schema',
  'estimates-sum',
  'list-size',
  'account-self',
  'four-eyes',
  'option-exists',
  'election-exists',
  'division-exists',
  'station-exists',
  'response-shape',
]);

export function problemMessage(t: T, problem: Problem): string {
  const rule = problem.rule;
  if (rule !== undefined && KNOWN_RULES.has(rule)) return t(`problems.${rule}` as 'problems.network');
  return t('problems.other', { status: problem.status ?? 0 });
}

/** A refused request: what went wrong in the visitor's language, the server's detail and every field it named. */
export function ProblemBox({ problem, heading }: { problem: Problem; heading?: string }) {
  const { t } = useI18n();
  const errors = problem.errors ?? [];
  return (
    <div class="problem" role="alert">
      <p class="problem-title">
        <strong>{heading ?? t('problems.heading')}</strong> {problemMessage(t, problem)}
      </p>
      {problem.detail !== undefined && problem.detail !== '' && (
        <p class="problem-detail">
          {t('problems.serverSaid')} <span lang="en">{problem.detail}</span>
        </p>
      )}
      {errors.length > 1 && (
        <ul class="problem-fields">
          {errors.map((e) => (
            <li key={`${e.field}:${e.rule}`}>
              <code>{e.field}</code>: <span lang="en">{e.message}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function ErrorView({ error }: { error: ApiError }) {
  const { t } = useI18n();
  return <ProblemBox problem={error.problem} heading={t('app.loadFailed')} />;
}

/** A whole page that cannot be shown (an election or division that does not exist): a heading, why, and a way back. */
export function PageError({ error, back }: { error: ApiError; back: string }) {
  const { t } = useI18n();
  const heading = error.problem.status === 404 ? t('app.notFound') : t('app.loadFailed');
  useEffect(() => {
    document.title = `${heading} · Canvass`;
  }, [heading]);
  return (
    <section class="page-error">
      <h1>{heading}</h1>
      <ProblemBox problem={error.problem} heading={t('app.loadFailed')} />
      <p>
        <a href={back}>{t('app.backToResults')}</a>
      </p>
    </section>
  );
}

export interface Crumb {
  readonly label: string;
  readonly href?: string | undefined;
}

export function Breadcrumbs({ items }: { items: readonly Crumb[] }) {
  const { t } = useI18n();
  return (
    <nav aria-label={t('nav.breadcrumb')} class="breadcrumbs">
      <ol>
        {items.map((item, i) => (
          <li key={`${i}:${item.label}`}>
            {item.href !== undefined && i < items.length - 1 ? (
              <a href={item.href}>{item.label}</a>
            ) : (
              <span aria-current={i === items.length - 1 ? 'page' : undefined}>{item.label}</span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** The station-level figures are synthetic: said on every page that shows them, in the visitor's language. */
export function SyntheticNotice({ summary }: { summary: Summary }) {
  const { t, lang } = useI18n();
  if (summary.synthetic === null) return null;
  return (
    <div class="synthetic" role="note">
      <strong>{t('app.syntheticHeading')}</strong> {nameIn(summary.synthetic, lang)}
    </div>
  );
}

/** A wide table that scrolls sideways on a phone; focusable, so a keyboard can scroll it too. */
export function TableScroll({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
