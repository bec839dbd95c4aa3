import { percent } from '@canvass/core';
import { useLocation } from 'preact-iso';
import { electionApi } from '../api/client.js';
import { useLive, useResource } from '../api/live.js';
import { StationSchema, type ContestWithStatus, type CopyView, type DivisionView, type StationContest } from '../api/schemas.js';
import { useElection, type Stage } from '../election-context.js';
import { nameIn, useI18n } from '../i18n/i18n.js';
import { keepQuery, resultsPath } from '../paths.js';
import { Breadcrumbs, ErrorView, Loading, TableScroll } from '../ui/common.js';
import { DifferencesTable, FindingList, ProtocolTable } from '../ui/protocol.js';
import { usePageTitle } from './division-page.js';
import { Headline } from './headline.js';
import { OptionsSection } from './options-section.js';
import { ViewControls } from './view-controls.js';

/** A polling station: its protocol as counted, every version entered with findings and reviews, its turnout. */
export function StationPage({
  view,
  contest,
  stage,
  updatedAt,
}: {
  view: DivisionView;
  contest: ContestWithStatus;
  stage: Stage;
  updatedAt: string | null;
}) {
  const { t, lang, f } = useI18n();
  const { election, summary } = useElection();
  const live = useLive();
  const { query } = useLocation();
  // Refetched when the count or the observers' copies change.
  const station = useResource(
    `${electionApi(election)}/stations/${encodeURIComponent(view.division.id)}`,
    StationSchema,
    `${live.results}/${live.copies}`,
  );
  const name = nameIn(view.division.names, lang);
  usePageTitle(`${name} · ${nameIn(summary.names, lang)} · Canvass`);
  const crumbs = view.path.map((p) => ({
    label: nameIn(p.names, lang),
    href: resultsPath(lang, election, p.id === summary.root ? undefined : p.id, keepQuery(query)),
  }));
  const results = view.results.contests.find((c) => c.contest === contest.contest.id);
  const record = station.data?.contests.find((c) => c.contest === contest.contest.id);
  return (
    <>
      <Breadcrumbs items={crumbs} />
      <h1>{name}</h1>
      <ViewControls contest={contest} stage={stage} />
      {station.error && !station.data && <ErrorView error={station.error} />}
      {!station.data && !station.error && <Loading />}
      {station.data && (
        <dl class="facts station-facts">
          <div>
            <dt>{t('station.registered')}</dt>
            <dd>{station.data.station.registered === undefined ? '—' : f.int(station.data.station.registered)}</dd>
          </div>
          {station.data.station.closes !== undefined && (
            <div>
              <dt>{t('station.closes')}</dt>
              <dd>
                {t('station.closesAt', {
                  time: station.data.station.closes,
                  zone: offsetOn(summary.date, station.data.station.timeZone ?? summary.timeZone),
                })}
              </dd>
            </div>
          )}
          <div>
            <dt>{t('station.protocolStatus')}</dt>
            <dd>{record ? <RecordStatus record={record} /> : t('station.noProtocol')}</dd>
          </div>
        </dl>
      )}
      {results && results.stations.reported > 0 && (
        <>
          <Headline results={results} contest={contest} isRoot={false} updatedAt={updatedAt} stage={stage} />
          <OptionsSection results={results} contest={contest} place={name} />
        </>
      )}
      {record && <StationRecord record={record} contest={contest} />}
      {station.data && station.data.turnout.length > 0 && (
        <section class="panel" aria-labelledby="station-turnout-heading">
          <h2 id="station-turnout-heading">{t('turnout.heading')}</h2>
          <TableScroll label={t('station.turnoutCaption', { place: name })}>
            <table class="data-table">
              <caption>{t('station.turnoutCaption', { place: name })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('turnout.time')}</th>
                  <th scope="col" class="num">
                    {t('station.participated')}
                  </th>
                  <th scope="col" class="num">
                    {t('children.turnout')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {station.data.turnout.map((point) => (
                  <tr key={point.at}>
                    <th scope="row">{point.at}</th>
                    <td class="num">{point.participated === null ? t('station.noReport') : f.int(point.participated)}</td>
                    <td class="num">
                      {point.participated === null || point.registered === null
                        ? '—'
                        : f.percent(percent(point.participated, point.registered))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </section>
      )}
    </>
  );
}

export function RecordStatus({ record }: { record: StationContest }) {
  const { t } = useI18n();
  const latest = record.latest;
  if (!latest) {
    const pending = record.entries[record.entries.length - 1];
    return <>{pending ? t(`protocolStatus.${pending.status}`) : t('station.noProtocol')}</>;
  }
  const review =
    latest.rejectedReason !== null
      ? t('review.rejectedWith', { reason: latest.rejectedReason })
      : latest.accepted
        ? t('review.accepted')
        : latest.status === 'counted'
          ? t('review.awaiting')
          : '';
  return (
    <>
      <span class={`status-pill status-${latest.status}`}>{t(`protocolStatus.${latest.status}`)}</span>{' '}
      {t('station.version', { version: latest.version })}
      {review !== '' && <> · {review}</>}
    </>
  );
}

/** The protocol that counts now, then every version as it was entered. */
function StationRecord({ record, contest }: { record: StationContest; contest: ContestWithStatus }) {
  const { t, f } = useI18n();
  const { summary } = useElection();
  const template = summary.protocol.lines;
  const options = contest.contest.options;
  const latest = record.latest;
  const entries = [...record.entries].reverse();
  const mismatch = record.entries.filter((e) => e.status === 'entry-mismatch' && e.differences !== undefined).at(-1);
  return (
    <>
      {latest && (
        <section class="panel" aria-labelledby="protocol-heading">
          <h2 id="protocol-heading">{t('station.protocolHeading', { version: latest.version })}</h2>
          <ProtocolTable
            caption={t('station.protocolCaption', { version: latest.version })}
            lines={latest.lines}
            votes={latest.votes}
            template={template}
            options={options}
          />
          <p class="hash-line">
            {t('station.hash')} <code class="hash">{latest.hash}</code>
          </p>
        </section>
      )}
      {mismatch?.differences && (
        <section class="panel" aria-labelledby="mismatch-heading">
          <h2 id="mismatch-heading">{t('mismatch.heading')}</h2>
          <p>{t('mismatch.explain')}</p>
          <DifferencesTable differences={mismatch.differences} template={template} options={options} caption={t('mismatch.caption')} />
        </section>
      )}
      <section class="panel" aria-labelledby="versions-heading">
        <h2 id="versions-heading">{t('station.versionsHeading')}</h2>
        {entries.length === 0 && <p>{t('station.noProtocol')}</p>}
        <ol class="versions">
          {entries.map((entry, i) => (
            <li key={entry.seq} class="version">
              <h3>
                {t('station.entryTitle', { version: entry.version })}{' '}
                <span class={`status-pill status-${entry.status}`}>{t(`protocolStatus.${entry.status}`)}</span>
              </h3>
              <p class="muted">{t('station.entered', { time: f.dateTime(entry.time, summary.timeZone), who: actorText(t, entry) })}</p>
              {entry.reason !== undefined && (
                <p>
                  <strong>{t('station.reason')}</strong> {entry.reason}
                </p>
              )}
              <FindingList findings={entry.findings} />
              <details>
                <summary>{t('station.showLines', { version: entry.version })}</summary>
                <ProtocolTable
                  caption={t('station.entryCaption', { version: entry.version, time: f.dateTime(entry.time, summary.timeZone) })}
                  lines={entry.lines}
                  votes={entry.votes}
                  template={template}
                  options={options}
                  previous={entries[i + 1]}
                />
                <p class="hash-line">
                  {t('station.hash')} <code class="hash">{entry.hash}</code>
                </p>
              </details>
            </li>
          ))}
        </ol>
      </section>
      {record.copies.length > 0 && <ObserverCopies record={record} contest={contest} />}
      {record.reviews.length > 0 && (
        <section class="panel" aria-labelledby="reviews-heading">
          <h2 id="reviews-heading">{t('station.reviewsHeading')}</h2>
          <ul class="reviews">
            {record.reviews.map((review) => (
              <li key={review.seq}>
                {review.decision === 'accepted'
                  ? t('review.acceptedVersion', { version: review.version })
                  : t('review.rejectedVersion', { version: review.version, reason: review.reason ?? '' })}{' '}
                <span class="muted">
                  {f.dateTime(review.time, summary.timeZone)} · {actorText(t, review)}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

/** Observers' copies of the protocol: never counted, each compared with the version that counts now. */
function ObserverCopies({ record, contest }: { record: StationContest; contest: ContestWithStatus }) {
  const { t, f } = useI18n();
  const { summary } = useElection();
  const template = summary.protocol.lines;
  const options = contest.contest.options;
  return (
    <section class="panel" aria-labelledby="copies-heading">
      <h2 id="copies-heading">{t('copies.heading')}</h2>
      <p>{t('copies.explain')}</p>
      <ol class="versions copies">
        {record.copies.map((copy, k) => (
          <li key={copy.seq} class="version copy">
            <h3>
              {t('copies.title', { n: k + 1 })} <CopyPill copy={copy} />
            </h3>
            <p class="muted">
              {t('copies.filed', {
                time: f.dateTime(copy.time, summary.timeZone),
                who: actorText(t, copy),
              })}
            </p>
            <FindingList findings={copy.findings} />
            {copy.now && copy.now.differences.length > 0 && (
              <DifferencesTable
                differences={copy.now.differences.map((d) => ({
                  line: d.line,
                  values: [
                    { actor: 'copy', value: d.copy ?? -1 },
                    { actor: 'counted', value: d.counted ?? -1 },
                  ],
                }))}
                labels={[t('copies.copyColumn'), t('copies.countedColumn', { version: copy.now.version })]}
                template={template}
                options={options}
                caption={t('copies.caption', { n: k + 1 })}
              />
            )}
            <p class="hash-line">
              {t('copies.hash')} <code class="hash">{copy.hash}</code>
            </p>
          </li>
        ))}
      </ol>
    </section>
  );
}

function CopyPill({ copy }: { copy: CopyView }) {
  const { t } = useI18n();
  if (!copy.now) return <span class="status-pill">{t('copies.noneCounted')}</span>;
  return copy.now.differences.length === 0 ? (
    <span class="status-pill status-counted">{t('copies.same', { version: copy.now.version })}</span>
  ) : (
    <span class="status-pill status-entry-mismatch">
      {t('copies.differs', { version: copy.now.version, count: copy.now.differences.length })}
    </span>
  );
}

type TranslateFn = ReturnType<typeof useI18n>['t'];

/** A zone's offset from UTC on election day (`GMT+6`): the zone's IANA name would mean little to a visitor. */
function offsetOn(day: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'shortOffset' }).formatToParts(new Date(`${day}T12:00:00Z`));
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
}

export function roleText(t: TranslateFn, role: string): string {
  switch (role) {
    case 'commission':
    case 'cec':
    case 'admin':
    case 'observer':
    case 'system':
      return t(`roles.${role}`);
    default:
      return t('roles.unknown');
  }
}

/** Who did something: the role, and the account's name when the viewer may see it. */
function actorText(t: TranslateFn, done: { readonly actor: { readonly role: string; readonly name?: string | undefined } }): string {
  return done.actor.name === undefined ? roleText(t, done.actor.role) : `${roleText(t, done.actor.role)} (${done.actor.name})`;
}
