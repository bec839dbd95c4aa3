import type { Finding } from '@canvass/core';
import type { AppliedEvent, CopyComparison, ExitPoll, LineDifference, ProtocolStatus } from '../ledger/events.js';

/** What a client is told about an event it caused — and told again when it retries with the same Idempotency-Key. */
export interface ProtocolResponse {
  readonly election: string;
  readonly station: string;
  readonly contest: string;
  readonly version: number;
  readonly status: ProtocolStatus;
  readonly counted: boolean;
  readonly findings: readonly Finding[];
  readonly hash: string;
  readonly seq: number;
  readonly differences?: readonly LineDifference[] | undefined;
}

export function protocolResponse(event: AppliedEvent<'protocol-entered'>): ProtocolResponse {
  const p = event.payload;
  return {
    election: p.protocol.election,
    station: p.protocol.station,
    contest: p.protocol.contest,
    version: p.version,
    status: p.status,
    counted: p.status === 'counted',
    findings: p.findings,
    hash: p.hash,
    seq: event.seq,
    ...(p.differences ? { differences: p.differences } : {}),
  };
}

/** What an observer is told about a protocol copy: its hash and findings, and how it compared with the counted one. */
export interface CopyResponse {
  readonly election: string;
  readonly station: string;
  readonly contest: string;
  readonly hash: string;
  readonly findings: readonly Finding[];
  /** The version that counted when the copy arrived, and the differing lines; null when none counted yet. */
  readonly compared: CopyComparison | null;
  /** Whether the copy is the counted protocol line for line; null when none counted yet. */
  readonly matches: boolean | null;
  readonly seq: number;
}

export function copyResponse(event: AppliedEvent<'protocol-copy-submitted'>): CopyResponse {
  const p = event.payload;
  return {
    election: p.copy.election,
    station: p.copy.station,
    contest: p.copy.contest,
    hash: p.hash,
    findings: p.findings,
    compared: p.compared,
    matches: p.compared === null ? null : p.compared.differences.length === 0,
    seq: event.seq,
  };
}

export interface TurnoutResponse {
  readonly election: string;
  readonly station: string;
  readonly at: string;
  readonly participated: number;
  readonly seq: number;
}

export function turnoutResponse(event: AppliedEvent<'turnout-reported'>): TurnoutResponse {
  const { report } = event.payload;
  return { election: report.election, station: report.station, at: report.at, participated: report.participated, seq: event.seq };
}

export type ExitPollResponse = ExitPoll & { readonly seq: number };

export function exitPollResponse(event: AppliedEvent<'exit-poll-registered'>): ExitPollResponse {
  return { ...event.payload.poll, seq: event.seq };
}

/** The response an event produced, for idempotent replays; undefined for kinds that take no Idempotency-Key. */
export function responseOf(event: AppliedEvent): unknown {
  if (event.kind === 'protocol-entered') return protocolResponse(event as AppliedEvent<'protocol-entered'>);
  if (event.kind === 'turnout-reported') return turnoutResponse(event as AppliedEvent<'turnout-reported'>);
  if (event.kind === 'protocol-copy-submitted') return copyResponse(event as AppliedEvent<'protocol-copy-submitted'>);
  if (event.kind === 'exit-poll-registered') return exitPollResponse(event as AppliedEvent<'exit-poll-registered'>);
  return undefined;
}
