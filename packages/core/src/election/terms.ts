import type { LineId } from '../model/ids.js';
import type { ContestOption, Term } from '../model/election.js';

/**
 * The layout of one contest's protocol as a flat vector: the template's lines first, then the options' votes in
 * ballot order. Sums of terms compile to integer coefficient vectors over this layout, so an expression over an
 * aggregate equals the aggregate of the expression (everything is linear).
 */
export interface Layout {
  readonly lines: readonly LineId[];
  readonly options: readonly ContestOption[];
  readonly width: number;
}

export function makeLayout(lines: readonly LineId[], options: readonly ContestOption[]): Layout {
  return { lines, options, width: lines.length + options.length };
}

/** What a term refers to that the layout lacks, for error messages; `undefined` when every reference resolves. */
export function unresolvedTerm(term: Term, layout: Layout): string | undefined {
  if ('line' in term) return layout.lines.includes(term.line) ? undefined : `line "${term.line}"`;
  if ('option' in term) return layout.options.some((o) => o.id === term.option) ? undefined : `option "${term.option}"`;
  return undefined;
}

/** Integer coefficients of `terms` over `layout`. Throws on an unresolved reference (check with `unresolvedTerm`). */
export function compileTerms(terms: readonly Term[], layout: Layout): Int32Array {
  const coefs = new Int32Array(layout.width);
  for (const term of terms) {
    const coef = term.coef ?? 1;
    if ('line' in term) {
      bump(coefs, indexOrThrow(layout.lines.indexOf(term.line), term.line), coef);
    } else if ('option' in term) {
      const at = layout.options.findIndex((o) => o.id === term.option);
      bump(coefs, layout.lines.length + indexOrThrow(at, term.option), coef);
    } else {
      layout.options.forEach((option, i) => {
        if (term.options === 'all' || option.kind !== 'against-all') bump(coefs, layout.lines.length + i, coef);
      });
    }
  }
  return coefs;
}

function bump(coefs: Int32Array, at: number, by: number): void {
  coefs[at] = (coefs[at] ?? 0) + by;
}

function indexOrThrow(index: number, name: string): number {
  if (index < 0) throw new Error(`unresolved term ${name}`);
  return index;
}

/** Dot product of coefficients with a row (at `offset` in `values`). Exact while the result stays below 2^53. */
export function evaluate(coefs: Int32Array, values: ArrayLike<number>, offset = 0): number {
  let sum = 0;
  for (let i = 0; i < coefs.length; i++) {
    const c = coefs[i] ?? 0;
    if (c !== 0) sum += c * (values[offset + i] ?? 0);
  }
  return sum;
}

/** Human-readable form of a sum of terms, e.g. `ballots-issued + ballots-cancelled`. */
export function describeTerms(terms: readonly Term[]): string {
  if (terms.length === 0) return '0';
  return terms
    .map((term, i) => {
      const coef = term.coef ?? 1;
      const name =
        'line' in term
          ? term.line
          : 'option' in term
            ? `votes(${term.option})`
            : term.options === 'all'
              ? 'votes(all options)'
              : 'votes(all but against-all)';
      const magnitude = Math.abs(coef) === 1 ? name : `${Math.abs(coef)}·${name}`;
      if (i === 0) return coef < 0 ? `−${magnitude}` : magnitude;
      return coef < 0 ? `− ${magnitude}` : `+ ${magnitude}`;
    })
    .join(' ');
}
