import { z } from 'zod';
import {
  ContestIdSchema,
  DivisionIdSchema,
  ElectionIdSchema,
  LineIdSchema,
  OptionIdSchema,
  type ContestId,
  type DivisionId,
  type ElectionId,
  type LineId,
  type OptionId,
} from './ids.js';
import { LocalizedSchema, type Localized } from './localized.js';

/** The format tag every election file carries, so that later versions of the format can be told apart. */
export const ELECTION_FORMAT = 'canvass-election/1';

/** A decimal percentage such as `"50"` or `"5"` or `"3.5"`; kept as text so it stays exact. */
export const DecimalPercentSchema = z
  .string()
  .regex(/^(100|[0-9]{1,2})(\.[0-9]{1,6})?$/, { error: 'a percentage is written as text, e.g. "50" or "3.5", between 0 and 100' });
export type DecimalPercent = z.infer<typeof DecimalPercentSchema>;

const CoefSchema = z
  .number()
  .int()
  .min(-100)
  .max(100)
  .refine((c) => c !== 0, { error: 'a coefficient of 0 adds nothing; leave the term out' });

/**
 * One term of a linear expression over a protocol: a named line, one option's votes, or the sum of the
 * contest's options' votes (`all`, or `except-against-all`). `coef` defaults to 1.
 */
export type Term =
  | { readonly line: LineId; readonly coef?: number | undefined }
  | { readonly option: OptionId; readonly coef?: number | undefined }
  | { readonly options: 'all' | 'except-against-all'; readonly coef?: number | undefined };

export const TermSchema: z.ZodType<Term> = z.union([
  z.strictObject({ line: LineIdSchema, coef: CoefSchema.optional() }),
  z.strictObject({ option: OptionIdSchema, coef: CoefSchema.optional() }),
  z.strictObject({ options: z.enum(['all', 'except-against-all']), coef: CoefSchema.optional() }),
]);
export const TermsSchema = z.array(TermSchema).min(1, { error: 'an expression needs at least one term' });

export type Severity = 'error' | 'warning';
export type RelationOp = 'eq' | 'le' | 'ge' | 'lt' | 'gt';

/**
 * A control relation: `left op right`, both sides sums of terms. Error-level relations stop a protocol from being
 * counted; warnings are recorded and shown. `message` is what a commission clerk reads; it may use the placeholders
 * `{left}`, `{right}` and `{difference}` (left − right).
 */
export interface ControlRelation {
  readonly code: string;
  readonly severity: Severity;
  readonly left: readonly Term[];
  readonly op: RelationOp;
  readonly right: readonly Term[];
  readonly message: Localized;
}

export const ControlRelationSchema: z.ZodType<ControlRelation> = z.strictObject({
  code: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, { error: 'a rule code is 1–40 letters, digits, ".", "_" or "-"' }),
  severity: z.enum(['error', 'warning']),
  left: TermsSchema,
  op: z.enum(['eq', 'le', 'ge', 'lt', 'gt']),
  right: z.array(TermSchema),
  message: LocalizedSchema,
});

/**
 * How far a protocol's voters on the list (the `registered` role) may stray from the station's list in the election
 * definition, in whole percent of that list: further than `warningPercent` is a warning (recorded, shown, counted),
 * further than `errorPercent` an error that keeps the protocol out of the count until it is corrected. Additional
 * lists on the day make some difference normal; a list many times the size the station was defined with is a typing
 * error or worse. Also bounds the list size a turnout report may give (beyond `errorPercent` it is refused).
 */
export interface ListSizeRule {
  readonly warningPercent: number;
  readonly errorPercent?: number | undefined;
}

/** A versioned set of control relations, chosen per election. */
export interface RulePack {
  readonly id: string;
  readonly version: string;
  /** Where the relations come from (a law and its article). */
  readonly source?: string | undefined;
  readonly relations: readonly ControlRelation[];
  /** Absent: a protocol's list is not compared with the definition. */
  readonly listSize?: ListSizeRule | undefined;
}

export const ListSizeRuleSchema: z.ZodType<ListSizeRule> = z
  .strictObject({
    warningPercent: z.number().int().min(0).max(100_000),
    errorPercent: z.number().int().min(0).max(100_000).optional(),
  })
  .refine((rule) => rule.errorPercent === undefined || rule.errorPercent >= rule.warningPercent, {
    error: 'errorPercent is at least warningPercent',
    path: ['errorPercent'],
  });

export const RulePackSchema: z.ZodType<RulePack> = z.strictObject({
  id: z.string().min(1),
  version: z.string().min(1),
  source: z.string().optional(),
  relations: z.array(ControlRelationSchema),
  listSize: ListSizeRuleSchema.optional(),
});

export interface ProtocolLine {
  readonly id: LineId;
  readonly names: Localized;
}

/**
 * Which lines play which part in the count. Each is a sum of terms, because laws differ: Kazakhstan's
 * "took part" is one line, Russia's is early + in-premises + outside-premises ballots issued.
 */
