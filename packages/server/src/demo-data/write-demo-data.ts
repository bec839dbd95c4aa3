import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateKz2022President, generateKz2023Mazhilis, type GeneratedElection } from './generate-kz.js';

const jsonl = (records: readonly unknown[]) => records.map((r) => JSON.stringify(r)).join('\n') + (records.length > 0 ? '\n' : '');

/** Writes `DIR/<election>/election.json`, `protocols.jsonl` and `turnout.jsonl` for both reference elections. */
export async function writeDemoData(dir: string, seed: number): Promise<string[]> {
  const written: string[] = [];
  const elections: GeneratedElection[] = [generateKz2022President(seed), generateKz2023Mazhilis(seed + 1)];
  for (const { election, protocols, turnout } of elections) {
    const folder = join(dir, election.id);
    await mkdir(folder, { recursive: true });
    const files: [string, string][] = [
      ['election.json', `${JSON.stringify(election, null, 1)}\n`],
      ['protocols.jsonl', jsonl(protocols)],
      ['turnout.jsonl', jsonl(turnout)],
    ];
    for (const [name, text] of files) {
      const path = join(folder, name);
      await writeFile(path, text);
      written.push(path);
    }
  }
  return written;
}
