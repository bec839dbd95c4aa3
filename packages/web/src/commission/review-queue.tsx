import { useState } from 'preact/hooks';
import { z } from 'zod';
import { electionApi, send } from '../api/client.js';
import { useLive, useResource } from '../api/live.js';
import { ReviewQueueSchema, type Problem, type ReviewQueue } from '../api/schemas.js';
import { pickContest, useElection } from '../election-context.js';
import { nameIn, useI18n } from '../i18n/i18n.js';
import { commissionPath, resultsPath } from '../paths.js';
import { usePageTitle } from '../public/division-page.js';
import { Breadcrumbs, ErrorView, Loading, ProblemBox } from '../ui/common.js';
import { FindingList, ProtocolTable } from '../ui/protocol.js';
import { useSession } from './session.js';

const ReviewResponseSchema = z.object({ station: z.string(), version: z.number(), accepted: z.boolean() });

type Item = ReviewQueue['queue'][number];

/** The higher commission's queue: counted protocols below it, to accept or to reject with a reason. */
export function ReviewQueueScreen() {
  const { t, lang, f } = useI18n();
  const { election } = useElection();
  const live = useLive();
  const [refresh, setRefresh] = useState(0);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const queue = useResource(`${electionApi(election)}/review-queue`, ReviewQueueSchema, `${live.results}:${refresh}`);
  usePageTitle(`${t('review.heading')} · Canvass`);
  return (
    <>
      <Breadcrumbs items={[{ label: t('commission.homeLink'), href: commissionPath(lang, election) }, { label: t('review.heading') }]} />
      <h1>{t('review.heading')}</h1>
      <p class="note">{t('review.explain')}</p>
      {notice !== undefined && (
        <p role="status" class="ok-text">
          {notice}
        </p>
      )}
      {queue.error && <ErrorView error={queue.error} />}
      {!queue.data && !queue.error && <Loading />}
      {queue.data && (
        <>
          <p>{t('review.count', { count: f.int(queue.data.count) })}</p>
          {queue.data.queue.length === 0 && <p>{t('review.empty')}</p>}
          <ul class="review-list">
            {queue.data.queue.map((item) => (
              <ReviewItem
                key={`${item.station}/${item.contest}/${item.version}`}
                item={item}
                onDone={(text) => {
                  setNotice(text);
                  setRefresh((n) => n + 1);
                }}
              />
            ))}
          </ul>
        </>
      )}
    </>
  );
}

function ReviewItem({ item, onDone }: { item: Item; onDone: (notice: string) => void }) {
  const { t, lang } = useI18n();
  const { election, summary } = useElection();
  const { session } = useSession();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<Problem | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const contest = pickContest(summary, item.contest);
  const decide = async (decision: 'accept' | 'reject') => {
    setBusy(true);
    setProblem(undefined);
    const body = decision === 'accept' ? { version: item.version } : { version: item.version, reason: reason.trim() };
    const path = `${electionApi(election)}/protocols/${encodeURIComponent(item.station)}/${encodeURIComponent(item.contest)}/${decision}`;
    const result = await send('POST', path, body, session.csrfToken, ReviewResponseSchema);
    setBusy(false);
    if (!result.ok) {
      setProblem(result.problem);
      return;
    }
    onDone(
      decision === 'accept'
        ? t('review.doneAccepted', { station: item.station, version: item.version })
        : t('review.doneRejected', { station: item.station, version: item.version }),
    );
  };
  const id = `review-${item.station}-${item.contest}`.replace(/[^A-Za-z0-9_-]/g, '_');
  return (
    <li class="review-item" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} class="review-title">
        <a href={resultsPath(lang, election, item.station)}>{item.names ? nameIn(item.names, lang) : item.station}</a> ·{' '}
        {t('station.version', { version: item.version })}
      </h2>
      <FindingList findings={item.findings} />
      <details>
        <summary>{t('review.showProtocol')}</summary>
        {contest && (
          <ProtocolTable
            caption={t('station.protocolCaption', { version: item.version })}
            lines={item.lines}
            votes={item.votes}
            template={summary.protocol.lines}
            options={contest.contest.options}
          />
        )}
      </details>
      <div class="review-actions">
        <button type="button" disabled={busy} onClick={() => void decide('accept')}>
          {t('review.accept')}
        </button>
        {!rejecting ? (
          <button
            type="button"
            class="button-secondary"
            disabled={busy}
            onClick={() => {
              setRejecting(true);
            }}
          >
            {t('review.reject')}
          </button>
        ) : (
          <form
            class="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              void decide('reject');
            }}
          >
            <label for={`${id}-reason`}>{t('review.reason')}</label>
            <input
              id={`${id}-reason`}
              value={reason}
              required
              onInput={(e) => {
                setReason(e.currentTarget.value);
              }}
            />
            <button type="submit" class="button-danger" disabled={busy}>
              {t('review.confirmReject')}
            </button>
          </form>
        )}
      </div>
      {problem && <ProblemBox problem={problem} />}
    </li>
  );
}
