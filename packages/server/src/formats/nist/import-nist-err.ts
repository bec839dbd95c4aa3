/**
 * Import of a NIST SP 1500-100 v2 Election Results Report (JSON): the geography, the contests and, where the report
 * has **precinct-level** vote counts, one protocol per polling station and contest.
 *
 * Canvass counts station protocols; it never splits a larger unit's totals into stations. A contest whose counts
 * stop above the precincts (a `summary-contest` report) is therefore imported without protocols, and that is
 * reported as a problem, not guessed around. The rest of the mapping is in docs/formats/nist-err.md:
 * - the division tree is grown from `ElectionScopeId` along `ComposingGpUnitIds` (first parent wins: Canvass
 *   divisions form one tree); precincts are leaf units of a precinct-like type;
 * - the protocol template is what NIST can say about a precinct: `registered` (`VotersRegistered`), `ballots-cast`
 *   (`BallotsCast`, Canvass's "took part") and `invalid` (`BallotsRejected`);
 * - the `canvass-*` extension identifiers that `exportNistErr` writes restore ids, against-all, contest rules,
 *   registration order and the time zone; without them, reasonable defaults apply and are reported.
 *
 * Expected failures are values: everything wrong in the report is a problem in `problems`. Only input that is not an
 * Election Results Report at all (or has no election, or no scope unit) throws an `InputError`.
 */
import {
  ContestSchema,
  ELECTION_FORMAT,
  MAX_COUNT,
  POLLING_STATION,
  RESULTS_STATUSES,
  asContestId,
  asDivisionId,
  asElectionId,
  asLineId,
  asOptionId,
  formatPath,
  localize,
  parseElection,
  type Contest,
  type ContestId,
  type ContestOption,
  type Division,
  type DivisionId,
  type Election,
  type LineId,
  type Localized,
  type OptionId,
  type Protocol,
  type ProtocolTemplate,
  type ResultsStatus,
  type Term,
} from '@canvass/core';
import { z } from 'zod';
import { inputError } from '../../files/input-error.js';
import { CANVASS_EXT, CONTEST_BALLOT_COUNTS_PREFIX } from './nist-extensions.js';
import { IdAllocator, ProblemList, electionProblems, slug, type ImportedElection } from './import-support.js';

export interface NistImport extends ImportedElection {
  /** Per contest: its Canvass status (`canvass-results-status`), else the report's `Status` when Canvass knows it. */
  readonly statuses: Readonly<Record<string, ResultsStatus>>;
}

/** Line ids of the imported protocol template. */
export const NIST_LINES = {
  registered: asLineId('registered'),
  ballotsCast: asLineId('ballots-cast'),
  invalid: asLineId('invalid'),
} as const;

/** Reporting-unit types that are polling stations when they have no composing units. */
const PRECINCT_TYPES: ReadonlySet<string> = new Set(['precinct', 'split-precinct', 'combined-precinct', 'polling-place', 'vote-center']);
const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const KIND = /^[a-z][a-z0-9-]{0,39}$/;

const LanguageStringSchema = z.looseObject({ Content: z.string(), Language: z.string() });
const TextSchema = z.looseObject({ Text: z.array(LanguageStringSchema).min(1) });
const ExternalIdSchema = z.looseObject({ Type: z.string(), OtherType: z.string().optional(), Value: z.string() });
const ExternalIdsSchema = z.array(ExternalIdSchema).optional();
const ReportSchema = z.looseObject({
  '@type': z.literal('ElectionResults.ElectionReport'),
  Format: z.string().optional(),
  Status: z.string().optional(),
  IsTest: z.boolean().optional(),
  Notes: z.string().optional(),
  Election: z.array(z.unknown()).optional(),
  GpUnit: z.array(z.unknown()).optional(),
  Party: z.array(z.unknown()).optional(),
});
const ElectionSchema = z.looseObject({
  Name: TextSchema,
  StartDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  ElectionScopeId: z.string(),
  ExternalIdentifier: ExternalIdsSchema,
  Candidate: z.array(z.unknown()).optional(),
  Contest: z.array(z.unknown()).optional(),
  BallotCounts: z.array(z.unknown()).optional(),
});
const UnitSchema = z.looseObject({
  '@id': z.string().min(1),
  '@type': z.literal('ElectionResults.ReportingUnit'),
  Type: z.string(),
  OtherType: z.string().optional(),
  Name: TextSchema.optional(),
  ComposingGpUnitIds: z.array(z.string()).optional(),
  ExternalIdentifier: ExternalIdsSchema,
  VotersRegistered: z.number().optional(),
});
const PartySchema = z.looseObject({ '@id': z.string().min(1), Name: TextSchema.optional(), ExternalIdentifier: ExternalIdsSchema });
const CandidateSchema = z.looseObject({
  '@id': z.string().min(1),
  BallotName: TextSchema,
  PartyId: z.string().optional(),
  ExternalIdentifier: ExternalIdsSchema,
});
const ContestSchemaNist = z.looseObject({
  '@id': z.string().min(1),
  '@type': z.enum(['ElectionResults.CandidateContest', 'ElectionResults.PartyContest']),
  Name: z.string(),
  BallotTitle: TextSchema.optional(),
  ElectionDistrictId: z.string(),
  VoteVariation: z.string().optional(),
  NumberElected: z.number().int().min(1).optional(),
  NumberRunoff: z.number().int().min(2).optional(),
  ExternalIdentifier: ExternalIdsSchema,
  ContestSelection: z.array(z.unknown()).optional(),
});
const SelectionSchema = z.looseObject({
  '@id': z.string().min(1),
  '@type': z.enum(['ElectionResults.CandidateSelection', 'ElectionResults.PartySelection']),
  SequenceOrder: z.number().optional(),
  CandidateIds: z.array(z.string()).optional(),
  PartyIds: z.array(z.string()).optional(),
  IsWriteIn: z.boolean().optional(),
  VoteCounts: z.array(z.unknown()).optional(),
});
const VoteCountsSchema = z.looseObject({
  GpUnitId: z.string(),
  Type: z.string(),
  Count: z.number(),
  Round: z.number().optional(),
  IsSuppressedForPrivacy: z.boolean().optional(),
});
const BallotCountsSchema = z.looseObject({
  GpUnitId: z.string(),
  Type: z.string(),
  OtherType: z.string().optional(),
  BallotsCast: z.number().optional(),
  BallotsRejected: z.number().optional(),
  Round: z.number().optional(),
  IsSuppressedForPrivacy: z.boolean().optional(),
});

