import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasErrors, validateProtocol } from '@canvass/core';
import { describe, expect, test } from 'vitest';
import { protocolHash } from '../ledger/canonical.js';
import { verifySnapshot } from '../verify/verify-snapshot.js';
import { syntheticPublicationInput } from './synthetic-input.js';
import { writeSnapshot } from './write-snapshot.js';

describe('syntheticPublicationInput', () => {
  const spec = { stations: 2000, regions: 4, districts: 40, options: 5, seed: 3 };
  const input = syntheticPublicationInput(spec, new Date('2030-01-01T20:00:00Z'));

  test('country → regions → districts → stations, every protocol valid, counted and hashed', () => {
    const kinds = input.index.election.divisions.map((d) => d.kind);
    expect([
      kinds.filter((k) => k === 'region').length,
      kinds.filter((k) => k === 'district').length,
      kinds.filter((k) => k === 'polling-station').length,
    ]).toEqual([4, 40, 2000]);
    expect(input.counted.size).toBe(2000);
    let n = 0;
    for (const [key, counted] of input.counted) {
      expect(key).toBe(`president\u0000${counted.protocol.station}`);
      expect(hasErrors(validateProtocol(input.index, counted.protocol))).toBe(false);
      expect(input.tally.isCounted(counted.protocol.contest, counted.protocol.station)).toBe(true);
      if (n++ % 97 === 0) expect(counted.hash).toBe(protocolHash(counted.protocol));
    }
    expect(n).toBe(2000);
    const station = input.index.election.divisions[input.index.divisionCount - 1]?.id ?? '';
    expect(input.counted.get(`president\u0000${station}`)?.protocol.station).toBe(station);
    expect(input.counted.get(`president\u0000${station}x`)).toBeUndefined();
    expect(input.counted.get(`senate\u0000${station}`)).toBeUndefined();
  });

  test('its snapshot verifies', async () => {
    const root = await mkdtemp(join(tmpdir(), 'canvass-synthetic-'));
    try {
      await writeSnapshot(input, root, generateKeyPairSync('ed25519').privateKey);
      const report = await verifySnapshot(root);
      expect(report).toMatchObject({ ok: true, problems: [], checked: { protocols: 2000, divisions: 2045 } });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
