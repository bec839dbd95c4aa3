/**
 * Decisions: a command and the current (staged) state in, events and a response out — or a tagged error. Every
 * rule of who may do what, and of what may change when, lives here, so the HTTP API and the CLI enforce the same.
 */
import {
  beyondPercent,
  hasErrors,
  indexElection,
  parsePercent,
  percent as exactPercent,
  validateProtocol,
  type Election,
  type ElectionIndex,
  type ElectionIssue,
  type Finding,
  type Protocol,
  type ResultsStatus,
  type TurnoutReport,
} from '@canvass/core';
import type { Checked } from '../schema/checked.js';
import { canonicalWith } from '../ledger/canonical.js';
import type { CopyDifference, ExitPoll, LedgerEvent, LineDifference, NewEvent, ProtocolStatus, UserRecord } from '../ledger/events.js';
export type { CopyResponse, ExitPollResponse, ProtocolResponse, TurnoutResponse };
import { inPreliminary, keyedBy, nextVersion, recordKey, type StationRecord } from './election-state.js';
import {
  copyResponse,
  exitPollResponse,
  protocolResponse,
  turnoutResponse,
  type CopyResponse,
  type ExitPollResponse,
  type ProtocolResponse,
  type TurnoutResponse,
} from './responses.js';
import type { StagedView } from './projection.js';

/** Expected failures, mapped to HTTP statuses in one place (http/problem.ts). */
export type DomainError =
  | {
      readonly kind: 'invalid';
      readonly field: string;
      readonly rule: string;
      readonly message: string;
      readonly findings?: readonly Finding[];
      readonly issues?: readonly ElectionIssue[];
    }
  | { readonly kind: 'not-found'; readonly field: string; readonly rule: string; readonly message: string }
  | { readonly kind: 'forbidden'; readonly rule: string; readonly message: string }
  | { readonly kind: 'conflict'; readonly rule: string; readonly message: string }
  /** Not ready yet (an answer still being computed): ask again after `retryAfterSeconds`. */
  | { readonly kind: 'unavailable'; readonly rule: string; readonly message: string; readonly retryAfterSeconds: number };

export type Decision<T> =
  | { readonly ok: true; readonly events: readonly NewEvent[]; readonly respond: (committed: readonly LedgerEvent[]) => T }
  | { readonly ok: false; readonly error: DomainError };

/**
 * The account acting; `system` is the CLI run by the operator on the server itself. `token` is the id of the API
 * token a request was authenticated with. The writer refuses the command if the account is disabled or that token
 * revoked by the time it is decided (the request may have been authenticated just before this server heard of it).
 */
export type Actor = (UserRecord & { readonly token?: string | undefined }) | { readonly id: 'system'; readonly role: 'system' };

const fail = (error: DomainError): { ok: false; error: DomainError } => ({ ok: false, error });
const invalid = (
  field: string,
  rule: string,
  message: string,
  extra: { findings?: readonly Finding[]; issues?: readonly ElectionIssue[] } = {},
) => fail({ kind: 'invalid', field, rule, message, ...extra });
const notFound = (field: string, rule: string, message: string) => fail({ kind: 'not-found', field, rule, message });
const forbidden = (rule: string, message: string) => fail({ kind: 'forbidden', rule, message });
const conflict = (rule: string, message: string) => fail({ kind: 'conflict', rule, message });

/** Whether `division` lies in the subtree of `scope` (or strictly below it). */
export function inSubtree(index: ElectionIndex, scope: string, division: string, strictly = false): boolean {
  const top = index.divisionIndex(scope);
  let at = index.divisionIndex(division);
  if (top === undefined || at === undefined) return false;
  if (strictly) at = index.parent[at] ?? -1;
  for (; at >= 0; at = index.parent[at] ?? -1) if (at === top) return true;
  return false;
}

const isUser = (actor: Actor): actor is UserRecord => actor.id !== 'system';

/** A commission acting on a station of its own subtree, in its own election. */
function commissionScope(actor: Actor, index: ElectionIndex, station: string, what: string): DomainError | undefined {
  if (!isUser(actor) || actor.role !== 'commission')
    return { kind: 'forbidden', rule: 'role-commission', message: `only a commission account may ${what}` };
  if (actor.election !== index.election.id || actor.division === null || !inSubtree(index, actor.division, station)) {
    return {
      kind: 'forbidden',
      rule: 'division-scope',
      message: `account "${actor.name}" acts for division "${actor.division ?? ''}" of election "${actor.election ?? ''}"; station "${station}" is outside it`,
    };
  }
  return undefined;
}

