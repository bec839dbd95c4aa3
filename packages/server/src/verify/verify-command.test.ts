import { generateKeyPairSync } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { InputError } from '../files/input-error.js';
import { publicKeyPem } from '../publish/manifest.js';
import { publicationInputFromProtocols } from '../publish/reference-input.js';
import { TINY_ELECTION, TINY_PROTOCOLS } from '../publish/tiny-election.js';
import { writeSnapshot, type SnapshotInfo } from '../publish/write-snapshot.js';
import { registerVerify } from './verify-command.js';
import type { VerifyReport } from './verify-report.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
let work: string;
let snapshot: string;
let info: SnapshotInfo;
let keyFile: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'canvass-verify-cli-'));
  snapshot = join(work, 'snapshot');
  const input = publicationInputFromProtocols(TINY_ELECTION, TINY_PROTOCOLS, {
    now: new Date('2030-03-03T15:00:00Z'),
    ledgerHead: { seq: 6, hash: 'cd'.repeat(32) },
  });
  info = await writeSnapshot(input, snapshot, privateKey);
  keyFile = join(work, 'publisher.pem');
  await writeFile(keyFile, publicKeyPem(publicKey));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});
afterEach(() => {
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

/** Runs `canvass verify …` on a fresh program; returns what it printed and the exit code it set. */
async function run(...args: string[]): Promise<{ out: string; exitCode: number | string | undefined }> {
  const program = new Command('canvass').exitOverride();
  registerVerify(program);
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk);
    return true;
  });
  await program.parseAsync(['node', 'canvass', 'verify', ...args]);
  return { out, exitCode: process.exitCode };
}

describe('canvass verify', () => {
  test('exit code 0 and an OK summary when everything matches', async () => {
    const { out, exitCode } = await run(snapshot, '--public-key', keyFile);
    expect(exitCode).toBeUndefined();
    expect(out).toContain(`snapshot ${info.version} of tiny-2030`);
    expect(out).toContain('signature: valid, checked with the key you gave');
    expect(out).toContain('6 protocols, 9 division results recomputed');
    expect(out.trimEnd().split('\n').at(-1)).toBe('OK: the signature is valid and every file, protocol hash and result matches.');
  });

  test('exit code 1 with each mismatch on its own line', async () => {
    const tampered = join(work, 'tampered');
    await writeSnapshot(
      publicationInputFromProtocols(TINY_ELECTION, TINY_PROTOCOLS, {
        now: new Date('2030-03-03T15:00:00Z'),
        ledgerHead: { seq: 6, hash: 'cd'.repeat(32) },
      }),
      tampered,
      privateKey,
    );
    const file = join(tampered, 'v', info.version, 'results', 'r2.json');
    await writeFile(file, (await readFile(file, 'utf8')).replace('"votes":250', '"votes":205'));
    const { out, exitCode } = await run(tampered, '--public-key', keyFile);
    expect(exitCode).toBe(1);
    const lines = out.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('MISMATCH '))).toEqual([
      expect.stringMatching(
        new RegExp(`^MISMATCH v/${info.version}/results/r2\\.json: SHA-256 [0-9a-f]{64}, the manifest says [0-9a-f]{64}$`),
      ),
      `MISMATCH v/${info.version}/results/r2.json: division r2, contest president, option ann: contests[0].options[0].votes: published 205, recomputed 250`,
    ]);
    expect(lines.at(-1)).toBe('FAILED: 2 problem(s): file-hash 1, results 1');
  });

  test('--format json prints the whole report', async () => {
    const { out, exitCode } = await run(snapshot, '--format', 'json');
    expect(exitCode).toBeUndefined();
    const report = JSON.parse(out) as VerifyReport;
    expect(report).toMatchObject({ ok: true, version: info.version, signature: { valid: true, keySource: 'snapshot' }, problems: [] });
  });

  test('an unreadable snapshot or key file is an InputError (exit code 2)', async () => {
    await expect(run(join(work, 'missing'))).rejects.toBeInstanceOf(InputError);
    await expect(run(snapshot, '--public-key', join(work, 'no-key.pem'))).rejects.toMatchObject({ exitCode: 2 });
    // An election.json that cannot be read (here a symbolic link to itself: ELOOP, whoever runs the test) is named,
    // not an internal error.
    const looped = join(work, 'looped');
    await cp(snapshot, looped, { recursive: true });
    const election = join(looped, 'v', info.version, 'election.json');
    await rm(election);
    await symlink(election, election);
    await expect(run(looped, '--public-key', keyFile)).rejects.toMatchObject({
      exitCode: 2,
      problems: [expect.objectContaining({ rule: 'snapshot-readable', message: expect.stringContaining('cannot read the file') })],
    });
  });

  test('an unknown format is a usage error', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await expect(run(snapshot, '--format', 'xml')).rejects.toBeInstanceOf(CommanderError);
  });
});
