import { useLocation } from 'preact-iso';
import type { ContestWithStatus } from '../api/schemas.js';
import { useElection, type Stage } from '../election-context.js';
import { nameIn, useI18n } from '../i18n/i18n.js';

/** Links that change a view option in the URL (so the choice is part of the permalink). */
export function withQuery(path: string, query: Readonly<Record<string, string>>, key: string, value: string | undefined): string {
  const params = new URLSearchParams(Object.entries(query).filter(([k]) => k !== key));
  if (value !== undefined) params.set(key, value);
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}

/** Which count (preliminary or final) and, if the election has several, which contest. */
export function ViewControls({ contest, stage }: { contest: ContestWithStatus; stage: Stage }) {
  const { t, lang } = useI18n();
  const { summary } = useElection();
  const { path, query } = useLocation();
  return (
    <div class="view-controls">
      {summary.contests.length > 1 && (
        <nav aria-label={t('results.contests')} class="segmented">
          {summary.contests.map((c) => (
            <a
              key={c.contest.id}
              href={withQuery(path, query, 'contest', c.contest.id)}
              aria-current={c.contest.id === contest.contest.id ? 'true' : undefined}
            >
              {nameIn(c.contest.names, lang)}
            </a>
          ))}
        </nav>
      )}
      <nav aria-label={t('stage.label')} class="segmented">
        <span class="segmented-label">{t('stage.label')}</span>
        {(['preliminary', 'final'] as const).map((s) => (
          <a key={s} href={withQuery(path, query, 'stage', s)} aria-current={s === stage ? 'true' : undefined} title={t(`stage.${s}Help`)}>
            {t(`stage.${s}`)}
          </a>
        ))}
      </nav>
    </div>
  );
}
