import {
  ELECTION_FORMAT,
  MAX_COUNT,
  POLLING_STATION,
  asContestId,
  asDivisionId,
  asElectionId,
  asLineId,
  asOptionId,
  indexElection,
  validateProtocol,
  type ContestOption,
  type Election,
  type ElectionIndex,
  type Finding,
  type LineId,
  type OptionId,
  type Protocol,
} from '@canvass/core';
import type { Summary } from '../api/schemas.js';

/**
 * The core's protocol validation, in the browser, while the clerk types. The summary carries the election's
 * protocol template, rule pack and contests; the station is placed directly under the root, which is all the
 * checks need (a station that is outside a contest is the server's to refuse).
 */
export function checkingIndex(summary: Summary, station: string, registered: number | undefined): ElectionIndex | undefined {
  const root = asDivisionId(summary.root);
  const election: Election = {
    format: ELECTION_FORMAT,
    id: asElectionId(summary.id),
    names: summary.names,
    date: summary.date,
    timeZone: summary.timeZone,
    doubleEntry: summary.doubleEntry,
    protocol: summary.protocol,
    turnoutSchedule: summary.turnoutSchedule,
    divisions: [
      { id: root, kind: 'country', names: { en: summary.root } },
      { id: asDivisionId(station), kind: POLLING_STATION, parent: root, names: { en: station }, registered: registered ?? 0 },
    ],
    contests: summary.contests.map((c) => ({ ...c.contest, division: root })),
  };
  const index = indexElection(election);
  return index.ok ? index.value : undefined;
}

/** Form keys: a line id, or `votes.<option>`, as findings name them. */
export const voteKey = (option: ContestOption) => `votes.${option.id}`;

export type FieldState = { readonly kind: 'empty' } | { readonly kind: 'invalid' } | { readonly kind: 'ok'; readonly value: number };

/** A count as a clerk types it: digits, spaces between groups allowed. */
export function readCount(text: string): FieldState {
  const compact = text.replace(/[\s\u00a0\u202f]/g, '');
  if (compact === '') return { kind: 'empty' };
  if (!/^\d+$/.test(compact)) return { kind: 'invalid' };
  const value = Number(compact);
  return value > MAX_COUNT ? { kind: 'invalid' } : { kind: 'ok', value };
}

export interface Check {
  readonly protocol: Protocol;
  readonly fields: ReadonlyMap<string, FieldState>;
  /** Findings whose every involved value has been typed in (a half-filled form shows no false alarms). */
  readonly findings: readonly Finding[];
  readonly complete: boolean;
}

export function checkEntry(
  index: ElectionIndex | undefined,
  summary: Summary,
  contestId: string,
  options: readonly ContestOption[],
  station: string,
  values: Readonly<Record<string, string>>,
  reason: string,
): Check {
  const fields = new Map<string, FieldState>();
  const lines: Record<LineId, number> = {};
  const votes: Record<OptionId, number> = {};
  for (const line of summary.protocol.lines) {
    const state = readCount(values[line.id] ?? '');
    fields.set(line.id, state);
    lines[asLineId(line.id)] = state.kind === 'ok' ? state.value : 0;
  }
  for (const option of options) {
    const state = readCount(values[voteKey(option)] ?? '');
    fields.set(voteKey(option), state);
    votes[asOptionId(option.id)] = state.kind === 'ok' ? state.value : 0;
  }
  const trimmed = reason.trim();
  const protocol: Protocol = {
    election: asElectionId(summary.id),
    contest: asContestId(contestId),
    station: asDivisionId(station),
    lines,
    votes,
    ...(trimmed !== '' ? { reason: trimmed } : {}),
  };
  const typed = (key: string) => fields.get(key)?.kind === 'ok';
  const findings = index ? validateProtocol(index, protocol).filter((f) => Object.keys(f.values).every(typed)) : [];
  return { protocol, fields, findings, complete: [...fields.values()].every((s) => s.kind === 'ok') };
}
