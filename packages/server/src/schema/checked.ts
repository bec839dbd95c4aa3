import { ProtocolSchema, TurnoutReportSchema, type Protocol, type TurnoutReport } from '@canvass/core';
import { Ajv } from 'ajv';
import { z } from 'zod';

declare const checkedBrand: unique symbol;

/**
 * A value that has passed its schema. The service's write methods take only these, so every caller — the HTTP routes,
 * a script, a test — goes through the schema first: a value the schema refuses (a two-letter correction reason, say)
 * would otherwise be decided, committed, and then refused when the ledger is read back (by another instance's
 * catch-up, by `ledger verify`). The brand costs nothing at run time: the checked value is the value itself.
 */
export type Checked<T> = T & { readonly [checkedBrand]: true };

export type Parsed<T> = { readonly ok: true; readonly value: Checked<T> } | { readonly ok: false; readonly error: z.ZodError };

const ajv = new Ajv({ strict: false, allErrors: false });

/**
 * A parser with one source of truth, the zod schema: its JSON Schema, compiled by ajv, accepts valid values in about
 * a microsecond (the hot path of election night); a value ajv refuses is parsed by zod itself, for messages that name
 * every field and rule. Only schemas without transforms or defaults may use this (the value is passed through as it
 * came).
 */
export function compileParser<T>(schema: z.ZodType<T>): (data: unknown) => Parsed<T> {
  const validate = ajv.compile(z.toJSONSchema(schema, { target: 'draft-7', io: 'input' }));
  return (data) => {
    if (validate(data)) return { ok: true, value: data as Checked<T> };
    const parsed = schema.safeParse(data);
    return parsed.success ? { ok: true, value: parsed.data as Checked<T> } : { ok: false, error: parsed.error };
  };
}

/** A parser for a schema that transforms its value (trims text): zod parses, and the value is its output. */
export function zodParser<T>(schema: z.ZodType<T>): (data: unknown) => Parsed<T> {
  return (data) => {
    const parsed = schema.safeParse(data);
    return parsed.success ? { ok: true, value: parsed.data as Checked<T> } : { ok: false, error: parsed.error };
  };
}

export const parseProtocol = compileParser(ProtocolSchema);
export const parseTurnout = compileParser(TurnoutReportSchema);

/** A percentage from 0 to 100 as text, with up to three decimals: "82.2", "5", "100.000". */
export const PERCENT_TEXT = /^(?:100(?:\.0{1,3})?|\d{1,2}(?:\.\d{1,3})?)$/;

/**
 * A published exit poll as the CEC registers it. Stricter than what the ledger reads back (events.ts): what passes
 * here can always be read back; the domain checks the rest (the contest and options exist, the time parses, each
 * estimate is a percentage).
 */
export const ExitPollSchema = z.strictObject({
  contest: z.string(),
  organisation: z.string().trim().min(2).max(200),
  /** When the poll was published: a real date and time with its offset (2022-11-20T20:00:00+06:00). */
  publishedAt: z.iso.datetime({ offset: true, error: 'a date and time with its offset, e.g. 2022-11-20T20:00:00+06:00' }),
  sampleSize: z.number().int().min(1).max(10_000_000),
  method: z.string().trim().min(2).max(500),
  /** Option → percentage as text, 0 to 100 with up to three decimals ("82.2"); at least one. */
  estimates: z
    .record(
      z.string().max(80),
      z.string().regex(PERCENT_TEXT, { error: 'a percentage from 0 to 100 as text, up to three decimals, e.g. "82.2"' }),
    )
    .refine((estimates) => Object.keys(estimates).length > 0, { error: 'give at least one estimate' }),
});
export const parseExitPoll = zodParser(ExitPollSchema);

/** For callers outside HTTP (scripts, tests): the value checked, or an error naming the first field that fails. */
export function checked<T>(parse: (data: unknown) => Parsed<T>, data: unknown): Checked<T> {
  const result = parse(data);
  if (result.ok) return result.value;
  const issue = result.error.issues[0];
  throw new TypeError(`${issue?.path.join('.') || '(value)'}: ${issue?.message ?? 'does not match its schema'}`);
}

export const checkedProtocol = (data: unknown): Checked<Protocol> => checked(parseProtocol, data);
export const checkedTurnout = (data: unknown): Checked<TurnoutReport> => checked(parseTurnout, data);
export const checkedExitPoll = (data: unknown): Checked<z.output<typeof ExitPollSchema>> => checked(parseExitPoll, data);

/** The elements of a list that passed a list schema: each passed its own schema as part of the list's. */
export const checkedElements = <T>(list: Checked<T[]>): readonly Checked<T>[] => list as unknown as readonly Checked<T>[];
