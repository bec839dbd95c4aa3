import type { DivisionId, LineId, OptionId } from '../model/ids.js';
import { POLLING_STATION, type Contest, type Election, type Term } from '../model/election.js';
import { err, ok, type Result } from '../model/result.js';
import type { ElectionIssue } from './election-issue.js';
import { IdTable } from './id-table.js';
import { compileTerms, makeLayout, unresolvedTerm, type Layout } from './terms.js';

/** A control relation compiled over a contest's layout: `coefs · row  op  0` with `coefs = left − right`. */
export interface CompiledRelation {
  readonly index: number;
  readonly left: Int32Array;
  readonly right: Int32Array;
}

/** One contest, compiled for fast tabulation. */
export interface ContestIndex {
  readonly contest: Contest;
  readonly ordinal: number;
  readonly layout: Layout;
  readonly optionIndex: ReadonlyMap<OptionId, number>;
  /** Division index of the contest's root division. */
  readonly root: number;
  /**
   * For every division index: its aggregation row in this contest, or −1 when the division is a polling station
   * or lies outside the contest's subtree.
   */
  readonly rowOf: Int32Array;
  /** Division index of each aggregation row. */
  readonly rowDivision: Int32Array;
  /** Polling stations under each row, and the voters on their lists per the definition. */
  readonly stationsPerRow: Int32Array;
  readonly registeredPerRow: Float64Array;
  /** Stations that vote in this contest (bit per division index). */
  readonly votesHere: Uint8Array;
  readonly roles: {
    readonly registered: Int32Array;
    readonly participated: Int32Array;
    readonly invalid: Int32Array;
    readonly valid: Int32Array;
  };
  readonly percentBase: Int32Array;
  /** Party-list contests only. */
  readonly thresholdBase?: Int32Array | undefined;
  readonly relations: readonly CompiledRelation[];
}

/**
 * An election compiled for lookups and tabulation: divisions by index with parent links (typed arrays, so a
 * million stations cost a few megabytes beyond the definition itself), children lists, and per-contest layouts.
 */
export interface ElectionIndex {
  readonly election: Election;
  readonly divisionCount: number;
  divisionIndex(id: string): number | undefined;
  readonly parent: Int32Array;
  readonly depth: Uint16Array;
  readonly isStation: Uint8Array;
  /** Children of division `i` are `childList[childStart[i] .. childStart[i+1])`. */
  readonly childStart: Int32Array;
  readonly childList: Int32Array;
  readonly lines: readonly LineId[];
  readonly contests: readonly ContestIndex[];
  contest(id: string): ContestIndex | undefined;
}

/**
 * Checks an election definition that has already passed `ElectionSchema` for what a schema cannot see (unique ids,
 * a single root, parents that exist, no cycles, stations as leaves, terms that resolve) and compiles it.
 * Returns every issue found, not just the first.
 */
