import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonChunked } from './parse-json-chunked.js';

const encode = (text: string) => new TextEncoder().encode(text);
const whole = (bytes: Uint8Array): unknown => JSON.parse(new TextDecoder().decode(bytes));
const outcome = (run: () => unknown) => {
  try {
    return { value: run() };
  } catch (error) {
    return { error: String(error) };
  }
};

describe('parseJsonChunked', () => {
  it('equals JSON.parse of the whole text, across pieces, for any document', () => {
    const tricky = fc.oneof(fc.string(), fc.constantFrom('}', ']', '{', '[', '"', '\\\\', '\\\\"', '},{', '"divisions":[', 'é', '\\u0000'));
    const element = fc.record({ id: fc.string(), names: fc.dictionary(fc.string(), tricky), nested: fc.array(fc.array(fc.nat())) });
    fc.assert(
      fc.property(fc.array(element, { maxLength: 50 }), fc.jsonValue(), fc.boolean(), fc.nat(200), (divisions, other, pretty, piece) => {
        const doc = { format: 'x', other, divisions, contests: [{ divisions: [1] }] };
        const bytes = encode(pretty ? JSON.stringify(doc, null, 1) : JSON.stringify(doc));
        expect(parseJsonChunked(bytes, 'divisions', piece)).toEqual(whole(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('cuts a large array into pieces and keeps every element in order', () => {
    const divisions = Array.from({ length: 5000 }, (_, i) => ({ id: `d-${i}`, names: { en: `Name "${i}" {x}, [y]` } }));
    const bytes = encode(`\ufeff${JSON.stringify({ a: 1, divisions, z: [] })}`);
    expect(parseJsonChunked(bytes, 'divisions')).toEqual(whole(bytes));
  });

  it('fails as JSON.parse fails, and leaves odd documents to it', () => {
    const big = JSON.stringify(Array.from({ length: 5000 }, (_, i) => ({ id: i })));
    for (const text of [
      `{"divisions":${big.slice(0, -1)},]}`,
      `{"divisions":${big}`,
      `{"divisions":${big},"divisions":[]}`,
      `{"divisions":${big},"divi\\u0073ions":[]}`,
      `{"divisions":${big.replace('},{', '} x {')}}`,
      `[${big}]`,
      `{"divisions":{"a":1}}`,
      '',
    ]) {
      const bytes = encode(text);
      for (const piece of [1, 100, 65536])
        expect(outcome(() => parseJsonChunked(bytes, 'divisions', piece))).toEqual(outcome(() => whole(bytes)));
    }
  });
});
