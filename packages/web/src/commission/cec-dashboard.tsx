import { RESULTS_STATUSES, type ResultsStatus } from '@canvass/core';
import { useState } from 'preact/hooks';
import { z } from 'zod';
import { electionApi, send } from '../api/client.js';
import { useLive, useResource } from '../api/live.js';
import {
  DiscrepanciesSchema,
  FlagsSchema,
  ForensicsSchema,
  ProgressSchema,
  type ContestWithStatus,
  type Problem,
  type ProgressCounts,
} from '../api/schemas.js';
import { useElection } from '../election-context.js';
import { nameIn, useI18n } from '../i18n/i18n.js';
import { commissionPath, resultsPath } from '../paths.js';
import { usePageTitle } from '../public/division-page.js';
import { Breadcrumbs, ErrorView, Loading, ProblemBox, TableScroll } from '../ui/common.js';
import { lineName } from '../ui/protocol.js';
import { useIdempotencyKeys } from './idempotency.js';
import { useSession } from './session.js';

const COLUMNS = [
  'stations',
  'counted',
  'missing',
  'rejectedByRules',
  'awaitingSecondEntry',
  'entryMismatch',
  'awaitingAcceptance',
  'accepted',
  'rejectedByCommission',
] as const satisfies readonly (keyof ProgressCounts)[];

/**
 * `/{lang}/commission/{election}/cec/{division?}`: progress by region, flagged protocols, the observers' copies that
 * differ from the count, statistical indicators, status, exit polls.
 */
export function CecDashboard({ division }: { division?: string | undefined }) {
  const { t, lang } = useI18n();
  const { election, summary } = useElection();
  const { session } = useSession();
  const at = division ?? summary.root;
  usePageTitle(`${t('cec.heading')} · Canvass`);
  return (
    <>
      <Breadcrumbs items={[{ label: t('commission.homeLink'), href: commissionPath(lang, election) }, { label: t('cec.heading') }]} />
      <h1>{t('cec.heading')}</h1>
      <ProgressTable division={at} />
      <FlaggedList division={at} />
      <DiscrepancyRegister division={at} />
      <IntegerPercentages division={at} />
      {session.user.role === 'cec' && (
        <>
          {summary.contests.map((contest) => (
            <StatusForm key={contest.contest.id} contest={contest} />
          ))}
          <ExitPollForm />
        </>
      )}
    </>
  );
}

