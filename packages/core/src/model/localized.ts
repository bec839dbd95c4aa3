import { z } from 'zod';

/** Names in several languages, keyed by BCP 47 language tag: `{"kk": "…", "ru": "…", "en": "…"}`. */
export type Localized = Readonly<Record<string, string>>;

export const LocalizedSchema = z
  .record(
    z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { error: 'keys are language tags such as "kk", "ru", "en"' }),
    z.string().min(1),
  )
  .refine((names) => Object.keys(names).length > 0, { error: 'give the name in at least one language' });

/** The name in `lang`, else English, else the first one given. */
export function localize(names: Localized, lang: string): string {
  return names[lang] ?? names['en'] ?? Object.values(names)[0] ?? '';
}
