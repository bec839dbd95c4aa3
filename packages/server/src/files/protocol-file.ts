import { formatPath, ProtocolSchema, TurnoutReportSchema, type Protocol, type TurnoutReport } from '@canvass/core';
import { parse as parseCsv } from 'csv-parse/sync';
import type { z } from 'zod';
import { InputError, inputError, type InputProblem } from './input-error.js';
import { readText } from './read-text.js';

export interface Located<T> {
  /** 1-based line of the file the record came from. */
  readonly line: number;
  readonly value: T;
}

const MAX_PROBLEMS = 200;

/**
 * Protocols from a file: JSONL (one protocol object per line, exactly the API's body) or CSV (see
 * docs/formats/canvass-csv.md: `election,contest,station[,reason]`, one column per protocol line, one `votes:<option>` column
 * per option). Every malformed record is reported with its line, field and rule.
 */
export async function readProtocolFile(file: string): Promise<Located<Protocol>[]> {
  const text = await readText(file);
  const records = file.toLowerCase().endsWith('.csv') ? csvRecords(file, text) : jsonlRecords(file, text);
  return validateRecords(file, records, ProtocolSchema);
}

/** Turnout reports from a JSONL file, one report object per line. */
export async function readTurnoutFile(file: string): Promise<Located<TurnoutReport>[]> {
  const text = await readText(file);
  return validateRecords(file, jsonlRecords(file, text), TurnoutReportSchema);
}

function validateRecords<T>(file: string, records: readonly Located<unknown>[], schema: z.ZodType<T>): Located<T>[] {
  const problems: InputProblem[] = [];
  const out: Located<T>[] = [];
  for (const record of records) {
    const parsed = schema.safeParse(record.value);
    if (parsed.success) {
      out.push({ line: record.line, value: parsed.data });
    } else {
      for (const issue of parsed.error.issues)
        problems.push({ file, line: record.line, at: formatPath('', issue.path), rule: issue.code, message: issue.message });
    }
    if (problems.length >= MAX_PROBLEMS) {
      if (record !== records[records.length - 1]) problems.push(stoppedAt(file, record.line));
      break;
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return out;
}

/** Said last when the problems were not all listed: a file broken throughout would otherwise print without end. */
const stoppedAt = (file: string, line: number): InputProblem => ({
  file,
  line,
  rule: 'more-problems',
  message: `stopped after ${MAX_PROBLEMS} problems; the lines after this one were not checked — fix these and run again`,
});

export function jsonlRecords(file: string, text: string): Located<unknown>[] {
  const out: Located<unknown>[] = [];
  const problems: InputProblem[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    try {
      out.push({ line: i + 1, value: JSON.parse(line) });
    } catch (error) {
      if (problems.length < MAX_PROBLEMS)
        problems.push({ file, line: i + 1, rule: 'json-syntax', message: `not a JSON object: ${(error as Error).message}` });
      else if (problems.length === MAX_PROBLEMS)
        problems.push({ ...stoppedAt(file, i + 1), message: `more than ${MAX_PROBLEMS} lines are not JSON; fix these and run again` });
    }
  });
  if (problems.length > 0) throw new InputError(problems);
  return out;
}

const FIXED = new Set(['election', 'contest', 'station', 'reason']);

function csvRecords(file: string, text: string): Located<unknown>[] {
  let rows: string[][];
  try {
    rows = parseCsv(text, { bom: true, skip_empty_lines: true, relax_column_count: false });
  } catch (error) {
    throw inputError(file, 'csv-syntax', `not valid CSV: ${(error as Error).message}`);
  }
  const header = rows[0];
  if (!header) throw inputError(file, 'csv-header', 'the file is empty; the first row names the columns (election,contest,station,…)');
  for (const required of ['election', 'contest', 'station']) {
    if (!header.includes(required))
      throw inputError(file, 'csv-header', `column "${required}" is missing from the header row`, { line: 1 });
  }
  const problems: InputProblem[] = [];
  const out: Located<unknown>[] = [];
  rows.slice(1).forEach((row, r) => {
    const line = r + 2;
    const record: Record<string, unknown> = { lines: {}, votes: {} };
    const lines = record['lines'] as Record<string, number>;
    const votes = record['votes'] as Record<string, number>;
    header.forEach((column, c) => {
      const cell = (row[c] ?? '').trim();
      if (FIXED.has(column)) {
        if (column !== 'reason' || cell !== '') record[column] = cell;
        return;
      }
      if (!/^-?\d+$/.test(cell)) {
        problems.push({
          file,
          line,
          at: column,
          rule: 'csv-count',
          message: `"${cell}" is not a whole number; write the count in digits only`,
        });
        return;
      }
      const value = Number(cell);
      if (column.startsWith('votes:')) votes[column.slice('votes:'.length)] = value;
      else lines[column] = value;
    });
    out.push({ line, value: record });
  });
  if (problems.length > 0) throw new InputError(problems.slice(0, MAX_PROBLEMS));
  return out;
}
