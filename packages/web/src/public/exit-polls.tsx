import { electionApi } from '../api/client.js';
import { useLive, useResource } from '../api/live.js';
import { ExitPollsSchema, type ContestWithStatus } from '../api/schemas.js';
import { useElection } from '../election-context.js';
import { nameIn, useI18n } from '../i18n/i18n.js';
import { TableScroll } from '../ui/common.js';

/** Exit polls are a separate source: each estimate beside the current count and the exact difference. */
export function ExitPollsSection({ contest }: { contest: ContestWithStatus }) {
  const { t, lang, f } = useI18n();
  const { election, summary } = useElection();
  const live = useLive();
  const polls = useResource(`${electionApi(election)}/exit-polls`, ExitPollsSchema, live.results);
  const list = polls.data?.polls.filter((p) => p.contest === contest.contest.id) ?? [];
  const optionName = (id: string) => nameIn(contest.contest.options.find((o) => o.id === id)?.names, lang) || id;
  return (
    <section aria-labelledby="exit-polls-heading" class="panel">
      <h2 id="exit-polls-heading">{t('exitPolls.heading')}</h2>
      <p class="note">{t('exitPolls.explain')}</p>
      {polls.data && list.length === 0 && <p>{t('exitPolls.none')}</p>}
      <div class="exit-polls">
        {list.map((poll, i) => {
          const caption = t('exitPolls.caption', { organisation: poll.organisation });
          return (
            <article key={poll.id} class="exit-poll" aria-labelledby={`exit-poll-${i}`}>
              <h3 id={`exit-poll-${i}`}>{poll.organisation}</h3>
              <dl class="facts">
                <div>
                  <dt>{t('exitPolls.published')}</dt>
                  <dd>{f.dateTime(poll.publishedAt, summary.timeZone)}</dd>
                </div>
                <div>
                  <dt>{t('exitPolls.sample')}</dt>
                  <dd>{f.int(poll.sampleSize)}</dd>
                </div>
                <div>
                  <dt>{t('exitPolls.method')}</dt>
                  <dd>{poll.method}</dd>
                </div>
              </dl>
              <TableScroll label={caption}>
                <table class="data-table">
                  <caption>{caption}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('exitPolls.option')}</th>
                      <th scope="col" class="num">
                        {t('exitPolls.estimate')}
                      </th>
                      <th scope="col" class="num">
                        {t('exitPolls.count')}
                      </th>
                      <th scope="col" class="num">
                        {t('exitPolls.deviation')}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {poll.estimates.map((e) => (
                      <tr key={e.option}>
                        <th scope="row">{optionName(e.option)}</th>
                        <td class="num">{f.percent(e.estimate)}</td>
                        <td class="num">{f.percent(e.count)}</td>
                        <td class="num">{e.deviation === null ? '—' : t('exitPolls.points', { value: f.points(e.deviation) })}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            </article>
          );
        })}
      </div>
    </section>
  );
}
