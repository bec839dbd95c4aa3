import { POLLING_STATION } from '@canvass/core';
import { useLocation } from 'preact-iso';
import type { ContestWithStatus, DivisionView } from '../api/schemas.js';
import { useElection } from '../election-context.js';
import { nameIn, useI18n } from '../i18n/i18n.js';
import { keepQuery, resultsPath } from '../paths.js';
import { TableScroll } from '../ui/common.js';
import { leaderOf } from './headline.js';

type ChildrenKind = 'regions' | 'districts' | 'stations';

/** The divisions one level down (regions, districts or polling stations), each a link to its own page. */
export function ChildrenSection({ view, contest }: { view: DivisionView; contest: ContestWithStatus }) {
  const { t, lang, f } = useI18n();
  const { election, summary } = useElection();
  const { query } = useLocation();
  if (view.children.length === 0) return null;
  const kind: ChildrenKind = view.children.every((c) => c.kind === POLLING_STATION)
    ? 'stations'
    : view.division.id === summary.root
      ? 'regions'
      : 'districts';
  const place = nameIn(view.division.names, lang);
  const againstAll = contest.contest.options.find((o) => o.kind === 'against-all');
  const caption = t(`children.caption.${kind}`, { place });
  return (
    <section aria-labelledby="children-heading" class="panel">
      <h2 id="children-heading">{t(`children.heading.${kind}`)}</h2>
      <TableScroll label={caption}>
        <table class="data-table children-table">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t(`children.name.${kind}`)}</th>
              <th scope="col" class="num">
                {kind === 'stations' ? t('children.registered') : t('children.reported')}
              </th>
              <th scope="col" class="num">
                {t('children.turnout')}
              </th>
              <th scope="col">{t('children.leader')}</th>
              <th scope="col" class="num">
                {t('children.leaderShare')}
              </th>
              {againstAll && (
                <th scope="col" class="num">
                  {nameIn(againstAll.names, lang)}
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {view.children.map((child) => {
              const results = child.results.contests.find((c) => c.contest === contest.contest.id);
              const leader = results ? leaderOf(results, contest.contest.options) : undefined;
              const against = againstAll ? results?.options.find((o) => o.option === againstAll.id) : undefined;
              const reported = results?.stations.reported ?? 0;
              return (
                <tr key={child.id}>
                  <th scope="row">
                    <a href={resultsPath(lang, election, child.id, keepQuery(query))}>{nameIn(child.names, lang)}</a>
                  </th>
                  <td class="num">
                    {kind === 'stations'
                      ? f.int(child.registered ?? results?.registeredTotal ?? 0)
                      : t('headline.stationsOf', { reported: f.int(reported), total: f.int(results?.stations.total ?? 0) })}
                  </td>
                  {reported === 0 ? (
                    <td colSpan={againstAll ? 4 : 3} class="muted">
                      {kind === 'stations' ? t('children.notReported') : t('children.nothingYet')}
                    </td>
                  ) : (
                    <>
                      <td class="num">{f.percent(results?.turnoutPercent)}</td>
                      <td>{leader ? nameIn(leader.option.names, lang) : '—'}</td>
                      <td class="num">{f.percent(leader?.percent)}</td>
                      {againstAll && <td class="num">{f.percent(against?.percent)}</td>}
                    </>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}
