import {
  ElectionSchema,
  indexElection,
  parseElection,
  type Election,
  type ElectionIndex,
  type ElectionIssue,
  type Result,
} from '@canvass/core';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { createRequire } from 'node:module';
import { z } from 'zod';

/**
 * ajv's 2020-12 build, loaded on first use: about 40 ms of start-up that `canvass verify` does not spend when it
 * reads the definition the direct way (`verify/read-election.ts`).
 */
const loadAjv2020 = () => (createRequire(import.meta.url)('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020 }).Ajv2020;

let validate: ((data: unknown) => boolean) | undefined;

/**
 * `parseElection` with a fast path for large definitions: the JSON Schema of the zod schema's *output* (every
 * defaulted field present), compiled by ajv, accepts a complete definition — as Canvass writes them — in about a
 * microsecond per division instead of six; anything it refuses goes through zod itself, which applies defaults and
 * words the problems. The semantic checks (`indexElection`) run either way.
 */
export function parseElectionFast(json: unknown): Result<ElectionIndex, readonly ElectionIssue[]> {
  validate ??= new (loadAjv2020())({ strict: false, allErrors: false }).compile(
    z.toJSONSchema(ElectionSchema, { io: 'output', unrepresentable: 'any' }),
  );
  if (validate(json)) return indexElection(json as Election);
  return parseElection(json);
}
