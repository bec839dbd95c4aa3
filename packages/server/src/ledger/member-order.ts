/**
 * The RFC 8785 order of an object's members, remembered for the few key sets that recur: every protocol of a contest
 * carries the same lines and options, every payload of a kind the same members, nearly always in the same order. So
 * the hot path of a submission neither sorts keys nor escapes them, and builds no lookup key: a set is recognised by
 * its keys themselves (property names are interned strings, so comparing them is cheap).
 */
export interface MemberOrder {
  /** The keys in the object's own order, as recognised. */
  readonly keys: readonly string[];
  /** The keys sorted by UTF-16 code units (the default order of `Array.prototype.sort` on strings). */
  readonly sorted: readonly string[];
  /** Each sorted key as JSON followed by a colon, with a leading comma after the first. */
  readonly prefixes: readonly string[];
}

/** The most recently used first; bounded, the least recently used dropped. */
const recent: MemberOrder[] = [];
const REMEMBERED = 16;

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((key, i) => key === b[i]);

/** The canonical order of members with these keys (in the object's own order). */
export function memberOrder(keys: readonly string[]): MemberOrder {
  for (let i = 0; i < recent.length; i++) {
    const known = recent[i];
    if (known === undefined || !same(known.keys, keys)) continue;
    if (i > 0) {
      recent.splice(i, 1);
      recent.unshift(known);
    }
    return known;
  }
  const sorted = [...keys].sort();
  const order = { keys: [...keys], sorted, prefixes: sorted.map((key, i) => `${i === 0 ? '' : ','}${JSON.stringify(key)}:`) };
  recent.unshift(order);
  if (recent.length > REMEMBERED) recent.pop();
  return order;
}
