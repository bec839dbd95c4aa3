/**
 * The OpenElections precinct CSV (https://github.com/openelections, e.g. the `openelections-data-*` repositories):
 * one row per precinct, office and candidate, with the columns `county, precinct, office, district, party,
 * candidate, votes`, optionally followed by vote-method breakdowns (`early_voting`, `election_day`, …). The
 * project's conventions for rows that are not candidates are below; docs/formats/openelections.md has the rest.
 */

export const OE_COLUMNS = ['county', 'precinct', 'office', 'district', 'party', 'candidate', 'votes'] as const;

/** Pseudo-offices: one row per precinct with empty party and candidate. */
export const OE_REGISTERED = 'Registered Voters';
export const OE_BALLOTS_CAST = 'Ballots Cast';

/** Pseudo-candidates: one row per precinct and office. */
export const OE_WRITE_INS = 'Write-ins';
export const OE_OVER_VOTES = 'Over Votes';
export const OE_UNDER_VOTES = 'Under Votes';
/** Canvass's addition for invalid (spoiled) ballots of one contest; read back as invalid, like over votes. */
export const OE_INVALID = 'Invalid Ballots';
/** Canvass's against-all line, as a candidate. */
export const OE_AGAINST_ALL = 'Against all';

/** Vote-method columns whose sum may not exceed `votes` (the OpenElections data tests check the same). */
export const OE_BREAKDOWN_COLUMNS = ['absentee', 'early_voting', 'election_day', 'mail', 'provisional'] as const;

const lower = (values: readonly string[]) => new Set(values.map((v) => v.toLowerCase()));

/** Spellings found in OpenElections files, compared case-insensitively. */
export const OE_SPELLINGS = {
  registered: lower([OE_REGISTERED, 'Registered', 'Total Registered Voters']),
  ballotsCast: lower([OE_BALLOTS_CAST, 'Total Ballots Cast', 'Ballots', 'Total Ballots']),
  total: lower(['Total', 'Totals', 'Total Votes', 'Total Votes Cast', 'Votes Cast']),
  overVotes: lower([OE_OVER_VOTES, 'Overvotes', 'Over Vote', 'Overvote']),
  underVotes: lower([OE_UNDER_VOTES, 'Undervotes', 'Under Vote', 'Undervote']),
  invalid: lower([OE_INVALID, 'Invalid', 'Invalid Votes', 'Rejected Ballots', 'Spoiled Ballots']),
  writeIns: lower([OE_WRITE_INS, 'Write-in', 'Write In', 'Write Ins', 'Write-In Totals']),
  againstAll: lower([OE_AGAINST_ALL, 'Against All Candidates', 'None of the above', 'None of These Candidates']),
} as const;
