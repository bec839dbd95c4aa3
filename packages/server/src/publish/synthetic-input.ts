/**
 * A synthetic election of any size for benchmarks and scale tests: country → regions → districts → polling
 * stations, one majority-runoff contest with `options` options (the last is against-all), the Kazakh protocol
 * lines. Protocols are not stored: each is generated on demand from the seed and the station's number, so a
 * million stations cost the election definition and the tally, not a million protocol objects.
 * The figures are invented and labelled as such (`synthetic`).
 */
import {
  ELECTION_FORMAT,
  POLLING_STATION,
  Tally,
  asContestId,
  asDivisionId,
  asElectionId,
  asLineId,
  asOptionId,
  indexElection,
  type ContestOption,
  type Division,
  type Election,
  type ElectionIndex,
  type LineId,
  type OptionId,
  type Protocol,
} from '@canvass/core';
import { KZ_PROTOCOL } from '../demo-data/kz-protocol.js';
import { fastProtocolHash } from './canonical-protocol.js';
import type { CountedProtocol, PublicationInput } from './publication-input.js';

export interface SyntheticSpec {
  readonly stations: number;
  readonly regions: number;
  readonly districts: number;
  readonly options: number;
  readonly seed?: number | undefined;
}

const CONTEST = asContestId('president');
const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function syntheticElection(spec: SyntheticSpec): Election {
  const { stations, regions, districts } = spec;
  if (!(regions >= 1 && districts >= regions && stations >= districts)) throw new RangeError('need 1 ≤ regions ≤ districts ≤ stations');
  const country = asDivisionId('sy');
  const divisions: Division[] = [{ id: country, kind: 'country', names: { en: 'Synthetica', ru: 'Синтетика', kk: 'Синтетика' } }];
  const regionIds = Array.from({ length: regions }, (_, r) => asDivisionId(`sy-r${pad(r + 1, 2)}`));
  regionIds.forEach((id, r) => divisions.push({ id, kind: 'region', parent: country, names: { en: `Region ${r + 1}` } }));
  const districtIds: string[] = [];
  for (let d = 0; d < districts; d++) {
    const region = regionIds[Math.floor((d * regions) / districts)] ?? country;
    const id = asDivisionId(`${region}-d${pad(d + 1, 4)}`);
    districtIds.push(id);
    divisions.push({ id, kind: 'district', parent: region, names: { en: `District ${d + 1}` } });
  }
  for (let s = 0; s < stations; s++) {
    const district = districtIds[Math.floor((s * districts) / stations)] ?? '';
    divisions.push({
      id: asDivisionId(`${district}-s${pad(s + 1, 7)}`),
      kind: POLLING_STATION,
      parent: asDivisionId(district),
      names: { en: `Polling station ${s + 1}` },
      registered: registeredAt(spec.seed ?? 1, s),
    });
  }
  const options: ContestOption[] = Array.from({ length: spec.options }, (_, i) =>
    i === spec.options - 1
      ? { id: asOptionId('against-all'), kind: 'against-all', names: { en: 'Against all' } }
      : { id: asOptionId(`candidate-${i + 1}`), kind: 'candidate', names: { en: `Candidate ${i + 1}` } },
  );
  return {
    format: ELECTION_FORMAT,
    id: asElectionId(`synthetic-${stations}`),
    names: { en: `Synthetic election, ${stations} polling stations` },
    date: '2030-01-01',
    timeZone: 'UTC',
    synthetic: { en: 'Synthetic data generated for benchmarks; not an election.' },
    doubleEntry: false,
    protocol: KZ_PROTOCOL,
    turnoutSchedule: [],
    divisions,
    contests: [
      {
        id: CONTEST,
        kind: 'majority-runoff',
        names: { en: 'President' },
        division: country,
        options,
        rules: { percentBase: [{ options: 'all' }], winThreshold: { percent: '50', strict: true }, runoffSize: 2 },
      },
    ],
  };
}

