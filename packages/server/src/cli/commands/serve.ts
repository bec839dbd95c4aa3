import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { buildApp } from '../../http/app.js';
import { dataDirOption, dbOption, openCanvass } from '../common.js';
import { parseInteger } from '../options.js';

/** Where the built web site is, next to this package in the workspace. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../../../web/dist', import.meta.url));

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Run the results server: the HTTP API under /api/v1 (OpenAPI at /api/docs) and the public site.')
    .addOption(dbOption())
    .addOption(dataDirOption())
    .option('--port <port>', 'TCP port', parseInteger('--port', 0), 8080)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--web <dir>', 'built web site to serve at /', DEFAULT_WEB_ROOT)
    .option('--secure-cookies', 'mark session cookies Secure (when served over HTTPS)', false)
    .option(
      '--publish-dir <dir>',
      'write signed snapshots of every results version here (served at /published/<election>/); default <data-dir>/published',
    )
    .option('--no-publish', 'do not write snapshots (e.g. on all but one of several instances)')
    .action(
      async (options: {
        db: string;
        dataDir: string;
        port: number;
        host: string;
        web: string;
        secureCookies: boolean;
        publish: boolean;
        publishDir?: string;
      }) => {
        const publishDir = options.publish ? (options.publishDir ?? join(options.dataDir, 'published')) : undefined;
        const canvass = await openCanvass(options.db, options.dataDir, true, publishDir);
        const app = await buildApp(canvass, {
          webRoot: existsSync(options.web) ? options.web : undefined,
          secureCookies: options.secureCookies,
        });
        const address = await app.listen({ port: options.port, host: options.host });
        process.stdout.write(
          `canvass: serving ${canvass.store.location} (${canvass.store.dialect}; ${canvass.replay.events} ledger events replayed in ${Math.round(canvass.replay.ms)} ms) at ${address}\n`,
        );
        const statsTimer = process.env['CANVASS_STATS']
          ? setInterval(() => {
              const { batches, stale, commands, events, prepareMs, commitMs } = canvass.writer.stats;
              const per = Math.max(1, batches);
              process.stderr.write(
                `writer: ${batches} batches, ${commands} commands, ${events} events, ${(commands / per).toFixed(1)} per batch, prepare ${(prepareMs / per).toFixed(2)} ms, commit ${(commitMs / per).toFixed(2)} ms per batch, ${stale} stale; ${JSON.stringify(canvass.writer.state)}\n`,
              );
            }, 2000)
          : undefined;
        await new Promise<void>((resolve) => {
          const stop = () => {
            resolve();
          };
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        if (statsTimer) clearInterval(statsTimer);
        await app.close();
        await canvass.close();
      },
    );
}
