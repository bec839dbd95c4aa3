/**
 * The script of a simulated election night for the KZ 2022 reference election: who sends what, and when.
 *
 * Time runs from 0 (08:00 Astana time on election day) to 1 (the certified result next morning), unevenly: the
 * day's turnout reports take the first 30 %, the night of protocols the next 60 %, acceptance and certification the
 * rest. Protocols arrive region by region: the five western regions an hour later (they close at 21:00 Astana
 * time), the three big cities more slowly, stations abroad last. Every protocol is keyed twice by two clerks of the
 * territorial commission (double entry); a few clerks mistype and correct themselves; a few station protocols have
 * an arithmetic error that the rules stop, corrected later with a reason; the regional commission accepts each
 * counted protocol. Deterministic for a seed.
 */
import type { Protocol, TurnoutReport } from '@canvass/core';
import type { GeneratedElection } from '../demo-data/generate-kz.js';
import { Random } from '../demo-data/random.js';

/** One request a commission account sends. */
export type NightRequest =
  | { readonly kind: 'protocol'; readonly account: string; readonly body: Protocol }
  | { readonly kind: 'accept'; readonly account: string; readonly station: string; readonly contest: string }
  | { readonly kind: 'turnout'; readonly account: string; readonly reports: readonly TurnoutReport[] };

export interface Step {
  /** When, on the night's 0..1 scale. */
  readonly at: number;
  readonly request: NightRequest;
}

/** Steps that must run in order (one station's entries, corrections and acceptance). */
export interface Chain {
  readonly id: string;
  readonly steps: readonly Step[];
}

export interface Account {
  readonly name: string;
  readonly role: 'cec' | 'commission';
  readonly division?: string;
}

export interface NightPlan {
  readonly accounts: readonly Account[];
  readonly chains: readonly Chain[];
  /** Stations whose first protocol breaks a control relation, and whose clerks mistype once. */
  readonly broken: readonly string[];
  readonly mistyped: readonly string[];
  /** When the exit polls are published and when the CEC declares the count complete. */
  readonly exitPollsAt: number;
  readonly stations: number;
}