function frozen(view: StagedView, election: string, contest: string): DomainError | undefined {
  const status = view.status(election, contest);
  if (status === 'certified') {
    return {
      kind: 'conflict',
      rule: 'results-certified',
      message: `the results of contest "${contest}" are certified; the CEC must set the status to "correction" before anything changes`,
    };
  }
  return undefined;
}

const STRUCTURAL = new Set([
  'election-mismatch',
  'contest-unknown',
  'station-unknown',
  'not-a-station',
  'station-outside-contest',
  'line-missing',
  'line-unknown',
  'votes-missing',
  'option-unknown',
]);

// ---------------------------------------------------------------------------------------------------------------

/** The problem with a protocol that does not fit the election (unknown station, contest, line or option), if any. */
function structuralProblem(findings: readonly Finding[]): DomainError | undefined {
  const structural = findings.filter((f) => STRUCTURAL.has(f.code));
  const first = structural[0];
  if (!first) return undefined;
  const field = first.code.startsWith('line')
    ? 'lines'
    : first.code.startsWith('votes') || first.code.startsWith('option')
      ? 'votes'
      : first.code.startsWith('contest')
        ? 'contest'
        : 'station';
  return {
    kind: 'invalid',
    field,
    rule: first.code,
    message: first.message['en'] ?? 'the protocol does not fit the election',
    findings: structural,
  };
}

/**
 * Runs `decide` unless the actor already sent a request with this Idempotency-Key: then the same body gets the
 * first attempt's response (no new event), a different body is refused, and a key still in this batch waits.
 */
export function idempotent<T>(
  view: StagedView,
  actor: Actor,
  idem: string | null,
  requestHash: string,
  decide: () => Decision<T>,
): Decision<T> {
  if (idem === null) return decide();
  const previous = view.idempotent(actor.id, idem);
  if (!previous) return decide();
  if (previous.request !== requestHash) {
    return invalid(
      'Idempotency-Key',
      'idempotency-key-reused',
      `Idempotency-Key "${idem}" was already used with a different request body; use a new key for a new request`,
    );
  }
  if (previous.response === undefined)
    return conflict('idempotency-in-flight', `a request with Idempotency-Key "${idem}" is still being processed; retry in a moment`);
  return { ok: true, events: [], respond: () => previous.response as T };
}

/** Lines (and votes) on which two entries of the same protocol differ. */
export function differences(entries: readonly { readonly actor: string; readonly protocol: Protocol }[]): LineDifference[] {
  const keys = new Set<string>();
  for (const { protocol } of entries) {
    for (const line of Object.keys(protocol.lines)) keys.add(line);
    for (const option of Object.keys(protocol.votes)) keys.add(`votes.${option}`);
  }
  const value = (protocol: Protocol, key: string): number =>
    key.startsWith('votes.')
      ? ((protocol.votes as Record<string, number>)[key.slice(6)] ?? -1)
      : ((protocol.lines as Record<string, number>)[key] ?? -1);
  const out: LineDifference[] = [];
  for (const key of keys) {
    const values = entries.map((e) => ({ actor: e.actor, value: value(e.protocol, key) }));
    if (values.some((v) => v.value !== values[0]?.value)) out.push({ line: key, values });
  }
  return out;
}

/**
 * Enters one protocol. `protocolText` is its RFC 8785 canonical JSON: its SHA-256 is the protocol hash (and the
 * request hash for idempotency), and it is spliced into the event payload instead of being serialized again.
 */