type ExternalIds = z.infer<typeof ExternalIdsSchema>;
type Unit = z.infer<typeof UnitSchema>;

/** A count that may be given as a `total` or as parts (election-day, absentee, …) that add up to it. */
class Tallied {
  total: number | undefined;
  parts = 0;
  readonly #types = new Set<string>();

  /** False when this type of count was already given (the same count twice cannot be added up). */
  add(type: string, value: number): boolean {
    if (this.#types.has(type)) return false;
    this.#types.add(type);
    if (type === 'total') this.total = value;
    else this.parts += value;
    return true;
  }

  get value(): number | undefined {
    return this.total ?? (this.#types.size > 0 ? this.parts : undefined);
  }
}

interface ParsedOption {
  readonly option: ContestOption;
  /** By NIST unit `@id`. */
  readonly counts: Map<string, Tallied>;
}

interface ParsedContest {
  readonly at: string;
  readonly id: ContestId;
  readonly nist: z.infer<typeof ContestSchemaNist>;
  readonly options: ParsedOption[];
  /** Seats per option at the contest's district (`seats` vote counts), for the default seat total. */
  readonly seats: number;
  /** Units with suppressed or unusable counts: no protocol is made there. */
  readonly unusable: Set<string>;
}

export function importNistErr(json: unknown, file: string): NistImport {
  const problems = new ProblemList();
  const report = ReportSchema.safeParse(json);
  if (!report.success)
    throw inputError(
      file,
      'nist-report',
      'not a NIST SP 1500-100 v2 Election Results Report: the top object needs "@type": "ElectionResults.ElectionReport"',
    );
  const electionsRaw = report.data.Election ?? [];
  if (electionsRaw.length === 0)
    throw inputError(file, 'nist-election', 'the report has no Election; there is nothing to import', { at: 'Election' });
  if (electionsRaw.length > 1)
    problems.push({
      file,
      at: 'Election',
      rule: 'nist-one-election',
      message: `the report has ${electionsRaw.length} elections; only the first is imported (import each election on its own)`,
    });
  const electionParsed = ElectionSchema.safeParse(electionsRaw[0]);
  if (!electionParsed.success) throw zodInputError(file, 'Election[0]', electionParsed.error);
  const nistElection = electionParsed.data;

  const parseOne = <S extends z.ZodType>(schema: S, item: unknown, at: string): z.infer<S> | undefined => {
    const parsed = schema.safeParse(item);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues)
      problems.push({ file, at: formatPath(at, issue.path), rule: 'nist-schema', message: issue.message });
    return undefined;
  };
  const parse = <S extends z.ZodType>(
    schema: S,
    list: readonly unknown[] | undefined,
    path: string,
  ): { value: z.infer<S>; at: string }[] => {
    const out: { value: z.infer<S>; at: string }[] = [];
    (list ?? []).forEach((item, i) => {
      const at = `${path}[${i}]`;
      const value = parseOne(schema, item, at);
      if (value !== undefined) out.push({ value, at });
    });
    return out;
  };

  // Reporting units (ReportingDevices are ballot counters, not geography: left out).
  const units = new Map<string, { unit: Unit; at: string }>();
  (report.data.GpUnit ?? []).forEach((raw, i) => {
    const at = `GpUnit[${i}]`;
    if (typeof raw === 'object' && raw !== null && (raw as Record<string, unknown>)['@type'] === 'ElectionResults.ReportingDevice') {
      problems.push({ file, at, rule: 'nist-reporting-device', message: 'ReportingDevice units are not geography and are left out' });
      return;
    }
    const unit = parseOne(UnitSchema, raw, at);
    if (!unit) return;
    if (units.has(unit['@id']))
      problems.push({
        file,
        at: `${at}.@id`,
        rule: 'nist-unique-id',
        message: `GpUnit "${unit['@id']}" is defined twice; the first is used`,
      });
    else units.set(unit['@id'], { unit, at });
  });
  const parties = new Map(parse(PartySchema, report.data.Party, 'Party').map((p) => [p.value['@id'], p.value]));
  const candidates = new Map(parse(CandidateSchema, nistElection.Candidate, 'Election[0].Candidate').map((c) => [c.value['@id'], c.value]));

  // Contests, their options and counts (still keyed by NIST unit ids).
  const contestIds = new IdAllocator();
  const parsedContests: ParsedContest[] = [];
  const unitsWithCounts = new Set<string>();
  (nistElection.Contest ?? []).forEach((raw, c) => {
    const at = `Election[0].Contest[${c}]`;
    const type = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)['@type'] : undefined;
    if (type === 'ElectionResults.BallotMeasureContest' || type === 'ElectionResults.RetentionContest') {
      problems.push({ file, at, rule: 'nist-contest-unsupported', message: `${type} has no Canvass equivalent and is left out` });
      return;
    }
    const nist = parseOne(ContestSchemaNist, raw, at);
    if (!nist) return;
    const id = asContestId(contestIds.take(extValue(nist.ExternalIdentifier, CANVASS_EXT.id) ?? nist['@id']));
    const optionIds = new IdAllocator();
    const options: ParsedOption[] = [];
    const suppressed = new Set<string>();
    const unusable = new Set<string>();
    let seats = 0;
    let rounds = false;
    const selections = parse(SelectionSchema, nist.ContestSelection, `${at}.ContestSelection`);
    (nist.ContestSelection ?? []).forEach((s, k) => {
      const t = typeof s === 'object' && s !== null ? (s as Record<string, unknown>)['@type'] : undefined;
      if (t === 'ElectionResults.BallotMeasureSelection')
        problems.push({
          file,
          at: `${at}.ContestSelection[${k}]`,
          rule: 'nist-selection-unsupported',
          message: 'a ballot-measure selection in a candidate or party contest is left out',
        });
    });
    if (selections.every((s) => s.value.SequenceOrder !== undefined))
      selections.sort((a, b) => (a.value.SequenceOrder ?? 0) - (b.value.SequenceOrder ?? 0));
    for (const { value: selection, at: selectionAt } of selections) {
      const option = selectionOption(selection, selectionAt, nist['@type'] === 'ElectionResults.PartyContest');
      if (!option) continue;
      const counts = new Map<string, Tallied>();
      for (const { value: vc, at: vcAt } of parse(VoteCountsSchema, selection.VoteCounts, `${selectionAt}.VoteCounts`)) {
        if (!units.has(vc.GpUnitId)) {
          problems.push({
            file,
            at: `${vcAt}.GpUnitId`,
            rule: 'nist-gpunit-unknown',
            message: `GpUnit "${vc.GpUnitId}" is not defined in the report`,
          });
          continue;
        }
        if (vc.Round !== undefined && vc.Round > 1) {
          rounds = true;
          continue;
        }
        if (vc.IsSuppressedForPrivacy === true) {
          suppressed.add(vc.GpUnitId);
          continue;
        }
        if (!Number.isInteger(vc.Count) || vc.Count < 0 || vc.Count > MAX_COUNT) {
          problems.push({
            file,
            at: `${vcAt}.Count`,
            rule: 'nist-count',
            message: `${vc.Count} is not a vote count (a whole number from 0 to ${MAX_COUNT}); no protocol is made for GpUnit "${vc.GpUnitId}" in this contest`,
          });
          unusable.add(vc.GpUnitId);
          continue;
        }
        if (vc.Type === 'seats') {
          if (vc.GpUnitId === nist.ElectionDistrictId) seats += vc.Count;
          continue;
        }
        unitsWithCounts.add(vc.GpUnitId);
        let tallied = counts.get(vc.GpUnitId);
        if (!tallied) counts.set(vc.GpUnitId, (tallied = new Tallied()));
        if (!tallied.add(vc.Type, vc.Count)) {
          problems.push({
            file,
            at: vcAt,
            rule: 'nist-count-repeated',
            message: `a second "${vc.Type}" count for GpUnit "${vc.GpUnitId}" in this selection; no protocol is made for that unit in this contest`,
          });
          unusable.add(vc.GpUnitId);
        }
      }
      options.push({ option: { ...option, id: asOptionId(optionIds.take(option.id)) }, counts });
    }
    if (rounds)
      problems.push({
        file,
        at,
        rule: 'nist-rounds',
        message: 'counts of later tabulation rounds (Round > 1) are left out; Canvass imports the first-choice count',
      });
    for (const unit of suppressed) {
      problems.push({
        file,
        at,
        rule: 'nist-suppressed',
        message: `counts at GpUnit "${unit}" are suppressed for privacy; no protocol can be made there`,
      });
      unusable.add(unit);
    }
    parsedContests.push({ at, id, nist, options, seats, unusable });
  });

