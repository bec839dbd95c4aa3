import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { sha256Hex } from '../ledger/canonical.js';
import { buildSnapshot } from './build-snapshot.js';
import { keyId } from './manifest.js';
import type { CountedProtocol, PublicationInput } from './publication-input.js';
import { publicationInputFromProtocols } from './reference-input.js';
import { TINY_ELECTION, TINY_PROTOCOLS, tinyProtocol } from './tiny-election.js';
import { readCurrent, writeSnapshot } from './write-snapshot.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const input = (protocols = TINY_PROTOCOLS, resultsVersion?: number): PublicationInput =>
  publicationInputFromProtocols(TINY_ELECTION, protocols, {
    now: new Date('2030-03-03T15:00:00Z'),
    ledgerHead: { seq: protocols.length, hash: sha256Hex(String(protocols.length)) },
    resultsVersion,
  });

/** Every file under `dir` with its SHA-256. */
async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true }))
    if (entry.isFile())
      out[join(entry.parentPath, entry.name).slice(dir.length + 1)] = sha256Hex(await readFile(join(entry.parentPath, entry.name)));
  return out;
}

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'canvass-snapshot-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('writeSnapshot', () => {
  test('writes v/<version>/ with the built files, a signature over the manifest bytes, public-key.pem and current.json', async () => {
    const built = buildSnapshot(input(), privateKey);
    const info = await writeSnapshot(input(), root, privateKey);
    expect(info.version).toBe(built.version);
    expect(info.path).toBe(join(root, 'v', built.version));
    expect(info).toMatchObject({ created: true, current: true, files: built.files.size });

    const versionDir = join(root, 'v', info.version);
    for (const [path, bytes] of built.files) {
      if (path === 'manifest.json' || path === 'manifest.sig') continue;
      expect(new Uint8Array(await readFile(join(versionDir, path)))).toEqual(bytes);
    }
    const manifest = await readFile(join(versionDir, 'manifest.json'));
    expect(info.manifestSha256).toBe(sha256Hex(manifest));
    const signature = (await readFile(join(versionDir, 'manifest.sig'), 'utf8')).trim();
    expect(signature).toMatch(/^[A-Za-z0-9+/]{86}==$/);
    expect(verify(null, manifest, publicKey, Buffer.from(signature, 'base64'))).toBe(true);
    expect((JSON.parse(manifest.toString('utf8')) as { signer: unknown }).signer).toEqual({
      algorithm: 'Ed25519',
      keyId: keyId(publicKey),
    });

    const pem = await readFile(join(root, 'public-key.pem'), 'utf8');
    expect(pem.startsWith('-----BEGIN PUBLIC KEY-----')).toBe(true);
    expect(createPublicKey(pem).export({ type: 'spki', format: 'der' })).toEqual(publicKey.export({ type: 'spki', format: 'der' }));

    expect(JSON.parse(await readFile(join(root, 'current.json'), 'utf8'))).toEqual({
      format: 'canvass-current/1',
      election: 'tiny-2030',
      version: info.version,
      resultsVersion: 6,
      createdAt: '2030-03-03T15:00:00.000Z',
      manifest: `v/${info.version}/manifest.json`,
      manifestSha256: info.manifestSha256,
    });
    const total = Object.keys(await tree(versionDir)).length;
    expect(total).toBe(info.files);
    // Nothing half-written is left behind.
    expect((await readdir(join(root, 'v'))).sort()).toEqual([info.version]);
    expect((await readdir(root)).sort()).toEqual(['current.json', 'public-key.pem', 'v']);
    expect(((await stat(versionDir)).mode & 0o777).toString(8)).toBe('755');
  });

  test('two versions coexist, the older untouched, and current.json names the newest', async () => {
    const first = await writeSnapshot(input(TINY_PROTOCOLS.slice(0, 5)), root, privateKey);
    const before = await tree(first.path);
    const second = await writeSnapshot(input(), root, privateKey);
    expect(second.version).not.toBe(first.version);
    expect(second.version > first.version).toBe(true);
    expect(await tree(first.path)).toEqual(before);
    expect((await readdir(join(root, 'v'))).sort()).toEqual([first.version, second.version]);
    expect((await readCurrent(root))?.version).toBe(second.version);

    // Publishing an older results version later never moves current.json back.
    const late = await writeSnapshot(input(TINY_PROTOCOLS.slice(0, 4), 3), root, privateKey);
    expect(late).toMatchObject({ created: true, current: false });
    expect((await readCurrent(root))?.version).toBe(second.version);
    expect((await readdir(join(root, 'v'))).sort()).toEqual([late.version, first.version, second.version].sort());
  });

  test('publishing the same content again keeps the existing version as it is', async () => {
    const first = await writeSnapshot(input(), root, privateKey);
    const before = await tree(first.path);
    const again = await writeSnapshot({ ...input(), now: new Date('2030-03-03T16:00:00Z') }, root, privateKey);
    expect(again).toEqual({ ...first, created: false });
    expect(await tree(first.path)).toEqual(before);
    expect(await readdir(join(root, 'v'))).toEqual([first.version]);
  });

  test('a failure while writing leaves no version and no temporary files, and current.json as it was', async () => {
    const first = await writeSnapshot(input(TINY_PROTOCOLS.slice(0, 5)), root, privateKey);
    const currentBefore = await readFile(join(root, 'current.json'), 'utf8');
    const good = input();
    let calls = 0;
    const failing: ReadonlyMap<string, CountedProtocol> = new Proxy(good.counted, {
      get(target, property) {
        if (property === 'get')
          return (key: string) => {
            if (++calls > 8) throw new Error('database connection lost');
            return target.get(key);
          };
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    await expect(writeSnapshot({ ...good, counted: failing }, root, privateKey)).rejects.toThrow('database connection lost');
    expect(await readdir(join(root, 'v'))).toEqual([first.version]);
    expect(await readFile(join(root, 'current.json'), 'utf8')).toBe(currentBefore);
  });

  test('refuses a key that is not Ed25519', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    await expect(writeSnapshot(input(), root, rsa)).rejects.toThrow(/Ed25519/);
    expect(await readdir(root)).toEqual([]);
  });

  test('a station protocol of a later version is published with its version and acceptance', async () => {
    const corrected = tinyProtocol('president', 's3', 300, { ann: 151, bob: 89, 'against-all': 0 }, 3);
    const base = input();
    const counted = new Map(base.counted);
    counted.set('president\u0000s3', { protocol: corrected, version: 2, hash: sha256Hex('x'), accepted: false });
    const info = await writeSnapshot({ ...base, counted }, root, privateKey);
    const csv = await readFile(join(info.path, 'stations.csv'), 'utf8');
    expect(csv.split('\n').find((row) => row.includes(',s3,'))).toBe(
      `tiny-2030,president,s3,2,false,${sha256Hex('x')},,300,300,243,57,243,3,151,89,0,,`,
    );
  });
});
