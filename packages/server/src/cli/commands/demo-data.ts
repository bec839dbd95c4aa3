import type { Command } from 'commander';
import { writeDemoData } from '../../demo-data/write-demo-data.js';
import { parseInteger } from '../options.js';

export function registerDemoData(program: Command): void {
  program
    .command('demo-data')
    .description(
      'Write the reference elections (KZ 2022 presidential, KZ 2023 Mazhilis party list) with synthetic station data that sums exactly to the official national figures.',
    )
    .requiredOption('--out <dir>', 'directory to write <election>/election.json, protocols.jsonl and turnout.jsonl into')
    .option('--seed <n>', 'seed of the synthetic station data (same seed, same files)', parseInteger('--seed', 0), 2022)
    .action(async (options: { out: string; seed: number }) => {
      const written = await writeDemoData(options.out, options.seed);
      for (const file of written) process.stdout.write(`${file}\n`);
    });
}