  function selectionOption(selection: z.infer<typeof SelectionSchema>, at: string, partyContest: boolean): ContestOption | undefined {
    const refs = selection['@type'] === 'ElectionResults.PartySelection' ? (selection.PartyIds ?? []) : (selection.CandidateIds ?? []);
    const found: { names: Localized; ids: ExternalIds; party?: Localized | undefined; nistId: string }[] = [];
    for (const ref of refs) {
      if (selection['@type'] === 'ElectionResults.PartySelection') {
        const party = parties.get(ref);
        if (party) found.push({ names: localized(party.Name, ref), ids: party.ExternalIdentifier, nistId: ref });
      } else {
        const candidate = candidates.get(ref);
        const party = candidate?.PartyId !== undefined ? parties.get(candidate.PartyId) : undefined;
        if (candidate)
          found.push({
            names: localized(candidate.BallotName, ref),
            ids: candidate.ExternalIdentifier,
            party: party ? localized(party.Name, party['@id']) : undefined,
            nistId: ref,
          });
      }
      if (found.length === 0 || found[found.length - 1]?.nistId !== ref)
        problems.push({
          file,
          at,
          rule: 'nist-reference',
          message: `"${ref}" is not a ${selection['@type'] === 'ElectionResults.PartySelection' ? 'Party' : 'Candidate'} of the report`,
        });
    }
    const first = found[0];
    if (!first) {
      if (selection.IsWriteIn === true)
        return { id: asOptionId('write-ins'), kind: partyContest ? 'list' : 'candidate', names: { en: 'Write-ins' } };
      problems.push({ file, at, rule: 'nist-selection-empty', message: 'a selection without a candidate or party is left out' });
      return undefined;
    }
    const againstAll = found.some((f) => extValue(f.ids, CANVASS_EXT.againstAll) === 'true');
    const order = Number(extValue(first.ids, CANVASS_EXT.registrationOrder));
    const names = found.length === 1 ? first.names : joinNames(found.map((f) => f.names));
    return {
      id: asOptionId(extValue(first.ids, CANVASS_EXT.id) ?? (slug(localize(first.names, 'en')) || first.nistId)),
      kind: againstAll ? 'against-all' : partyContest ? 'list' : 'candidate',
      names,
      ...(first.party && !againstAll ? { party: first.party } : {}),
      ...(Number.isInteger(order) && order >= 1 ? { registrationOrder: order } : {}),
    };
  }

