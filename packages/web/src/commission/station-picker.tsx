import { POLLING_STATION } from '@canvass/core';
import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { electionApi } from '../api/client.js';
import { useLive, useResource } from '../api/live.js';
import { DivisionViewSchema } from '../api/schemas.js';
import { useElection } from '../election-context.js';
import { nameIn, useI18n } from '../i18n/i18n.js';
import { commissionPath } from '../paths.js';
import { ErrorView, Loading } from '../ui/common.js';
import { useSession } from './session.js';

/** Choose a polling station inside the account's division: walk down the divisions, or type the station's id. */
export function StationPicker({ purpose }: { purpose: 'protocol' | 'turnout' }) {
  const { t, lang, f } = useI18n();
  const { election, summary } = useElection();
  const { session } = useSession();
  const { query, route } = useLocation();
  const live = useLive();
  const top = session.user.division ?? summary.root;
  const at = query['at'] ?? top;
  const view = useResource(
    `${electionApi(election)}/divisions/${encodeURIComponent(at)}?stage=preliminary`,
    DivisionViewSchema,
    live.results,
  );
  const [typed, setTyped] = useState('');
  const base = commissionPath(lang, election, purpose);
  const topIndex = view.data?.path.findIndex((p) => p.id === top) ?? -1;
  return (
    <section class="panel" aria-labelledby="picker-heading">
      <h2 id="picker-heading">{t('picker.heading')}</h2>
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          const id = typed.trim();
          if (id !== '') route(commissionPath(lang, election, purpose, id));
        }}
      >
        <label for="picker-id">{t('picker.byId')}</label>
        <input
          id="picker-id"
          value={typed}
          autocomplete="off"
          spellcheck={false}
          onInput={(e) => {
            setTyped(e.currentTarget.value);
          }}
        />
        <button type="submit">{t('picker.open')}</button>
      </form>
      {view.error && <ErrorView error={view.error} />}
      {!view.data && !view.error && <Loading />}
      {view.data && (
        <>
          {topIndex >= 0 && view.data.path.length - 1 > topIndex && (
            <nav aria-label={t('nav.breadcrumb')} class="breadcrumbs">
              <ol>
                {view.data.path.slice(topIndex).map((p, i, all) => (
                  <li key={p.id}>
                    {i < all.length - 1 ? (
                      <a href={p.id === top ? base : `${base}?at=${encodeURIComponent(p.id)}`}>{nameIn(p.names, lang)}</a>
                    ) : (
                      <span aria-current="page">{nameIn(p.names, lang)}</span>
                    )}
                  </li>
                ))}
              </ol>
            </nav>
          )}
          <ul class="picker-list">
            {view.data.children.map((child) => {
              const station = child.kind === POLLING_STATION;
              const reported = child.results.contests[0]?.stations.reported ?? 0;
              const total = child.results.contests[0]?.stations.total ?? 0;
              return (
                <li key={child.id}>
                  <a href={station ? commissionPath(lang, election, purpose, child.id) : `${base}?at=${encodeURIComponent(child.id)}`}>
                    {nameIn(child.names, lang)}
                  </a>{' '}
                  <span class="muted">
                    {station
                      ? reported > 0
                        ? t('picker.counted')
                        : t('picker.notCounted')
                      : t('headline.stationsOf', { reported: f.int(reported), total: f.int(total) })}
                  </span>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
