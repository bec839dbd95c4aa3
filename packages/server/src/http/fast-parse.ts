import { Ajv } from 'ajv';
import { z } from 'zod';

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: z.ZodError };

const ajv = new Ajv({ strict: false, allErrors: false });

/**
 * A request-body parser with one source of truth, the zod schema: its JSON Schema, compiled by ajv, accepts valid
 * bodies in about a microsecond (the hot path of election night); a body ajv refuses is parsed by zod itself, for
 * messages that name every field and rule. Only schemas without transforms or defaults may use this (the value
 * is passed through as it came).
 */
export function compileParser<T>(schema: z.ZodType<T>): (data: unknown) => Parsed<T> {
  const validate = ajv.compile(z.toJSONSchema(schema, { target: 'draft-7', io: 'input' }));
  return (data) => {
    if (validate(data)) return { ok: true, value: data as T };
    const parsed = schema.safeParse(data);
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: parsed.error };
  };
}
