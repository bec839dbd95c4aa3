/**
 * The API's answers, parsed at the edge (STYLE.md: parse at every edge, trust inside). The shapes follow
 * packages/server/src/services/results-service.ts and the write routes; the election's own parts (protocol template,
 * contests) are parsed by the core's schemas, so the browser checks protocols against exactly what the server uses.
 */
import { ContestSchema, ProtocolTemplateSchema, RESULTS_STATUSES, type Contest, type ResultsStatus } from '@canvass/core';
import { z } from 'zod';

export const LocalizedSchema = z.record(z.string(), z.string());
export type Names = z.infer<typeof LocalizedSchema>;

export const StatusSchema = z.enum(RESULTS_STATUSES as [ResultsStatus, ...ResultsStatus[]]);
const Count = z.number().int().min(0);
const PercentText = z.string().nullable();

export interface ContestWithStatus {
  readonly contest: Contest;
  readonly status: ResultsStatus;
}

const ContestWithStatusSchema: z.ZodType<ContestWithStatus> = z.looseObject({ status: StatusSchema }).transform((value, ctx) => {
  const { status, ...definition } = value;
  const contest = ContestSchema.safeParse(definition);
  if (!contest.success) {
    for (const issue of contest.error.issues)
      ctx.issues.push({ code: 'custom', message: issue.message, path: issue.path, input: definition });
    return z.NEVER;
  }
  return { contest: contest.data, status };
});

export const SummarySchema = z.object({
  id: z.string(),
  names: LocalizedSchema,
  date: z.string(),
  timeZone: z.string(),
  synthetic: LocalizedSchema.nullable(),
  doubleEntry: z.boolean(),
  turnoutSchedule: z.array(z.string()),
  protocol: ProtocolTemplateSchema,
  root: z.string(),
  stations: Count,
  contests: z.array(ContestWithStatusSchema),
  resultsVersion: z.number(),
  ledger: z.object({ seq: z.number(), hash: z.string() }),
});
export type Summary = z.infer<typeof SummarySchema>;

export const ElectionListSchema = z.object({
  elections: z.array(z.object({ id: z.string(), names: LocalizedSchema, date: z.string() })),
});

const OutcomeSchema = z.union([
  z.object({ kind: z.literal('elected'), elected: z.array(z.string()) }),
  z.object({ kind: z.literal('runoff'), runoff: z.array(z.string()) }),
  z.object({ kind: z.literal('seats'), seats: z.record(z.string(), z.number()), qualified: z.array(z.string()) }),
  z.object({
    kind: z.literal('tie'),
    for: z.enum(['elected', 'runoff', 'seats']),
    tied: z.array(z.string()),
    settled: z.array(z.string()),
    places: z.number(),
  }),
  z.object({ kind: z.literal('no-votes') }),
]);
export type OutcomeView = z.infer<typeof OutcomeSchema>;

export const ContestResultsSchema = z.object({
  contest: z.string(),
  status: StatusSchema,
  stations: z.object({ reported: Count, total: Count }),
  registered: z.number(),
  participated: z.number(),
  invalid: z.number(),
  valid: z.number(),
  turnoutPercent: PercentText,
  options: z.array(z.object({ option: z.string(), votes: z.number(), percent: PercentText })),
  outcome: OutcomeSchema.optional(),
  registeredTotal: z.number(),
  registeredCoveredPercent: PercentText,
  percentBase: z.number(),
  lines: z.record(z.string(), z.number()),
});
export type ContestResults = z.infer<typeof ContestResultsSchema>;

export const DivisionResultsSchema = z.object({
  election: z.string(),
  division: z.string(),
  contests: z.array(ContestResultsSchema),
});
export type DivisionResults = z.infer<typeof DivisionResultsSchema>;

const DivisionSchema = z.object({
  id: z.string(),
  kind: z.string(),
  names: LocalizedSchema,
  externalIds: z.record(z.string(), z.string()).optional(),
  registered: z.number().optional(),
});

export const DivisionViewSchema = z.object({
  election: z.string(),
  division: DivisionSchema,
  path: z.array(z.object({ id: z.string(), kind: z.string(), names: LocalizedSchema })),
  results: DivisionResultsSchema,
  children: z.array(DivisionSchema.extend({ results: DivisionResultsSchema })),
});
export type DivisionView = z.infer<typeof DivisionViewSchema>;
export type ChildView = DivisionView['children'][number];

const TurnoutPointSchema = z.object({
  at: z.string(),
  participated: z.number(),
  registered: z.number(),
  stationsReported: z.number(),
  percent: PercentText,
});
export type TurnoutPoint = z.infer<typeof TurnoutPointSchema>;

