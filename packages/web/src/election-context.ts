import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ContestWithStatus, Summary } from './api/schemas.js';

/** The election being shown: its summary (refetched when results change) and its id. */
export interface ElectionScope {
  readonly election: string;
  readonly summary: Summary;
}

export const ElectionContext = createContext<ElectionScope | undefined>(undefined);

export function useElection(): ElectionScope {
  const scope = useContext(ElectionContext);
  if (!scope) throw new Error('useElection() outside an election page');
  return scope;
}

/** The contest a view shows: `?contest=` if the election has it, else the first. */
export function pickContest(summary: Summary, wanted: string | undefined): ContestWithStatus | undefined {
  return summary.contests.find((c) => c.contest.id === wanted) ?? summary.contests[0];
}

export type Stage = 'preliminary' | 'final';

/**
 * Which count a public view shows: as asked in `?stage=`, else the final count (accepted by the higher commissions)
 * once the result is certified, and the preliminary count (every counted protocol) before.
 */
export function pickStage(wanted: string | undefined, contest: ContestWithStatus | undefined): Stage {
  if (wanted === 'final' || wanted === 'preliminary') return wanted;
  return contest?.status === 'certified' ? 'final' : 'preliminary';
}
