/**
 * Export to NIST SP 1500-100 v2 (Election Results Common Data Format, JSON): an `ElectionReport` with one
 * `Election`, every division as a `ReportingUnit`, every contest with its selections and their vote counts.
 *
 * Mapping (docs/formats/nist-err.md has the full table):
 * - majority-runoff and plurality contests → `CandidateContest` with `Candidate`s; party-list → `PartyContest` with
 *   one `Party` per list.
 * - Against-all, which NIST lacks, is a selection like any other whose Candidate (or Party) carries the
 *   extension identifier `other`/`canvass-against-all`, so every standard reader still adds its votes up.
 * - `summary`: vote counts at the contest's division and each of its direct sub-divisions (regions);
 *   `precinct`: also at every polling station whose protocol is counted.
 * - Per unit: `VoteCounts` (`total`) per selection, `BallotCounts` with `BallotsCast` = voters who took part (the
 *   election's `participated` role) and `BallotsRejected` = invalid ballots; `ReportingUnit.VotersRegistered`.
 *
 * Pure apart from its input: the same publication input gives the same report, byte for byte.
 */
import {
  POLLING_STATION,
  assertNever,
  childrenOf,
  evaluate,
  localize,
  readRow,
  type ContestIndex,
  type ContestResults,
  type Division,
  type Localized,
  type Outcome,
  type ResultsStatus,
} from '@canvass/core';
import type { PublicationInput } from '../../publish/publication-input.js';
import { protocolKey } from '../../tally/count-records.js';
import { CANVASS_EXT, CONTEST_BALLOT_COUNTS_PREFIX, otherId } from './nist-extensions.js';
import {
  NIST_REPORTING_UNIT_TYPES,
  type NistBallotCounts,
  type NistCandidate,
  type NistCandidatePostElectionStatus,
  type NistContest,
  type NistElectionReport,
  type NistExternalIdentifier,
  type NistInternationalizedText,
  type NistParty,
  type NistReportingUnit,
  type NistReportingUnitType,
  type NistResultsStatus,
  type NistVoteCounts,
} from './nist-types.js';

export type NistLevel = 'summary' | 'precinct';

export interface NistExportOptions {
  /** `Issuer`; by default the English name of the top division (pass the commission's name in production). */
  readonly issuer?: string | undefined;
  /** `IssuerAbbreviation`; by default the top division's ISO 3166 code, else its id in capitals. */
  readonly issuerAbbreviation?: string | undefined;
}

/** The least final status comes first: a report is only as final as its least final contest. */
const FINALITY: readonly ResultsStatus[] = ['unofficial-partial', 'unofficial-complete', 'recount', 'correction', 'certified'];

/** Canvass division kinds that are NIST reporting-unit types of the same meaning. */
const SAME_NAME_TYPES: ReadonlySet<string> = new Set(NIST_REPORTING_UNIT_TYPES.filter((t) => t !== 'other' && t !== 'precinct'));

