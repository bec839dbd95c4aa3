import { integerPercentagesOf, localize, type ElectionIndex } from '@canvass/core';
import { inSubtree } from '../../domain/decide.js';
import type { Command } from 'commander';
import { readElectionFile } from '../../files/election-file.js';
import { inputError } from '../../files/input-error.js';
import { readProtocolFile } from '../../files/protocol-file.js';
import { countRecords } from '../../tally/count-records.js';
import { forensicsReport, type ForensicsReport } from '../../tally/forensics-report.js';
import { parseChoice } from '../options.js';

interface ForensicsOptions {
  election: string;
  protocols: string;
  division?: string;
  format: 'json' | 'table';
}

export function registerForensics(program: Command): void {
  program
    .command('forensics')
    .description('Statistical indicators over the counted protocols: the integer-percentage test (Kobak, Shpilkin & Pshenichnikov 2016).')
    .requiredOption('--election <file>', 'election definition (JSON)')
    .requiredOption('--protocols <file>', 'protocols (.jsonl, one protocol per line, or .csv)')
    .option('--division <id>', 'division whose stations are tested (default: the top division)')
    .option('--format <format>', 'json or table', parseChoice('--format', ['json', 'table'] as const), 'table')
    .action(async (options: ForensicsOptions) => {
      const index = await readElectionFile(options.election);
      const records = await readProtocolFile(options.protocols);
      // As the server does: only the protocols that count (error-level control relations kept out).
      const { tally, counted } = countRecords(options.protocols, index, records);
      const division = options.division ?? index.election.divisions.find((d) => d.parent === undefined)?.id ?? '';
      if (index.divisionIndex(division) === undefined)
        throw inputError(options.election, 'division-exists', `division "${division}" is not defined in this election`, {
          at: '--division',
        });
      const report = forensicsReport(index, division, tally, (contest, leaderAt) =>
        integerPercentagesOf(
          contest,
          [...counted.values()].filter((p) => p.contest === contest.contest.id && inSubtree(index, division, p.station)),
          leaderAt,
        ),
      );
      process.stdout.write(options.format === 'json' ? `${JSON.stringify(report)}\n` : renderTable(index, report));
    });
}

const n = (x: number | null, digits = 0) =>
  x === null ? '—' : x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function renderTable(index: ElectionIndex, report: ForensicsReport): string {
  const division = index.election.divisions[index.divisionIndex(report.division) ?? -1];
  const out = [
    `Integer percentages (${report.method.reference}) — ${division ? localize(division.names, 'en') : report.division} (${report.division})`,
  ];
  for (const c of report.contests) {
    const test = c.integerPercentages;
    out.push('', `${c.contest}: leader ${c.leader ?? '— (no votes)'}`);
    if (!test) continue;
    out.push(`stations considered ${n(test.considered)}, left out ${n(test.excluded)} (${report.method.considered})`);
    const row = (label: string, key: 'either' | 'leader' | 'turnout') =>
      `  ${label.padEnd(16)}${n(test.observed[key]).padStart(10)}${n(test.expected[key], 1).padStart(12)}${n(test.excess[key], 1).padStart(10)}${n(test.sd[key], 1).padStart(8)}${n(test.z[key], 2).padStart(8)}`;
    out.push(
      `  ${''.padEnd(16)}${'observed'.padStart(10)}${'expected'.padStart(12)}${'excess'.padStart(10)}${'sd'.padStart(8)}${'z'.padStart(8)}`,
      row('either', 'either'),
      row('leader share', 'leader'),
      row('turnout', 'turnout'),
    );
  }
  out.push('', 'An excess is an indicator to look at, not proof: honest rounding, small stations and data entry produce some.');
  return `${out.join('\n')}\n`;
}