export function decideProtocol(
  view: StagedView,
  actor: Actor,
  protocol: Protocol,
  idem: string | null,
  protocolText: string,
  /** SHA-256 of `protocolText` (the caller's, which also keys idempotent retries with it). */
  hash: string,
): Decision<ProtocolResponse> {
  const state = view.election(protocol.election);
  if (!state) return notFound('election', 'election-exists', `election "${protocol.election}" is not defined on this server`);
  const index = state.index;
  const findings = validateProtocol(index, protocol);
  const misfit = structuralProblem(findings);
  if (misfit) return fail(misfit);
  const scope = commissionScope(actor, index, protocol.station, `enter protocols`);
  if (scope) return fail(scope);
  const ice = frozen(view, protocol.election, protocol.contest);
  if (ice) return fail(ice);
  const record: StationRecord | undefined = view.record(protocol.election, protocol.contest, protocol.station);
  const version = nextVersion(record);
  if (version > 1 && protocol.reason === undefined) {
    return invalid(
      'reason',
      'correction-reason',
      `station "${protocol.station}" already has version ${version - 1} of this protocol; a correction needs a "reason" saying what changed and why`,
    );
  }
  const errorsFound = hasErrors(findings);
  let status: ProtocolStatus = errorsFound ? 'rejected-by-rules' : 'counted';
  let diff: LineDifference[] | undefined;
  if (index.election.doubleEntry) {
    const others = (record?.pending ?? []).filter((e) => e.actor !== actor.id);
    const same = (p: Protocol) =>
      differences([
        { actor: '', protocol: p },
        { actor: actor.id, protocol },
      ]).length === 0;
    if (others.some((e) => same(e.protocol))) {
      status = errorsFound ? 'rejected-by-rules' : 'counted';
    } else if (others.length === 0) {
      status = 'awaiting-second-entry';
    } else {
      status = 'entry-mismatch';
      diff = differences([...others.map((e) => ({ actor: e.actor, protocol: e.protocol })), { actor: actor.id, protocol }]);
    }
  }
  const payload = {
    protocol,
    version,
    status,
    findings,
    hash,
    ...(diff ? { differences: diff } : {}),
    ...(idem !== null ? { request: hash } : {}),
  };
  const event: NewEvent<'protocol-entered'> = {
    kind: 'protocol-entered',
    actor: actor.id,
    election: protocol.election,
    subject: recordKey(protocol.contest, protocol.station),
    idem,
    payload,
    payloadText: canonicalWith(payload, 'protocol', protocolText),
  };
  return { ok: true, events: [event], respond: (committed) => protocolResponse(committed[0] as LedgerEvent<'protocol-entered'>) };
}

/**
 * Records an observer's copy of a station's protocol: evidence, never counted. An observer acts in its own election
 * and, when its account names a division, for stations under it. The copy must fit the election (as a protocol
 * must); its control-relation findings are recorded, not refused — a copy with an arithmetic error is exactly what
 * an observer must be able to file. Accepted after certification too: that is when copies are argued over.
 */
export function decideProtocolCopy(
  view: StagedView,
  actor: Actor,
  copy: Protocol,
  idem: string | null,
  copyText: string,
  /** SHA-256 of `copyText`. */
  hash: string,
): Decision<CopyResponse> {
  const state = view.election(copy.election);
  if (!state) return notFound('election', 'election-exists', `election "${copy.election}" is not defined on this server`);
  const index = state.index;
  const findings = validateProtocol(index, copy);
  const misfit = structuralProblem(findings);
  if (misfit) return fail(misfit);
  if (!isUser(actor) || actor.role !== 'observer') return forbidden('role-observer', 'only an observer account may submit protocol copies');
  if (actor.election !== index.election.id || (actor.division !== null && !inSubtree(index, actor.division, copy.station)))
    return forbidden(
      'division-scope',
      `account "${actor.name}" observes ${actor.division === null ? 'all' : `division "${actor.division}"`} of election "${actor.election ?? ''}"; station "${copy.station}" is outside it`,
    );
  // Compared with the version that counts (a version stopped by the control relations or rejected by the higher
  // commission does not: the copy's comparison is then null, as before anything is counted).
  const latest = view.record(copy.election, copy.contest, copy.station)?.latest;
  const counted = inPreliminary(latest) ? latest : undefined;
  const payload = {
    copy,
    hash,
    findings,
    compared: counted ? { version: counted.version, hash: counted.hash, differences: copyDifferences(copy, counted.protocol) } : null,
    ...(idem !== null ? { request: hash } : {}),
  };
  const event: NewEvent<'protocol-copy-submitted'> = {
    kind: 'protocol-copy-submitted',
    actor: actor.id,
    election: copy.election,
    subject: recordKey(copy.contest, copy.station),
    idem,
    payload,
    payloadText: canonicalWith(payload, 'copy', copyText),
  };
  return { ok: true, events: [event], respond: (committed) => copyResponse(committed[0] as LedgerEvent<'protocol-copy-submitted'>) };
}

