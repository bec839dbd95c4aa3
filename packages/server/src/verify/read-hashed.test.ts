import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHashed } from './read-hashed.js';

describe('readHashed', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'canvass-read-hashed-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('gives the bytes of a file of several parts and their SHA-256, as reading and then hashing would', async () => {
    // 8 MB parts: three whole ones and a piece; and a file of exactly one part, and an empty one.
    for (const size of [3 * (8 << 20) + 12_345, 8 << 20, 0]) {
      const content = randomBytes(size);
      const file = join(dir, `f${size}`);
      await writeFile(file, content);
      const read = await readHashed(file);
      expect(read?.bytes.byteLength).toBe(size);
      expect(Buffer.from(read?.bytes ?? []).equals(content)).toBe(true);
      expect(read?.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    }
  });

  it('reads past the size the file had when opened (a pipe says 0), hashing exactly what it returns', async () => {
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const content = randomBytes(20 << 20);
    // The writer opens the pipe while the reader does: neither open completes without the other.
    const [read] = await Promise.all([readHashed(fifo), writeFile(fifo, content)]);
    expect(read?.bytes.byteLength).toBe(content.byteLength);
    expect(Buffer.from(read?.bytes ?? []).equals(content)).toBe(true);
    expect(read?.sha256).toBe(createHash('sha256').update(content).digest('hex'));
  });

  it('answers undefined for a missing file or a directory', async () => {
    expect(await readHashed(join(dir, 'missing.json'))).toBeUndefined();
    expect(await readHashed(dir)).toBeUndefined();
  });
});
