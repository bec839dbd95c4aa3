/**
 * A problem with an input file: which file, where in it (line, or JSON path), which rule it breaks and what to fix.
 * Printed one per line by the CLI; never a stack trace.
 */
export interface InputProblem {
  readonly file: string;
  /** 1-based line number, when the file is line-oriented. */
  readonly line?: number | undefined;
  /** JSON path or column, when known. */
  readonly at?: string | undefined;
  readonly rule: string;
  readonly message: string;
}

export function formatProblem(problem: InputProblem): string {
  const where = [problem.file, problem.line !== undefined ? `line ${problem.line}` : undefined, problem.at]
    .filter((x) => x !== undefined)
    .join(': ');
  return `${where}: ${problem.message} [${problem.rule}]`;
}

/** Thrown by CLI commands for expected failures; `main` prints the problems and exits with `exitCode`. */
export class InputError extends Error {
  readonly problems: readonly InputProblem[];
  readonly exitCode: number;

  constructor(problems: readonly InputProblem[], exitCode = 2) {
    super(problems.map(formatProblem).join('\n'));
    this.problems = problems;
    this.exitCode = exitCode;
  }
}

export const inputError = (file: string, rule: string, message: string, extra: Partial<InputProblem> = {}) =>
  new InputError([{ file, rule, message, ...extra }]);