/** Every line and vote on which a copy and a counted protocol differ (absent on one side: null). */
export function copyDifferences(copy: Protocol, counted: Protocol): CopyDifference[] {
  return differences([
    { actor: 'copy', protocol: copy },
    { actor: 'counted', protocol: counted },
  ]).map(({ line, values }) => {
    const value = (actor: string) => {
      const v = values.find((x) => x.actor === actor)?.value ?? -1;
      return v < 0 ? null : v;
    };
    return { line, copy: value('copy'), counted: value('counted') };
  });
}

// ---------------------------------------------------------------------------------------------------------------

export function decideTurnout(
  view: StagedView,
  actor: Actor,
  report: TurnoutReport,
  idem: string | null,
  requestHash: string,
): Decision<TurnoutResponse> {
  const state = view.election(report.election);
  if (!state) return notFound('election', 'election-exists', `election "${report.election}" is not defined on this server`);
  const index = state.index;
  const at = index.divisionIndex(report.station);
  if (at === undefined || !index.isStation[at])
    return invalid('station', 'station-unknown', `"${report.station}" is not a polling station of election "${report.election}"`);
  const scope = commissionScope(actor, index, report.station, 'report turnout');
  if (scope) return fail(scope);
  const slot = index.election.turnoutSchedule.indexOf(report.at);
  if (slot < 0)
    return invalid(
      'at',
      'scheduled-time',
      `"${report.at}" is not a scheduled turnout time; the schedule is ${index.election.turnoutSchedule.join(', ') || 'empty'}`,
    );
  // Certified results close the day's figures too (the CEC reopens a contest with "correction").
  for (const contest of index.election.contests) {
    const ice = frozen(view, report.election, contest.id);
    if (ice) return fail(ice);
  }
  const defined = index.election.divisions[at]?.registered ?? 0;
  const listRule = index.election.protocol.rules.listSize;
  if (
    report.registered !== undefined &&
    listRule?.errorPercent !== undefined &&
    beyondPercent(report.registered, defined, listRule.errorPercent)
  )
    return invalid(
      'registered',
      'list-size',
      `a list of ${report.registered} voters is more than ${listRule.errorPercent} % away from the ${defined} this station was defined with; check the figure (additional lists included)`,
    );
  const registered = report.registered ?? defined;
  if (report.participated > registered)
    return invalid(
      'participated',
      'turnout-within-list',
      `${report.participated} voters cannot have voted at a station with ${registered} voters on its list`,
    );
  const reports = view.stationTurnout(report.election, report.station);
  const earlier = reports.slice(0, slot).reduce((max, r) => Math.max(max, r?.participated ?? 0), 0);
  const later = reports
    .slice(slot + 1)
    .reduce((min, r) => Math.min(min, r?.participated ?? Number.POSITIVE_INFINITY), Number.POSITIVE_INFINITY);
  if (report.participated < earlier || report.participated > later) {
    return invalid(
      'participated',
      'turnout-cumulative',
      `turnout is cumulative: ${report.participated} at ${report.at} must lie between ${earlier} (earlier reports) and ${Number.isFinite(later) ? later : 'the list size'} (later reports)`,
    );
  }
  const event: NewEvent<'turnout-reported'> = {
    kind: 'turnout-reported',
    actor: actor.id,
    election: report.election,
    subject: `turnout/${report.station}`,
    idem,
    payload: { report, ...(idem !== null ? { request: requestHash } : {}) },
  };
  return { ok: true, events: [event], respond: (committed) => turnoutResponse(committed[0] as LedgerEvent<'turnout-reported'>) };
}

/**
 * Several turnout reports as one decision (a territorial commission uploading its stations' figures): all are
 * recorded, or none — the refusal names the report by its position.
 */
export function decideTurnoutBatch(
  view: StagedView,
  actor: Actor,
  reports: readonly TurnoutReport[],
): Decision<{ readonly count: number; readonly seq: number }> {
  const scratch = view.child();
  const events: NewEvent[] = [];
  for (const [i, report] of reports.entries()) {
    const decision = decideTurnout(scratch, actor, report, null, '');
    if (!decision.ok) {
      const error = decision.error;
      return fail('field' in error ? { ...error, field: `[${i}].${error.field}` } : { ...error, message: `report ${i}: ${error.message}` });
    }
    events.push(...decision.events);
    decision.events.forEach((event, k) => {
      scratch.stage({
        ...event,
        seq: -(events.length + k),
        time: '',
        prevHash: '',
        hash: '',
      });
    });
  }
  return { ok: true, events, respond: (committed) => ({ count: committed.length, seq: committed[committed.length - 1]?.seq ?? 0 }) };
}

