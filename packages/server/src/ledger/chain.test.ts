import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical.js';
import { hashInput, type HashedFields } from './chain.js';

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