function ProgressTable({ division }: { division: string }) {
  const { t, lang, f } = useI18n();
  const { election, summary } = useElection();
  const live = useLive();
  const progress = useResource(`${electionApi(election)}/progress/${encodeURIComponent(division)}`, ProgressSchema, live.results);
  const contest = progress.data?.contests[0];
  const caption = t('cec.progressCaption');
  return (
    <section class="panel" aria-labelledby="progress-heading">
      <h2 id="progress-heading">{t('cec.progressHeading')}</h2>
      {division !== summary.root && (
        <p>
          <a href={commissionPath(lang, election, 'cec')}>{t('cec.backToCountry')}</a>
        </p>
      )}
      {progress.error && <ErrorView error={progress.error} />}
      {!progress.data && !progress.error && <Loading />}
      {contest && (
        <TableScroll label={caption}>
          <table class="data-table progress-table">
            <caption>{caption}</caption>
            <thead>
              <tr>
                <th scope="col">{t('cec.division')}</th>
                {COLUMNS.map((c) => (
                  <th scope="col" class="num" key={c}>
                    {t(`cec.columns.${c}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {contest.children.map((child) => (
                <tr key={child.division}>
                  <th scope="row">
                    <a href={commissionPath(lang, election, 'cec', child.division)}>{nameIn(child.names, lang)}</a>
                  </th>
                  {COLUMNS.map((c) => (
                    <td class={`num${child[c] > 0 && c !== 'stations' && c !== 'counted' && c !== 'accepted' ? ' attention' : ''}`} key={c}>
                      {f.int(child[c])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('cec.total')}</th>
                {COLUMNS.map((c) => (
                  <td class="num" key={c}>
                    {f.int(contest.totals[c])}
                  </td>
                ))}
              </tr>
            </tfoot>
          </table>
        </TableScroll>
      )}
    </section>
  );
}

const REASONS = ['entry-mismatch', 'rejected-by-rules', 'rejected-by-commission', 'warnings'] as const;
const isReason = (r: string): r is (typeof REASONS)[number] => REASONS.some((x) => x === r);

function FlaggedList({ division }: { division: string }) {
  const { t, lang, f } = useI18n();
  const { election, summary } = useElection();
  const live = useLive();
  const flags = useResource(`${electionApi(election)}/flags/${encodeURIComponent(division)}`, FlagsSchema, live.results);
  const caption = t('cec.flagsCaption');
  return (
    <section class="panel" aria-labelledby="flags-heading">
      <h2 id="flags-heading">{t('cec.flagsHeading')}</h2>
      {flags.error && <ErrorView error={flags.error} />}
      {!flags.data && !flags.error && <Loading />}
      {flags.data && flags.data.count === 0 && <p>{t('cec.noFlags')}</p>}
      {flags.data && flags.data.count > 0 && (
        <>
          <p>{t('cec.flagCount', { count: f.int(flags.data.count) })}</p>
          <TableScroll label={caption}>
            <table class="data-table">
              <caption>{caption}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('cec.station')}</th>
                  <th scope="col">{t('cec.why')}</th>
                  <th scope="col">{t('cec.findings')}</th>
                  <th scope="col">{t('cec.when')}</th>
                </tr>
              </thead>
              <tbody>
                {flags.data.flagged.map((flag) => (
                  <tr key={`${flag.station}/${flag.contest}`}>
                    <th scope="row">
                      <a href={resultsPath(lang, election, flag.station)}>{flag.station}</a>
                      {flag.version !== null && <span class="muted"> · {t('station.version', { version: flag.version })}</span>}
                    </th>
                    <td>
                      {flag.reasons.map((r) => (isReason(r) ? t(`cec.reasons.${r}`) : r)).join(', ')}
                      {flag.rejectedReason !== null && <> — {flag.rejectedReason}</>}
                    </td>
                    <td>
                      <ul class="plain">
                        {flag.findings.map((finding, i) => (
                          <li key={i}>
                            <strong>{finding.code}</strong> {nameIn(finding.message, lang)}
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td>{flag.time === null ? '—' : f.dateTime(flag.time, summary.timeZone)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      )}
    </section>
  );
}

/** The discrepancy register: observers' copies that differ from the protocol that counts, largest first. */
function DiscrepancyRegister({ division }: { division: string }) {
  const { t, lang, f } = useI18n();
  const { election, summary } = useElection();
  const live = useLive();
  const register = useResource(
    `${electionApi(election)}/discrepancies/${encodeURIComponent(division)}`,
    DiscrepanciesSchema,
    `${live.results}/${live.copies}`,
  );
  const caption = t('copies.registerCaption');
  const data = register.data;
  return (
    <section class="panel" aria-labelledby="register-heading">
      <h2 id="register-heading">{t('copies.registerHeading')}</h2>
      {register.error && <ErrorView error={register.error} />}
      {!data && !register.error && <Loading />}
      {data && (
        <p>
          {t('copies.registerSummary', {
            copies: f.int(data.copies),
            stations: f.int(data.stations),
            matching: f.int(data.matching),
            differing: f.int(data.differing),
            uncompared: f.int(data.uncompared),
          })}
        </p>
      )}
      {data && data.differing === 0 && <p>{t('copies.registerNone')}</p>}
      {data && data.differing > data.discrepancies.length && (
        <p>{t('copies.registerFirst', { shown: f.int(data.discrepancies.length), count: f.int(data.differing) })}</p>
      )}
      {data && data.discrepancies.length > 0 && (
        <TableScroll label={caption}>
          <table class="data-table register-table">
            <caption>{caption}</caption>
            <thead>
              <tr>
                <th scope="col">{t('cec.station')}</th>
                <th scope="col">{t('copies.registerLines')}</th>
                <th scope="col" class="num">
                  {t('copies.registerLargest')}
                </th>
                <th scope="col">{t('copies.registerFiled')}</th>
              </tr>
            </thead>
            <tbody>
              {data.discrepancies.map((d) => {
                const contest = summary.contests.find((c) => c.contest.id === d.contest);
                const options = contest?.contest.options ?? [];
                const number = (value: number | null) => (value === null ? '—' : f.int(value));
                return (
                  <tr key={d.seq}>
                    <th scope="row">
                      <a href={resultsPath(lang, election, d.station)}>{d.station}</a>
                      <span class="muted">
                        {' · '}
                        {summary.contests.length > 1 && contest ? `${nameIn(contest.contest.names, lang)}, ` : ''}
                        {t('station.version', { version: d.counted.version })}
                      </span>
                    </th>
                    <td>
                      <ul class="plain">
                        {d.differences.map((difference) => (
                          <li key={difference.line}>
                            {t('copies.registerLine', {
                              line: lineName(difference.line, summary.protocol.lines, options, lang),
                              copy: number(difference.copy),
                              counted: number(difference.counted),
                            })}
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td class="num">{f.int(d.largest)}</td>
                    <td>{f.dateTime(d.time, summary.timeZone)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}

const MEASURES = ['either', 'leader', 'turnout'] as const;

/** The integer-percentage test over the counted protocols under the division, per contest. */
function IntegerPercentages({ division }: { division: string }) {
  const { t, lang, f } = useI18n();
  const { election, summary } = useElection();
  const live = useLive();
  const forensics = useResource(`${electionApi(election)}/forensics/${encodeURIComponent(division)}`, ForensicsSchema, live.results);
  const caption = t('forensics.caption');
  const tenths = (x: number) => f.decimal(x.toFixed(1));
  return (
    <section class="panel" aria-labelledby="forensics-heading">
      <h2 id="forensics-heading">{t('forensics.heading')}</h2>
      <p>{t('forensics.explain')}</p>
      {forensics.error && <ErrorView error={forensics.error} />}
      {!forensics.data && !forensics.error && <Loading />}
      {forensics.data?.contests.map((c) => {
        const contest = summary.contests.find((x) => x.contest.id === c.contest);
        const leader = contest?.contest.options.find((o) => o.id === c.leader);
        const test = c.integerPercentages;
        // With several contests, each table under its contest's name.
        const title = summary.contests.length > 1 && contest ? <h3>{nameIn(contest.contest.names, lang)}</h3> : null;
        if (!test)
          return (
            <div key={c.contest}>
              {title}
              <p>{t('forensics.none')}</p>
            </div>
          );
        return (
          <div key={c.contest}>
            {title}
            <p>
              {t('forensics.considered', {
                leader: leader ? nameIn(leader.names, lang) : (c.leader ?? '—'),
                considered: f.int(test.considered),
                excluded: f.int(test.excluded),
              })}
            </p>
            <TableScroll label={caption}>
              <table class="data-table forensics-table">
                <caption>{caption}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('forensics.measure')}</th>
                    <th scope="col" class="num">
                      {t('forensics.observed')}
                    </th>
                    <th scope="col" class="num">
                      {t('forensics.expected')}
                    </th>
                    <th scope="col" class="num">
                      {t('forensics.excess')}
                    </th>
                    <th scope="col" class="num">
                      {t('forensics.z')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {MEASURES.map((m) => {
                    const z = test.z[m];
                    return (
                      <tr key={m}>
                        <th scope="row">{t(`forensics.${m}`)}</th>
                        <td class="num">{f.int(test.observed[m])}</td>
                        <td class="num">{tenths(test.expected[m])}</td>
                        <td class="num">{tenths(test.excess[m])}</td>
                        <td class="num">{z === null ? '—' : f.decimal(z.toFixed(2))}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </TableScroll>
          </div>
        );
      })}
    </section>
  );
}

const StatusResponseSchema = z.object({ changes: z.array(z.object({ contest: z.string(), status: z.string() })) });

function StatusForm({ contest }: { contest: ContestWithStatus }) {
  const { t, lang } = useI18n();
  const { election } = useElection();
  const { session } = useSession();
  const others = RESULTS_STATUSES.filter((s) => s !== contest.status);
  const [to, setTo] = useState<ResultsStatus>(others[0] ?? 'unofficial-complete');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<Problem | undefined>(undefined);
  const [done, setDone] = useState(false);
  const id = `status-${contest.contest.id}`.replace(/[^A-Za-z0-9_-]/g, '_');
  const submit = async (event: Event) => {
    event.preventDefault();
    setProblem(undefined);
    setDone(false);
    const body = { contest: contest.contest.id, status: to, ...(reason.trim() !== '' ? { reason: reason.trim() } : {}) };
    const result = await send('POST', `${electionApi(election)}/status`, body, session.csrfToken, StatusResponseSchema);
    if (!result.ok) setProblem(result.problem);
    else setDone(true);
  };
  return (
    <section class="panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('cec.statusHeading', { contest: nameIn(contest.contest.names, lang) })}</h2>
      <p>
        {t('cec.statusNow')} <strong>{t(`status.${contest.status}`)}</strong>
      </p>
      <form class="form narrow" onSubmit={(e) => void submit(e)}>
        <div class="field">
          <label for={`${id}-to`}>{t('cec.statusTo')}</label>
          <select
            id={`${id}-to`}
            value={to}
            onChange={(e) => {
              const value = RESULTS_STATUSES.find((s) => s === e.currentTarget.value);
              if (value) setTo(value);
            }}
          >
            {others.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`${id}-reason`}>{t('cec.statusReason')}</label>
          <textarea
            id={`${id}-reason`}
            rows={2}
            value={reason}
            onInput={(e) => {
              setReason(e.currentTarget.value);
            }}
          />
        </div>
        {problem && <ProblemBox problem={problem} />}
        {done && (
          <p role="status" class="ok-text">
            {t('cec.statusDone')}
          </p>
        )}
        <button type="submit">{t('cec.statusSubmit')}</button>
      </form>
    </section>
  );
}

const ExitPollResponseSchema = z.object({ id: z.string(), organisation: z.string() });

function ExitPollForm() {
  const { t, lang } = useI18n();
  const { election, summary } = useElection();
  const { session } = useSession();
  const [contestId, setContestId] = useState(summary.contests[0]?.contest.id ?? '');
  const contest = summary.contests.find((c) => c.contest.id === contestId);
  const [organisation, setOrganisation] = useState('');
  const [publishedAt, setPublishedAt] = useState('');
  const [sampleSize, setSampleSize] = useState('');
  const [method, setMethod] = useState('');
  const [estimates, setEstimates] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<Problem | undefined>(undefined);
  const [done, setDone] = useState(false);
  const keys = useIdempotencyKeys();
  const submit = async (event: Event) => {
    event.preventDefault();
    setProblem(undefined);
    setDone(false);
    const time = publishedAt === '' ? '' : new Date(publishedAt).toISOString();
    const body = {
      contest: contestId,
      organisation: organisation.trim(),
      publishedAt: time,
      sampleSize: Number(sampleSize),
      method: method.trim(),
      estimates: Object.fromEntries(
        Object.entries(estimates)
          .map(([k, v]) => [k, v.trim().replace(',', '.')] as const)
          .filter(([, v]) => v !== ''),
      ),
    };
    const result = await send('POST', `${electionApi(election)}/exit-polls`, body, session.csrfToken, ExitPollResponseSchema, {
      idempotencyKey: keys.keyFor(body),
    });
    keys.settled(result.ok ? undefined : result.problem);
    if (!result.ok) setProblem(result.problem);
    else setDone(true);
  };
  const text = (id: string, label: string, value: string, set: (v: string) => void, type = 'text') => (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        type={type}
        value={value}
        onInput={(e) => {
          set(e.currentTarget.value);
        }}
      />
    </div>
  );
  return (
    <section class="panel" aria-labelledby="exit-poll-form-heading">
      <h2 id="exit-poll-form-heading">{t('cec.exitPollHeading')}</h2>
      <form class="form narrow" onSubmit={(e) => void submit(e)}>
        {summary.contests.length > 1 && (
          <div class="field">
            <label for="exit-poll-contest">{t('results.contests')}</label>
            <select
              id="exit-poll-contest"
              value={contestId}
              onChange={(e) => {
                setContestId(e.currentTarget.value);
              }}
            >
              {summary.contests.map((c) => (
                <option key={c.contest.id} value={c.contest.id}>
                  {nameIn(c.contest.names, lang)}
                </option>
              ))}
            </select>
          </div>
        )}
        {text('exit-poll-organisation', t('cec.organisation'), organisation, setOrganisation)}
        {text('exit-poll-published', t('cec.publishedAt'), publishedAt, setPublishedAt, 'datetime-local')}
        {text('exit-poll-sample', t('cec.sampleSize'), sampleSize, setSampleSize)}
        {text('exit-poll-method', t('cec.method'), method, setMethod)}
        <fieldset>
          <legend>{t('cec.estimates')}</legend>
          {contest?.contest.options.map((option) =>
            text(`exit-poll-${option.id}`, nameIn(option.names, lang), estimates[option.id] ?? '', (v) => {
              setEstimates((e) => ({ ...e, [option.id]: v }));
            }),
          )}
        </fieldset>
        {problem && <ProblemBox problem={problem} />}
        {done && (
          <p role="status" class="ok-text">
            {t('cec.exitPollDone')}
          </p>
        )}
        <button type="submit">{t('cec.exitPollSubmit')}</button>
      </form>
    </section>
  );
}