// ---------------------------------------------------------------------------------------------------------------

export interface ReviewCommand {
  readonly election: string;
  readonly station: string;
  readonly contest: string;
  readonly decision: 'accept' | 'reject';
  /** The version reviewed; when given it must still be the latest. */
  readonly version?: number | undefined;
  readonly reason?: string | undefined;
}

export interface ReviewResponse {
  readonly election: string;
  readonly station: string;
  readonly contest: string;
  readonly version: number;
  readonly accepted: boolean;
  readonly rejectedReason?: string | undefined;
  readonly seq: number | null;
}

export function decideReview(view: StagedView, actor: Actor, command: ReviewCommand): Decision<ReviewResponse> {
  const state = view.election(command.election);
  if (!state) return notFound('election', 'election-exists', `election "${command.election}" is not defined on this server`);
  const index = state.index;
  if (!index.contest(command.contest))
    return notFound('contest', 'contest-exists', `contest "${command.contest}" is not part of election "${command.election}"`);
  const at = index.divisionIndex(command.station);
  if (at === undefined || !index.isStation[at])
    return notFound('station', 'station-exists', `"${command.station}" is not a polling station of election "${command.election}"`);
  const isCec = isUser(actor) && actor.role === 'cec' && actor.election === command.election;
  const isAbove =
    isUser(actor) &&
    actor.role === 'commission' &&
    actor.election === command.election &&
    actor.division !== null &&
    inSubtree(index, actor.division, command.station, true);
  if (!isCec && !isAbove) {
    return forbidden(
      'higher-commission',
      `only the CEC or a commission above station "${command.station}" may ${command.decision} its protocol`,
    );
  }
  const ice = frozen(view, command.election, command.contest);
  const latest = view.record(command.election, command.contest, command.station)?.latest;
  if (!latest) {
    if (ice) return fail(ice);
    return conflict('protocol-entered', `station "${command.station}" has no confirmed protocol for contest "${command.contest}" yet`);
  }
  if (command.version !== undefined && command.version !== latest.version) {
    return conflict(
      'latest-version',
      command.version > latest.version
        ? `there is no version ${command.version}; the latest is version ${latest.version}`
        : `version ${command.version} was replaced by version ${latest.version}; review the latest version`,
    );
  }
  if (latest.status !== 'counted')
    return conflict(
      'protocol-valid',
      command.decision === 'accept'
        ? `version ${latest.version} breaks an error-level control relation; it must be corrected, not accepted`
        : `version ${latest.version} breaks an error-level control relation and is not counted already; the commission below must correct it`,
    );
  if (command.decision === 'reject' && (command.reason === undefined || command.reason.trim().length < 3)) {
    return invalid('reason', 'rejection-reason', 'a rejection needs a "reason" telling the commission below what to correct');
  }
  // Four eyes: the review is a check by someone other than whoever keyed the version (both keyers under double entry).
  if (keyedBy(view.record(command.election, command.contest, command.station), latest.version, actor.id))
    return forbidden(
      'four-eyes',
      `this account entered version ${latest.version} of station "${command.station}"; another account of a commission above must ${command.decision} it`,
    );
  const unchanged = command.decision === 'accept' ? latest.accepted : latest.rejectedReason === command.reason;
  const response = (seq: number | null, accepted: boolean, reason: string | undefined): ReviewResponse => ({
    election: command.election,
    station: command.station,
    contest: command.contest,
    version: latest.version,
    accepted,
    ...(reason !== undefined ? { rejectedReason: reason } : {}),
    seq,
  });
  // A review repeated as it stands changes nothing, so it is answered the same even once the results are certified.
  if (unchanged) return { ok: true, events: [], respond: () => response(null, latest.accepted, latest.rejectedReason) };
  if (ice) return fail(ice);
  // The ids as the election spells them (both were found above), and what is reviewed: the latest version.
  const reviewed = {
    station: index.election.divisions[at]?.id ?? (command.station as never),
    contest: index.contest(command.contest)?.contest.id ?? (command.contest as never),
    version: latest.version,
  };
  const envelope = { actor: actor.id, election: command.election, subject: recordKey(command.contest, command.station), idem: null };
  const event: NewEvent =
    command.decision === 'accept'
      ? { ...envelope, kind: 'protocol-accepted', payload: reviewed }
      : { ...envelope, kind: 'protocol-rejected', payload: { ...reviewed, reason: command.reason ?? '' } };
  return {
    ok: true,
    events: [event],
    respond: (committed) =>
      response(committed[0]?.seq ?? null, command.decision === 'accept', command.decision === 'reject' ? command.reason : undefined),
  };
}

