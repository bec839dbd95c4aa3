import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { buildApp } from '../../http/app.js';
import { inputError, type InputError } from '../../files/input-error.js';
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
    .option('--port <port>', 'TCP port (0: any free port)', parseInteger('--port', 0, 65535), 8080)
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
        const canvass = await openCanvass(options.db, options.dataDir, { follow: true, publishDir });
        const app = await buildApp(canvass, {
          webRoot: existsSync(options.web) ? options.web : undefined,
          secureCookies: options.secureCookies,
        });
        let address: string;
        try {
          address = await app.listen({ port: options.port, host: options.host });
        } catch (error) {
          // Stop what was started (the writer thread, the database pool, timers): a server that cannot listen exits,
          // so that whoever started it sees the failure instead of a process that hangs.
          await app.close();
          await canvass.close();
          throw listenFailure(options.host, options.port, error as NodeJS.ErrnoException);
        }
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
        const signal = await new Promise<NodeJS.Signals>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        // Said, so that whoever reads the log knows the server was stopped and did not fail.
        process.stdout.write(`canvass: ${signal} received; finishing the writes in progress and stopping\n`);
        if (statsTimer) clearInterval(statsTimer);
        await app.close();
        await canvass.close();
        process.stdout.write('canvass: stopped\n');
      },
    );
}

/** Why the server cannot listen, and what to do about it. */
function listenFailure(host: string, port: number, error: NodeJS.ErrnoException): InputError {
  const at = `${host}:${port}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return inputError(at, 'listen', `cannot listen on ${at}: another process is using the port; stop it or choose another --port`);
    case 'EACCES':
      return inputError(at, 'listen', `cannot listen on ${at}: not permitted (ports below 1024 need privileges); choose another --port`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return inputError(at, 'listen', `cannot listen on ${at}: this machine has no such address; choose another --host`);
    default:
      return inputError(at, 'listen', `cannot listen on ${at}: ${error.message}`);
  }
}
