import type { Finding } from '@canvass/core';
import type { AppliedEvent, LineDifference, ProtocolStatus } from '../ledger/events.js';

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

/** The response an event produced, for idempotent replays; undefined for kinds that take no Idempotency-Key. */
export function responseOf(event: AppliedEvent): unknown {
  if (event.kind === 'protocol-entered') return protocolResponse(event as AppliedEvent<'protocol-entered'>);
  if (event.kind === 'turnout-reported') return turnoutResponse(event as AppliedEvent<'turnout-reported'>);
  return undefined;
}
