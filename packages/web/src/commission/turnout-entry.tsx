import { percent } from '@canvass/core';
import { useState } from 'preact/hooks';
import { z } from 'zod';
import { electionApi, send } from '../api/client.js';
import { useLive, useResource } from '../api/live.js';
import { StationSchema, type Problem, type Station } from '../api/schemas.js';
import { useElection } from '../election-context.js';
import { nameIn, useI18n } from '../i18n/i18n.js';
import { commissionPath } from '../paths.js';
import { usePageTitle } from '../public/division-page.js';
import { Breadcrumbs, ErrorView, Loading, ProblemBox, TableScroll } from '../ui/common.js';
import { readCount } from './entry-check.js';
import { useIdempotencyKeys } from './idempotency.js';
import { useSession } from './session.js';
import { StationPicker } from './station-picker.js';

const TurnoutResponseSchema = z.object({ station: z.string(), at: z.string(), participated: z.number(), seq: z.number() });

/** `/{lang}/commission/{election}/turnout/{station?}`: a station's cumulative turnout at a scheduled time. */
export function TurnoutEntry({ station }: { station?: string | undefined }) {
  const { t, lang } = useI18n();
  const { election } = useElection();
  const live = useLive();
  const [refresh, setRefresh] = useState(0);
  const record = useResource(
    station === undefined ? null : `${electionApi(election)}/stations/${encodeURIComponent(station)}`,
    StationSchema,
    `${live.turnout}:${refresh}`,
  );
  usePageTitle(`${t('turnoutEntry.heading')} · Canvass`);
  const crumbs = [
    { label: t('commission.homeLink'), href: commissionPath(lang, election) },
    { label: t('turnoutEntry.heading'), href: commissionPath(lang, election, 'turnout') },
    ...(station !== undefined ? [{ label: record.data ? nameIn(record.data.station.names, lang) : station }] : []),
  ];
  return (
    <>
      <Breadcrumbs items={crumbs} />
      <h1>
        {record.data ? t('turnoutEntry.headingFor', { station: nameIn(record.data.station.names, lang) }) : t('turnoutEntry.heading')}
      </h1>
      {station === undefined && <StationPicker purpose="turnout" />}
      {record.error && !record.data && <ErrorView error={record.error} />}
      {station !== undefined && !record.data && !record.error && <Loading />}
      {record.data && (
        <TurnoutForm
          key={record.data.station.id}
          station={record.data}
          onDone={() => {
            setRefresh((n) => n + 1);
          }}
        />
      )}
    </>
  );
}

function TurnoutForm({ station, onDone }: { station: Station; onDone: () => void }) {
  const { t, f, lang } = useI18n();
  const { election, summary } = useElection();
  const { session } = useSession();
  const firstOpen = station.turnout.find((p) => p.participated === null)?.at ?? summary.turnoutSchedule[0] ?? '';
  const [at, setAt] = useState(firstOpen);
  const [participated, setParticipated] = useState('');
  const [registered, setRegistered] = useState('');
  const [problem, setProblem] = useState<Problem | undefined>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const keys = useIdempotencyKeys();
  const count = readCount(participated);
  const list = readCount(registered);
  const submit = async (event: Event) => {
    event.preventDefault();
    setProblem(undefined);
    setDone(undefined);
    if (count.kind !== 'ok' || list.kind === 'invalid') {
      document.getElementById('turnout-participated')?.focus();
      setProblem({ rule: 'schema', detail: '' });
      return;
    }
    setBusy(true);
    const body = {
      election,
      station: station.station.id,
      at,
      participated: count.value,
      ...(list.kind === 'ok' ? { registered: list.value } : {}),
    };
    const result = await send('POST', `${electionApi(election)}/turnout`, body, session.csrfToken, TurnoutResponseSchema, {
      idempotencyKey: keys.keyFor(body),
    });
    setBusy(false);
    keys.settled(result.ok ? undefined : result.problem);
    if (!result.ok) {
      setProblem(result.problem);
      return;
    }
    setDone(t('turnoutEntry.recorded', { participated: f.int(result.value.participated), at: result.value.at }));
    setParticipated('');
    onDone();
  };
  const caption = t('station.turnoutCaption', { place: nameIn(station.station.names, lang) });
  return (
    <>
      <form class="form narrow" onSubmit={(e) => void submit(e)} noValidate>
        <div class="field">
          <label for="turnout-at">{t('turnoutEntry.at')}</label>
          <select
            id="turnout-at"
            value={at}
            onChange={(e) => {
              setAt(e.currentTarget.value);
            }}
          >
            {summary.turnoutSchedule.map((time) => (
              <option key={time} value={time}>
                {time}
              </option>
            ))}
          </select>
        </div>
        <div class={`field${problem?.field === 'participated' ? ' has-error' : ''}`}>
          <label for="turnout-participated">{t('turnoutEntry.participated')}</label>
          <input
            id="turnout-participated"
            inputMode="numeric"
            autocomplete="off"
            value={participated}
            aria-invalid={count.kind === 'invalid' ? 'true' : undefined}
            onInput={(e) => {
              setParticipated(e.currentTarget.value);
            }}
          />
        </div>
        <div class="field">
          <label for="turnout-registered">{t('turnoutEntry.registered')}</label>
          <input
            id="turnout-registered"
            inputMode="numeric"
            autocomplete="off"
            value={registered}
            aria-describedby="turnout-registered-help"
            onInput={(e) => {
              setRegistered(e.currentTarget.value);
            }}
          />
          <p id="turnout-registered-help" class="muted">
            {t('turnoutEntry.registeredHelp', {
              registered: station.station.registered === undefined ? '—' : f.int(station.station.registered),
            })}
          </p>
        </div>
        {problem && <ProblemBox problem={problem} />}
        {done !== undefined && (
          <p role="status" class="ok-text">
            {done}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t('turnoutEntry.submit')}
        </button>
      </form>
      <section class="panel" aria-labelledby="turnout-reports-heading">
        <h2 id="turnout-reports-heading">{t('turnoutEntry.reported')}</h2>
        <TableScroll label={caption}>
          <table class="data-table">
            <caption>{caption}</caption>
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
              {station.turnout.map((p) => (
                <tr key={p.at}>
                  <th scope="row">{p.at}</th>
                  <td class="num">{p.participated === null ? t('station.noReport') : f.int(p.participated)}</td>
                  <td class="num">
                    {p.participated === null || p.registered === null ? '—' : f.percent(percent(p.participated, p.registered))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </section>
    </>
  );
}
