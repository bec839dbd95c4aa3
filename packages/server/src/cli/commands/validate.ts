import { localize } from '@canvass/core';
import type { Command } from 'commander';
import { readElectionFile } from '../../files/election-file.js';
import { readProtocolFile } from '../../files/protocol-file.js';
import { countRecords } from '../../tally/count-records.js';
import { parseChoice } from '../options.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('Check every protocol against the election and its control relations; exit 1 if any breaks an error-level rule.')
    .requiredOption('--election <file>', 'election definition (JSON)')
    .requiredOption('--protocols <file>', 'protocols (.jsonl or .csv)')
    .option('--format <format>', 'text or json', parseChoice('--format', ['text', 'json'] as const), 'text')
    .option('--lang <lang>', 'language of the messages (en, ru, kk)', parseChoice('--lang', ['en', 'ru', 'kk'] as const), 'en')
    .action(async (options: { election: string; protocols: string; format: 'text' | 'json'; lang: string }) => {
      const index = await readElectionFile(options.election);
      const records = await readProtocolFile(options.protocols);
      const { notCounted, warnings } = countRecords(options.protocols, index, records);
      const reported = [...notCounted, ...warnings].sort((a, b) => a.line - b.line);
      if (options.format === 'json') {
        for (const r of reported)
          process.stdout.write(
            `${JSON.stringify({ line: r.line, station: r.protocol.station, contest: r.protocol.contest, findings: r.findings })}\n`,
          );
      } else {
        for (const r of reported) {
          for (const f of r.findings) {
            process.stdout.write(
              `${options.protocols}: line ${r.line}: station ${r.protocol.station}, contest ${r.protocol.contest}: ${f.severity} ${f.code}: ${localize(f.message, options.lang)}\n`,
            );
          }
        }
        process.stdout.write(
          `${records.length} protocols: ${records.length - notCounted.length} pass, ${notCounted.length} break an error-level rule, ${warnings.length} with warnings only\n`,
        );
      }
      if (notCounted.length > 0) process.exitCode = 1;
    });
}
