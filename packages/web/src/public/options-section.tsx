import { ErrorBoundary } from 'preact-iso';
import { useCallback, useMemo } from 'preact/hooks';
import type { ContestResults, ContestWithStatus } from '../api/schemas.js';
import { nameIn, useI18n } from '../i18n/i18n.js';
import { TableScroll } from '../ui/common.js';
import { optionColor } from './colors.js';
import { BarChart } from './lazy-charts.js';

/** Every option on the ballot, in ballot order: a bar chart and the table of votes and shares. */
export function OptionsSection({ results, contest, place }: { results: ContestResults; contest: ContestWithStatus; place: string }) {
  const { t, lang, f } = useI18n();
  const rows = useMemo(
    () =>
      contest.contest.options.map((option, position) => {
        const result = results.options.find((o) => o.option === option.id);
        return { option, position, votes: result?.votes ?? 0, percent: result?.percent ?? null, color: optionColor(option, position) };
      }),
    [results, contest],
  );
  const bars = useMemo(
    () =>
      rows.map((r) => ({
        label: nameIn(r.option.names, lang),
        value: r.percent === null ? 0 : Number(r.percent),
        text: `${f.percent(r.percent)} · ${t('headline.votes', { votes: f.int(r.votes) })}`,
        color: r.color,
      })),
    [rows, lang],
  );
  const axis = useCallback((v: number) => f.percent(String(v)), [lang]);
  const kind = contest.contest.kind === 'party-list' ? 'lists' : 'candidates';
  return (
    <section aria-labelledby="options-heading" class="panel">
      <h2 id="options-heading">{t(`options.heading.${kind}`)}</h2>
      <div class="options-grid">
        <ErrorBoundary>
          <BarChart rows={bars} label={t('options.chartLabel', { place })} axis={axis} />
        </ErrorBoundary>
        <TableScroll label={t('options.caption', { place })}>
          <table class="data-table">
            <caption>{t('options.caption', { place })}</caption>
            <thead>
              <tr>
                <th scope="col" class="num">
                  {t('options.number')}
                </th>
                <th scope="col">{t(`options.option.${kind}`)}</th>
                <th scope="col" class="num">
                  {t('options.votes')}
                </th>
                <th scope="col" class="num">
                  {t('options.share')}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.option.id}>
                  <td class="num">{r.position + 1}</td>
                  <th scope="row">
                    <span class="swatch" style={{ background: r.color }} aria-hidden="true" />
                    {nameIn(r.option.names, lang)}
                    {r.option.party && <span class="party">{nameIn(r.option.party, lang)}</span>}
                  </th>
                  <td class="num">{f.int(r.votes)}</td>
                  <td class="num">{f.percent(r.percent)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <td />
                <th scope="row">{t('options.valid')}</th>
                <td class="num">{f.int(results.percentBase)}</td>
                <td class="num">{results.percentBase > 0 ? f.percent('100.00') : '—'}</td>
              </tr>
              <tr>
                <td />
                <th scope="row">{t('options.invalid')}</th>
                <td class="num">{f.int(results.invalid)}</td>
                <td />
              </tr>
              <tr>
                <td />
                <th scope="row">{t('options.participated')}</th>
                <td class="num">{f.int(results.participated)}</td>
                <td />
              </tr>
            </tfoot>
          </table>
        </TableScroll>
      </div>
      <p class="note">{t('options.base')}</p>
    </section>
  );
}