export interface ProtocolRoles {
  /** Voters on the list (including additional lists). */
  readonly registered: readonly Term[];
  /** Voters who took part (received a ballot): the numerator of turnout. */
  readonly participated: readonly Term[];
  readonly invalid: readonly Term[];
  /** Valid ballots; by default the sum of all options' votes. */
  readonly valid: readonly Term[];
}

export interface ProtocolTemplate {
  readonly lines: readonly ProtocolLine[];
  readonly roles: ProtocolRoles;
  readonly rules: RulePack;
}

const ALL_OPTIONS: readonly Term[] = [{ options: 'all' }];

export const ProtocolTemplateSchema: z.ZodType<ProtocolTemplate> = z.strictObject({
  lines: z.array(z.strictObject({ id: LineIdSchema, names: LocalizedSchema })).min(1),
  roles: z.strictObject({
    registered: TermsSchema,
    participated: TermsSchema,
    invalid: TermsSchema,
    valid: TermsSchema.default(() => [...ALL_OPTIONS]),
  }),
  rules: RulePackSchema,
});

export type DivisionKind = string;
/** The division kind that marks a polling station (a leaf that submits protocols). */
export const POLLING_STATION = 'polling-station';

export interface Division {
  readonly id: DivisionId;
  /** `country`, `region`, `district`, `polling-station`, … — depth is free; only `polling-station` is special. */
  readonly kind: DivisionKind;
  readonly parent?: DivisionId | undefined;
  readonly names: Localized;
  /** e.g. `{"iso3166-2": "KZ-35", "ocd-id": "ocd-division/country:kz/region:35"}`. */
  readonly externalIds?: Readonly<Record<string, string>> | undefined;
  /** Polling stations only: voters on the list as the definition knows it. */
  readonly registered?: number | undefined;
  /** Polling stations only: IANA time zone and local closing time (`HH:MM`). */
  readonly timeZone?: string | undefined;
  readonly closes?: string | undefined;
}

export const HHMM = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, { error: 'a local time is written HH:MM, e.g. "20:00"' });
const TimeZoneSchema = z.string().regex(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/, { error: 'an IANA time zone such as "Asia/Almaty"' });
/** Upper bound for any single count on one protocol; larger numbers are typing errors, not polling stations. */
export const MAX_COUNT = 100_000_000;
export const CountSchema = z
  .number({ error: 'a count is a whole number' })
  // The bound first, and the only finding when broken: past 2^53 a number is no longer a safe integer, which the
  // integer check would report as "not a whole number".
  .max(MAX_COUNT, { error: `a count above ${MAX_COUNT} is not plausible for one polling station`, abort: true })
  .int({ error: 'a count is a whole number' })
  .min(0, { error: 'a count cannot be negative' });

export const DivisionSchema: z.ZodType<Division> = z.strictObject({
  id: DivisionIdSchema,
  kind: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, { error: 'a division kind is lower-case, e.g. "region" or "polling-station"' }),
  parent: DivisionIdSchema.optional(),
  names: LocalizedSchema,
  externalIds: z.record(z.string().min(1), z.string().min(1)).optional(),
  registered: CountSchema.optional(),
  timeZone: TimeZoneSchema.optional(),
  closes: HHMM.optional(),
});

export type OptionKind = 'candidate' | 'list' | 'against-all';

export interface ContestOption {
  readonly id: OptionId;
  readonly kind: OptionKind;
  readonly names: Localized;
  /** Party or affiliation, for display and exports. */
  readonly party?: Localized | undefined;
  /**
   * Order of registration (1 = first), for tie-breaks that favour the list registered earlier.
   * Defaults to the ballot position.
   */
  readonly registrationOrder?: number | undefined;
}

export const ContestOptionSchema: z.ZodType<ContestOption> = z.strictObject({
  id: OptionIdSchema,
  kind: z.enum(['candidate', 'list', 'against-all']),
  names: LocalizedSchema,
  party: LocalizedSchema.optional(),
  registrationOrder: z.number().int().min(1).optional(),
});

export const SEAT_METHODS = [
  'hare-largest-remainder',
  'droop-largest-remainder',
  'dhondt',
  'sainte-lague',
  'modified-sainte-lague',
] as const;
export type SeatMethod = (typeof SEAT_METHODS)[number];

/**
 * How an exact tie for the last place (a seat, first place, a runoff place) is settled.
 * - `report`: never settle it; the outcome is a tie for the commission (lot, re-vote) to resolve.
 * - `earlier-registration`: the option registered earlier wins (Kazakhstan, party lists).
 * - `more-votes-then-earlier-registration`: for seat ties between lists with different totals, the larger
 *   total wins, then the earlier registration.
 */
export type TieBreak = 'report' | 'earlier-registration' | 'more-votes-then-earlier-registration';
export const TieBreakSchema = z.enum(['report', 'earlier-registration', 'more-votes-then-earlier-registration']);

