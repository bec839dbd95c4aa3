import type { ContestOption, Finding } from '@canvass/core';
import { useLocation } from 'preact-iso';
import { useMemo, useState } from 'preact/hooks';
import { electionApi, send } from '../api/client.js';
import { useLive, useResource } from '../api/live.js';
import {
  ProtocolResponseSchema,
  StationSchema,
  type ContestWithStatus,
  type Problem,
  type ProtocolResponse,
  type StationContest,
} from '../api/schemas.js';
import { pickContest, useElection } from '../election-context.js';
import { nameIn, useI18n } from '../i18n/i18n.js';
import { commissionPath, resultsPath } from '../paths.js';
import { usePageTitle } from '../public/division-page.js';
import { RecordStatus } from '../public/station-page.js';
import { Breadcrumbs, ErrorView, Loading, ProblemBox } from '../ui/common.js';
import { DifferencesTable, FindingList } from '../ui/protocol.js';
import { checkEntry, checkingIndex, voteKey, type FieldState } from './entry-check.js';
import { useIdempotencyKeys } from './idempotency.js';
import { useSession } from './session.js';
import { StationPicker } from './station-picker.js';

/** `/{lang}/commission/{election}/protocol/{station?}`: choose a station, then enter (or correct) its protocol. */
export function ProtocolEntry({ station }: { station?: string | undefined }) {
  const { t, lang } = useI18n();
  const { election, summary } = useElection();
  const { query } = useLocation();
  const live = useLive();
  const [response, setResponse] = useState<ProtocolResponse | undefined>(undefined);
  const [refresh, setRefresh] = useState(0);
  const contest = pickContest(summary, query['contest']);
  const record = useResource(
    station === undefined ? null : `${electionApi(election)}/stations/${encodeURIComponent(station)}`,
    StationSchema,
    `${live.results}:${refresh}`,
  );
  usePageTitle(`${t('entry.heading')} · Canvass`);
  const crumbs = [
    { label: t('commission.homeLink'), href: commissionPath(lang, election) },
    { label: t('entry.heading'), href: commissionPath(lang, election, 'protocol') },
    ...(station !== undefined ? [{ label: record.data ? nameIn(record.data.station.names, lang) : station }] : []),
  ];
  if (station === undefined || !contest)
    return (
      <>
        <Breadcrumbs items={crumbs.slice(0, 2)} />
        <h1>{t('entry.heading')}</h1>
        <StationPicker purpose="protocol" />
      </>
    );
  const data = record.data;
  const state = data?.contests.find((c) => c.contest === contest.contest.id);
  return (
    <>
      <Breadcrumbs items={crumbs} />
      <h1>{data ? t('entry.headingFor', { station: nameIn(data.station.names, lang) }) : t('entry.heading')}</h1>
      {record.error && !data && <ErrorView error={record.error} />}
      {!data && !record.error && <Loading />}
      {data && (
        <p>
          <a href={resultsPath(lang, election, station)}>{t('entry.publicPage')}</a>
        </p>
      )}
      {response && <SubmitResult response={response} contest={contest} />}
      {data && !state && <p>{t('entry.notInContest')}</p>}
      {data && state && (
        <>
          <CurrentState record={state} contest={contest} />
          <EntryForm
            key={`${station}/${contest.contest.id}/${state.latest?.version ?? 0}`}
            station={station}
            registered={data.station.registered}
            contest={contest}
            record={state}
            onDone={(r) => {
              setResponse(r);
              setRefresh((n) => n + 1);
            }}
          />
        </>
      )}
    </>
  );
}

/** Where this station's protocol stands: the latest version, entries waiting for a second clerk, mismatches. */
function CurrentState({ record, contest }: { record: StationContest; contest: ContestWithStatus }) {
  const { t, f } = useI18n();
  const { summary } = useElection();
  const { session } = useSession();
  const last = record.entries[record.entries.length - 1];
  const pending = last && (last.status === 'awaiting-second-entry' || last.status === 'entry-mismatch') ? last : undefined;
  return (
    <section class="panel" aria-labelledby="state-heading">
      <h2 id="state-heading">{t('entry.stateHeading')}</h2>
      <p>
        <RecordStatus record={record} />
      </p>
      {pending?.status === 'awaiting-second-entry' && (
        <p class="note">
          {pending.actor.name === session.user.name
            ? t('entry.awaitingYou', { time: f.dateTime(pending.time, summary.timeZone) })
            : t('entry.awaitingOther', { time: f.dateTime(pending.time, summary.timeZone) })}
        </p>
      )}
      {pending?.status === 'entry-mismatch' && pending.differences && (
        <div class="mismatch" role="alert">
          <h3>{t('mismatch.heading')}</h3>
          <p>{t('mismatch.explainClerk')}</p>
          <DifferencesTable
            differences={pending.differences}
            template={summary.protocol.lines}
            options={contest.contest.options}
            caption={t('mismatch.caption')}
            you={session.user.id}
          />
        </div>
      )}
    </section>
  );
}