// ---------------------------------------------------------------------------------------------------------------

/** Allowed declared-status transitions (NIST SP 1500-100 ResultsStatus). */
const TRANSITIONS: Readonly<Record<ResultsStatus, readonly ResultsStatus[]>> = {
  'unofficial-partial': ['unofficial-complete'],
  'unofficial-complete': ['certified', 'unofficial-partial', 'recount'],
  certified: ['correction', 'recount'],
  correction: ['unofficial-complete', 'certified'],
  recount: ['unofficial-complete', 'certified'],
};

export interface StatusResponse {
  readonly election: string;
  readonly contest: string;
  readonly from: ResultsStatus;
  readonly status: ResultsStatus;
  readonly seq: number | null;
}

export function decideStatus(
  view: StagedView,
  actor: Actor,
  election: string,
  contest: string,
  to: ResultsStatus,
  reason: string | undefined,
): Decision<StatusResponse> {
  const state = view.election(election);
  if (!state) return notFound('election', 'election-exists', `election "${election}" is not defined on this server`);
  const contestIndex = state.index.contest(contest);
  if (!contestIndex) return notFound('contest', 'contest-exists', `contest "${contest}" is not part of election "${election}"`);
  if (!isUser(actor) || actor.role !== 'cec' || actor.election !== election)
    return forbidden('role-cec', 'only the CEC of this election may change the results status');
  const from = view.status(election, contest);
  if (from === to) return { ok: true, events: [], respond: () => ({ election, contest, from, status: to, seq: null }) };
  if (!TRANSITIONS[from].includes(to)) {
    return conflict(
      'status-transition',
      `the status cannot go from "${from}" to "${to}"; from "${from}" it may go to ${TRANSITIONS[from].map((s) => `"${s}"`).join(', ')}`,
    );
  }
  if ((to === 'correction' || to === 'recount' || to === 'unofficial-partial') && (reason === undefined || reason.trim().length < 3)) {
    return invalid('reason', 'status-reason', `reopening the results ("${to}") needs a "reason" that is recorded in the ledger`);
  }
  const stage = to === 'certified' ? 'final' : 'preliminary';
  const result = state
    .tally(stage)
    .results(contestIndex.contest.division)
    ?.contests.find((c) => c.contest === contest);
  if ((to === 'unofficial-complete' || to === 'certified') && result && result.stations.reported < result.stations.total) {
    const what = stage === 'final' ? 'accepted by the higher commissions' : 'counted';
    return conflict(
      'all-stations-in',
      `only ${result.stations.reported} of ${result.stations.total} stations' protocols are ${what}; "${to}" needs all of them`,
    );
  }
  const event: NewEvent<'status-changed'> = {
    kind: 'status-changed',
    actor: actor.id,
    election,
    subject: `status/${contest}`,
    idem: null,
    payload: { contest: contestIndex.contest.id, from, to, ...(reason !== undefined ? { reason } : {}) },
  };
  return { ok: true, events: [event], respond: (committed) => ({ election, contest, from, status: to, seq: committed[0]?.seq ?? null }) };
}

// ---------------------------------------------------------------------------------------------------------------

export interface ExitPollInput {
  readonly contest: string;
  readonly organisation: string;
  readonly publishedAt: string;
  readonly sampleSize: number;
  readonly method: string;
  readonly estimates: Readonly<Record<string, string>>;
}

/**
 * Registers an exit poll. Its form (a real time with its offset, at least one estimate, each a percentage from 0 to
 * 100 as text) was checked by its schema (`Checked`, schema/checked.ts); decided here is what needs the election: the
 * contest and options exist, and the estimates do not add up to more than 100 % beyond what their rounding can hide.
 */