export interface MajorityRunoffRules {
  /** Base of every published percentage; Kazakhstan: all options incl. against-all (= valid ballots). */
  readonly percentBase: readonly Term[];
  /** Elected in the first round with more than (`strict`) or at least this share of the percentage base. */
  readonly winThreshold: { readonly percent: DecimalPercent; readonly strict: boolean };
  /** How many candidates go to the second round. */
  readonly runoffSize: number;
}

export interface PluralityRules {
  readonly percentBase: readonly Term[];
  readonly seats: number;
}

export interface PartyListRules {
  readonly percentBase: readonly Term[];
  readonly method: SeatMethod;
  readonly seats: number;
  /** Lists with `percent` of `base` or more (`inclusive`) take part in the allocation. */
  readonly threshold: { readonly percent: DecimalPercent; readonly base: readonly Term[]; readonly inclusive: boolean };
  readonly tieBreak: TieBreak;
}

interface ContestCommon {
  readonly id: ContestId;
  readonly names: Localized;
  /** The division whose subtree votes in this contest. */
  readonly division: DivisionId;
  /** In ballot order. */
  readonly options: readonly ContestOption[];
}

export type Contest =
  | (ContestCommon & { readonly kind: 'majority-runoff'; readonly rules: MajorityRunoffRules })
  | (ContestCommon & { readonly kind: 'plurality'; readonly rules: PluralityRules })
  | (ContestCommon & { readonly kind: 'party-list'; readonly rules: PartyListRules });
export type ContestKind = Contest['kind'];

const contestCommon = {
  id: ContestIdSchema,
  names: LocalizedSchema,
  division: DivisionIdSchema,
  options: z.array(ContestOptionSchema).min(1, { error: 'a contest needs at least one option' }),
};
const percentBase = TermsSchema.default(() => [...ALL_OPTIONS]);

export const ContestSchema: z.ZodType<Contest> = z.discriminatedUnion('kind', [
  z.strictObject({
    ...contestCommon,
    kind: z.literal('majority-runoff'),
    rules: z
      .strictObject({
        percentBase,
        winThreshold: z.strictObject({ percent: DecimalPercentSchema, strict: z.boolean() }).default({ percent: '50', strict: true }),
        runoffSize: z.number().int().min(2).max(10).default(2),
      })
      .default({ percentBase: [...ALL_OPTIONS], winThreshold: { percent: '50', strict: true }, runoffSize: 2 }),
  }),
  z.strictObject({
    ...contestCommon,
    kind: z.literal('plurality'),
    rules: z
      .strictObject({ percentBase, seats: z.number().int().min(1).max(1000).default(1) })
      .default({ percentBase: [...ALL_OPTIONS], seats: 1 }),
  }),
  z.strictObject({
    ...contestCommon,
    kind: z.literal('party-list'),
    rules: z.strictObject({
      percentBase,
      method: z.enum(SEAT_METHODS),
      seats: z.number().int().min(1).max(10_000),
      threshold: z
        .strictObject({
          percent: DecimalPercentSchema,
          base: TermsSchema.default(() => [...ALL_OPTIONS]),
          inclusive: z.boolean().default(true),
        })
        .default({ percent: '0', base: [...ALL_OPTIONS], inclusive: true }),
      tieBreak: TieBreakSchema.default('report'),
    }),
  }),
]);

export interface Election {
  readonly format: typeof ELECTION_FORMAT;
  readonly id: ElectionId;
  readonly names: Localized;
  /** Election day, `YYYY-MM-DD`. */
  readonly date: string;
  /** The time zone in which the schedule is given (Kazakhstan: Astana time, `Asia/Almaty`). */
  readonly timeZone: string;
  /** Set when station-level figures are not real; shown wherever they are. */
  readonly synthetic?: Localized | undefined;
  /** When true, a protocol counts only after two entries by two different accounts agree. */
  readonly doubleEntry: boolean;
  readonly protocol: ProtocolTemplate;
  /** Scheduled turnout cut-offs, local times (`HH:MM`) in `timeZone`, ascending. */
  readonly turnoutSchedule: readonly string[];
  readonly divisions: readonly Division[];
  readonly contests: readonly Contest[];
}

export const ElectionSchema: z.ZodType<Election> = z.strictObject({
  format: z.literal(ELECTION_FORMAT, { error: `an election file starts with "format": "${ELECTION_FORMAT}"` }),
  id: ElectionIdSchema,
  names: LocalizedSchema,
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'election day is written YYYY-MM-DD' }),
  timeZone: TimeZoneSchema,
  synthetic: LocalizedSchema.optional(),
  doubleEntry: z.boolean().default(false),
  protocol: ProtocolTemplateSchema,
  turnoutSchedule: z.array(HHMM).default([]),
  divisions: z.array(DivisionSchema).min(1, { error: 'an election needs at least its country as a division' }),
  contests: z.array(ContestSchema).min(1, { error: 'an election needs at least one contest' }),
});
