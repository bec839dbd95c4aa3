/**
 * Canvass's extensions to NIST SP 1500-100 v2, all through the schema's own extension point: an
 * `ExternalIdentifier` with `Type: "other"` and an `OtherType` that names what the value is. Standard readers
 * ignore them; the Canvass importer uses them to restore what the standard cannot say. Documented in
 * docs/formats/nist-err.md.
 */
import type { NistExternalIdentifier } from './nist-types.js';

export const CANVASS_EXT = {
  /** The Canvass id of a division, contest, option or election (NIST `@id`s are prefixed and report-wide). */
  id: 'canvass-id',
  /** Marks the Candidate (candidate contests) or Party (party contests) that stands for the against-all line. */
  againstAll: 'canvass-against-all',
  /** The contest's Canvass rules (percentage base, thresholds, seats, method, tie-break) as JSON. */
  rules: 'canvass-rules',
  /** The contest's own Canvass results status (the report's `Status` is the least final of them). */
  resultsStatus: 'canvass-results-status',
  /** An option's order of registration, when it differs from the ballot order (seat tie-breaks). */
  registrationOrder: 'canvass-registration-order',
  /** The election's time zone (IANA). */
  timeZone: 'canvass-time-zone',
  /** The ledger head the report was made from: `<seq>:<sha-256 hex>`. */
  ledgerHead: 'canvass-ledger-head',
  /** The results version the report was made from. */
  resultsVersion: 'canvass-results-version',
} as const;

/** `BallotCounts.OtherType` prefix for per-contest ballot counts when an election has several contests. */
export const CONTEST_BALLOT_COUNTS_PREFIX = 'canvass-contest:';

export function otherId(otherType: string, value: string): NistExternalIdentifier {
  return { '@type': 'ElectionResults.ExternalIdentifier', Type: 'other', OtherType: otherType, Value: value };
}