/** Mulberry32 step: a fast 32-bit generator, enough for invented figures. */
function mix(seed: number): number {
  let t = (seed + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const registeredAt = (seed: number, s: number) => 200 + Math.floor(mix(seed * 7919 + s * 31) * 2000);

const LINES = {
  voters: asLineId('voters'),
  received: asLineId('ballots-received'),
  issued: asLineId('ballots-issued'),
  cancelled: asLineId('ballots-cancelled'),
  inBoxes: asLineId('ballots-in-boxes'),
  invalid: asLineId('invalid'),
};

/** Generates station protocols; they satisfy the Kazakh control relations. */
export class SyntheticProtocols {
  readonly index: ElectionIndex;
  readonly #seed: number;
  readonly #first: number;
  readonly #stations: number;
  readonly #options: readonly OptionId[];

  constructor(index: ElectionIndex, spec: SyntheticSpec) {
    this.index = index;
    this.#seed = spec.seed ?? 1;
    this.#stations = spec.stations;
    this.#first = index.divisionCount - spec.stations;
    this.#options = index.election.contests[0]?.options.map((o) => o.id) ?? [];
  }

  get count(): number {
    return this.#stations;
  }

  /** Station number (0-based) of a station id, or undefined. */
  stationNumber(station: string): number | undefined {
    // Station ids end in "-s<number>": read it instead of a hash lookup among a million ids.
    const cut = station.lastIndexOf('-s');
    const s = cut < 0 ? NaN : Number(station.slice(cut + 2)) - 1;
    if (!Number.isInteger(s) || s < 0 || s >= this.#stations) return undefined;
    return this.index.election.divisions[this.#first + s]?.id === station ? s : undefined;
  }

  protocol(s: number): Protocol {
    const division = this.index.election.divisions[this.#first + s];
    if (!division) throw new RangeError(`no synthetic station ${s}`);
    const registered = division.registered ?? 0;
    const seed = this.#seed * 104729 + s * 13;
    const participated = Math.floor(registered * (0.35 + 0.55 * mix(seed + 1)));
    const invalid = Math.floor(participated * 0.04 * mix(seed + 2));
    let left = participated - invalid;
    const votes: Record<OptionId, number> = {};
    const options = this.#options;
    for (let i = 0; i < options.length; i++) {
      const option = options[i] ?? asOptionId('x');
      const share = i === options.length - 1 ? 1 : (i === 0 ? 0.45 : 0.25) + 0.3 * mix(seed + 3 + i);
      const v = i === options.length - 1 ? left : Math.floor(left * share);
      votes[option] = v;
      left -= v;
    }
    // Built by assignment in a fixed order, as JSON.parse builds them, so that they get V8's fast property layout.
    const lines: Record<LineId, number> = {};
    lines[LINES.voters] = registered;
    lines[LINES.received] = registered;
    lines[LINES.issued] = participated;
    lines[LINES.cancelled] = registered - participated;
    lines[LINES.inBoxes] = participated;
    lines[LINES.invalid] = invalid;
    return { election: this.index.election.id, contest: CONTEST, station: division.id, lines, votes };
  }
}

/** A counted protocol whose hash is computed only when read (results need the figures, not the hash). */
class GeneratedCounted implements CountedProtocol {
  readonly protocol: Protocol;
  readonly version = 1;
  readonly accepted = true;

  constructor(protocol: Protocol) {
    this.protocol = protocol;
  }

  get hash(): string {
    return fastProtocolHash(this.protocol);
  }
}

const counted = (protocol: Protocol): CountedProtocol => new GeneratedCounted(protocol);

/** The counted protocols of a synthetic election as a read-only map that generates each entry when asked. */
export class SyntheticCounted implements ReadonlyMap<string, CountedProtocol> {
  readonly #protocols: SyntheticProtocols;

  constructor(protocols: SyntheticProtocols) {
    this.#protocols = protocols;
  }

  get size(): number {
    return this.#protocols.count;
  }

  get(key: string): CountedProtocol | undefined {
    const cut = key.indexOf('\u0000');
    if (cut < 0 || key.slice(0, cut) !== CONTEST) return undefined;
    const s = this.#protocols.stationNumber(key.slice(cut + 1));
    return s === undefined ? undefined : counted(this.#protocols.protocol(s));
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  *entries(): MapIterator<[string, CountedProtocol]> {
    for (let s = 0; s < this.#protocols.count; s++) {
      const protocol = this.#protocols.protocol(s);
      yield [`${CONTEST}\u0000${protocol.station}`, counted(protocol)];
    }
  }

  *keys(): MapIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): MapIterator<CountedProtocol> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): MapIterator<[string, CountedProtocol]> {
    return this.entries();
  }

  forEach(callback: (value: CountedProtocol, key: string, map: ReadonlyMap<string, CountedProtocol>) => void): void {
    for (const [key, value] of this.entries()) callback(value, key, this);
  }
}

/** A publication input over a synthetic election: the tally is filled by streaming the generated protocols. */
export function syntheticPublicationInput(spec: SyntheticSpec, now: Date): PublicationInput {
  const indexed = indexElection(syntheticElection(spec));
  if (!indexed.ok) throw new Error(`synthetic election does not index: ${indexed.error.map((i) => i.message).join('; ')}`);
  const index = indexed.value;
  const protocols = new SyntheticProtocols(index, spec);
  const tally = new Tally(index);
  for (let s = 0; s < protocols.count; s++) {
    const added = tally.add(protocols.protocol(s));
    if (!added.ok) throw new Error(`synthetic protocol ${s} not countable: ${added.error.kind}`);
  }
  return {
    index,
    tally,
    counted: new SyntheticCounted(protocols),
    status: () => 'unofficial-complete',
    turnout: [],
    ledgerHead: { seq: protocols.count, hash: '0'.repeat(64) },
    resultsVersion: tally.version,
    now,
  };
}
