import type { Command } from 'commander';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { verifyChain, type ChainBreak } from '../../ledger/chain.js';
import { readHead, readRows, storedFields } from '../../ledger/ledger-store.js';
import type { StoredFields } from '../../ledger/chain.js';
import { readPublicKey, KEY_FILE } from '../../ledger/server-key.js';
import { InputError, inputError } from '../../files/input-error.js';
import type { EventsTable } from '../../store/database.js';
import { openStore } from '../../store/open-store.js';
import { join } from 'node:path';
import { dataDirOption, dbOption, requireDatabase } from '../common.js';

const DESCRIBE: Record<ChainBreak['kind'], string> = {
  'sequence-gap': 'an event is missing or out of order',
  'prev-hash-mismatch': 'its prev_hash is not the previous event\u2019s hash (an event before it was changed, inserted or removed)',
  'hash-mismatch': 'its content does not match its hash (the event was edited)',
  'bad-signature': 'its signature is not the server key\u2019s signature of its hash',
  unsigned:
    'the ledger ends inside the commit that starts here: the event its signature is on is missing (events were removed from the end)',
  unreadable: 'it cannot be read',
};

async function* fileEvents(path: string): AsyncGenerator<StoredFields | { seq: number; unreadable: string }> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    let row: EventsTable;
    try {
      row = JSON.parse(line) as EventsTable;
    } catch (error) {
      yield { seq: n, unreadable: `line ${n} is not JSON: ${(error as Error).message}` };
      return;
    }
    yield storedFields(row);
  }
}

async function* mapRows(rows: AsyncIterable<EventsTable>): AsyncGenerator<StoredFields> {
  for await (const row of rows) yield storedFields(row);
}

export function registerLedger(program: Command): void {
  const ledger = program.command('ledger').description('Inspect the hash-chained ledger.');
  ledger
    .command('verify')
    .description('Re-check the whole chain (sequence, prev_hash, hash, Ed25519 signature); name the first broken sequence number.')
    .addOption(dbOption())
    .addOption(dataDirOption())
    .option('--public-key <file>', 'the server\u2019s public key (PEM); default: derived from <data-dir>/server-key.pem')
    .option('--file <ledger.jsonl>', 'verify an exported ledger file instead of the database')
    .action(async (options: { db: string; dataDir: string; publicKey?: string; file?: string }) => {
      const keyPath = options.publicKey ?? join(options.dataDir, KEY_FILE);
      const publicKey = await readPublicKey(keyPath).catch((error: unknown) => {
        throw inputError(keyPath, 'public-key', `cannot read the public key: ${(error as Error).message}`);
      });
      let report;
      if (options.file) {
        const file = options.file;
        await open(file)
          .then((h) => h.close())
          .catch(() => {
            throw inputError(file, 'file-readable', 'cannot read the ledger file');
          });
        report = await verifyChain(fileEvents(file), publicKey);
      } else {
        requireDatabase(options.db);
        const store = await openStore(options.db).catch((error: unknown) => {
          throw new InputError([{ file: options.db, rule: 'database', message: `cannot open the database: ${(error as Error).message}` }]);
        });
        try {
          report = await verifyChain(mapRows(readRows(store.db)), publicKey);
          // Events removed from the end at a commit's boundary leave a valid chain; the head row still names the end.
          const stored = await readHead(store.db);
          if (!report.firstBreak && (stored.seq !== report.head.seq || stored.hash !== report.head.hash)) {
            process.stdout.write(
              `ledger BROKEN after seq ${report.head.seq}: the ledger's head names seq ${stored.seq} (hash ${stored.hash}), but its events end at seq ${report.head.seq} — events were removed from the end, or the head was changed; ${report.checked} events verified\n`,
            );
            process.exitCode = 1;
            return;
          }
        } finally {
          await store.close();
        }
      }
      if (report.firstBreak) {
        const b = report.firstBreak;
        process.stdout.write(
          `ledger BROKEN at seq ${b.seq}: ${DESCRIBE[b.kind]}${b.kind === 'unreadable' ? ` (${b.detail})` : ''}; ${report.checked} events before it verified\n`,
        );
        process.exitCode = 1;
        return;
      }
      if (report.checked === 0) {
        // Nothing to vouch for: a verifier that says OK here would pass a wrong path or an emptied file.
        process.stdout.write('ledger EMPTY: there are no events to verify\n');
        process.exitCode = 1;
        return;
      }
      process.stdout.write(`ledger OK: ${report.checked} events, head seq ${report.head.seq}, hash ${report.head.hash}\n`);
    });
  ledger
    .command('export')
    .description('Write the ledger as JSON lines (one stored event per line) for independent verification.')
    .addOption(dbOption())
    .requiredOption('--out <file>', 'output file')
    .action(async (options: { db: string; out: string }) => {
      requireDatabase(options.db);
      const store = await openStore(options.db);
      const handle = await open(options.out, 'w');
      let n = 0;
      try {
        // The stored rows exactly as they are: a verifier recomputes the hashes from these bytes.
        for await (const row of readRows(store.db)) {
          await handle.write(`${JSON.stringify(row)}\n`);
          n++;
        }
      } finally {
        await handle.close();
        await store.close();
      }
      process.stdout.write(`wrote ${n} events to ${options.out}\n`);
    });
}
