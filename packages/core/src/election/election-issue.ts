/**
 * A problem in an election definition: where it is (a JSON path such as `divisions[12].parent`), which rule it
 * breaks, and what to fix.
 */
export interface ElectionIssue {
  readonly path: string;
  readonly rule: string;
  readonly message: string;
}