/** The server's answer to a submitted protocol: the status it got, its findings, and any double-entry differences. */
function SubmitResult({ response, contest }: { response: ProtocolResponse; contest: ContestWithStatus }) {
  const { t } = useI18n();
  const { summary } = useElection();
  const { session } = useSession();
  return (
    <section class={`panel result result-${response.status}`} aria-labelledby="result-heading" role="status">
      <h2 id="result-heading">{t('entry.resultHeading', { version: response.version })}</h2>
      <p>
        <span class={`status-pill status-${response.status}`}>{t(`protocolStatus.${response.status}`)}</span>{' '}
        {t(`entry.resultExplain.${response.status}`)}
      </p>
      {response.findings.length > 0 && (
        <>
          <h3>{t('entry.serverFindings')}</h3>
          <FindingList findings={response.findings} />
        </>
      )}
      {response.differences && response.differences.length > 0 && (
        <DifferencesTable
          differences={response.differences}
          template={summary.protocol.lines}
          options={contest.contest.options}
          caption={t('mismatch.caption')}
          you={session.user.id}
        />
      )}
      <p class="hash-line">
        {t('station.hash')} <code class="hash">{response.hash}</code>
      </p>
    </section>
  );
}

const fieldId = (key: string) => `entry-${key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
const findingId = (finding: Finding, i: number) => `finding-${i}-${finding.code.replace(/[^A-Za-z0-9_-]/g, '_')}`;

/**
 * The protocol form. A correction starts from the latest version and needs a reason. Every control relation of the
 * election's rule pack is checked as the clerk types (the core's validateProtocol); each finding is shown beside the
 * lines it involves, before anything is sent.
 */
function EntryForm({
  station,
  registered,
  contest,
  record,
  onDone,
}: {
  station: string;
  registered: number | undefined;
  contest: ContestWithStatus;
  record: StationContest;
  onDone: (response: ProtocolResponse) => void;
}) {
  const { t, lang, f } = useI18n();
  const { election, summary } = useElection();
  const { session } = useSession();
  const options = contest.contest.options;
  const latest = record.latest;
  const correction = latest !== null;
  const [values, setValues] = useState<Record<string, string>>(() => {
    // A correction starts from the latest confirmed version; a first entry starts empty (never from another clerk's
    // unconfirmed entry: double entry means two independent readings of the paper).
    if (!latest) return {};
    const start: Record<string, string> = {};
    for (const line of summary.protocol.lines) start[line.id] = String(latest.lines[line.id] ?? '');
    for (const option of options) start[voteKey(option)] = String(latest.votes[option.id] ?? '');
    return start;
  });
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>(undefined);
  const keys = useIdempotencyKeys();
  const index = useMemo(() => checkingIndex(summary, station, registered), [summary, station, registered]);
  const check = checkEntry(index, summary, contest.contest.id, options, station, values, reason);
  const errors = check.findings.filter((x) => x.severity === 'error');
  const involved = (key: string) => check.findings.flatMap((finding, i) => (key in finding.values ? [{ finding, i }] : []));
  const firstLine = (finding: Finding) => {
    const keys = [...summary.protocol.lines.map((l) => l.id as string), ...options.map(voteKey)];
    return keys.find((k) => k in finding.values);
  };
  const reasonMissing = correction && reason.trim().length < 3;
  // The server names fields as `lines.<line>` or `votes.<option>`; the form's keys are `<line>` and `votes.<option>`.
  const serverFields = new Set((problem?.errors ?? []).map((e) => (e.field.startsWith('lines.') ? e.field.slice(6) : e.field)));

  const submit = async (event: Event) => {
    event.preventDefault();
    setTried(true);
    setProblem(undefined);
    if (!check.complete || reasonMissing) {
      const first = [...check.fields.entries()].find(([, s]) => s.kind !== 'ok')?.[0];
      document.getElementById(first !== undefined ? fieldId(first) : 'entry-reason')?.focus();
      return;
    }
    setBusy(true);
    const result = await send('POST', `${electionApi(election)}/protocols`, check.protocol, session.csrfToken, ProtocolResponseSchema, {
      idempotencyKey: keys.keyFor(check.protocol),
    });
    setBusy(false);
    keys.settled(result.ok ? undefined : result.problem);
    if (!result.ok) {
      setProblem(result.problem);
      return;
    }
    onDone(result.value);
    if (!correction) setValues({});
  };

  const row = (key: string, label: string) => {
    const state: FieldState = check.fields.get(key) ?? { kind: 'empty' };
    const here = involved(key);
    const hasError = here.some((x) => x.finding.severity === 'error') || (tried && state.kind !== 'ok') || serverFields.has(key);
    const hasWarning = here.some((x) => x.finding.severity === 'warning');
    const describedBy = [
      ...here.map((x) => findingId(x.finding, x.i)),
      ...(state.kind === 'invalid' || (tried && state.kind === 'empty') ? [`${fieldId(key)}-msg`] : []),
    ];
    return (
      <div key={key} class={`entry-row${hasError ? ' has-error' : hasWarning ? ' has-warning' : ''}`} data-line={key}>
        <label for={fieldId(key)}>{label}</label>
        <input
          id={fieldId(key)}
          inputMode="numeric"
          autocomplete="off"
          spellcheck={false}
          value={values[key] ?? ''}
          aria-invalid={hasError ? 'true' : undefined}
          aria-describedby={describedBy.length > 0 ? describedBy.join(' ') : undefined}
          onInput={(e) => {
            const value = e.currentTarget.value;
            setValues((v) => ({ ...v, [key]: value }));
          }}
        />
        <div class="entry-checks">
          {state.kind === 'invalid' && (
            <p id={`${fieldId(key)}-msg`} class="field-error">
              {t('entry.notACount')}
            </p>
          )}
          {tried && state.kind === 'empty' && (
            <p id={`${fieldId(key)}-msg`} class="field-error">
              {t('entry.required')}
            </p>
          )}
          {here.map(({ finding, i }) =>
            firstLine(finding) === key ? (
              <p key={i} class={`finding finding-${finding.severity}`}>
                <span class="finding-badge">
                  {finding.severity === 'error' ? t('findings.error') : t('findings.warning')} {finding.code}
                </span>{' '}
                <span id={findingId(finding, i)}>{nameIn(finding.message, lang)}</span>
              </p>
            ) : (
              <p key={i} class={`finding finding-${finding.severity} finding-ref`}>
                <span class="finding-badge">
                  {finding.severity === 'error' ? t('findings.error') : t('findings.warning')} {finding.code}
                </span>{' '}
                {t('entry.seeAbove')}
              </p>
            ),
          )}
        </div>
      </div>
    );
  };

  const missing = [...check.fields.values()].filter((s) => s.kind !== 'ok').length;
  return (
    <form class="form entry-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="entry-form-heading">
      <h2 id="entry-form-heading">{latest ? t('entry.correctionHeading', { version: latest.version + 1 }) : t('entry.firstHeading')}</h2>
      {latest && <p class="note">{t('entry.correctionExplain', { version: latest.version })}</p>}
      {summary.doubleEntry && <p class="note">{t('entry.doubleEntry')}</p>}
      <fieldset>
        <legend>{t('entry.linesLegend')}</legend>
        {summary.protocol.lines.map((line) => row(line.id, nameIn(line.names, lang)))}
      </fieldset>
      <fieldset>
        <legend>{t('entry.votesLegend')}</legend>
        {options.map((option: ContestOption) => row(voteKey(option), nameIn(option.names, lang)))}
      </fieldset>
      {correction && (
        <div class={`field${(tried && reasonMissing) || serverFields.has('reason') ? ' has-error' : ''}`}>
          <label for="entry-reason">{t('entry.reason')}</label>
          <textarea
            id="entry-reason"
            rows={3}
            value={reason}
            required
            aria-invalid={tried && reasonMissing ? 'true' : undefined}
            aria-describedby="entry-reason-help"
            onInput={(e) => {
              setReason(e.currentTarget.value);
            }}
          />
          <p id="entry-reason-help" class={tried && reasonMissing ? 'field-error' : 'muted'}>
            {t('entry.reasonHelp')}
          </p>
        </div>
      )}
      <div class="entry-summary" aria-live="polite">
        {missing > 0 ? (
          <p>{t('entry.missing', { missing: f.int(missing) })}</p>
        ) : errors.length > 0 ? (
          <p class="finding finding-error">{t('entry.willBeRejected', { errors: f.int(errors.length) })}</p>
        ) : (
          <p class="ok-text">{t('entry.allGood')}</p>
        )}
      </div>
      {problem && <ProblemBox problem={problem} />}
      <button type="submit" disabled={busy}>
        {busy ? t('entry.sending') : correction ? t('entry.submitCorrection') : t('entry.submit')}
      </button>
    </form>
  );
}
