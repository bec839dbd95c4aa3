import {
  ContestIdSchema,
  DivisionIdSchema,
  ElectionSchema,
  ProtocolSchema,
  RESULTS_STATUSES,
  TurnoutReportSchema,
  type ContestId,
  type Election,
  type Finding,
  type Protocol,
  type ResultsStatus,
  type StationId,
  type TurnoutReport,
} from '@canvass/core';
import { z } from 'zod';

/**
 * Everything that changes state is one of these events, appended to the hash-chained ledger. Payloads record the
 * decision as it was made (status, findings), so replaying the ledger never re-decides history under newer rules.
 */

export const ROLES = ['admin', 'cec', 'commission', 'observer'] as const;
export type Role = (typeof ROLES)[number];

export interface UserRecord {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  /** Commission and observer accounts are scoped to one election and a division subtree in it. */
  readonly election: string | null;
  readonly division: string | null;
}

/**
 * The life of one protocol version:
 * - `counted`: valid and in the preliminary results (single entry, or two agreeing entries);
 * - `rejected-by-rules`: breaks an error-level control relation; kept and visible, not counted;
 * - `awaiting-second-entry` / `entry-mismatch`: double entry, not yet confirmed;
 * - acceptance and rejection by the higher commission are separate events on a counted version.
 */
export type ProtocolStatus = 'counted' | 'rejected-by-rules' | 'awaiting-second-entry' | 'entry-mismatch';

/** A protocol copy against the version that counted: that version, its hash, and every line on which they differ. */
export interface CopyComparison {
  readonly version: number;
  readonly hash: string;
  readonly differences: readonly CopyDifference[];
}

/** One line (`votes.<option>` for a vote count) as the copy and the counted protocol give it; null where absent. */
export interface CopyDifference {
  readonly line: string;
  readonly copy: number | null;
  readonly counted: number | null;
}

export interface LineDifference {
  /** A line id, or `votes.<option>`. */
  readonly line: string;
  readonly values: readonly { readonly actor: string; readonly value: number }[];
}

export interface ExitPoll {
  readonly id: string;
  readonly contest: ContestId;
  readonly organisation: string;
  /** ISO 8601 time the poll was published. */
  readonly publishedAt: string;
  readonly sampleSize: number;
  readonly method: string;
  /** Estimated share per option, percent as text (e.g. "82.2"). */
  readonly estimates: Readonly<Record<string, string>>;
}

export interface EventPayloads {
  'election-defined': { readonly election: Election };
  'user-added': { readonly user: UserRecord };
  'token-issued': { readonly user: string; readonly token: string };
  /** The token (its id) no longer authenticates anyone, on every instance, from this event on. */
  'token-revoked': { readonly user: string; readonly token: string };
  /** The account can no longer sign in or act, by any token or session, on every instance, from this event on. */
  'user-disabled': { readonly user: string; readonly reason: string };
  /**
   * The account may sign in again. Its tokens and browser sessions from before it was disabled stay revoked (a lost
   * laptop must not come back to life): it needs a new token or a new sign-in.
   */
  'user-enabled': { readonly user: string; readonly reason: string };
  'turnout-reported': { readonly report: TurnoutReport; readonly request?: string | undefined };
  'protocol-entered': {
    readonly protocol: Protocol;
    /** The version this entry belongs to (1 = first). */
    readonly version: number;
    readonly status: ProtocolStatus;
    readonly findings: readonly Finding[];
    /** SHA-256 of the protocol's canonical JSON. */
    readonly hash: string;
    /** With double entry: the lines that differ from the other account's entry. */
    readonly differences?: readonly LineDifference[] | undefined;
    /** SHA-256 of the request body, when sent with an Idempotency-Key. */
    readonly request?: string | undefined;
  };
  /**
   * An observer's copy of a station's protocol (as handed out or photographed at the station): evidence, never
   * counted. `compared` is the protocol that counted when the copy arrived, and the lines on which the two differ.
   */
  'protocol-copy-submitted': {
    readonly copy: Protocol;
    /** SHA-256 of the copy's canonical JSON (equal to the counted protocol's hash when the two are the same). */
    readonly hash: string;
    readonly findings: readonly Finding[];
    readonly compared: CopyComparison | null;
    readonly request?: string | undefined;
  };
  'protocol-accepted': { readonly station: StationId; readonly contest: ContestId; readonly version: number };
  'protocol-rejected': { readonly station: StationId; readonly contest: ContestId; readonly version: number; readonly reason: string };
  'status-changed': {
    readonly contest: ContestId;
    readonly from: ResultsStatus;
    readonly to: ResultsStatus;
    readonly reason?: string | undefined;
  };
  'exit-poll-registered': { readonly poll: ExitPoll; readonly request?: string | undefined };
}