export function decideExitPoll(
  view: StagedView,
  actor: Actor,
  election: string,
  input: Checked<ExitPollInput>,
  id: string,
  idem: string | null,
  requestHash: string,
): Decision<ExitPollResponse> {
  const state = view.election(election);
  if (!state) return notFound('election', 'election-exists', `election "${election}" is not defined on this server`);
  if (!isUser(actor) || actor.role !== 'cec' || actor.election !== election)
    return forbidden('role-cec', 'only the CEC of this election registers exit polls');
  const contest = state.index.contest(input.contest);
  if (!contest) return invalid('contest', 'contest-exists', `contest "${input.contest}" is not part of election "${election}"`);
  // In ten-thousandths of a percent: each estimate, and half a unit of its last digit (what its rounding may hide).
  let sum = 0;
  let slack = 0;
  for (const [option, estimate] of Object.entries(input.estimates)) {
    if (!contest.optionIndex.has(option as never))
      return invalid(`estimates.${option}`, 'option-exists', `"${option}" is not an option of contest "${input.contest}"`);
    const [whole = '', decimals = ''] = estimate.split('.');
    sum += Number(whole) * 10_000 + Number(decimals.padEnd(4, '0'));
    slack += 5 * 10 ** (3 - decimals.length);
  }
  if (sum - slack > 100 * 10_000)
    return invalid(
      'estimates',
      'estimates-sum',
      `the estimates add up to ${(sum / 10_000).toFixed(3).replace(/\.?0+$/, '')} %, more than 100 % even allowing for their rounding`,
    );
  const poll: ExitPoll = {
    id,
    contest: contest.contest.id,
    organisation: input.organisation,
    publishedAt: input.publishedAt,
    sampleSize: input.sampleSize,
    method: input.method,
    estimates: input.estimates,
  };
  const event: NewEvent<'exit-poll-registered'> = {
    kind: 'exit-poll-registered',
    actor: actor.id,
    election,
    subject: `exit-poll/${id}`,
    idem,
    payload: { poll, ...(idem !== null ? { request: requestHash } : {}) },
  };
  return { ok: true, events: [event], respond: (committed) => exitPollResponse(committed[0] as LedgerEvent<'exit-poll-registered'>) };
}

/** An exit poll's estimates beside the current count: deviation in percentage points, exact, two decimals. */
export function exitPollDeviation(
  estimate: string,
  votes: number,
  base: number,
): { readonly count: string | null; readonly deviation: string | null } {
  const count = exactPercent(votes, base);
  if (base === 0) return { count, deviation: null };
  // estimate − 100·votes/base, as an exact rational, rounded half away from zero to two decimals.
  const e = parsePercent(estimate); // fraction of 1
  const num = e.num * BigInt(base) - BigInt(votes) * e.den; // (estimate/100 − votes/base) · den · base
  const den = e.den * BigInt(base);
  const scaled = (2n * 10000n * (num < 0n ? -num : num) + den) / (2n * den);
  const digits = scaled.toString().padStart(3, '0');
  const sign = num < 0n && scaled !== 0n ? '-' : num > 0n && scaled !== 0n ? '+' : '';
  return { count, deviation: `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}` };
}

// ---------------------------------------------------------------------------------------------------------------

export function decideDefineElection(
  view: StagedView,
  actor: Actor,
  election: Election,
): Decision<{ readonly election: string; readonly seq: number }> {
  if (isUser(actor) && actor.role !== 'admin') return forbidden('role-admin', 'only an administrator may define an election');
  if (view.election(election.id) || view.electionDefinedInBatch(election.id))
    return conflict('election-unique', `election "${election.id}" is already defined; elections are never redefined, define a new id`);
  const index = indexElection(election);
  if (!index.ok)
    return invalid(
      index.error[0]?.path ?? 'election',
      index.error[0]?.rule ?? 'election-valid',
      index.error[0]?.message ?? 'invalid election',
      { issues: index.error },
    );
  const event: NewEvent<'election-defined'> = {
    kind: 'election-defined',
    actor: actor.id,
    election: election.id,
    subject: null,
    idem: null,
    payload: { election },
  };
  return { ok: true, events: [event], respond: (committed) => ({ election: election.id, seq: committed[0]?.seq ?? 0 }) };
}

