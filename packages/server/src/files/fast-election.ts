import {
  ElectionSchema,
  indexElection,
  parseElection,
  type Election,
  type ElectionIndex,
  type ElectionIssue,
  type Result,
} from '@canvass/core';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { z } from 'zod';

let validate: ((data: unknown) => boolean) | undefined;

/**
 * `parseElection` with a fast path for large definitions: the JSON Schema of the zod schema's *output* (every
 * defaulted field present), compiled by ajv, accepts a complete definition — as Canvass writes them — in about a
 * microsecond per division instead of six; anything it refuses goes through zod itself, which applies defaults and
 * words the problems. The semantic checks (`indexElection`) run either way.
 */
export function parseElectionFast(json: unknown): Result<ElectionIndex, readonly ElectionIssue[]> {
  validate ??= new Ajv2020({ strict: false, allErrors: false }).compile(
    z.toJSONSchema(ElectionSchema, { io: 'output', unrepresentable: 'any' }),
  );
  if (validate(json)) return indexElection(json as Election);
  return parseElection(json);
}