export type EventKind = keyof EventPayloads;

/** An event before it is chained: what a decision produces. */
export interface NewEvent<K extends EventKind = EventKind> {
  readonly kind: K;
  readonly actor: string;
  readonly election: string | null;
  readonly subject: string | null;
  readonly idem: string | null;
  readonly payload: EventPayloads[K];
  /** The payload's canonical JSON, when the decision already has it (saves serializing it again). */
  readonly payloadText?: string | undefined;
}

/** A committed event: numbered, timed, chained and signed. */
export type LedgerEvent<K extends EventKind = EventKind> = NewEvent<K> & {
  readonly seq: number;
  /** ISO 8601 UTC with milliseconds. */
  readonly time: string;
  readonly prevHash: string;
  readonly hash: string;
  /** RFC 8785 canonical JSON of the payload, as hashed and stored. */
  readonly payloadText: string;
  /** Ed25519 signature (base64) of the hash of event `signedSeq`, the last of this event's commit. */
  readonly signature: string;
  readonly signedSeq: number;
};

/**
 * A committed event as the projection reads it: numbered, timed and chained, without the forms it is stored in
 * (canonical payload text, signature), which the start-up replay need not materialise.
 */
export type AppliedEvent<K extends EventKind = EventKind> = Omit<NewEvent<K>, 'payloadText'> & {
  readonly seq: number;
  readonly time: string;
  readonly prevHash: string;
  readonly hash: string;
};

/** Narrowing helper: `isKind(event, 'protocol-entered')`. */
export function isKind<K extends EventKind>(event: LedgerEvent, kind: K): event is LedgerEvent<K> {
  return event.kind === kind;
}

const FindingSchema: z.ZodType<Finding> = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  message: z.record(z.string(), z.string()),
  values: z.record(z.string(), z.number()),
  relation: z.string().optional(),
  left: z.number().optional(),
  right: z.number().optional(),
});

const UserSchema: z.ZodType<UserRecord> = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  election: z.string().nullable(),
  division: z.string().nullable(),
});

const StatusSchema = z.enum(RESULTS_STATUSES as [ResultsStatus, ...ResultsStatus[]]);

/** Payload schemas, to parse what is read back from the database (the edge between store and domain). */
export const PAYLOAD_SCHEMAS: { readonly [K in EventKind]: z.ZodType<EventPayloads[K]> } = {
  'election-defined': z.object({ election: ElectionSchema }),
  'user-added': z.object({ user: UserSchema }),
  'token-issued': z.object({ user: z.string(), token: z.string() }),
  'token-revoked': z.object({ user: z.string(), token: z.string() }),
  'user-disabled': z.object({ user: z.string(), reason: z.string() }),
  'user-enabled': z.object({ user: z.string(), reason: z.string() }),
  'turnout-reported': z.object({ report: TurnoutReportSchema, request: z.string().optional() }),
  'protocol-entered': z.object({
    protocol: ProtocolSchema,
    version: z.number().int().min(1),
    status: z.enum(['counted', 'rejected-by-rules', 'awaiting-second-entry', 'entry-mismatch']),
    findings: z.array(FindingSchema),
    hash: z.string().length(64),
    differences: z.array(z.object({ line: z.string(), values: z.array(z.object({ actor: z.string(), value: z.number() })) })).optional(),
    request: z.string().optional(),
  }),
  'protocol-copy-submitted': z.object({
    copy: ProtocolSchema,
    hash: z.string().length(64),
    findings: z.array(FindingSchema),
    compared: z
      .object({
        version: z.number().int().min(1),
        hash: z.string().length(64),
        differences: z.array(z.object({ line: z.string(), copy: z.number().nullable(), counted: z.number().nullable() })),
      })
      .nullable(),
    request: z.string().optional(),
  }),
  'protocol-accepted': z.object({ station: DivisionIdSchema, contest: ContestIdSchema, version: z.number().int().min(1) }),
  'protocol-rejected': z.object({
    station: DivisionIdSchema,
    contest: ContestIdSchema,
    version: z.number().int().min(1),
    reason: z.string(),
  }),
  'status-changed': z.object({ contest: ContestIdSchema, from: StatusSchema, to: StatusSchema, reason: z.string().optional() }),
  'exit-poll-registered': z.object({
    poll: z.object({
      id: z.string(),
      contest: ContestIdSchema,
      organisation: z.string(),
      publishedAt: z.string(),
      sampleSize: z.number().int().min(1),
      method: z.string(),
      estimates: z.record(z.string(), z.string()),
    }),
    request: z.string().optional(),
  }),
};

export const EVENT_KINDS = Object.keys(PAYLOAD_SCHEMAS) as EventKind[];
export const isEventKind = (kind: string): kind is EventKind => kind in PAYLOAD_SCHEMAS;