export const TurnoutSchema = z.object({
  election: z.string(),
  division: z.string(),
  timeZone: z.string(),
  points: z.array(TurnoutPointSchema),
  children: z.array(z.object({ division: z.string(), points: z.array(TurnoutPointSchema) })),
});
export type Turnout = z.infer<typeof TurnoutSchema>;

export const ExitPollsSchema = z.object({
  election: z.string(),
  polls: z.array(
    z.object({
      id: z.string(),
      contest: z.string(),
      organisation: z.string(),
      publishedAt: z.string(),
      sampleSize: z.number(),
      method: z.string(),
      estimates: z.array(z.object({ option: z.string(), estimate: z.string(), count: PercentText, deviation: PercentText })),
    }),
  ),
});
export type ExitPolls = z.infer<typeof ExitPollsSchema>;

export const FindingSchema = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  message: LocalizedSchema,
  values: z.record(z.string(), z.number()).default({}),
  relation: z.string().optional(),
  left: z.number().optional(),
  right: z.number().optional(),
});
export type FindingView = z.infer<typeof FindingSchema>;

export const ProtocolStatusSchema = z.enum(['counted', 'rejected-by-rules', 'awaiting-second-entry', 'entry-mismatch']);
export type ProtocolStatus = z.infer<typeof ProtocolStatusSchema>;

const ActorSchema = z.object({ role: z.string(), name: z.string().optional() });
const DifferenceSchema = z.object({ line: z.string(), values: z.array(z.object({ actor: z.string(), value: z.number() })) });
export type Difference = z.infer<typeof DifferenceSchema>;

const EntrySchema = z.object({
  seq: z.number(),
  time: z.string(),
  actor: ActorSchema,
  version: z.number(),
  status: ProtocolStatusSchema,
  hash: z.string(),
  findings: z.array(FindingSchema),
  reason: z.string().optional(),
  differences: z.array(DifferenceSchema).optional(),
  lines: z.record(z.string(), z.number()),
  votes: z.record(z.string(), z.number()),
});
export type Entry = z.infer<typeof EntrySchema>;

const ReviewSchema = z.object({
  seq: z.number(),
  time: z.string(),
  actor: ActorSchema,
  version: z.number(),
  decision: z.enum(['accepted', 'rejected']),
  reason: z.string().optional(),
});

/** An observer's copy of the protocol, against the version that counts now (null: none counted yet). */
const CopySchema = z.object({
  seq: z.number(),
  time: z.string(),
  actor: ActorSchema,
  hash: z.string(),
  findings: z.array(FindingSchema),
  now: z
    .object({
      version: z.number(),
      hash: z.string(),
      differences: z.array(z.object({ line: z.string(), copy: z.number().nullable(), counted: z.number().nullable() })),
    })
    .nullable(),
});
export type CopyView = z.infer<typeof CopySchema>;

export const StationSchema = z.object({
  election: z.string(),
  station: z.object({
    id: z.string(),
    names: LocalizedSchema,
    registered: z.number().optional(),
    timeZone: z.string().optional(),
    closes: z.string().optional(),
  }),
  path: z.array(z.object({ id: z.string(), names: LocalizedSchema })),
  contests: z.array(
    z.object({
      contest: z.string(),
      status: StatusSchema,
      latest: z
        .object({
          version: z.number(),
          status: z.enum(['counted', 'rejected-by-rules']),
          accepted: z.boolean(),
          rejectedReason: z.string().nullable(),
          hash: z.string(),
          lines: z.record(z.string(), z.number()),
          votes: z.record(z.string(), z.number()),
          counted: z.boolean(),
        })
        .nullable(),
      entries: z.array(EntrySchema),
      reviews: z.array(ReviewSchema),
      // Older servers send no copies.
      copies: z.array(CopySchema).default([]),
    }),
  ),
  turnout: z.array(z.object({ at: z.string(), participated: z.number().nullable(), registered: z.number().nullable() })),
});
export type Station = z.infer<typeof StationSchema>;
export type StationContest = Station['contests'][number];

const ProgressCountsSchema = z.object({
  stations: Count,
  counted: Count,
  missing: Count,
  rejectedByRules: Count,
  awaitingSecondEntry: Count,
  entryMismatch: Count,
  awaitingAcceptance: Count,
  accepted: Count,
  rejectedByCommission: Count,
});
export type ProgressCounts = z.infer<typeof ProgressCountsSchema>;

export const ProgressSchema = z.object({
  election: z.string(),
  division: z.string(),
  contests: z.array(
    z.object({
      contest: z.string(),
      status: StatusSchema,
      totals: ProgressCountsSchema,
      children: z.array(ProgressCountsSchema.extend({ division: z.string(), names: LocalizedSchema })),
    }),
  ),
});
export type Progress = z.infer<typeof ProgressSchema>;