  // The division tree, grown from the election's scope.
  const scope = units.get(nistElection.ElectionScopeId);
  if (!scope)
    throw inputError(file, 'nist-scope', `ElectionScopeId "${nistElection.ElectionScopeId}" is not a ReportingUnit of the report`, {
      at: 'Election[0].ElectionScopeId',
    });
  const parentOf = new Map<string, string>();
  const reached = [nistElection.ElectionScopeId];
  const twoParents: string[] = [];
  for (let k = 0; k < reached.length; k++) {
    const id = reached[k] ?? '';
    const entry = units.get(id);
    for (const child of entry?.unit.ComposingGpUnitIds ?? []) {
      if (!units.has(child)) {
        problems.push({
          file,
          at: `${entry?.at ?? ''}.ComposingGpUnitIds`,
          rule: 'nist-gpunit-unknown',
          message: `GpUnit "${child}" is not defined in the report`,
        });
      } else if (child === nistElection.ElectionScopeId || parentOf.has(child)) {
        twoParents.push(child);
      } else {
        parentOf.set(child, id);
        reached.push(child);
      }
    }
  }
  if (twoParents.length > 0)
    problems.push({
      file,
      at: 'GpUnit',
      rule: 'nist-gpunit-tree',
      message: `${twoParents.length} unit(s) are composed into more than one unit (e.g. "${twoParents.slice(0, 3).join('", "')}"); Canvass divisions form one tree, so each stays under the first unit that lists it`,
    });
  const outside = [...units.keys()].filter((id) => id !== nistElection.ElectionScopeId && !parentOf.has(id));
  if (outside.length > 0)
    problems.push({
      file,
      at: 'GpUnit',
      rule: 'nist-gpunit-outside-scope',
      message: `${outside.length} unit(s) are not composed into the election's scope "${nistElection.ElectionScopeId}" (e.g. "${outside.slice(0, 3).join('", "')}") and are left out`,
    });

