import { asDivisionId, localize, type ContestResults, type DivisionResults, type ElectionIndex, type Outcome } from '@canvass/core';
import type { Command } from 'commander';
import { readElectionFile } from '../../files/election-file.js';
import { inputError } from '../../files/input-error.js';
import { readProtocolFile } from '../../files/protocol-file.js';
import { countRecords, protocolKey } from '../../tally/count-records.js';
import { parseChoice } from '../options.js';

interface TallyOptions {
  election: string;
  protocols: string;
  division?: string;
  format: 'json' | 'table';
}

export function registerTally(program: Command): void {
  program
    .command('tally')
    .description('Tabulate protocols exactly: totals, percentages, turnout and the outcome under the election\u2019s rules.')
    .requiredOption('--election <file>', 'election definition (JSON)')
    .requiredOption('--protocols <file>', 'protocols (.jsonl, one protocol per line, or .csv)')
    .option('--division <id>', 'division to report (default: the top division)')
    .option('--format <format>', 'json or table', parseChoice('--format', ['json', 'table'] as const), 'table')
    .action(async (options: TallyOptions) => {
      const index = await readElectionFile(options.election);
      const records = await readProtocolFile(options.protocols);
      const { tally, counted, notCounted } = countRecords(options.protocols, index, records);
      const divisionId = options.division ?? index.election.divisions.find((d) => d.parent === undefined)?.id ?? '';
      const results = tally.results(asDivisionId(divisionId), {
        stationProtocol: (station, contest) => counted.get(protocolKey(contest, station)),
      });
      if (!results)
        throw inputError(options.election, 'division-exists', `division "${divisionId}" is not defined in this election`, {
          at: '--division',
        });
      if (notCounted.length > 0) {
        process.stderr.write(
          `${notCounted.length} protocol(s) break an error-level control relation and are not counted (run \`canvass validate\` for the findings): lines ${notCounted
            .slice(0, 10)
            .map((r) => r.line)
            .join(', ')}${notCounted.length > 10 ? ', …' : ''}\n`,
        );
      }
      process.stdout.write(options.format === 'json' ? `${JSON.stringify(results)}\n` : renderTable(index, results));
    });
}

const n = (x: number) => x.toLocaleString('en-US');

function describeOutcome(outcome: Outcome | undefined): string {
  if (!outcome) return '(decided at the contest\u2019s own division)';
  switch (outcome.kind) {
    case 'elected':
      return `elected: ${outcome.elected.join(', ')}`;
    case 'runoff':
      return `runoff between ${outcome.runoff.join(' and ')}`;
    case 'seats':
      return `seats: ${Object.entries(outcome.seats)
        .map(([id, s]) => `${id} ${s}`)
        .join(', ')}`;
    case 'tie':
      return `TIE for ${outcome.places} ${outcome.for} place(s) between ${outcome.tied.join(', ')}${outcome.settled.length > 0 ? ` (settled: ${outcome.settled.join(', ')})` : ''} — for the commission to resolve`;
    case 'no-votes':
      return 'no votes counted yet';
  }
}

function renderTable(index: ElectionIndex, results: DivisionResults): string {
  const division = index.election.divisions.find((d) => d.id === results.division);
  const out: string[] = [
    `${localize(index.election.names, 'en')} — ${division ? localize(division.names, 'en') : results.division} (${results.division})`,
  ];
  if (index.election.synthetic) out.push(`Note: ${localize(index.election.synthetic, 'en')}`);
  for (const contest of results.contests) out.push('', ...renderContest(index, contest));
  return `${out.join('\n')}\n`;
}

function renderContest(index: ElectionIndex, c: ContestResults): string[] {
  const contest = index.contest(c.contest)?.contest;
  const names = new Map(contest?.options.map((o) => [o.id, localize(o.names, 'en')]));
  const rows = c.options.map((o) => [names.get(o.option) ?? o.option, n(o.votes), o.percent ?? '—']);
  const width = [Math.max(6, ...rows.map((r) => r[0]?.length ?? 0)), Math.max(5, ...rows.map((r) => r[1]?.length ?? 0)), 6];
  const pad = (r: string[]) =>
    `  ${(r[0] ?? '').padEnd(width[0] ?? 0)}  ${(r[1] ?? '').padStart(width[1] ?? 0)}  ${(r[2] ?? '').padStart(width[2] ?? 0)}`;
  return [
    `${contest ? localize(contest.names, 'en') : c.contest} [${c.contest}] — ${c.status} — stations ${n(c.stations.reported)} of ${n(c.stations.total)}`,
    `registered ${n(c.registered)} · took part ${n(c.participated)} (turnout ${c.turnoutPercent ?? '—'} %) · invalid ${n(c.invalid)} · valid ${n(c.valid)}`,
    pad(['option', 'votes', '%']),
    ...rows.map(pad),
    `outcome: ${describeOutcome(c.outcome)}`,
  ];
}