export function indexElection(election: Election): Result<ElectionIndex, readonly ElectionIssue[]> {
  const issues: ElectionIssue[] = [];
  const divisions = election.divisions;
  const n = divisions.length;
  const indexOf = new IdTable((i) => divisions[i]?.id ?? '', n);
  divisions.forEach((division, i) => {
    const first = indexOf.insert(division.id, i);
    if (first !== -1) {
      issues.push({
        path: `divisions[${i}].id`,
        rule: 'unique-division-id',
        message: `division id "${division.id}" is used twice (first at divisions[${first}]); give each division its own id`,
      });
    }
  });

  const parent = new Int32Array(n).fill(-1);
  const isStation = new Uint8Array(n);
  const roots: number[] = [];
  // Stations are listed under their parent one after another: the parent just looked up is usually the next one.
  let lastParent: string | undefined;
  let lastParentAt: number | undefined;
  divisions.forEach((division, i) => {
    const station = division.kind === POLLING_STATION;
    if (station) isStation[i] = 1;
    if (division.parent === undefined) {
      roots.push(i);
    } else {
      const p = division.parent === lastParent ? lastParentAt : indexOf.get(division.parent);
      lastParent = division.parent;
      lastParentAt = p;
      if (p === undefined) {
        issues.push({
          path: `divisions[${i}].parent`,
          rule: 'parent-exists',
          message: `division "${division.id}" names parent "${division.parent}", which is not defined; define it or correct the parent id`,
        });
      } else {
        parent[i] = p;
      }
    }
    if (station && division.registered === undefined) {
      issues.push({
        path: `divisions[${i}].registered`,
        rule: 'station-registered',
        message: `polling station "${division.id}" needs "registered": the number of voters on its list`,
      });
    }
    if (!station) {
      for (const field of ['registered', 'timeZone', 'closes'] as const) {
        if (division[field] !== undefined) {
          issues.push({
            path: `divisions[${i}].${field}`,
            rule: 'station-only-field',
            message: `"${field}" belongs to polling stations; division "${division.id}" is a ${division.kind}`,
          });
        }
      }
    }
  });
  if (roots.length !== 1) {
    issues.push({
      path: 'divisions',
      rule: 'single-root',
      message:
        roots.length === 0
          ? 'no division is without a parent; the top division (the country) must have none'
          : `${roots.length} divisions have no parent (${roots
              .slice(0, 5)
              .map((r) => divisions[r]?.id)
              .join(', ')}); exactly one, the country, may have none`,
    });
  }

  // Depth by walking up; a walk longer than n steps is a cycle.
  const depth = new Uint16Array(n);
  const known = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (known[i]) continue;
    const path: number[] = [];
    let at = i;
    let cyclic = false;
    while (at >= 0 && !known[at]) {
      if (path.length > n) {
        cyclic = true;
        break;
      }
      path.push(at);
      at = parent[at] ?? -1;
    }
    if (cyclic) {
      issues.push({
        path: `divisions[${i}].parent`,
        rule: 'no-cycle',
        message: `the parents of division "${divisions[i]?.id}" lead back to itself; a division cannot be its own ancestor`,
      });
      for (const p of path) known[p] = 1;
      continue;
    }
    let d = at >= 0 ? (depth[at] ?? 0) + 1 : 0;
    for (let k = path.length - 1; k >= 0; k--) {
      const node = path[k] ?? 0;
      depth[node] = d++;
      known[node] = 1;
    }
  }

  // Children (CSR), and stations must be leaves.
  const childCount = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const p = parent[i] ?? -1;
    if (p >= 0) childCount[p + 1] = (childCount[p + 1] ?? 0) + 1;
  }
  const childStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) childStart[i + 1] = (childStart[i] ?? 0) + (childCount[i + 1] ?? 0);
  const fill = childStart.slice(0, n);
  const childList = new Int32Array(childStart[n] ?? 0);
  for (let i = 0; i < n; i++) {
    const p = parent[i] ?? -1;
    if (p < 0) continue;
    if (isStation[p]) {
      issues.push({
        path: `divisions[${i}].parent`,
        rule: 'station-is-leaf',
        message: `"${divisions[i]?.id}" is placed under polling station "${divisions[p]?.id}"; polling stations cannot contain other divisions`,
      });
    }
    childList[fill[p] ?? 0] = i;
    fill[p] = (fill[p] ?? 0) + 1;
  }

  function hasStationBelow(root: number): boolean {
    const stack = [root];
    const seen = new Set<number>();
    while (stack.length > 0) {
      const at = stack.pop() ?? 0;
      if (seen.has(at)) continue;
      seen.add(at);
      if (isStation[at]) return true;
      for (let k = childStart[at] ?? 0; k < (childStart[at + 1] ?? 0); k++) stack.push(childList[k] ?? 0);
    }
    return false;
  }

  // Protocol template.
  const lines = election.protocol.lines.map((line) => line.id);
  lines.forEach((line, i) => {
    if (lines.indexOf(line) !== i)
      issues.push({ path: `protocol.lines[${i}].id`, rule: 'unique-line-id', message: `protocol line "${line}" is defined twice` });
  });
  const templateLayout = makeLayout(lines, []);
  const checkTemplateTerms = (terms: readonly Term[], path: string) => {
    terms.forEach((term, i) => {
      if ('option' in term) {
        issues.push({
          path: `${path}[${i}]`,
          rule: 'template-option-term',
          message: `the protocol template is shared by all contests, so it cannot name option "${term.option}"; use {"options": "all"} or a contest rule`,
        });
        return;
      }
      const missing = unresolvedTerm(term, templateLayout);
      if (missing)
        issues.push({ path: `${path}[${i}]`, rule: 'term-resolves', message: `${missing} is not a line of the protocol template` });
    });
  };
  for (const role of ['registered', 'participated', 'invalid', 'valid'] as const)
    checkTemplateTerms(election.protocol.roles[role], `protocol.roles.${role}`);
  const codes = new Set<string>();
  election.protocol.rules.relations.forEach((relation, i) => {
    if (codes.has(relation.code))
      issues.push({
        path: `protocol.rules.relations[${i}].code`,
        rule: 'unique-rule-code',
        message: `rule code "${relation.code}" is used twice`,
      });
    codes.add(relation.code);
    checkTemplateTerms(relation.left, `protocol.rules.relations[${i}].left`);
    checkTemplateTerms(relation.right, `protocol.rules.relations[${i}].right`);
  });

  election.turnoutSchedule.forEach((time, i) => {
    const previous = election.turnoutSchedule[i - 1];
    if (previous !== undefined && previous >= time)
      issues.push({
        path: `turnoutSchedule[${i}]`,
        rule: 'schedule-ascending',
        message: `turnout times must be ascending and distinct; "${time}" follows "${previous}"`,
      });
  });

  // Contests.
  const contestIds = new Set<string>();
  election.contests.forEach((contest, c) => {
    const path = `contests[${c}]`;
    if (contestIds.has(contest.id))
      issues.push({ path: `${path}.id`, rule: 'unique-contest-id', message: `contest id "${contest.id}" is used twice` });
    contestIds.add(contest.id);
    const root = indexOf.get(contest.division);
    if (root !== undefined && isStation[root])
      issues.push({
        path: `${path}.division`,
        rule: 'contest-division-not-station',
        message: `contest "${contest.id}" is held in "${contest.division}", a polling station; name the division whose stations vote in it`,
      });
    else if (root !== undefined && !hasStationBelow(root))
      issues.push({
        path: `${path}.division`,
        rule: 'contest-has-stations',
        message: `no polling station lies under "${contest.division}", so nobody votes in contest "${contest.id}"`,
      });
    if (root === undefined)
      issues.push({
        path: `${path}.division`,
        rule: 'contest-division-exists',
        message: `contest "${contest.id}" is held in division "${contest.division}", which is not defined`,
      });
    const optionIds = new Set<string>();
    let againstAll = 0;
    contest.options.forEach((option, o) => {
      if (optionIds.has(option.id))
        issues.push({
          path: `${path}.options[${o}].id`,
          rule: 'unique-option-id',
          message: `option "${option.id}" appears twice in contest "${contest.id}"`,
        });
      optionIds.add(option.id);
      if (option.kind === 'against-all') againstAll++;
      const allowed = contest.kind === 'party-list' ? 'list' : 'candidate';
      if (option.kind !== 'against-all' && option.kind !== allowed) {
        issues.push({
          path: `${path}.options[${o}].kind`,
          rule: 'option-kind-fits-contest',
          message: `a ${contest.kind} contest takes options of kind "${allowed}" or "against-all", not "${option.kind}"`,
        });
      }
    });
    if (againstAll > 1)
      issues.push({
        path: `${path}.options`,
        rule: 'single-against-all',
        message: `contest "${contest.id}" has ${againstAll} against-all lines; a ballot has at most one`,
      });
    const layout = makeLayout(lines, contest.options);
    const checkTerms = (terms: readonly Term[], at: string) => {
      terms.forEach((term, i) => {
        const missing = unresolvedTerm(term, layout);
        if (missing)
          issues.push({
            path: `${at}[${i}]`,
            rule: 'term-resolves',
            message: `${missing} is not a line of the protocol template nor an option of contest "${contest.id}"`,
          });
      });
    };
    checkTerms(contest.rules.percentBase, `${path}.rules.percentBase`);
    if (contest.kind === 'party-list') checkTerms(contest.rules.threshold.base, `${path}.rules.threshold.base`);
  });

  if (issues.length > 0) return err(issues);

  // Compile contests (every reference resolved above).
  const contests: ContestIndex[] = election.contests.map((contest, ordinal) => {
    const root = indexOf.get(contest.division) ?? 0;
    const layout = makeLayout(lines, contest.options);
    const rowOf = new Int32Array(n).fill(-1);
    const votesHere = new Uint8Array(n);
    const rows: number[] = [];
    // Depth-first over the subtree from the root.
    const stack = [root];
    while (stack.length > 0) {
      const at = stack.pop() ?? 0;
      if (isStation[at]) {
        votesHere[at] = 1;
      } else {
        rowOf[at] = rows.length;
        rows.push(at);
      }
      for (let k = childStart[at] ?? 0; k < (childStart[at + 1] ?? 0); k++) stack.push(childList[k] ?? 0);
    }
    const rowDivision = Int32Array.from(rows);
    const stationsPerRow = new Int32Array(rows.length);
    const registeredPerRow = new Float64Array(rows.length);
    for (let s = 0; s < n; s++) {
      if (!votesHere[s]) continue;
      const registered = divisions[s]?.registered ?? 0;
      for (let p = parent[s] ?? -1; p >= 0; p = parent[p] ?? -1) {
        const row = rowOf[p] ?? -1;
        if (row < 0) break;
        stationsPerRow[row] = (stationsPerRow[row] ?? 0) + 1;
        registeredPerRow[row] = (registeredPerRow[row] ?? 0) + registered;
      }
    }
    const roles = election.protocol.roles;
    return {
      contest,
      ordinal,
      layout,
      optionIndex: new Map(contest.options.map((o, i) => [o.id, i])),
      root,
      rowOf,
      rowDivision,
      stationsPerRow,
      registeredPerRow,
      votesHere,
      roles: {
        registered: compileTerms(roles.registered, layout),
        participated: compileTerms(roles.participated, layout),
        invalid: compileTerms(roles.invalid, layout),
        valid: compileTerms(roles.valid, layout),
      },
      percentBase: compileTerms(contest.rules.percentBase, layout),
      thresholdBase: contest.kind === 'party-list' ? compileTerms(contest.rules.threshold.base, layout) : undefined,
      relations: election.protocol.rules.relations.map((relation, index) => ({
        index,
        left: compileTerms(relation.left, layout),
        right: compileTerms(relation.right, layout),
      })),
    };
  });
  const contestById = new Map<string, ContestIndex>(contests.map((c) => [c.contest.id, c]));
  let lastFound = -1;

  return ok({
    election,
    divisionCount: n,
    divisionIndex: (id: string) => {
      // Protocols usually arrive in the order the definition lists their stations (files, replays): try the
      // division after the last one found before hashing into a map of a million entries.
      const next = lastFound + 1;
      if (divisions[next]?.id === id) return (lastFound = next);
      const found = indexOf.get(id);
      if (found !== undefined) lastFound = found;
      return found;
    },
    parent,
    depth,
    isStation,
    childStart,
    childList,
    lines,
    contests,
    contest: (id: string) => contestById.get(id),
  });
}

/** The division ids from the root down to `index` (inclusive). */
export function ancestry(index: ElectionIndex, at: number): DivisionId[] {
  const path: DivisionId[] = [];
  for (let i = at; i >= 0; i = index.parent[i] ?? -1) {
    const division = index.election.divisions[i];
    if (division) path.push(division.id);
  }
  return path.reverse();
}

/** Children division indices of `at`. */
export function childrenOf(index: ElectionIndex, at: number): number[] {
  const out: number[] = [];
  for (let k = index.childStart[at] ?? 0; k < (index.childStart[at + 1] ?? 0); k++) out.push(index.childList[k] ?? 0);
  return out;
}