  const precinctLevel = report.data.Format === 'precinct-level';
  const isStation = (unit: Unit): boolean =>
    (unit.ComposingGpUnitIds ?? []).length === 0 &&
    (PRECINCT_TYPES.has(unit.Type) ||
      (unit.Type === 'other' && unit.OtherType === POLLING_STATION) ||
      (precinctLevel && unitsWithCounts.has(unit['@id'])));

  // Divisions keep the report's order of units.
  const order = [...units.keys()].filter((id) => id === nistElection.ElectionScopeId || parentOf.has(id));
  const divisionIds = new IdAllocator();
  const divisionOf = new Map<string, DivisionId>();
  for (const nistId of order) {
    divisionOf.set(nistId, asDivisionId(divisionIds.take(extValue(units.get(nistId)?.unit.ExternalIdentifier, CANVASS_EXT.id) ?? nistId)));
  }
  const divisions: Division[] = [];
  const missingRegistered: string[] = [];
  for (const nistId of order) {
    const entry = units.get(nistId);
    const id = divisionOf.get(nistId);
    if (!entry || id === undefined) continue;
    const { unit, at } = entry;
    const station = isStation(unit);
    let kind = station ? POLLING_STATION : unitKind(unit);
    if (!station && kind === POLLING_STATION) kind = 'precinct';
    const parentId = parentOf.get(nistId);
    const parent = parentId !== undefined ? divisionOf.get(parentId) : undefined;
    const externalIds = foreignIds(unit.ExternalIdentifier);
    let registered: number | undefined;
    if (station) {
      const value = unit.VotersRegistered;
      if (value === undefined) missingRegistered.push(nistId);
      else if (!Number.isInteger(value) || value < 0 || value > MAX_COUNT)
        problems.push({ file, at: `${at}.VotersRegistered`, rule: 'nist-count', message: `${value} is not a number of voters` });
      registered = value !== undefined && Number.isInteger(value) && value >= 0 && value <= MAX_COUNT ? value : 0;
    }
    divisions.push({
      id,
      kind,
      ...(parent !== undefined ? { parent } : {}),
      names: localized(unit.Name, nistId),
      ...(Object.keys(externalIds).length > 0 ? { externalIds } : {}),
      ...(registered !== undefined ? { registered } : {}),
    });
  }
  if (missingRegistered.length > 0)
    problems.push({
      file,
      at: 'GpUnit',
      rule: 'nist-registered-missing',
      message: `${missingRegistered.length} precinct(s) have no VotersRegistered (e.g. "${missingRegistered.slice(0, 3).join('", "')}"); their registered voters are 0, so turnout cannot be computed there`,
    });
  const registeredOf = new Map(divisions.map((d) => [d.id, d.registered]));
  const nistOf = new Map([...divisionOf].map(([nistId, id]) => [id as string, nistId]));
  const up = (nistId: string, visit: (ancestor: string) => void) => {
    for (let p = parentOf.get(nistId); p !== undefined; p = parentOf.get(p)) visit(p);
  };
  const stationNistIds = order.filter((id) => {
    const entry = units.get(id);
    return entry !== undefined && isStation(entry.unit);
  });

  const stationsBelow = new Map<string, number>();
  for (const id of stationNistIds) up(id, (a) => stationsBelow.set(a, (stationsBelow.get(a) ?? 0) + 1));

  // Ballot counts: `total` ones apply to every contest, `canvass-contest:<id>` ones to that contest.
  interface Ballots {
    readonly cast: Tallied;
    readonly rejected: Tallied;
    /** Set when one of its figures was not usable: no protocol is made from it. */
    broken: boolean;
  }
  const ballots = new Map<string, Map<string, Ballots>>();
  const ballotCounts = parse(BallotCountsSchema, nistElection.BallotCounts, 'Election[0].BallotCounts');
  for (const { value: bc, at } of ballotCounts) {
    if (!units.has(bc.GpUnitId)) {
      problems.push({
        file,
        at: `${at}.GpUnitId`,
        rule: 'nist-gpunit-unknown',
        message: `GpUnit "${bc.GpUnitId}" is not defined in the report`,
      });
      continue;
    }
    if ((bc.Round !== undefined && bc.Round > 1) || bc.IsSuppressedForPrivacy === true) continue;
    const key =
      bc.Type === 'other' && bc.OtherType?.startsWith(CONTEST_BALLOT_COUNTS_PREFIX)
        ? bc.OtherType.slice(CONTEST_BALLOT_COUNTS_PREFIX.length)
        : '*';
    const type = key === '*' ? bc.Type : 'total';
    let perUnit = ballots.get(bc.GpUnitId);
    if (!perUnit) ballots.set(bc.GpUnitId, (perUnit = new Map<string, Ballots>()));
    let entry = perUnit.get(key);
    if (!entry) perUnit.set(key, (entry = { cast: new Tallied(), rejected: new Tallied(), broken: false }));
    for (const [field, into] of [
      ['BallotsCast', entry.cast],
      ['BallotsRejected', entry.rejected],
    ] as const) {
      const value = bc[field];
      if (value === undefined) continue;
      if (!Number.isInteger(value) || value < 0 || value > MAX_COUNT) {
        problems.push({ file, at: `${at}.${field}`, rule: 'nist-count', message: `${value} is not a number of ballots` });
        entry.broken = true;
      } else if (!into.add(type, value)) {
        problems.push({
          file,
          at: `${at}.${field}`,
          rule: 'nist-count-repeated',
          message: `a second "${bc.Type}" ${field} for GpUnit "${bc.GpUnitId}"`,
        });
        entry.broken = true;
      }
    }
  }
  const hasBallotCounts = ballotCounts.length > 0;
  const ballotsAt = (unit: string, contest: ContestId) => ballots.get(unit)?.get(contest) ?? ballots.get(unit)?.get('*');

