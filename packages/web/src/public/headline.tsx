import type { ContestOption } from '@canvass/core';
import { useLive } from '../api/live.js';
import type { ContestResults, ContestWithStatus } from '../api/schemas.js';
import { useElection, type Stage } from '../election-context.js';
import { nameIn, useI18n } from '../i18n/i18n.js';
import { optionColor } from './colors.js';

/** The leading candidate or list: the most votes among the options that can win (against-all cannot). */
export function leaderOf(
  results: ContestResults,
  options: readonly ContestOption[],
): { option: ContestOption; position: number; votes: number; percent: string | null } | undefined {
  let best: { option: ContestOption; position: number; votes: number; percent: string | null } | undefined;
  options.forEach((option, position) => {
    if (option.kind === 'against-all') return;
    const r = results.options.find((o) => o.option === option.id);
    if (!r || r.votes === 0) return;
    if (!best || r.votes > best.votes) best = { option, position, votes: r.votes, percent: r.percent };
  });
  return best;
}

/** What the news reports: leader and share, turnout, against all, how far the count is, its status, when it changed. */
export function Headline({
  results,
  contest,
  isRoot,
  updatedAt,
  stage,
}: {
  results: ContestResults;
  contest: ContestWithStatus;
  isRoot: boolean;
  updatedAt: string | null;
  stage: Stage;
}) {
  const { t, lang, f } = useI18n();
  const { summary } = useElection();
  const live = useLive();
  const options = contest.contest.options;
  const leader = leaderOf(results, options);
  const againstAll = options.find((o) => o.kind === 'against-all');
  const againstAllResult = againstAll ? results.options.find((o) => o.option === againstAll.id) : undefined;
  const { reported, total } = results.stations;
  const settled = contest.status === 'certified' || contest.status === 'unofficial-complete';
  const outcome = isRoot && settled ? results.outcome : undefined;
  const name = (id: string) => nameIn(options.find((o) => o.id === id)?.names, lang);
  const progress = total === 0 ? 0 : (100 * reported) / total;
  return (
    <section class="headline" aria-labelledby="headline-heading">
      <h2 id="headline-heading" class="visually-hidden">
        {t('headline.heading')}
      </h2>
      <dl class="cards">
        <div class={`card card-leader status-${contest.status}`}>
          <dt>{outcome?.kind === 'elected' ? t('headline.elected') : t('headline.leader')}</dt>
          {leader ? (
            <>
              <dd class="card-figure" style={{ color: optionColor(leader.option, leader.position) }}>
                {f.percent(leader.percent)}
              </dd>
              <dd class="card-name">{nameIn(leader.option.names, lang)}</dd>
              <dd class="card-detail">{t('headline.votes', { votes: f.int(leader.votes) })}</dd>
            </>
          ) : (
            <dd class="card-name">{t('headline.noVotes')}</dd>
          )}
          {outcome?.kind === 'runoff' && (
            <dd class="card-detail">{t('headline.runoff', { names: outcome.runoff.map(name).join(', ') })}</dd>
          )}
          {outcome?.kind === 'elected' && <dd class="card-detail">{t('headline.electedRule')}</dd>}
        </div>
        <div class="card">
          <dt>{t('headline.turnout')}</dt>
          <dd class="card-figure">{f.percent(results.turnoutPercent)}</dd>
          {/* Over the stations counted: with none counted yet, "0 of 0 voters" would say nothing. */}
          {results.registered > 0 && (
            <dd class="card-detail">
              {t('headline.turnoutDetail', { participated: f.int(results.participated), registered: f.int(results.registered) })}
            </dd>
          )}
        </div>
        {againstAll && (
          <div class="card">
            <dt>{nameIn(againstAll.names, lang)}</dt>
            <dd class="card-figure">{f.percent(againstAllResult?.percent)}</dd>
            <dd class="card-detail">{t('headline.votes', { votes: f.int(againstAllResult?.votes ?? 0) })}</dd>
          </div>
        )}
        <div class={`card card-status status-${contest.status}`}>
          <dt>{t('headline.status')}</dt>
          <dd class="card-status-text">{t(`status.${contest.status}`)}</dd>
          <dd class="card-detail">{t(`stage.${stage}Shown`)}</dd>
        </div>
        <div class="card card-stations">
          <dt id="stations-label">{t('headline.stations')}</dt>
          <dd class="card-figure card-figure-small">{t('headline.stationsOf', { reported: f.int(reported), total: f.int(total) })}</dd>
          <dd>
            <div
              class="progress"
              role="progressbar"
              aria-labelledby="stations-label"
              aria-valuemin={0}
              aria-valuemax={total}
              aria-valuenow={reported}
              aria-valuetext={t('headline.stationsOf', { reported: f.int(reported), total: f.int(total) })}
            >
              <div class="progress-bar" style={{ width: `${progress}%` }} />
            </div>
          </dd>
          <dd class="card-detail">{t('headline.covered', { percent: f.percent(results.registeredCoveredPercent) })}</dd>
        </div>
        <div class="card card-updated-box">
          <dt>{t('headline.updated')}</dt>
          <dd class="card-updated">{updatedAt === null ? t('headline.notYet') : f.dateTime(updatedAt, summary.timeZone)}</dd>
          <dd class="card-detail">
            <span class={live.connected ? 'live-dot' : 'live-dot live-dot-off'} aria-hidden="true" />
            {live.connected ? t('headline.live') : t('headline.offline')}
          </dd>
        </div>
      </dl>
    </section>
  );
}
