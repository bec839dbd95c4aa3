import { z } from 'zod';

/**
 * Identifiers. They appear in URLs, file names and CSV columns, so they are restricted to URL-safe characters;
 * external identifiers that need more (OCD-IDs, ISO codes) live in `externalIds`.
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

const id = (what: string) =>
  z.string().regex(ID_PATTERN, {
    error: `a ${what} id is 1–80 characters: letters, digits, '.', '_' or '-', starting with a letter or digit`,
  });

export const ElectionIdSchema = id('election').brand<'ElectionId'>();
export type ElectionId = z.infer<typeof ElectionIdSchema>;

export const DivisionIdSchema = id('division').brand<'DivisionId'>();
/** Any node of the geography: country, region, district or polling station. */
export type DivisionId = z.infer<typeof DivisionIdSchema>;
/** A division whose kind is `polling-station`; the same brand, named for readability at call sites. */
export type StationId = DivisionId;

export const ContestIdSchema = id('contest').brand<'ContestId'>();
export type ContestId = z.infer<typeof ContestIdSchema>;

export const OptionIdSchema = id('option').brand<'OptionId'>();
/** A candidate, a party list or the against-all line of one contest. */
export type OptionId = z.infer<typeof OptionIdSchema>;

export const LineIdSchema = id('protocol line').brand<'LineId'>();
/** A named line of the protocol template (voters on the list, ballots issued, …). */
export type LineId = z.infer<typeof LineIdSchema>;

/** Casts for trusted literals (fixtures, generated data). Parse untrusted input with the schemas instead. */
export const asElectionId = (s: string) => s as ElectionId;
export const asDivisionId = (s: string) => s as DivisionId;
export const asContestId = (s: string) => s as ContestId;
export const asOptionId = (s: string) => s as OptionId;
export const asLineId = (s: string) => s as LineId;
