import { allocateSeats, compareShare, parsePercent, SEAT_METHODS, type SeatMethod, type SeatParty, type TieBreak } from '@canvass/core';
import type { Command } from 'commander';
import { parse as parseCsv } from 'csv-parse/sync';
import { InputError, inputError, type InputProblem } from '../../files/input-error.js';
import { readText } from '../../files/read-text.js';
import { parseChoice, parseInteger } from '../options.js';

interface SeatsOptions {
  method: SeatMethod;
  seats: number;
  threshold?: string;
  votes: string;
  tieBreak: TieBreak;
}

const AGAINST_ALL = /^against[-_ ]all$/i;

export function registerSeats(program: Command): void {
  program
    .command('seats')
    .description('Allocate seats among party lists from a CSV of votes (option,votes[,eligible]).')
    .requiredOption('--method <method>', SEAT_METHODS.join(' | '), parseChoice('--method', SEAT_METHODS))
    .requiredOption('--seats <n>', 'seats to allocate', parseInteger('--seats', 1))
    .option('--threshold <pct>', 'legal threshold in % of all votes in the file (against-all included), e.g. 5')
    .option(
      '--tie-break <rule>',
      'report | earlier-registration (row order) | more-votes-then-earlier-registration',
      parseChoice('--tie-break', ['report', 'earlier-registration', 'more-votes-then-earlier-registration'] as const),
      'report',
    )
    .requiredOption(
      '--votes <file>',
      'CSV with header option,votes[,eligible]; eligible true/false overrides the threshold; a row named against-all is in the threshold base but never takes seats',
    )
    .action(async (options: SeatsOptions) => {
      if (options.threshold !== undefined && !/^(100|\d{1,2})(\.\d{1,6})?$/.test(options.threshold)) {
        throw inputError('--threshold', 'threshold-format', `the threshold is a percentage such as 5 or 3.5, got "${options.threshold}"`);
      }
      const rows = await readVotes(options.votes);
      const base = rows.reduce((sum, r) => sum + r.votes, 0);
      const threshold = parsePercent(options.threshold ?? '0');
      const parties: SeatParty[] = rows
        .filter((r) => !r.againstAll)
        .filter((r) => r.eligible ?? (base > 0 && compareShare(r.votes, base, threshold) >= 0))
        .map((r) => ({ id: r.option, votes: r.votes, order: r.order }));
      const allocation = allocateSeats({ method: options.method, seats: options.seats, parties, tieBreak: options.tieBreak });
      const seats = Object.fromEntries(rows.filter((r) => !r.againstAll).map((r) => [r.option, allocation.seats[r.option] ?? 0]));
      if (allocation.kind === 'tie') {
        process.stdout.write(`${JSON.stringify({ seats, tie: { tied: allocation.tied, remaining: allocation.remaining } })}\n`);
        process.stderr.write(
          `tie: ${allocation.tied.join(', ')} are tied for ${allocation.remaining} seat(s); the law's tie-break (lot, registration order) decides — see --tie-break\n`,
        );
        process.exitCode = 1;
        return;
      }
      process.stdout.write(`${JSON.stringify({ seats })}\n`);
    });
}

interface VoteRow {
  readonly option: string;
  readonly votes: number;
  readonly eligible: boolean | undefined;
  readonly againstAll: boolean;
  readonly order: number;
}

async function readVotes(file: string): Promise<VoteRow[]> {
  const text = await readText(file);
  let rows: string[][];
  try {
    rows = parseCsv(text, { bom: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    throw inputError(file, 'csv-syntax', `not valid CSV: ${(error as Error).message}`);
  }
  const header = rows[0]?.map((h) => h.toLowerCase());
  if (!header || header[0] !== 'option' || header[1] !== 'votes' || (header.length > 2 && header[2] !== 'eligible') || header.length > 3) {
    throw inputError(file, 'csv-header', 'the header row must be option,votes or option,votes,eligible', { line: 1 });
  }
  const problems: InputProblem[] = [];
  const seen = new Set<string>();
  const out: VoteRow[] = [];
  rows.slice(1).forEach((row, i) => {
    const line = i + 2;
    const [option = '', votes = '', eligible] = row;
    if (option === '') problems.push({ file, line, at: 'option', rule: 'option-named', message: 'the option column is empty' });
    if (seen.has(option))
      problems.push({
        file,
        line,
        at: 'option',
        rule: 'option-unique',
        message: `option "${option}" is listed twice; give one row per list`,
      });
    seen.add(option);
    if (!/^\d+$/.test(votes) || !Number.isSafeInteger(Number(votes)))
      problems.push({ file, line, at: 'votes', rule: 'votes-count', message: `"${votes}" is not a non-negative whole number of votes` });
    let eligibleValue: boolean | undefined;
    if (eligible !== undefined && eligible !== '') {
      if (!/^(true|false|yes|no)$/i.test(eligible))
        problems.push({ file, line, at: 'eligible', rule: 'eligible-boolean', message: `eligible is true or false, got "${eligible}"` });
      eligibleValue = /^(true|yes)$/i.test(eligible);
    }
    out.push({ option, votes: Number(votes), eligible: eligibleValue, againstAll: AGAINST_ALL.test(option), order: i + 1 });
  });
  if (problems.length > 0) throw new InputError(problems);
  return out;
}