export function exportNistErr(input: PublicationInput, level: NistLevel, options: NistExportOptions = {}): NistElectionReport {
  const { index } = input;
  const election = index.election;
  const divisions = election.divisions;
  const n = divisions.length;
  const rootAt = index.parent.findIndex((p) => p < 0);
  const root = divisionAt(divisions, rootAt);
  const ids = new IdRegistry();
  const gpIds = divisions.map((d) => ids.take(`gpu-${d.id}`));
  const counted = (contest: ContestIndex, station: Division) => input.counted.get(protocolKey(contest.contest.id, station.id));

  // Voters on the lists, best known: a station's counted protocol (it includes additional lists), else the definition.
  const registered = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const division = divisionAt(divisions, i);
    if (division.kind !== POLLING_STATION) continue;
    let value = division.registered ?? 0;
    for (const contest of index.contests) {
      const protocol = contest.votesHere[i] ? counted(contest, division)?.protocol : undefined;
      if (protocol) {
        value = evaluate(contest.roles.registered, readRow(contest, protocol));
        break;
      }
    }
    for (let p = i; p >= 0; p = index.parent[p] ?? -1) registered[p] = (registered[p] ?? 0) + value;
  }

  const gpUnits: NistReportingUnit[] = divisions.map((division, i) => {
    const children = childrenOf(index, i).map((c) => gpIds[c] ?? '');
    const type = unitType(division.kind);
    return {
      '@type': 'ElectionResults.ReportingUnit',
      '@id': gpIds[i] ?? '',
      Type: type,
      ...(type === 'other' ? { OtherType: division.kind } : {}),
      Name: itext(division.names),
      ...(children.length > 0 ? { ComposingGpUnitIds: children } : {}),
      ExternalIdentifier: [otherId(CANVASS_EXT.id, division.id), ...externalIdentifiers(division.externalIds)],
      VotersRegistered: registered[i] ?? 0,
    };
  });

  const candidates: NistCandidate[] = [];
  const parties: NistParty[] = [];
  const affiliations = new Map<string, string>();
  const ballotCounts: NistBallotCounts[] = [];
  const contests: NistContest[] = [];
  const single = index.contests.length === 1;
  const statuses: ResultsStatus[] = [];

  for (const contestIndex of index.contests) {
    const contest = contestIndex.contest;
    const status = input.status(contest.id);
    statuses.push(status);
    const resultsAt = (at: number): ContestResults => {
      const results = input.tally
        .results(divisionAt(divisions, at).id, { status: () => status })
        ?.contests.find((c) => c.contest === contest.id);
      if (!results) throw new Error(`no results for contest ${contest.id} at ${divisionAt(divisions, at).id} (bug)`);
      return results;
    };
    const top = resultsAt(contestIndex.root);

    // The units that get counts, with their figures: the contest's division, its direct sub-divisions, and at
    // precinct level every station whose protocol is counted.
    interface Row {
      readonly unit: string;
      readonly votes: readonly number[];
      readonly cast: number;
      readonly rejected: number;
    }
    const rows: Row[] = [contestIndex.root, ...childrenOf(index, contestIndex.root).filter((c) => !index.isStation[c])].map((at) => {
      const results = at === contestIndex.root ? top : resultsAt(at);
      return {
        unit: gpIds[at] ?? '',
        votes: results.options.map((o) => o.votes),
        cast: results.participated,
        rejected: results.invalid,
      };
    });
    if (level === 'precinct') {
      for (let i = 0; i < n; i++) {
        if (!contestIndex.votesHere[i]) continue;
        const protocol = counted(contestIndex, divisionAt(divisions, i))?.protocol;
        if (!protocol) continue;
        const row = readRow(contestIndex, protocol);
        const votes: Readonly<Record<string, number>> = protocol.votes;
        rows.push({
          unit: gpIds[i] ?? '',
          votes: contest.options.map((o) => votes[o.id] ?? 0),
          cast: evaluate(contestIndex.roles.participated, row),
          rejected: evaluate(contestIndex.roles.invalid, row),
        });
      }
    }

    for (const row of rows) {
      ballotCounts.push({
        '@type': 'ElectionResults.BallotCounts',
        GpUnitId: row.unit,
        Type: single ? 'total' : 'other',
        ...(single ? {} : { OtherType: `${CONTEST_BALLOT_COUNTS_PREFIX}${contest.id}` }),
        BallotsCast: row.cast,
        BallotsRejected: row.rejected,
      });
    }

    const counts = (k: number): NistVoteCounts[] =>
      rows.map((row) => ({ '@type': 'ElectionResults.VoteCounts', GpUnitId: row.unit, Type: 'total', Count: row.votes[k] ?? 0 }));
    const optionIds = (option: (typeof contest.options)[number]): NistExternalIdentifier[] => [
      otherId(CANVASS_EXT.id, option.id),
      ...(option.kind === 'against-all' ? [otherId(CANVASS_EXT.againstAll, 'true')] : []),
      ...(option.registrationOrder !== undefined ? [otherId(CANVASS_EXT.registrationOrder, String(option.registrationOrder))] : []),
    ];
    const common = {
      '@id': ids.take(`con-${contest.id}`),
      Name: localize(contest.names, 'en'),
      BallotTitle: itext(contest.names),
      ElectionDistrictId: gpIds[contestIndex.root] ?? '',
      SequenceOrder: contestIndex.ordinal + 1,
      SubUnitsReported: top.stations.reported,
      TotalSubUnits: top.stations.total,
      CountStatus: [
        {
          '@type': 'ElectionResults.CountStatus' as const,
          Type: 'total' as const,
          Status: top.stations.reported === top.stations.total ? ('completed' as const) : ('in-process' as const),
        },
      ],
      ExternalIdentifier: [
        otherId(CANVASS_EXT.id, contest.id),
        otherId(CANVASS_EXT.rules, JSON.stringify(contest.rules)),
        otherId(CANVASS_EXT.resultsStatus, status),
      ],
    };

    switch (contest.kind) {
      case 'majority-runoff':
      case 'plurality': {
        const seats = contest.kind === 'plurality' ? contest.rules.seats : 1;
        contests.push({
          '@type': 'ElectionResults.CandidateContest',
          ...common,
          VoteVariation: contest.kind === 'majority-runoff' ? 'majority' : seats === 1 ? 'plurality' : 'n-of-m',
          VotesAllowed: seats,
          NumberElected: seats,
          ...(contest.kind === 'majority-runoff' ? { NumberRunoff: contest.rules.runoffSize } : {}),
          ContestSelection: contest.options.map((option, k) => {
            const candidateId = ids.take(`cand-${contest.id}-${option.id}`);
            let partyId: string | undefined;
            if (option.party && option.kind !== 'against-all') {
              const key = JSON.stringify(Object.entries(option.party));
              partyId = affiliations.get(key);
              if (partyId === undefined) {
                partyId = ids.take(`aff-${affiliations.size + 1}`);
                affiliations.set(key, partyId);
                parties.push({ '@type': 'ElectionResults.Party', '@id': partyId, Name: itext(option.party) });
              }
            }
            const post = option.kind === 'against-all' ? undefined : postElectionStatus(top.outcome, option.id, status);
            candidates.push({
              '@type': 'ElectionResults.Candidate',
              '@id': candidateId,
              BallotName: itext(option.names),
              ...(partyId !== undefined ? { PartyId: partyId } : {}),
              ...(post !== undefined ? { PostElectionStatus: post } : {}),
              ExternalIdentifier: optionIds(option),
            });
            return {
              '@type': 'ElectionResults.CandidateSelection',
              '@id': ids.take(`cs-${contest.id}-${option.id}`),
              SequenceOrder: k + 1,
              CandidateIds: [candidateId],
              IsWriteIn: false,
              VoteCounts: counts(k),
            };
          }),
        });
        break;
      }
      case 'party-list': {
        const outcome = top.outcome;
        contests.push({
          '@type': 'ElectionResults.PartyContest',
          ...common,
          VoteVariation: 'proportional',
          ContestSelection: contest.options.map((option, k) => {
            const partyId = ids.take(`party-${contest.id}-${option.id}`);
            parties.push({
              '@type': 'ElectionResults.Party',
              '@id': partyId,
              Name: itext(option.names),
              ...(option.kind === 'against-all' ? { IsRecognizedParty: false } : {}),
              ExternalIdentifier: optionIds(option),
            });
            const seats: NistVoteCounts[] =
              outcome?.kind === 'seats' && option.kind !== 'against-all'
                ? [
                    {
                      '@type': 'ElectionResults.VoteCounts',
                      GpUnitId: common.ElectionDistrictId,
                      Type: 'seats',
                      Count: outcome.seats[option.id] ?? 0,
                    },
                  ]
                : [];
            return {
              '@type': 'ElectionResults.PartySelection',
              '@id': ids.take(`ps-${contest.id}-${option.id}`),
              SequenceOrder: k + 1,
              PartyIds: [partyId],
              VoteCounts: [...counts(k), ...seats],
            };
          }),
        });
        break;
      }
      default:
        assertNever(contest, 'contest kind');
    }
  }

  const reportStatus: NistResultsStatus =
    FINALITY.find((s) => statuses.includes(s)) ?? (statuses.length === 0 ? 'pre-election' : 'unofficial-partial');
  const iso = root.externalIds?.['iso3166-1'] ?? root.externalIds?.['iso3166-2'];
  const synthetic = election.synthetic ? localize(election.synthetic, 'en') : undefined;
  return {
    '@type': 'ElectionResults.ElectionReport',
    Format: level === 'summary' ? 'summary-contest' : 'precinct-level',
    GeneratedDate: input.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    Issuer: options.issuer ?? localize(root.names, 'en'),
    IssuerAbbreviation: options.issuerAbbreviation ?? iso ?? root.id.toUpperCase(),
    VendorApplicationId: 'Canvass',
    SequenceStart: 1,
    SequenceEnd: 1,
    Status: reportStatus,
    ...(synthetic !== undefined ? { IsTest: true, TestType: 'synthetic', Notes: synthetic } : {}),
    ExternalIdentifier: [
      otherId(CANVASS_EXT.ledgerHead, `${input.ledgerHead.seq}:${input.ledgerHead.hash}`),
      otherId(CANVASS_EXT.resultsVersion, String(input.resultsVersion)),
    ],
    Election: [
      {
        '@type': 'ElectionResults.Election',
        Name: itext(election.names),
        StartDate: election.date,
        EndDate: election.date,
        Type: 'general',
        ElectionScopeId: gpIds[rootAt] ?? '',
        ExternalIdentifier: [otherId(CANVASS_EXT.id, election.id), otherId(CANVASS_EXT.timeZone, election.timeZone)],
        Candidate: candidates,
        Contest: contests,
        BallotCounts: ballotCounts,
      },
    ],
    GpUnit: gpUnits,
    Party: parties,
  };
}

