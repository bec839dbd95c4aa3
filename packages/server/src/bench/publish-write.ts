/**
 * One snapshot of the publication benchmark, written in a process of its own (publish-bench.ts spawns it): the
 * publisher and the observer are different processes, usually different machines. Writing a million stations leaves
 * over a gigabyte in the writer's heap, and an idle process holding it was seen to slow a verification on the same
 * machine by a few percent. Prints what it measured as one JSON line (`WrittenSnapshot`).
 *
 * Usage: node publish-write.js <kz|synthetic> <dir> <grouped|none> [stations]
 */
import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { publicKeyPem } from '../publish/manifest.js';
import type { PublicationInput } from '../publish/publication-input.js';
import { kz2022PublicationInput } from '../publish/reference-input.js';
import { syntheticPublicationInput } from '../publish/synthetic-input.js';
import { writeSnapshot } from '../publish/write-snapshot.js';

export interface WrittenSnapshot {
  readonly stations: number;
  /** Seconds to build and count the input. */
  readonly input: number;
  readonly inputRssMb: number;
  /** Seconds to write the snapshot. */
  readonly written: number;
  readonly bytes: number;
  readonly files: number;
  readonly rssMb: number;
  /** The signer's public key (PEM), written here. */
  readonly keyFile: string;
}

const [name, dir, layout, count] = process.argv.slice(2);
if (!dir || (layout !== 'grouped' && layout !== 'none') || (name !== 'kz' && name !== 'synthetic'))
  throw new Error('usage: publish-write.js <kz|synthetic> <dir> <grouped|none> [stations]');
const now = new Date('2022-11-21T04:00:00Z');
const rssMb = () => process.resourceUsage().maxRSS / 1024;
const { privateKey } = generateKeyPairSync('ed25519');
let started = performance.now();
const stations = Number(count ?? 1_000_000);
const spec = { stations, regions: 20, districts: Math.max(20, Math.round(stations / 500)), options: 10, seed: 1 };
const input: PublicationInput = name === 'kz' ? kz2022PublicationInput(now) : syntheticPublicationInput(spec, now);
const inputSeconds = (performance.now() - started) / 1000;
const inputRssMb = rssMb();
started = performance.now();
const info = await writeSnapshot(input, dir, privateKey, { stationResults: layout });
const written = (performance.now() - started) / 1000;
const keyFile = `${dir}.public-key.pem`;
await writeFile(keyFile, publicKeyPem(privateKey));
const result: WrittenSnapshot = {
  stations: input.counted.size,
  input: inputSeconds,
  inputRssMb,
  written,
  bytes: info.bytes,
  files: info.files,
  rssMb: rssMb(),
  keyFile,
};
console.log(JSON.stringify(result));