  // Contests and protocols.
  const electionId = asElectionId(
    new IdAllocator().take(
      extValue(nistElection.ExternalIdentifier, CANVASS_EXT.id) ??
        `${slug(localize(localized(nistElection.Name, 'election'), 'en')) || 'election'}-${nistElection.StartDate}`,
    ),
  );
  const reportStatus = RESULTS_STATUSES.find((s) => s === report.data.Status);
  const statuses: Record<string, ResultsStatus> = {};
  const contests: Contest[] = [];
  const protocols: Protocol[] = [];
  for (const parsed of parsedContests) {
    const { nist, at } = parsed;
    const division = divisionOf.get(nist.ElectionDistrictId);
    if (division === undefined) {
      problems.push({
        file,
        at: `${at}.ElectionDistrictId`,
        rule: 'nist-contest-district',
        message: `the contest's district "${nist.ElectionDistrictId}" is not a unit of the election's tree; the contest is left out`,
      });
      continue;
    }
    if (!stationsBelow.has(nist.ElectionDistrictId)) {
      problems.push({
        file,
        at: `${at}.ElectionDistrictId`,
        rule: 'nist-contest-district',
        message: `no precinct lies under the contest's district "${nist.ElectionDistrictId}" in the election's tree (its precincts are composed into other units first, and Canvass divisions form one tree); the contest is left out`,
      });
      continue;
    }
    if (parsed.options.length === 0) {
      problems.push({ file, at, rule: 'nist-contest-empty', message: 'the contest has no usable selection and is left out' });
      continue;
    }
    const contest = buildContest(parsed, division, at);
    contests.push(contest);
    const status = RESULTS_STATUSES.find((s) => s === extValue(nist.ExternalIdentifier, CANVASS_EXT.resultsStatus)) ?? reportStatus;
    if (status !== undefined) statuses[contest.id] = status;

    const made: Protocol[] = [];
    for (const stationId of stationNistIds) {
      if (!parsed.options.some((o) => o.counts.has(stationId)) || parsed.unusable.has(stationId)) continue;
      const station = divisionOf.get(stationId);
      if (station === undefined) continue;
      const registered = registeredOf.get(station) ?? 0;
      const counts = ballotsAt(stationId, contest.id);
      if (counts?.broken === true) {
        problems.push({
          file,
          at,
          rule: 'nist-ballot-counts-unusable',
          message: `the BallotCounts of precinct "${stationId}" are not usable (see the problems above); no protocol is made for it`,
        });
        continue;
      }
      const cast = counts?.cast.value;
      if (hasBallotCounts && cast === undefined) {
        problems.push({
          file,
          at,
          rule: 'nist-ballots-cast-missing',
          message: `precinct "${stationId}" has vote counts but no BallotsCast in the election's BallotCounts; no protocol is made for it`,
        });
        continue;
      }
      const lines: Record<LineId, number> = { [NIST_LINES.registered]: registered, [NIST_LINES.invalid]: counts?.rejected.value ?? 0 };
      if (hasBallotCounts) lines[NIST_LINES.ballotsCast] = cast ?? 0;
      const votes: Record<OptionId, number> = {};
      for (const { option, counts: byUnit } of parsed.options) votes[option.id] = byUnit.get(stationId)?.value ?? 0;
      made.push({ election: electionId, contest: contest.id, station, lines, votes });
    }
    if (made.length === 0) {
      const larger = [...new Set(parsed.options.flatMap((o) => [...o.counts.keys()]))];
      problems.push({
        file,
        at,
        rule: 'nist-no-precinct-counts',
        message:
          larger.length > 0
            ? `contest "${contest.id}" has vote counts only for ${larger.length} larger unit(s) (e.g. "${larger[0] ?? ''}"), none for polling stations; Canvass counts station protocols and does not split totals, so no protocols were made (import a precinct-level report)`
            : `contest "${contest.id}" has no vote counts; no protocols were made`,
      });
    } else {
      checkAggregates(parsed, contest.id, made);
    }
    protocols.push(...made);
  }

