/**
 * The part of NIST SP 1500-100 v2 (Election Results Common Data Format, JSON schema
 * `NIST_V2_election_results_reporting.json`) that Canvass writes, as TypeScript types. Property names and
 * enumerations are the schema's; every object carries its `@type`. Optional properties are left out when
 * Canvass has nothing to say (the schema forbids `null`).
 */

export type NistReportDetailLevel = 'precinct-level' | 'summary-contest';
export type NistResultsStatus = 'certified' | 'correction' | 'pre-election' | 'recount' | 'unofficial-complete' | 'unofficial-partial';
export type NistIdentifierType = 'fips' | 'local-level' | 'national-level' | 'ocd-id' | 'other' | 'state-level';
export type NistCountItemType =
  | 'absentee'
  | 'absentee-fwab'
  | 'absentee-in-person'
  | 'absentee-mail'
  | 'early'
  | 'election-day'
  | 'other'
  | 'provisional'
  | 'seats'
  | 'total'
  | 'uocava'
  | 'write-in';
export type NistCountItemStatus = 'completed' | 'in-process' | 'not-processed' | 'unknown';
export type NistVoteVariation =
  'approval' | 'borda' | 'cumulative' | 'majority' | 'n-of-m' | 'other' | 'plurality' | 'proportional' | 'range' | 'rcv' | 'super-majority';
export type NistCandidatePostElectionStatus = 'advanced-to-runoff' | 'defeated' | 'projected-winner' | 'winner' | 'withdrawn';
export type NistElectionType = 'general' | 'other' | 'partisan-primary-closed' | 'partisan-primary-open' | 'primary' | 'runoff' | 'special';

/** The schema's `ReportingUnitType` enumeration. */
export const NIST_REPORTING_UNIT_TYPES = [
  'ballot-batch',
  'ballot-style-area',
  'borough',
  'city',
  'city-council',
  'combined-precinct',
  'congressional',
  'country',
  'county',
  'county-council',
  'drop-box',
  'judicial',
  'municipality',
  'other',
  'polling-place',
  'precinct',
  'school',
  'special',
  'split-precinct',
  'state',
  'state-house',
  'state-senate',
  'town',
  'township',
  'utility',
  'village',
  'vote-center',
  'ward',
  'water',
] as const;
export type NistReportingUnitType = (typeof NIST_REPORTING_UNIT_TYPES)[number];

export interface NistLanguageString {
  readonly '@type': 'ElectionResults.LanguageString';
  readonly Content: string;
  readonly Language: string;
}

export interface NistInternationalizedText {
  readonly '@type': 'ElectionResults.InternationalizedText';
  readonly Text: readonly NistLanguageString[];
}

export interface NistExternalIdentifier {
  readonly '@type': 'ElectionResults.ExternalIdentifier';
  readonly Type: NistIdentifierType;
  readonly OtherType?: string;
  readonly Value: string;
}

export interface NistVoteCounts {
  readonly '@type': 'ElectionResults.VoteCounts';
  readonly GpUnitId: string;
  readonly Type: NistCountItemType;
  readonly Count: number;
}

export interface NistBallotCounts {
  readonly '@type': 'ElectionResults.BallotCounts';
  readonly GpUnitId: string;
  readonly Type: NistCountItemType;
  readonly OtherType?: string;
  readonly BallotsCast: number;
  readonly BallotsRejected: number;
}

export interface NistCountStatus {
  readonly '@type': 'ElectionResults.CountStatus';
  readonly Type: NistCountItemType;
  readonly Status: NistCountItemStatus;
}

export interface NistCandidateSelection {
  readonly '@type': 'ElectionResults.CandidateSelection';
  readonly '@id': string;
  readonly SequenceOrder: number;
  readonly CandidateIds: readonly string[];
  readonly IsWriteIn: boolean;
  readonly VoteCounts: readonly NistVoteCounts[];
}

export interface NistPartySelection {
  readonly '@type': 'ElectionResults.PartySelection';
  readonly '@id': string;
  readonly SequenceOrder: number;
  readonly PartyIds: readonly string[];
  readonly VoteCounts: readonly NistVoteCounts[];
}

interface NistContestCommon {
  readonly '@id': string;
  readonly Name: string;
  readonly BallotTitle: NistInternationalizedText;
  readonly ElectionDistrictId: string;
  readonly SequenceOrder: number;
  readonly VoteVariation: NistVoteVariation;
  readonly SubUnitsReported: number;
  readonly TotalSubUnits: number;
  readonly CountStatus: readonly NistCountStatus[];
  readonly ExternalIdentifier: readonly NistExternalIdentifier[];
}

export interface NistCandidateContest extends NistContestCommon {
  readonly '@type': 'ElectionResults.CandidateContest';
  readonly VotesAllowed: number;
  readonly NumberElected: number;
  readonly NumberRunoff?: number;
  readonly ContestSelection: readonly NistCandidateSelection[];
}

export interface NistPartyContest extends NistContestCommon {
  readonly '@type': 'ElectionResults.PartyContest';
  readonly ContestSelection: readonly NistPartySelection[];
}

export type NistContest = NistCandidateContest | NistPartyContest;

export interface NistCandidate {
  readonly '@type': 'ElectionResults.Candidate';
  readonly '@id': string;
  readonly BallotName: NistInternationalizedText;
  readonly PartyId?: string;
  readonly PostElectionStatus?: NistCandidatePostElectionStatus;
  readonly ExternalIdentifier: readonly NistExternalIdentifier[];
}

export interface NistParty {
  readonly '@type': 'ElectionResults.Party';
  readonly '@id': string;
  readonly Name: NistInternationalizedText;
  readonly IsRecognizedParty?: boolean;
  readonly ExternalIdentifier?: readonly NistExternalIdentifier[];
}

export interface NistReportingUnit {
  readonly '@type': 'ElectionResults.ReportingUnit';
  readonly '@id': string;
  readonly Type: NistReportingUnitType;
  readonly OtherType?: string;
  readonly Name: NistInternationalizedText;
  readonly ComposingGpUnitIds?: readonly string[];
  readonly ExternalIdentifier: readonly NistExternalIdentifier[];
  readonly VotersRegistered: number;
}

export interface NistElection {
  readonly '@type': 'ElectionResults.Election';
  readonly Name: NistInternationalizedText;
  readonly StartDate: string;
  readonly EndDate: string;
  readonly Type: NistElectionType;
  readonly ElectionScopeId: string;
  readonly ExternalIdentifier: readonly NistExternalIdentifier[];
  readonly Candidate: readonly NistCandidate[];
  readonly Contest: readonly NistContest[];
  readonly BallotCounts: readonly NistBallotCounts[];
}

export interface NistElectionReport {
  readonly '@type': 'ElectionResults.ElectionReport';
  readonly Format: NistReportDetailLevel;
  readonly GeneratedDate: string;
  readonly Issuer: string;
  readonly IssuerAbbreviation: string;
  readonly VendorApplicationId: string;
  readonly SequenceStart: number;
  readonly SequenceEnd: number;
  readonly Status: NistResultsStatus;
  readonly IsTest?: boolean;
  readonly TestType?: string;
  readonly Notes?: string;
  readonly ExternalIdentifier: readonly NistExternalIdentifier[];
  readonly Election: readonly NistElection[];
  readonly GpUnit: readonly NistReportingUnit[];
  readonly Party: readonly NistParty[];
}