/** NIST `PostElectionStatus` from the outcome at the contest's division; nothing while it is undecided or tied. */
function postElectionStatus(
  outcome: Outcome | undefined,
  option: string,
  status: ResultsStatus,
): NistCandidatePostElectionStatus | undefined {
  switch (outcome?.kind) {
    case 'elected':
      return outcome.elected.some((id) => id === option) ? (status === 'certified' ? 'winner' : 'projected-winner') : 'defeated';
    case 'runoff':
      return outcome.runoff.some((id) => id === option) ? 'advanced-to-runoff' : 'defeated';
    case 'seats':
    case 'tie':
    case 'no-votes':
    case undefined:
      return undefined;
    default:
      return assertNever(outcome, 'outcome');
  }
}

function unitType(kind: string): NistReportingUnitType {
  if (kind === POLLING_STATION) return 'precinct';
  return SAME_NAME_TYPES.has(kind) ? (kind as NistReportingUnitType) : 'other';
}

function externalIdentifiers(externalIds: Readonly<Record<string, string>> | undefined): NistExternalIdentifier[] {
  return Object.entries(externalIds ?? {}).map(([key, value]) =>
    key === 'ocd-id' || key === 'fips' ? { '@type': 'ElectionResults.ExternalIdentifier', Type: key, Value: value } : otherId(key, value),
  );
}

export function itext(names: Localized): NistInternationalizedText {
  return {
    '@type': 'ElectionResults.InternationalizedText',
    Text: Object.entries(names).map(([language, content]) => ({
      '@type': 'ElectionResults.LanguageString',
      Language: language,
      Content: content,
    })),
  };
}

function divisionAt(divisions: readonly Division[], at: number): Division {
  const division = divisions[at];
  if (!division) throw new Error(`division index ${at} out of range (bug)`);
  return division;
}

/**
 * NIST `@id`s are unique across the whole report (they are XML IDs in the XSD form). Canvass ids are unique per
 * kind and options per contest, so compound ids could in principle collide (`a-b`+`c` vs `a`+`b-c`); a collision
 * gets a numeric suffix. The importer never parses `@id`s: it reads the `canvass-id` identifiers.
 */
class IdRegistry {
  readonly #taken = new Set<string>();

  take(wanted: string): string {
    let id = wanted;
    for (let k = 2; this.#taken.has(id); k++) id = `${wanted}-${k}`;
    this.#taken.add(id);
    return id;
  }
}