  function buildContest(parsed: ParsedContest, division: DivisionId, at: string): Contest {
    const { nist } = parsed;
    const options = parsed.options.map((o) => o.option);
    const names = nist.BallotTitle ? localized(nist.BallotTitle, nist.Name) : { en: nist.Name };
    const all: Term[] = [{ options: 'all' }];
    const base = { id: parsed.id, names, division, options };
    const candidate =
      nist['@type'] === 'ElectionResults.PartyContest'
        ? {
            ...base,
            kind: 'party-list' as const,
            rules: {
              percentBase: all,
              method: 'dhondt' as const,
              seats: parsed.seats > 0 ? parsed.seats : 1,
              threshold: { percent: '0', base: all, inclusive: true },
              tieBreak: 'report' as const,
            },
          }
        : nist.VoteVariation === 'majority'
          ? {
              ...base,
              kind: 'majority-runoff' as const,
              rules: { percentBase: all, winThreshold: { percent: '50', strict: true }, runoffSize: nist.NumberRunoff ?? 2 },
            }
          : { ...base, kind: 'plurality' as const, rules: { percentBase: all, seats: nist.NumberElected ?? 1 } };
    const rulesText = extValue(nist.ExternalIdentifier, CANVASS_EXT.rules);
    if (rulesText !== undefined) {
      let rules: unknown;
      try {
        rules = JSON.parse(rulesText);
      } catch {
        rules = undefined;
      }
      const withRules = ContestSchema.safeParse({ ...candidate, rules });
      if (withRules.success) return withRules.data;
      problems.push({
        file,
        at: `${at}.ExternalIdentifier`,
        rule: 'nist-canvass-rules',
        message: `the ${CANVASS_EXT.rules} identifier does not hold valid rules for a ${candidate.kind} contest (${withRules.error.issues[0]?.message ?? 'not JSON'}); defaults are used`,
      });
    }
    if (candidate.kind === 'party-list')
      problems.push({
        file,
        at,
        rule: 'nist-seat-rules-missing',
        message: `NIST has no place for a party contest's seat method and threshold; imported with D'Hondt, no threshold and ${candidate.rules.seats} seat(s) (from its "seats" counts) — set the real rules in the election file before publishing`,
      });
    const checked = ContestSchema.safeParse(candidate);
    if (!checked.success) throw new Error(`default contest rules do not parse (bug): ${checked.error.message}`);
    return checked.data;
  }

  /** Larger units whose stations all have protocols must carry the sum of those protocols. */
  /** Larger units whose stations all have protocols must carry the sum of those protocols: votes and ballots. */
  function checkAggregates(parsed: ParsedContest, contest: ContestId, made: readonly Protocol[]): void {
    const protocolsBelow = new Map<string, number>();
    const sums = new Map<string, number[]>();
    // Per unit: each option's votes, then ballots cast and rejected.
    const width = parsed.options.length + 2;
    for (const protocol of made) {
      const nistId = nistOf.get(protocol.station) ?? '';
      const votes: Readonly<Record<string, number>> = protocol.votes;
      const lines: Readonly<Record<string, number>> = protocol.lines;
      const row = [
        ...parsed.options.map(({ option }) => votes[option.id] ?? 0),
        lines[NIST_LINES.ballotsCast] ?? 0,
        lines[NIST_LINES.invalid] ?? 0,
      ];
      up(nistId, (a) => {
        protocolsBelow.set(a, (protocolsBelow.get(a) ?? 0) + 1);
        let sum = sums.get(a);
        if (!sum) sums.set(a, (sum = new Array<number>(width).fill(0)));
        row.forEach((value, k) => (sum[k] = (sum[k] ?? 0) + value));
      });
    }
    for (const unit of order) {
      const below = stationsBelow.get(unit) ?? 0;
      if (below === 0 || protocolsBelow.get(unit) !== below) continue;
      const counts = ballotsAt(unit, contest);
      const reported: { value: number | undefined; what: string }[] = [
        ...parsed.options.map(({ option, counts: byUnit }) => ({ value: byUnit.get(unit)?.value, what: `votes for "${option.id}"` })),
        { value: counts?.cast.value, what: 'ballots cast' },
        { value: counts?.rejected.value, what: 'rejected ballots' },
      ];
      const k = reported.findIndex(({ value }, j) => value !== undefined && value !== (sums.get(unit)?.[j] ?? 0));
      const first = reported[k];
      if (!first) continue;
      problems.push({
        file,
        at: parsed.at,
        rule: 'nist-aggregate-mismatch',
        message: `GpUnit "${unit}" reports ${first.value ?? 0} ${first.what}, but its ${below} precinct(s) add up to ${sums.get(unit)?.[k] ?? 0}; Canvass counts the precincts`,
      });
    }
  }

