/**
 * Field-by-field comparison of two JSON values: every leaf where they differ, with its path (`a.b[2].c`; object keys
 * are written as they are, including `-`). A key whose value is `undefined` counts as absent, as in JSON.
 */
export interface JsonDifference {
  readonly path: string;
  /** Absent when the published value lacks this field. */
  readonly published?: unknown;
  /** Absent when the recomputed value lacks this field. */
  readonly recomputed?: unknown;
}

export function diffJson(published: unknown, recomputed: unknown, limit = 50): JsonDifference[] {
  const out: JsonDifference[] = [];
  walk(published, recomputed, '', out, limit);
  return out;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function walk(a: unknown, b: unknown, path: string, out: JsonDifference[], limit: number): void {
  if (out.length >= limit || a === b) return;
  if (isObject(a) && isObject(b)) {
    const keys = [...Object.keys(b), ...Object.keys(a).filter((k) => !Object.hasOwn(b, k))];
    for (const key of keys) walk(a[key], b[key], path === '' ? key : `${path}.${key}`, out, limit);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) walk(a[i], b[i], `${path}[${i}]`, out, limit);
    return;
  }
  out.push({
    path: path === '' ? '(the whole value)' : path,
    ...(a === undefined ? {} : { published: a }),
    ...(b === undefined ? {} : { recomputed: b }),
  });
}
