import type { Command } from 'commander';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { asContestId, asDivisionId } from '@canvass/core';
import { exportCsv } from '../../formats/csv/export-csv.js';
import { importIzbirkom } from '../../formats/izbirkom/import-izbirkom.js';
import { exportNistErr } from '../../formats/nist/export-nist-err.js';
import { importNistErr } from '../../formats/nist/import-nist-err.js';
import { exportOpenElections } from '../../formats/openelections/export-open-elections.js';
import { importOpenElections } from '../../formats/openelections/import-open-elections.js';
import { InputError, formatProblem, inputError } from '../../files/input-error.js';
import { readText } from '../../files/read-text.js';
import { renderResultProtocol } from '../../pdf/render-result-protocol.js';
import { publicationInputOf } from '../../publish/projection-input.js';
import type { PublicationInput } from '../../publish/publication-input.js';
import { writeSnapshot } from '../../publish/write-snapshot.js';
import type { Canvass } from '../../services/canvass.js';
import { dataDirOption, dbOption, openCanvass } from '../common.js';
import { parseChoice } from '../options.js';

/** The one election in the database, or the one named; a clear error otherwise. */
function inputFor(canvass: Canvass, election: string | undefined, source: string): PublicationInput {
  const ids = [...canvass.projection.elections.keys()];
  const id = election ?? (ids.length === 1 ? ids[0] : undefined);
  const state = id === undefined ? undefined : canvass.projection.elections.get(id);
  if (!state) {
    throw inputError(
      source,
      'election-exists',
      election === undefined
        ? `the database holds ${ids.length} elections (${ids.join(', ') || 'none'}); name one with --election`
        : `election "${election}" is not defined in this database`,
      { at: '--election' },
    );
  }
  return publicationInputOf(canvass.projection, state, canvass.clock());
}

async function withCanvass<T>(db: string, dataDir: string, run: (canvass: Canvass) => Promise<T>): Promise<T> {
  const canvass = await openCanvass(db, dataDir);
  try {
    return await run(canvass);
  } finally {
    await canvass.close();
  }
}

