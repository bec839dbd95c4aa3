import { z } from 'zod';
import {
  ContestIdSchema,
  DivisionIdSchema,
  ElectionIdSchema,
  LineIdSchema,
  OptionIdSchema,
  type ContestId,
  type ElectionId,
  type LineId,
  type OptionId,
  type StationId,
} from './ids.js';
import { CountSchema, HHMM } from './election.js';

/**
 * One polling station's protocol for one contest: every template line and every option's votes.
 * This object is one line of `protocols.jsonl` and exactly the body the API accepts.
 */
export interface Protocol {
  readonly election: ElectionId;
  readonly contest: ContestId;
  readonly station: StationId;
  readonly lines: Readonly<Record<LineId, number>>;
  readonly votes: Readonly<Record<OptionId, number>>;
  /** Required when the protocol corrects an earlier version: why it changed. */
  readonly reason?: string | undefined;
}

export const ProtocolSchema: z.ZodType<Protocol> = z.strictObject({
  election: ElectionIdSchema,
  contest: ContestIdSchema,
  station: DivisionIdSchema,
  lines: z.record(LineIdSchema, CountSchema),
  votes: z.record(OptionIdSchema, CountSchema),
  reason: z
    .string()
    .regex(/^\s*\S[\s\S]*\S[\s\S]*\S/, { error: 'a reason says in a few words what changed and why' })
    .max(2000, { error: 'a reason is at most 2000 characters' })
    .optional(),
});

/**
 * A station's cumulative turnout at one scheduled cut-off (`at`, local `HH:MM` of the election's schedule):
 * voters who have received a ballot so far, and the list size the figure is based on.
 */
export interface TurnoutReport {
  readonly election: ElectionId;
  readonly station: StationId;
  readonly at: string;
  readonly participated: number;
  /** Voters on the list at the time of the report (election-day list), if it differs from the definition. */
  readonly registered?: number | undefined;
}

export const TurnoutReportSchema: z.ZodType<TurnoutReport> = z.strictObject({
  election: ElectionIdSchema,
  station: DivisionIdSchema,
  at: HHMM,
  participated: CountSchema,
  registered: CountSchema.optional(),
});
