import type { Command } from 'commander';
import { readElectionFile } from '../../files/election-file.js';
import { dataDirOption, dbOption, domainFailure, openCanvass } from '../common.js';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('Load an election definition into the database (recorded in the ledger).')
    .addOption(dbOption())
    .addOption(dataDirOption())
    .requiredOption('--election <file>', 'election definition (JSON)')
    .action(async (options: { db: string; dataDir: string; election: string }) => {
      const index = await readElectionFile(options.election);
      const canvass = await openCanvass(options.db, options.dataDir, { create: true });
      try {
        const result = await canvass.defineElection({ id: 'system', role: 'system' }, index.election);
        if (!result.ok) throw domainFailure(options.election, result.error);
        const stations = index.isStation.reduce((n, s) => n + s, 0);
        process.stdout.write(
          `defined election ${index.election.id}: ${index.divisionCount} divisions, ${stations} polling stations, ${index.contests.length} contest(s) (ledger seq ${result.value.seq})\n`,
        );
      } finally {
        await canvass.close();
      }
    });
}