  const template = nistTemplate(hasBallotCounts);
  const election: Election = {
    format: ELECTION_FORMAT,
    id: electionId,
    names: localized(nistElection.Name, electionId),
    date: nistElection.StartDate,
    timeZone: extValue(nistElection.ExternalIdentifier, CANVASS_EXT.timeZone) ?? 'UTC',
    ...(report.data.IsTest === true
      ? { synthetic: { en: report.data.Notes ?? 'The report is marked as test data (IsTest): its figures are not real results.' } }
      : {}),
    doubleEntry: false,
    protocol: template,
    turnoutSchedule: [],
    divisions,
    contests,
  };
  const checked = parseElection(election);
  const list = problems.list(file);
  if (!checked.ok) list.push(...electionProblems(file, checked.error));
  return { election, protocols, problems: list, statuses };
}

function nistTemplate(hasBallotCounts: boolean): ProtocolTemplate {
  const line = (id: LineId): Term => ({ line: id });
  return {
    lines: [
      { id: NIST_LINES.registered, names: { en: 'Registered voters (NIST VotersRegistered)' } },
      ...(hasBallotCounts ? [{ id: NIST_LINES.ballotsCast, names: { en: 'Ballots cast (NIST BallotsCast)' } }] : []),
      { id: NIST_LINES.invalid, names: { en: 'Rejected ballots (NIST BallotsRejected)' } },
    ],
    roles: {
      registered: [line(NIST_LINES.registered)],
      // Without BallotCounts, "took part" can only be the ballots counted in the contest: valid plus rejected.
      participated: hasBallotCounts ? [line(NIST_LINES.ballotsCast)] : [line(NIST_LINES.invalid), { options: 'all' }],
      invalid: [line(NIST_LINES.invalid)],
      valid: [{ options: 'all' }],
    },
    rules: {
      id: 'nist-err-import',
      version: '1',
      source: 'Consistency of NIST SP 1500-100 v2 BallotCounts with the vote counts (warnings only)',
      relations: hasBallotCounts
        ? [
            {
              code: 'NIST-1',
              severity: 'warning',
              left: [line(NIST_LINES.ballotsCast)],
              op: 'ge',
              right: [line(NIST_LINES.invalid), { options: 'all' }],
              message: {
                en: 'Ballots cast ({left}) are fewer than rejected ballots plus the votes ({right}); with one vote per ballot that cannot be.',
              },
            },
            {
              code: 'NIST-2',
              severity: 'warning',
              left: [line(NIST_LINES.ballotsCast)],
              op: 'le',
              right: [line(NIST_LINES.registered)],
              message: { en: 'Ballots cast ({left}) exceed the registered voters ({right}).' },
            },
          ]
        : [],
    },
  };
}

function extValue(ids: ExternalIds, otherType: string): string | undefined {
  return ids?.find((e) => e.Type === 'other' && e.OtherType === otherType)?.Value;
}

/** External identifiers that are not Canvass's own: `ocd-id`, `fips`, the `*-level` ones, and `other` by `OtherType`. */
function foreignIds(ids: ExternalIds): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of ids ?? []) {
    const key = e.Type === 'other' ? e.OtherType : e.Type;
    if (key === undefined || key === '' || key.startsWith('canvass-') || e.Value === '' || key in out) continue;
    out[key] = e.Value;
  }
  return out;
}

function unitKind(unit: Unit): string {
  const raw = unit.Type === 'other' ? (unit.OtherType ?? 'other') : unit.Type;
  const kind = raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, 40);
  return KIND.test(kind) ? kind : 'other';
}

/** NIST InternationalizedText as Canvass names; language tags are normalised, unusable ones become `und`. */
function localized(text: z.infer<typeof TextSchema> | undefined, fallback: string): Localized {
  const out: Record<string, string> = {};
  for (const { Language, Content } of text?.Text ?? []) {
    const [primary = '', ...rest] = Language.trim().split(/[-_]/);
    const tag = [primary.toLowerCase(), ...rest].join('-');
    const key = LANGUAGE.test(tag) ? tag : 'und';
    if (Content.trim() !== '' && !(key in out)) out[key] = Content.trim();
  }
  return Object.keys(out).length > 0 ? out : { und: fallback };
}

function joinNames(all: readonly Localized[]): Localized {
  const languages = [...new Set(all.flatMap((names) => Object.keys(names)))];
  return Object.fromEntries(languages.map((lang) => [lang, all.map((names) => localize(names, lang)).join(' / ')]));
}

function zodInputError(file: string, at: string, error: z.ZodError) {
  const issue = error.issues[0];
  return inputError(file, 'nist-election', `the Election is not usable: ${issue?.message ?? 'invalid'}`, {
    at: formatPath(at, issue?.path ?? []),
  });
}
