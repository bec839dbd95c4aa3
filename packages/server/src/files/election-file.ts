import type { ElectionIndex } from '@canvass/core';
import { parseElectionFast } from './fast-election.js';
import { InputError, inputError } from './input-error.js';
import { jsonErrorLocation, readText } from './read-text.js';

/** Reads, parses, checks and compiles an election definition file; every problem names the JSON path and rule. */
export async function readElectionFile(file: string): Promise<ElectionIndex> {
  const text = await readText(file);
  return parseElectionText(file, text);
}

export function parseElectionText(file: string, text: string): ElectionIndex {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const where = jsonErrorLocation(text, error);
    throw inputError(file, 'json-syntax', `not valid JSON: ${(error as Error).message}`, where ? { line: where.line } : {});
  }
  const parsed = parseElectionFast(json);
  if (!parsed.ok) throw new InputError(parsed.error.map((issue) => ({ file, at: issue.path, rule: issue.rule, message: issue.message })));
  return parsed.value;
}
