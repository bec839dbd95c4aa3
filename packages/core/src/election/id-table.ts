/**
 * Division ids → division index, for elections of a million polling stations.
 *
 * A `Map<string, number>` of a million ids costs 0.6–1.0 s to build on the machines Canvass is measured on (every
 * insertion touches a freshly allocated string and the map's backing store doubles twenty times); this table, an
 * open-addressing hash table in two typed arrays that keeps each id's 32-bit FNV-1a hash beside its index, builds in
 * about a third of that. It answers only what indexing an election needs: insert an id once, find an id.
 *
 * Keys are not stored: `keyAt(value)` gives the id of a stored index, compared only when the hashes agree.
 */
export class IdTable {
  readonly #keyAt: (value: number) => string;
  #mask: number;
  /** Per slot: the stored index, or −1 when the slot is free. */
  #values: Int32Array;
  /** Per slot: the FNV-1a hash of the stored id (compared before the id itself). */
  #hashes: Int32Array;
  #size = 0;

  /** `expected`: how many ids will be inserted (the table grows beyond it if needed). */
  constructor(keyAt: (value: number) => string, expected = 0) {
    this.#keyAt = keyAt;
    let capacity = 16;
    while (capacity < 2 * expected) capacity *= 2;
    this.#mask = capacity - 1;
    this.#values = new Int32Array(capacity).fill(-1);
    this.#hashes = new Int32Array(capacity);
  }

  get size(): number {
    return this.#size;
  }

  /**
   * Stores `value` (≥ 0) under `key = keyAt(value)` unless the key is present: then nothing changes and the value
   * already stored is returned; otherwise −1.
   */
  insert(key: string, value: number): number {
    const hash = fnv1a(key);
    const mask = this.#mask;
    const values = this.#values;
    const hashes = this.#hashes;
    let slot = spread(hash) & mask;
    for (let stored = values[slot] ?? -1; stored !== -1; stored = values[slot] ?? -1) {
      if (hashes[slot] === hash && this.#keyAt(stored) === key) return stored;
      slot = (slot + 1) & mask;
    }
    values[slot] = value;
    hashes[slot] = hash;
    if (++this.#size * 2 > mask + 1) this.#grow();
    return -1;
  }

  get(key: string): number | undefined {
    const hash = fnv1a(key);
    const mask = this.#mask;
    const values = this.#values;
    let slot = spread(hash) & mask;
    for (let stored = values[slot] ?? -1; stored !== -1; stored = values[slot] ?? -1) {
      if (this.#hashes[slot] === hash && this.#keyAt(stored) === key) return stored;
      slot = (slot + 1) & mask;
    }
    return undefined;
  }

  /** Doubles the table (kept at most half full, so that probe sequences stay short). */
  #grow(): void {
    const values = this.#values;
    const hashes = this.#hashes;
    const capacity = 2 * values.length;
    const mask = capacity - 1;
    this.#values = new Int32Array(capacity).fill(-1);
    this.#hashes = new Int32Array(capacity);
    this.#mask = mask;
    for (let old = 0; old < values.length; old++) {
      const value = values[old] ?? -1;
      if (value === -1) continue;
      const hash = hashes[old] ?? 0;
      let slot = spread(hash) & mask;
      while (this.#values[slot] !== -1) slot = (slot + 1) & mask;
      this.#values[slot] = value;
      this.#hashes[slot] = hash;
    }
  }
}

/** 32-bit FNV-1a over the UTF-16 code units of `text`. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5 | 0;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash;
}

/** Mixes the high bits into the low ones, which pick the slot: ids often differ only in their last characters. */
const spread = (hash: number) => hash ^ (hash >>> 15);
