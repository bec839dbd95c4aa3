import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical.js';
import { generateKeyPairSync } from 'node:crypto';
import { chainEvents, GENESIS_HASH, hashInput, verifyChain, type HashedFields } from './chain.js';
import type { LedgerEvent, NewEvent } from './events.js';

describe('hashInput', () => {
  it('is exactly the RFC 8785 canonical JSON of the event envelope', () => {
    const nullable = fc.option(fc.string({ unit: 'binary' }), { nil: null });
    fc.assert(
      fc.property(
        fc.record({
          seq: fc.integer({ min: 1, max: 2 ** 31 }),
          time: fc.string(),
          actor: fc.string({ unit: 'binary' }),
          kind: fc.string(),
          election: nullable,
          subject: nullable,
          idem: nullable,
          prevHash: fc.string(),
          payload: fc.jsonValue(),
        }),
        ({ payload, ...envelope }) => {
          const fields: HashedFields = { ...envelope, payloadText: canonicalJson(payload) };
          expect(hashInput(fields)).toBe(canonicalJson({ ...envelope, payload }));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('verifyChain', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const event = (n: number): NewEvent => ({
    kind: 'user-disabled',
    actor: 'admin',
    election: null,
    subject: `user/u${n}`,
    idem: null,
    payload: { user: `u${n}`, reason: 'left the commission' },
  });
  // Two commits: events 1–2 signed at 2, events 3–5 signed at 5.
  const first = chainEvents({ seq: 0, hash: GENESIS_HASH }, [event(1), event(2)], new Date('2026-12-06T00:00:00Z'), privateKey);
  const last = first.at(-1);
  if (!last) throw new Error('no events');
  const second = chainEvents(last, [event(3), event(4), event(5)], new Date('2026-12-06T00:00:01Z'), privateKey);
  const all = [...first, ...second];
  async function* from(events: readonly LedgerEvent[]) {
    await Promise.resolve();
    yield* events;
  }

  it('verifies every event of whole commits', async () => {
    const report = await verifyChain(from(all), publicKey);
    expect(report).toEqual({ checked: 5, head: { seq: 5, hash: second.at(-1)?.hash } });
  });

  it('names the first event of a commit whose signed event was removed, and counts none of that commit as verified', async () => {
    const report = await verifyChain(from(all.slice(0, 4)), publicKey);
    expect(report.firstBreak).toEqual({ kind: 'unsigned', seq: 3 });
    expect(report.checked).toBe(2);
  });
});
