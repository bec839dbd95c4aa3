import type { Command } from 'commander';
import { readText } from '../files/read-text.js';
import { parseChoice } from '../cli/options.js';
import { verifySnapshot } from './verify-snapshot.js';
import { formatReport } from './verify-report.js';

interface VerifyCommandOptions {
  publicKey?: string;
  format: 'text' | 'json';
}

/**
 * `canvass verify <snapshot dir or URL> [--public-key FILE] [--format text|json]`: exit 0 when the signature is
 * valid and every file and result matches, 1 with the precise report otherwise, 2 when the snapshot or the key
 * cannot be read (an `InputError`).
 */
export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description(
      'Verify a published snapshot: the manifest signature, every file hash, every protocol hash, and every result recomputed from stations.csv and election.json.',
    )
    .argument('<snapshot>', 'snapshot directory or http(s) URL (the one with current.json), or a version directory v/<version>')
    .option('--public-key <file>', "the publisher's public key (PEM), obtained independently; default: the snapshot's own public-key.pem")
    .option('--format <format>', 'text or json', parseChoice('--format', ['text', 'json'] as const), 'text')
    .action(async (snapshot: string, options: VerifyCommandOptions) => {
      const publicKeyPem = options.publicKey === undefined ? undefined : await readText(options.publicKey);
      const report = await verifySnapshot(snapshot, { publicKeyPem });
      process.stdout.write(options.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
      if (!report.ok) process.exitCode = 1;
    });
}
