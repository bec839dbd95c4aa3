/**
 * Writes a snapshot version to disk so that no reader ever sees half of it: every file goes into a temporary
 * directory under `v/`, which is renamed to `v/<version>` in one step once complete; `public-key.pem` and then
 * `current.json` are replaced atomically (write, then rename) after that. A version directory is never changed
 * again. Versions are named by their content, so publishing unchanged results reuses the existing version.
 *
 * Durability: files are not fsync'ed. After a crash a version directory may be incomplete on disk even though its
 * rename happened; `canvass verify` detects that, and publishing again writes the version afresh under a new
 * temporary name (remove the damaged directory first).
 */
import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import { chmod, mkdir, mkdtemp, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { sha256Hex } from '../ledger/canonical.js';
import { makeManifest, snapshotEntries, type SnapshotOptions } from './build-snapshot.js';
import { ManifestSchema, assertEd25519, manifestBytes, publicKeyPem, signManifest, type ManifestFile } from './manifest.js';
import type { PublicationInput } from './publication-input.js';
import {
  CURRENT_FILE,
  CURRENT_FORMAT,
  MANIFEST_FILE,
  PUBLIC_KEY_FILE,
  SIGNATURE_FILE,
  VERSIONS_DIR,
  VERSION_PATTERN,
  versionDir,
} from './snapshot-layout.js';

export interface SnapshotInfo {
  readonly version: string;
  /** Absolute path of the version directory. */
  readonly path: string;
  /** SHA-256 of `manifest.json` (what the result protocol PDF's QR code carries). */
  readonly manifestSha256: string;
  /** Files in the version, including the manifest and its signature. */
  readonly files: number;
  readonly bytes: number;
  /** False when a version with the same content already existed and was kept as it was. */
  readonly created: boolean;
  /** Whether `current.json` names this version now (false if a newer results version was already current). */
  readonly current: boolean;
}

/** The content of `current.json`. */
export interface CurrentPointer {
  readonly format: typeof CURRENT_FORMAT;
  readonly election: string;
  readonly version: string;
  readonly resultsVersion: number;
  readonly createdAt: string;
  /** Path of the version's manifest, relative to the snapshot root. */
  readonly manifest: string;
  readonly manifestSha256: string;
}

/** How many file writes may be in flight while the next files are produced. */
const WRITES_IN_FLIGHT = 16;

/** Writes a new snapshot version under `outDir`, signs its manifest with `privateKey` (Ed25519) and makes it current. */
export async function writeSnapshot(
  input: PublicationInput,
  outDir: string,
  privateKey: KeyObject,
  options: SnapshotOptions = {},
): Promise<SnapshotInfo> {
  assertEd25519(privateKey, 'signing key');
  const root = resolve(outDir);
  const versions = join(root, VERSIONS_DIR);
  await mkdir(versions, { recursive: true });
  const tmp = await mkdtemp(join(versions, '.tmp-'));
  let renamed = false;
  const writes = new BoundedWrites(WRITES_IN_FLIGHT);
  try {
    const madeDirs = new Set<string>();
    const listed: ManifestFile[] = [];
    const stats = { rows: 0 };
    for (const entry of snapshotEntries(input, options, stats)) {
      const target = join(tmp, entry.path);
      const dir = dirname(target);
      if (!madeDirs.has(dir)) {
        await mkdir(dir, { recursive: true });
        madeDirs.add(dir);
      }
      if (typeof entry.content === 'string') {
        const bytes = Buffer.from(entry.content, 'utf8');
        listed.push({ path: entry.path, size: bytes.byteLength, sha256: sha256Hex(bytes) });
        await writes.add(writeFile(target, bytes));
      } else {
        listed.push({ path: entry.path, ...(await writeChunks(target, entry.content)) });
      }
    }
    await writes.drain();
    const manifest = makeManifest(input, listed, stats.rows, { ...options, signingKey: privateKey });
    const bytes = manifestBytes(manifest);
    const signature = signManifest(bytes, privateKey);
    await writeFile(join(tmp, MANIFEST_FILE), bytes);
    await writeFile(join(tmp, SIGNATURE_FILE), signature);
    // mkdtemp makes the directory private (0700); a published version is world-readable.
    await chmod(tmp, 0o755);

    const final = join(root, versionDir(manifest.version));
    let created = true;
    try {
      await rename(tmp, final);
      renamed = true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      created = false; // the same content was published before: keep that version untouched
    }
    const manifestOnDisk = created ? bytes : await readFile(join(final, MANIFEST_FILE));
    const manifestSha256 = sha256Hex(manifestOnDisk);
    const published = created ? manifest : ManifestSchema.parse(JSON.parse(Buffer.from(manifestOnDisk).toString('utf8')));
    const signatureSize = created ? Buffer.byteLength(signature) : (await readFile(join(final, SIGNATURE_FILE))).byteLength;

    await replaceFile(join(root, PUBLIC_KEY_FILE), publicKeyPem(privateKey), { skipIfEqual: true });
    const current = await updateCurrent(root, {
      format: CURRENT_FORMAT,
      election: published.election,
      version: published.version,
      resultsVersion: published.resultsVersion,
      createdAt: published.createdAt,
      manifest: `${versionDir(published.version)}/${MANIFEST_FILE}`,
      manifestSha256,
    });
    return {
      version: published.version,
      path: final,
      manifestSha256,
      files: published.files.length + 2,
      bytes: published.files.reduce((sum, f) => sum + f.size, 0) + manifestOnDisk.byteLength + signatureSize,
      created,
      current,
    };
  } finally {
    if (!renamed) {
      await writes.settle();
      await rm(tmp, { recursive: true, force: true });
    }
  }
}

/**
 * What the lead's `canvass publish` calls once it has built the input from the database: one new version, signed,
 * made current.
 */
export function publishFromInput(input: PublicationInput, outDir: string, privateKey: KeyObject): Promise<SnapshotInfo> {
  return writeSnapshot(input, outDir, privateKey);
}

/** The version `current.json` under `root` names, or undefined when there is none (or it is unreadable). */
export async function readCurrent(root: string): Promise<CurrentPointer | undefined> {
  let text: string;
  try {
    text = await readFile(join(root, CURRENT_FILE), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const value = JSON.parse(text) as Partial<CurrentPointer>;
    return typeof value.version === 'string' && VERSION_PATTERN.test(value.version) ? (value as CurrentPointer) : undefined;
  } catch {
    return undefined;
  }
}

/** Points `current.json` at `pointer` unless a higher results version is already current. Returns whether it did. */
async function updateCurrent(root: string, pointer: CurrentPointer): Promise<boolean> {
  const existing = await readCurrent(root);
  if (existing && existing.version !== pointer.version && resultsVersionOf(existing.version) > pointer.resultsVersion) return false;
  await replaceFile(join(root, CURRENT_FILE), `${JSON.stringify(pointer, null, 2)}\n`, { skipIfEqual: false });
  return true;
}

const resultsVersionOf = (version: string): number => Number(VERSION_PATTERN.exec(version)?.[1] ?? -1);

/** Replaces a file atomically: write a temporary file beside it, then rename over it. */
async function replaceFile(path: string, content: string, options: { skipIfEqual: boolean }): Promise<void> {
  if (options.skipIfEqual) {
    try {
      if ((await readFile(path, 'utf8')) === content) return;
    } catch {
      // missing: write it
    }
  }
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(tmp, content);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

async function writeChunks(path: string, chunks: Iterable<string>): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  const handle = await open(path, 'w');
  try {
    for (const chunk of chunks) {
      const bytes = Buffer.from(chunk, 'utf8');
      hash.update(bytes);
      size += bytes.byteLength;
      await handle.write(bytes);
    }
  } finally {
    await handle.close();
  }
  return { size, sha256: hash.digest('hex') };
}

/** Keeps up to `limit` writes in flight; the first failure is rethrown by the next `add` or by `drain`. */
class BoundedWrites {
  readonly #limit: number;
  readonly #pending = new Set<Promise<void>>();
  #failed = false;
  #error: unknown;

  constructor(limit: number) {
    this.#limit = limit;
  }

  async add(write: Promise<void>): Promise<void> {
    const tracked: Promise<void> = write
      .catch((error: unknown) => {
        if (!this.#failed) {
          this.#failed = true;
          this.#error = error;
        }
      })
      .finally(() => this.#pending.delete(tracked));
    this.#pending.add(tracked);
    if (this.#pending.size >= this.#limit) await Promise.race(this.#pending);
    this.#rethrow();
  }

  /** Waits for every write in flight, ignoring failures (before cleaning up after an error). */
  async settle(): Promise<void> {
    await Promise.all(this.#pending);
  }

  async drain(): Promise<void> {
    await Promise.all(this.#pending);
    this.#rethrow();
  }

  #rethrow(): void {
    if (this.#failed) throw this.#error;
  }
}