/** Night time → Astana wall clock, for the progress display. */
export function clockAt(t: number): string {
  // 08:00–20:00 in the first 0.3, 20:00–06:00 in the next 0.6, 06:00–10:00 in the last 0.1.
  const minutes =
    t <= 0.3 ? 8 * 60 + (t / 0.3) * 12 * 60 : t <= 0.9 ? 20 * 60 + ((t - 0.3) / 0.6) * 10 * 60 : 30 * 60 + ((t - 0.9) / 0.1) * 4 * 60;
  const m = Math.floor(minutes) % (24 * 60);
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** Night time of an Astana wall-clock time on election day (hh < 8 means the next morning). */
export function nightTime(hhmm: string): number {
  const [h = 0, m = 0] = hhmm.split(':').map(Number);
  const minutes = (h < 8 ? h + 24 : h) * 60 + m;
  if (minutes <= 20 * 60) return ((minutes - 8 * 60) / (12 * 60)) * 0.3;
  if (minutes <= 30 * 60) return 0.3 + ((minutes - 20 * 60) / (10 * 60)) * 0.6;
  return 0.9 + ((minutes - 30 * 60) / (4 * 60)) * 0.1;
}

const WEST = new Set(['kz-15', 'kz-23', 'kz-27', 'kz-43', 'kz-47']);
const CITIES = new Set(['kz-71', 'kz-75', 'kz-79']);

export const clerk = (district: string, desk: 'a' | 'b') => `clerk-${district}-${desk}`;
export const chair = (region: string) => `chair-${region}`;

export function planNight(data: GeneratedElection, seed = 20): NightPlan {
  const rng = new Random(seed);
  const { election } = data;
  const parentOf = new Map(election.divisions.map((d) => [d.id as string, d.parent as string | undefined]));
  const regionOf = (station: string) => {
    let at: string | undefined = station;
    while (at !== undefined && parentOf.get(at) !== 'kz') at = parentOf.get(at);
    return at ?? 'kz';
  };
  const districtOf = (station: string) => parentOf.get(station) ?? 'kz';

  const accounts: Account[] = [{ name: 'cec', role: 'cec' }];
  for (const division of election.divisions) {
    if (division.parent === 'kz') accounts.push({ name: chair(division.id), role: 'commission', division: division.id });
    // Territorial commissions (and the abroad commission, whose stations hang directly under it) key protocols.
    const keysProtocols = division.kind === 'district' || division.id === 'kz-abroad';
    if (keysProtocols)
      for (const desk of ['a', 'b'] as const) accounts.push({ name: clerk(division.id, desk), role: 'commission', division: division.id });
  }

  // Turnout: each territorial commission uploads its stations' figures at every cut-off.
  const turnoutByDistrict = new Map<string, TurnoutReport[]>();
  for (const report of data.turnout) {
    const key = `${districtOf(report.station)}|${report.at}`;
    const list = turnoutByDistrict.get(key) ?? [];
    list.push(report);
    turnoutByDistrict.set(key, list);
  }
  const chains: Chain[] = [];
  for (const [key, reports] of turnoutByDistrict) {
    const [district = '', at = ''] = key.split('|');
    chains.push({
      id: `turnout ${key}`,
      steps: [{ at: nightTime(at) + rng.between(0, 0.012), request: { kind: 'turnout', account: clerk(district, 'a'), reports } }],
    });
  }

  // Protocols.
  const stations = data.protocols.map((p) => p.station as string);
  const pick = (n: number, not: ReadonlySet<string>) => {
    const chosen = new Set<string>();
    while (chosen.size < n) {
      const s = stations[rng.int(0, stations.length - 1)] ?? '';
      if (!not.has(s) && !s.startsWith('kz-abroad')) chosen.add(s);
    }
    return chosen;
  };
  const broken = pick(12, new Set());
  const mistyped = pick(8, broken);

  for (const protocol of data.protocols) {
    const station = protocol.station as string;
    const region = regionOf(station);
    const district = districtOf(station);
    const abroad = region === 'kz-abroad';
    // Arrival: 20:30 onwards; west an hour later; cities slower; abroad last.
    const start = abroad ? nightTime('04:30') : nightTime(WEST.has(region) ? '21:30' : '20:30');
    const span = abroad ? 0.06 : CITIES.has(region) ? 0.5 : 0.38;
    let t = start + span * Math.pow(rng.next(), CITIES.has(region) ? 1.3 : 1.1);
    const steps: Step[] = [];
    const enter = (desk: 'a' | 'b', body: Protocol) => {
      steps.push({ at: t, request: { kind: 'protocol', account: clerk(district, desk), body } });
      t += 0.002;
    };
    if (broken.has(station)) {
      // The paper protocol itself adds up wrong: both clerks key it faithfully, the rules stop it.
      const lines = protocol.lines as Record<string, number>;
      const wrong = { ...protocol, lines: { ...lines, invalid: (lines['invalid'] ?? 0) + 7 } } as Protocol;
      enter('a', wrong);
      enter('b', wrong);
      t += 0.03;
      const fixed = {
        ...protocol,
        reason: 'Recount by the precinct commission: 7 valid ballots had been put on the invalid pile.',
      } as Protocol;
      enter('a', fixed);
      enter('b', fixed);
    } else if (mistyped.has(station)) {
      // The second clerk transposes two digits; both see the difference and the second re-keys it.
      const votes = protocol.votes as Record<string, number>;
      const leader = votes['tokayev'] ?? 0;
      const typo = { ...protocol, votes: { ...votes, tokayev: leader + 9 } } as Protocol;
      enter('a', protocol);
      enter('b', typo);
      t += 0.01;
      enter('b', protocol);
    } else {
      enter('a', protocol);
      enter('b', protocol);
    }
    t += 0.02 + rng.between(0, 0.05);
    steps.push({ at: Math.min(t, 0.975), request: { kind: 'accept', account: chair(region), station, contest: protocol.contest } });
    chains.push({ id: station, steps });
  }
  chains.sort((a, b) => (a.steps[0]?.at ?? 0) - (b.steps[0]?.at ?? 0));
  return { accounts, chains, broken: [...broken], mistyped: [...mistyped], exitPollsAt: nightTime('20:00'), stations: stations.length };
}
