import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonSchemas } from './json-schemas.js';

describe('committed JSON Schemas', () => {
  for (const [name, schema] of Object.entries(jsonSchemas())) {
    it(`docs/${name} is what the zod schemas generate (run \`npm run schemas\` after changing them)`, () => {
      const committed: unknown = JSON.parse(readFileSync(new URL(`../../../../docs/${name}`, import.meta.url), 'utf8'));
      expect(committed).toEqual(schema);
    });
  }
});

describe('the JSON Schemas accept what Canvass writes and refuse what it refuses', () => {
  it('validates the reference election, its protocols and turnout reports', async () => {
    const { Ajv2020 } = await import('ajv/dist/2020.js');
    const { generateKz2022President } = await import('../demo-data/generate-kz.js');
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const schemas = jsonSchemas();
    const data = generateKz2022President();
    const election = ajv.compile(schemas['election.schema.json'] as object);
    expect(election(JSON.parse(JSON.stringify(data.election))), JSON.stringify(election.errors?.slice(0, 3))).toBe(true);
    const protocol = ajv.compile(schemas['protocol.schema.json'] as object);
    expect(data.protocols.slice(0, 200).every((p) => protocol(p))).toBe(true);
    expect(protocol({ ...data.protocols[0], lines: { voters: -1 } })).toBe(false);
    const turnout = ajv.compile(schemas['turnout-report.schema.json'] as object);
    expect(data.turnout.slice(0, 200).every((t) => turnout(t))).toBe(true);
    expect(turnout({ ...data.turnout[0], at: '25:00' })).toBe(false);
  });
});

describe('docs/election-format.md', () => {
  it('has a worked example that parses, and a protocol line that passes it', async () => {
    const { parseElection, validateProtocol, ProtocolSchema } = await import('@canvass/core');
    const text = readFileSync(new URL('../../../../docs/election-format.md', import.meta.url), 'utf8');
    const blocks = [...text.matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) => JSON.parse(m[1] ?? '') as unknown);
    const election = parseElection(blocks[0]);
    expect(election.ok).toBe(true);
    if (!election.ok) return;
    expect(validateProtocol(election.value, ProtocolSchema.parse(blocks[1]))).toEqual([]);
  });
});