export function decideAddUser(view: StagedView, actor: Actor, user: UserRecord): Decision<UserRecord> {
  if (isUser(actor) && actor.role !== 'admin') return forbidden('role-admin', 'only an administrator may add accounts');
  if (!/^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$/.test(user.name))
    return invalid('name', 'user-name', 'an account name is 2–64 letters, digits, ".", "_", "@" or "-"');
  if (view.userByName(user.name)) return conflict('user-unique', `an account named "${user.name}" already exists`);
  if (user.role === 'admin' && (user.division !== null || user.election !== null))
    return invalid(
      user.division !== null ? 'division' : 'election',
      'admin-scope',
      'an administrator acts for the whole system, not for an election or a division; give neither',
    );
  if (user.role === 'commission' || user.role === 'observer' || user.role === 'cec') {
    if (user.election === null) return invalid('election', 'user-election', `a ${user.role} account belongs to one election; give its id`);
    const state = view.election(user.election);
    if (!state) return invalid('election', 'election-exists', `election "${user.election}" is not defined; run \`canvass init\` first`);
    if (user.role === 'commission' && user.division === null)
      return invalid('division', 'user-division', 'a commission account acts for one division; give its id');
    if (user.division !== null && state.index.divisionIndex(user.division) === undefined)
      return invalid('division', 'division-exists', `division "${user.division}" is not part of election "${user.election}"`);
  }
  const event: NewEvent<'user-added'> = {
    kind: 'user-added',
    actor: actor.id,
    election: user.election,
    subject: `user/${user.id}`,
    idem: null,
    payload: { user },
  };
  return { ok: true, events: [event], respond: () => user };
}

/** Disables an account: an administrator's act, with a reason for the ledger. */
export function decideDisableUser(actor: Actor, user: UserRecord, reason: string): Decision<{ readonly disabled: string }> {
  if (isUser(actor) && actor.role !== 'admin') return forbidden('role-admin', 'only an administrator may disable an account');
  if (reason.length < 3) return invalid('reason', 'disable-reason', 'say why the account is disabled (3 characters or more)');
  // An administrator who disables itself is locked out of the API and the browser, leaving only the server's console.
  if (isUser(actor) && actor.id === user.id)
    return conflict(
      'account-self',
      'an account cannot disable itself; another administrator, or `canvass user disable` on the server, can',
    );
  const event: NewEvent<'user-disabled'> = {
    kind: 'user-disabled',
    actor: actor.id,
    election: null,
    subject: `user/${user.id}`,
    idem: null,
    payload: { user: user.id, reason },
  };
  return { ok: true, events: [event], respond: () => ({ disabled: user.name }) };
}

/**
 * Enables a disabled account again: an administrator's act, with a reason for the ledger. Its earlier tokens and
 * sessions stay revoked (projection.ts).
 */
export function decideEnableUser(actor: Actor, user: UserRecord, reason: string): Decision<{ readonly enabled: string }> {
  if (isUser(actor) && actor.role !== 'admin') return forbidden('role-admin', 'only an administrator may enable an account');
  if (reason.length < 3) return invalid('reason', 'enable-reason', 'say why the account is enabled again (3 characters or more)');
  const event: NewEvent<'user-enabled'> = {
    kind: 'user-enabled',
    actor: actor.id,
    election: null,
    subject: `user/${user.id}`,
    idem: null,
    payload: { user: user.id, reason },
  };
  return { ok: true, events: [event], respond: () => ({ enabled: user.name }) };
}

/** Revokes tokens (ids) of `user`: an administrator's act, or the account's own. */
export function decideRevokeTokens(actor: Actor, user: UserRecord, tokenIds: readonly string[]): Decision<{ readonly revoked: number }> {
  if (isUser(actor) && actor.role !== 'admin' && actor.id !== user.id)
    return forbidden('role-admin', 'only an administrator or the account itself may revoke its tokens');
  const events = tokenIds.map((token): NewEvent<'token-revoked'> => ({
    kind: 'token-revoked',
    actor: actor.id,
    election: null,
    subject: `user/${user.id}`,
    idem: null,
    payload: { user: user.id, token },
  }));
  return { ok: true, events, respond: () => ({ revoked: tokenIds.length }) };
}

export function decideIssueToken(actor: Actor, user: UserRecord, tokenId: string): Decision<{ readonly token: string }> {
  if (isUser(actor) && actor.role !== 'admin' && actor.id !== user.id)
    return forbidden('role-admin', 'only an administrator or the account itself may issue a token');
  const event: NewEvent<'token-issued'> = {
    kind: 'token-issued',
    actor: actor.id,
    election: null,
    subject: `user/${user.id}`,
    idem: null,
    payload: { user: user.id, token: tokenId },
  };
  return { ok: true, events: [event], respond: () => ({ token: tokenId }) };
}