export const FlagsSchema = z.object({
  election: z.string(),
  division: z.string(),
  count: z.number(),
  flagged: z.array(
    z.object({
      station: z.string(),
      contest: z.string(),
      version: z.number().nullable(),
      reasons: z.array(z.string()),
      findings: z.array(FindingSchema.pick({ code: true, severity: true, message: true })),
      rejectedReason: z.string().nullable(),
      seq: z.number().nullable(),
      time: z.string().nullable(),
    }),
  ),
});
export type Flags = z.infer<typeof FlagsSchema>;

/** `GET /elections/{e}/discrepancies/{division}`: the observers' copies under a division against the count. */
export const DiscrepanciesSchema = z.object({
  election: z.string(),
  division: z.string(),
  copies: z.number(),
  stations: z.number(),
  matching: z.number(),
  differing: z.number(),
  uncompared: z.number(),
  discrepancies: z.array(
    z.object({
      station: z.string(),
      contest: z.string(),
      seq: z.number(),
      time: z.string(),
      hash: z.string(),
      counted: z.object({ version: z.number(), hash: z.string() }),
      largest: z.number(),
      differences: z.array(z.object({ line: z.string(), copy: z.number().nullable(), counted: z.number().nullable() })),
    }),
  ),
});
export type Discrepancies = z.infer<typeof DiscrepanciesSchema>;

const IntegerCountsSchema = z.object({ either: z.number(), leader: z.number(), turnout: z.number() });

/** `GET /elections/{e}/forensics/{division}`: the integer-percentage test per contest. */
export const ForensicsSchema = z.object({
  election: z.string(),
  division: z.string(),
  contests: z.array(
    z.object({
      contest: z.string(),
      leader: z.string().nullable(),
      integerPercentages: z
        .object({
          considered: z.number(),
          excluded: z.number(),
          observed: IntegerCountsSchema,
          expected: IntegerCountsSchema,
          excess: IntegerCountsSchema,
          sd: IntegerCountsSchema,
          z: z.object({ either: z.number().nullable(), leader: z.number().nullable(), turnout: z.number().nullable() }),
        })
        .nullable(),
    }),
  ),
});
export type Forensics = z.infer<typeof ForensicsSchema>;

export const ReviewQueueSchema = z.object({
  election: z.string(),
  division: z.string(),
  count: z.number(),
  queue: z.array(
    z.object({
      station: z.string(),
      names: LocalizedSchema.optional(),
      contest: z.string(),
      version: z.number(),
      hash: z.string(),
      seq: z.number(),
      lines: z.record(z.string(), z.number()),
      votes: z.record(z.string(), z.number()),
      findings: z.array(FindingSchema),
    }),
  ),
});
export type ReviewQueue = z.infer<typeof ReviewQueueSchema>;

export const RoleSchema = z.enum(['admin', 'cec', 'commission', 'observer']);

export const AccountsSchema = z.object({
  users: z.array(
    z.object({
      name: z.string(),
      role: RoleSchema,
      election: z.string().nullable(),
      division: z.string().nullable(),
      disabled: z.boolean(),
      tokens: z.object({ active: z.number(), revoked: z.number() }),
    }),
  ),
});
export type Accounts = z.infer<typeof AccountsSchema>;

export const UserSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: RoleSchema,
  election: z.string().nullable(),
  division: z.string().nullable(),
});
export type User = z.infer<typeof UserSchema>;

export const SessionSchema = z.object({ user: UserSchema, csrfToken: z.string().nullable() });
export type Session = z.infer<typeof SessionSchema>;

export const ProtocolResponseSchema = z.object({
  election: z.string(),
  station: z.string(),
  contest: z.string(),
  version: z.number(),
  status: ProtocolStatusSchema,
  counted: z.boolean(),
  findings: z.array(FindingSchema),
  hash: z.string(),
  seq: z.number(),
  differences: z.array(DifferenceSchema).optional(),
});
export type ProtocolResponse = z.infer<typeof ProtocolResponseSchema>;

export const UpdatedSchema = z.object({ election: z.string(), seq: z.number(), time: z.string().nullable() });

/** RFC 9457 problem details as the API sends them. */
export const ProblemSchema = z.looseObject({
  type: z.string().optional(),
  title: z.string().optional(),
  status: z.number().optional(),
  detail: z.string().optional(),
  field: z.string().optional(),
  rule: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), rule: z.string(), message: z.string() })).optional(),
  findings: z.array(FindingSchema).optional(),
  /** Seconds after which to ask again (an answer still being computed: 503). */
  retryAfter: z.number().optional(),
});
export type Problem = z.infer<typeof ProblemSchema>;