export function registerPublication(program: Command): void {
  program
    .command('publish')
    .description('Write the current results as a signed, immutable snapshot version (for any static host or object store).')
    .addOption(dbOption())
    .addOption(dataDirOption())
    .requiredOption('--out <dir>', 'snapshot directory (versions accumulate under v/; current.json names the latest)')
    .option('--election <id>', 'election to publish (default: the only one)')
    .action(async (options: { db: string; dataDir: string; out: string; election?: string }) => {
      await withCanvass(options.db, options.dataDir, async (canvass) => {
        const info = await writeSnapshot(inputFor(canvass, options.election, options.db), options.out, canvass.key.privateKey);
        process.stdout.write(`${JSON.stringify(info)}\n`);
      });
    });

  const formats = ['nist-err', 'csv', 'openelections'] as const;
  program
    .command('export')
    .description('Export results: NIST SP 1500-100 v2 JSON, Canvass CSV (one row per counted protocol), OpenElections precinct CSV.')
    .addOption(dbOption())
    .addOption(dataDirOption())
    .requiredOption('--format <format>', formats.join(' | '), parseChoice('--format', formats))
    .requiredOption('--out <file>', 'output file')
    .option('--level <level>', 'nist-err: summary or precinct', parseChoice('--level', ['summary', 'precinct'] as const), 'precinct')
    .option('--election <id>', 'election to export (default: the only one)')
    .action(
      async (options: {
        db: string;
        dataDir: string;
        format: (typeof formats)[number];
        out: string;
        level: 'summary' | 'precinct';
        election?: string;
      }) => {
        await withCanvass(options.db, options.dataDir, async (canvass) => {
          const input = inputFor(canvass, options.election, options.db);
          const text =
            options.format === 'nist-err'
              ? `${JSON.stringify(exportNistErr(input, options.level), null, 1)}\n`
              : options.format === 'csv'
                ? exportCsv(input)
                : exportOpenElections(input);
          await writeFile(options.out, text);
          process.stdout.write(`wrote ${options.out} (${options.format}${options.format === 'nist-err' ? `, ${options.level}` : ''})\n`);
        });
      },
    );

  const sources = ['nist-err', 'openelections', 'izbirkom'] as const;
  program
    .command('import')
    .description(
      'Import an election and its protocols (NIST ERR JSON, OpenElections precinct CSV, Russian CEC izbirkom CSV/zip) as files `canvass tally` reads.',
    )
    .requiredOption('--format <format>', sources.join(' | '), parseChoice('--format', sources))
    .requiredOption('--out <dir>', 'directory to write <election>/election.json and protocols.jsonl into')
    .argument('<files...>', 'input files')
    .action(async (files: string[], options: { format: (typeof sources)[number]; out: string }) => {
      let imported;
      if (options.format === 'izbirkom') {
        const inputs = await Promise.all(
          files.map(async (file) => ({
            name: file,
            bytes: new Uint8Array(
              await readFile(file).catch(() => {
                throw inputError(file, 'file-readable', 'cannot read the file');
              }),
            ),
          })),
        );
        imported = importIzbirkom(inputs);
      } else {
        if (files.length !== 1) throw inputError(files.join(', '), 'one-file', `--format ${options.format} reads one file`);
        const file = files[0] ?? '';
        const text = await readText(file);
        if (options.format === 'nist-err') {
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch (error) {
            throw inputError(file, 'json-syntax', `not valid JSON: ${(error as Error).message}`);
          }
          imported = importNistErr(json, file);
        } else {
          imported = importOpenElections(text, file, {
            electionId: basename(file)
              .replace(/\.[^.]+$/, '')
              .toLowerCase()
              .replace(/[^a-z0-9._-]+/g, '-'),
          });
        }
      }
      for (const problem of imported.problems) process.stderr.write(`${formatProblem(problem)}\n`);
      if (imported.protocols.length === 0)
        throw new InputError([
          { file: files.join(', '), rule: 'nothing-imported', message: 'no protocol could be imported (see the problems above)' },
        ]);
      const folder = join(options.out, imported.election.id);
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, 'election.json'), `${JSON.stringify(imported.election, null, 1)}\n`);
      await writeFile(join(folder, 'protocols.jsonl'), imported.protocols.map((p) => JSON.stringify(p)).join('\n') + '\n');
      process.stdout.write(
        `${join(folder, 'election.json')}\n${join(folder, 'protocols.jsonl')}\nimported ${imported.protocols.length} protocols; ${imported.problems.length} problem(s) reported\n`,
      );
      if (imported.problems.length > 0) process.exitCode = 1;
    });

  program
    .command('protocol-pdf')
    .description('The commission\u2019s summary result protocol of a contest for a division, as PDF (kk, ru or en).')
    .addOption(dbOption())
    .addOption(dataDirOption())
    .requiredOption('--out <file>', 'PDF file to write')
    .option('--election <id>', 'election (default: the only one)')
    .option('--contest <id>', 'contest (default: the first)')
    .option('--division <id>', 'division (default: the contest\u2019s own)')
    .option('--lang <lang>', 'kk | ru | en', parseChoice('--lang', ['kk', 'ru', 'en'] as const), 'en')
    .action(
      async (options: {
        db: string;
        dataDir: string;
        out: string;
        election?: string;
        contest?: string;
        division?: string;
        lang: 'kk' | 'ru' | 'en';
      }) => {
        await withCanvass(options.db, options.dataDir, async (canvass) => {
          const input = inputFor(canvass, options.election, options.db);
          const contest = options.contest ?? input.index.election.contests[0]?.id ?? '';
          const contestIndex = input.index.contest(contest);
          if (!contestIndex)
            throw inputError(options.db, 'contest-exists', `contest "${contest}" is not part of election "${input.index.election.id}"`, {
              at: '--contest',
            });
          const division = options.division ?? input.index.election.divisions[contestIndex.root]?.id ?? '';
          let pdf: Uint8Array;
          try {
            pdf = await renderResultProtocol(input, asContestId(contest), asDivisionId(division), options.lang);
          } catch (error) {
            if (error instanceof RangeError) throw inputError(options.db, 'division-in-contest', error.message, { at: '--division' });
            throw error;
          }
          await writeFile(options.out, pdf);
          process.stdout.write(`wrote ${options.out} (${pdf.byteLength.toLocaleString('en-US')} bytes)\n`);
        });
      },
    );
}
