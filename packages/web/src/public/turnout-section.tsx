import { ErrorBoundary, useLocation } from 'preact-iso';
import { useCallback, useMemo } from 'preact/hooks';
import { electionApi } from '../api/client.js';
import { useLive, useResource } from '../api/live.js';
import { TurnoutSchema, type ChildView, type TurnoutPoint } from '../api/schemas.js';
import { useElection } from '../election-context.js';
import { nameIn, useI18n } from '../i18n/i18n.js';
import { TableScroll } from '../ui/common.js';
import { TURNOUT_COLOR } from './colors.js';
import { LineChart } from './lazy-charts.js';
import { withQuery } from './view-controls.js';

const NATIONAL_COLOR = '#374151';
const COMPARE_COLOR = '#b4410c';

const values = (points: readonly TurnoutPoint[]) => points.map((p) => (p.percent === null ? null : Number(p.percent)));

/**
 * Cumulative turnout at each scheduled time (as the CEC publishes it through election day): the country, the
 * division shown and, to compare, any division one level down; with every figure in tables below the chart.
 */
export function TurnoutSection({ division, place, childNames }: { division: string; place: string; childNames: readonly ChildView[] }) {
  const { t, lang, f } = useI18n();
  const { election, summary } = useElection();
  const live = useLive();
  const { path, query, route } = useLocation();
  const here = useResource(`${electionApi(election)}/turnout/${encodeURIComponent(division)}`, TurnoutSchema, live.turnout);
  const isRoot = division === summary.root;
  const national = useResource(
    isRoot ? null : `${electionApi(election)}/turnout/${encodeURIComponent(summary.root)}`,
    TurnoutSchema,
    live.turnout,
  );
  const axis = useCallback((v: number) => f.percent(String(v)), [lang]);
  const names = useMemo(() => new Map(childNames.map((c) => [c.id, nameIn(c.names, lang)])), [childNames, lang]);
  const data = here.data;
  const compareId = query['compare'];
  const compare = data?.children.find((c) => c.division === compareId);
  const rootName = nameIn(summary.names, lang);
  const series = useMemo(() => {
    if (!data) return [];
    const list = [];
    if (!isRoot && national.data)
      list.push({ label: t('turnout.national'), values: values(national.data.points), color: NATIONAL_COLOR, dashed: true });
    list.push({
      label: isRoot ? t('turnout.national') : place,
      values: values(data.points),
      color: isRoot ? NATIONAL_COLOR : TURNOUT_COLOR,
    });
    if (compare)
      list.push({ label: names.get(compare.division) ?? compare.division, values: values(compare.points), color: COMPARE_COLOR });
    return list;
  }, [data, national.data, compare, lang, place]);
  if (!data || summary.turnoutSchedule.length === 0) return null;
  const times = summary.turnoutSchedule;
  const columns: { label: string; points: readonly TurnoutPoint[] }[] = [];
  if (!isRoot && national.data) columns.push({ label: t('turnout.national'), points: national.data.points });
  columns.push({ label: isRoot ? t('turnout.national') : place, points: data.points });
  if (compare) columns.push({ label: names.get(compare.division) ?? compare.division, points: compare.points });
  const pointAt = (points: readonly TurnoutPoint[], at: string) => points.find((p) => p.at === at);
  return (
    <section aria-labelledby="turnout-heading" class="panel">
      <h2 id="turnout-heading">{t('turnout.heading')}</h2>
      <p class="note">{t('turnout.explain')}</p>
      {data.children.length > 0 && (
        <p class="compare">
          <label for="turnout-compare">{t('turnout.compare')}</label>{' '}
          <select
            id="turnout-compare"
            value={compare?.division ?? ''}
            onChange={(event) => {
              const value = event.currentTarget.value;
              route(withQuery(path, query, 'compare', value === '' ? undefined : value), true);
            }}
          >
            <option value="">{t('turnout.compareNone')}</option>
            {data.children.map((c) => (
              <option key={c.division} value={c.division}>
                {names.get(c.division) ?? c.division}
              </option>
            ))}
          </select>
        </p>
      )}
      <div class="turnout-grid">
        <ErrorBoundary>
          <LineChart labels={times} series={series} label={t('turnout.chartLabel', { place: isRoot ? rootName : place })} axis={axis} />
        </ErrorBoundary>
        <TableScroll label={t('turnout.caption', { place })}>
          <table class="data-table">
            <caption>{t('turnout.caption', { place })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('turnout.time')}</th>
                {columns.map((c) => (
                  <th scope="col" class="num" key={c.label}>
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {times.map((at) => (
                <tr key={at}>
                  <th scope="row">{at}</th>
                  {columns.map((c) => (
                    <td class="num" key={c.label}>
                      {f.percent(pointAt(c.points, at)?.percent)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </div>
      {data.children.length > 0 && (
        <details class="turnout-details">
          <summary>{t('turnout.byChild', { place })}</summary>
          <TableScroll label={t('turnout.byChild', { place })}>
            <table class="data-table">
              <caption>{t('turnout.byChild', { place })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('turnout.division')}</th>
                  {times.map((at) => (
                    <th scope="col" class="num" key={at}>
                      {at}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.children.map((c) => (
                  <tr key={c.division}>
                    <th scope="row">{names.get(c.division) ?? c.division}</th>
                    {times.map((at) => (
                      <td class="num" key={at}>
                        {f.percent(pointAt(c.points, at)?.percent)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </details>
      )}
    </section>
  );
}
