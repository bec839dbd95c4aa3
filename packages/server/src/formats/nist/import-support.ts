/**
 * What every importer of a foreign results format returns, and the id helpers they share: foreign identifiers
 * (NIST `@id`s, OpenElections county and precinct names) become Canvass ids, which are URL-safe and at most 80
 * characters (`ID_PATTERN`).
 */
import { ID_PATTERN, type Election, type ElectionIssue, type Protocol } from '@canvass/core';
import type { InputProblem } from '../../files/input-error.js';

export interface ImportedElection {
  /** The election as far as the input defines it; check `problems` before using it (it may not even index). */
  readonly election: Election;
  /** One protocol per polling station and contest that the input has station-level figures for. */
  readonly protocols: Protocol[];
  /** Everything that was inconsistent, missing or dropped, each with file, place and rule. Empty when all is well. */
  readonly problems: InputProblem[];
}

const MAX_ID = 80;

/** Lower-case ASCII words joined by `-`: "Burlington Ward 1" → `burlington-ward-1`; '' when nothing is left. */
export function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** A Canvass id from any string: disallowed characters become `-`; it starts with a letter or digit. */
export function toCanvassId(raw: string): string {
  const id = raw
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, MAX_ID);
  return id === '' ? 'x' : id;
}

/** Hands out unique Canvass ids: the wanted id if free, else with a `-2`, `-3`, … suffix (within 80 characters). */
export class IdAllocator {
  readonly #taken = new Set<string>();

  /** `wanted` is used as is when it is a valid id; otherwise it is made one with `toCanvassId`. */
  take(wanted: string): string {
    const base = ID_PATTERN.test(wanted) ? wanted : toCanvassId(wanted);
    let id = base;
    for (let k = 2; this.#taken.has(id); k++) {
      const suffix = `-${k}`;
      id = `${base.slice(0, MAX_ID - suffix.length)}${suffix}`;
    }
    this.#taken.add(id);
    return id;
  }

  has(id: string): boolean {
    return this.#taken.has(id);
  }
}

/** The issues `parseElection` found in an imported election, as problems of the input file. */
export function electionProblems(file: string, issues: readonly ElectionIssue[]): InputProblem[] {
  return issues.map((issue) => ({
    file,
    at: `(imported election) ${issue.path}`,
    rule: issue.rule,
    message: `the election made from this file is not valid: ${issue.message}`,
  }));
}

/** Collects problems up to a limit, then counts the rest into one closing problem. */
export class ProblemList {
  readonly #problems: InputProblem[] = [];
  readonly #limit: number;
  #dropped = 0;

  constructor(limit = 500) {
    this.#limit = limit;
  }

  push(problem: InputProblem): void {
    if (this.#problems.length < this.#limit) this.#problems.push(problem);
    else this.#dropped++;
  }

  list(file: string): InputProblem[] {
    if (this.#dropped === 0) return [...this.#problems];
    return [
      ...this.#problems,
      { file, rule: 'too-many-problems', message: `${this.#dropped} more problem(s) not listed; fix the ones above first` },
    ];
  }
}
