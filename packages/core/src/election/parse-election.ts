import type { z } from 'zod';
import { ElectionSchema } from '../model/election.js';
import { err, type Result } from '../model/result.js';
import type { ElectionIssue } from './election-issue.js';
import { indexElection, type ElectionIndex } from './index-election.js';

/** Zod issues as election issues: a JSON path, the rule (zod's issue code) and the message. */
export function zodIssues(error: z.ZodError, prefix = ''): ElectionIssue[] {
  return error.issues.map((issue) => ({
    path: formatPath(prefix, issue.path),
    rule: issue.code,
    message: issue.message,
  }));
}

export function formatPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(top level)' : out;
}

/** Parses and checks an election definition (already JSON-decoded) and compiles it. Every issue is returned. */
export function parseElection(json: unknown): Result<ElectionIndex, readonly ElectionIssue[]> {
  const parsed = ElectionSchema.safeParse(json);
  if (!parsed.success) return err(zodIssues(parsed.error));
  return indexElection(parsed.data);
}
