import { ElectionSchema, ProtocolSchema, TurnoutReportSchema } from '@canvass/core';
import { z } from 'zod';

/**
 * JSON Schemas of the input formats, generated from the zod schemas that parse them (one source of truth).
 * Committed under docs/ by `npm run schemas`; a test fails when the committed files differ from the generated ones.
 */
export function jsonSchemas(): Record<string, unknown> {
  const schema = (s: z.ZodType, title: string, description: string) => ({
    title,
    description,
    ...z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }),
  });
  return {
    'election.schema.json': schema(
      ElectionSchema,
      'Canvass election definition',
      'Divisions (a tree down to polling stations), contests, the protocol template with its control relations, and the turnout schedule. Format "canvass-election/1".',
    ),
    'protocol.schema.json': schema(
      ProtocolSchema,
      'Canvass station protocol',
      'One polling station\u2019s protocol for one contest: one line of protocols.jsonl, and the body of POST /api/v1/elections/{election}/protocols.',
    ),
    'turnout-report.schema.json': schema(
      TurnoutReportSchema,
      'Canvass turnout report',
      'A station\u2019s cumulative turnout at one scheduled time: one line of turnout.jsonl, and the body of POST /api/v1/elections/{election}/turnout.',
    ),
  };
}
