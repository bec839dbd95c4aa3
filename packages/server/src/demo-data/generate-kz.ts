/**
 * Synthetic station-level data for the reference elections, calibrated so that it sums **exactly** to the official
 * national figures (DOMAIN.md §1–2) and follows the published regional turnout.
 *
 * What is real: national registered, took part, invalid and every option's votes; 10,101 stations of which 642 in
 * Karaganda and 68 abroad (12,841 registered, 11,360 took part); the regions and their published intraday turnout
 * (each region's turnout at every cut-off rounds to the published figure). What is synthetic: how voters, stations
 * and votes split below the national level — region sizes are plausible estimates tilted so that the regional
 * turnouts reproduce the national total, districts are numbered territorial commissions, and each station's figures
 * vary around its region's.
 *
 * Deterministic for a given seed on every machine (see `random.ts`).
 */
import {
  ELECTION_FORMAT,
  POLLING_STATION,
  asDivisionId,
  asElectionId,
  asOptionId,
  type Contest,
  type ContestOption,
  type Division,
  type DivisionId,
  type Election,
  type LineId,
  type OptionId,
  type Protocol,
  type TurnoutReport,
  asContestId,
} from '@canvass/core';
import { apportion } from './apportion.js';
import { KZ_PROTOCOL, KZ_LINES, SYNTHETIC_NOTE } from './kz-protocol.js';
import { KZ_2022_OFFICIAL, KZ_2022_TURNOUT_SCHEDULE, KZ_2023_MAZHILIS_OFFICIAL, KZ_REGIONS, type RegionReference } from './kz-reference.js';
import { Random } from './random.js';

export interface GeneratedElection {
  readonly election: Election;
  readonly protocols: readonly Protocol[];
  readonly turnout: readonly TurnoutReport[];
}

/**
 * Synthetic assumptions per region: a first guess of voters on the lists (thousands, from 2022 population
 * estimates × adult share), how urban it is (0 rural … 1 city; drives station size and vote profile).
 */
const REGION_PROFILE: Readonly<Record<string, { readonly guess: number; readonly urban: number }>> = {
  'KZ-10': { guess: 410, urban: 0.45 },
  'KZ-11': { guess: 560, urban: 0.4 },
  'KZ-15': { guess: 590, urban: 0.55 },
  'KZ-19': { guess: 930, urban: 0.2 },
  'KZ-23': { guess: 390, urban: 0.45 },
  'KZ-27': { guess: 440, urban: 0.45 },
  'KZ-31': { guess: 680, urban: 0.3 },
  'KZ-33': { guess: 440, urban: 0.3 },
  'KZ-35': { guess: 770, urban: 0.75 },
  'KZ-39': { guess: 600, urban: 0.5 },
  'KZ-43': { guess: 460, urban: 0.4 },
  'KZ-47': { guess: 400, urban: 0.45 },
  'KZ-55': { guess: 540, urban: 0.65 },
  'KZ-59': { guess: 400, urban: 0.4 },
  'KZ-61': { guess: 1130, urban: 0.1 },
  'KZ-62': { guess: 150, urban: 0.6 },
  'KZ-63': { guess: 520, urban: 0.6 },
  'KZ-71': { guess: 800, urban: 1 },
  'KZ-75': { guess: 1150, urban: 1 },
  'KZ-79': { guess: 600, urban: 0.9 },
};

/** Hundredths of a percent from a published figure: "81.31" → 8131. */
const hundredths = (text: string): number => Math.round(Number(text) * 100);

const rounds = (part: number, whole: number, target: number): boolean => {
  // Half-up rounding of 100·part/whole to two decimals equals `target` hundredths, in exact integers.
  const scaled = Math.floor((2 * 10000 * part + whole) / (2 * whole));
  return scaled === target;
};

interface RegionPlan {
  readonly ref: RegionReference | undefined;
  readonly id: DivisionId;
  readonly registered: number;
  readonly participated: number;
  readonly stations: number;
  readonly urban: number;
  /** Cumulative participation at each scheduled cut-off (the last equals `participated`). */
  readonly intraday: readonly number[];
}

/**
 * Region sizes: the guesses, tilted linearly by turnout so that the regions' published final turnouts reproduce the
 * official national number of voters who took part, then exact integers.
 */
function planRegions(
  registeredHome: number,
  participatedHome: number,
  stationsHome: number,
  fixedStations: Readonly<Record<string, number>>,
  /** Per region: turnout in hundredths of a percent at each cut-off; the last is the final turnout. */
  targets: readonly (readonly number[])[],
): RegionPlan[] {
  const refs = KZ_REGIONS;
  const finalTarget = (i: number) => {
    const row = targets[i] ?? [];
    return row[row.length - 1] ?? 0;
  };
  const t = refs.map((_, i) => finalTarget(i) / 10000);
  const g = refs.map((r) => REGION_PROFILE[r.iso]?.guess ?? 500);
  const target = participatedHome / registeredHome;
  const mean = t.reduce((a, x) => a + x, 0) / t.length;
  const turnoutFor = (lambda: number) => {
    const w = g.map((gi, i) => gi * (1 + lambda * ((t[i] ?? 0) - mean)));
    const total = w.reduce((a, x) => a + x, 0);
    return w.reduce((a, wi, i) => a + wi * (t[i] ?? 0), 0) / total;
  };
  // Bisection on the tilt (turnoutFor is increasing in lambda while weights stay positive).
  let lo = -2;
  let hi = 2;
  for (let k = 0; k < 200; k++) {
    const mid = (lo + hi) / 2;
    if (turnoutFor(mid) < target) lo = mid;
    else hi = mid;
  }
  const lambda = (lo + hi) / 2;
  const registered = apportion(
    registeredHome,
    g.map((gi, i) => gi * (1 + lambda * ((t[i] ?? 0) - mean))),
  );
  // Took part: each region's exact count whose turnout rounds to its published figure, adjusted by ones within
  // that rounding slack until the regions add up to the national figure.
  const participated = registered.map((reg, i) => Math.round(reg * (t[i] ?? 0)));
  let residual = participatedHome - participated.reduce((a, b) => a + b, 0);
  for (let pass = 0; residual !== 0 && pass < 100_000; pass++) {
    const i = pass % refs.length;
    const step = Math.sign(residual);
    const next = (participated[i] ?? 0) + step;
    if (rounds(next, registered[i] ?? 1, finalTarget(i))) {
      participated[i] = next;
      residual -= step;
    }
  }
  if (residual !== 0) throw new Error(`cannot calibrate regional turnout to the national total (residual ${residual})`);

  // Stations: average list size by how urban the region is; fixed counts where published.
  const fixedTotal = Object.values(fixedStations).reduce((a, b) => a + b, 0);
  const free = refs.map((r, i) =>
    r.iso in fixedStations ? 0 : (registered[i] ?? 0) / (700 + 1300 * (REGION_PROFILE[r.iso]?.urban ?? 0.5)),
  );
  const stations = apportion(stationsHome - fixedTotal, free).map((s, i) => fixedStations[refs[i]?.iso ?? ''] ?? s);

  return refs.map((ref, i) => {
    const reg = registered[i] ?? 0;
    const part = participated[i] ?? 0;
    // Intraday: the count whose share rounds to the published figure at each cut-off; the last is the final count.
    const cutoffs = targets[i] ?? [];
    const intraday = cutoffs.map((pct, k) => (k === cutoffs.length - 1 ? part : Math.min(part, Math.round((reg * pct) / 10000))));
    return {
      ref,
      id: asDivisionId(ref.iso.toLowerCase()),
      registered: reg,
      participated: part,
      stations: stations[i] ?? 0,
      urban: REGION_PROFILE[ref.iso]?.urban ?? 0.5,
      intraday,
    };
  });
}

interface StationPlan {
  readonly division: Division;
  readonly region: RegionPlan;
  readonly registered: number;
  readonly participated: number;
  readonly intraday: readonly number[];
}

const name3 = (en: string, ru: string, kk: string) => ({ en, ru, kk });

/** Districts and stations of one region: sizes vary (villages of a few dozen voters, city stations of thousands). */
function planStations(
  rng: Random,
  region: RegionPlan,
  parentOfDistricts: DivisionId,
  divisions: Division[],
  isAbroad: boolean,
): StationPlan[] {
  const districtCount = isAbroad ? 0 : Math.max(4, Math.min(18, Math.round(region.stations / (region.urban >= 0.9 ? 90 : 55))));
  const districtIds: DivisionId[] = [];
  for (let d = 1; d <= districtCount; d++) {
    const id = asDivisionId(`${region.id}-${String(d).padStart(2, '0')}`);
    districtIds.push(id);
    divisions.push({
      id,
      kind: 'district',
      parent: parentOfDistricts,
      names: name3(`Territorial commission ${d}`, `Территориальная комиссия № ${d}`, `№ ${d} аумақтық комиссия`),
    });
  }
  const perDistrict = isAbroad
    ? [region.stations]
    : apportion(
        region.stations,
        districtIds.map(() => rng.between(0.6, 1.4)),
      );

  // List sizes: a mixture of small rural stations and large town ones, by how urban the region is.
  const sizeWeights: number[] = [];
  for (let s = 0; s < region.stations; s++) {
    const small = rng.next() > region.urban * 0.8 + 0.15;
    sizeWeights.push(small ? rng.between(0.08, 0.6) : rng.between(0.7, 2.2));
  }
  const registered = apportion(region.registered, sizeWeights);
  // Took part: the region's turnout with station noise, capped below the list size.
  const turnout = region.participated / region.registered;
  const participation = apportion(
    region.participated,
    registered.map((reg) => reg * Math.min(0.97, Math.max(0.12, turnout + 0.09 * rng.normal()))),
    registered.map((reg) => Math.floor(reg * 0.99)),
  );
  // Intraday cumulative counts, from the last cut-off backwards, each capped by the next.
  const columns = region.intraday.length;
  const intraday: number[][] = registered.map(() => new Array<number>(columns).fill(0));
  participation.forEach((p, s) => {
    const row = intraday[s];
    if (row) row[columns - 1] = p;
  });
  for (let k = columns - 2; k >= 0; k--) {
    const share = (region.intraday[k] ?? 0) / Math.max(1, region.intraday[columns - 1] ?? 1);
    const next = intraday.map((row) => row[k + 1] ?? 0);
    const values = apportion(
      region.intraday[k] ?? 0,
      next.map((n) => n * Math.max(0.05, share * (1 + 0.15 * rng.normal()))),
      next,
    );
    values.forEach((v, s) => {
      const row = intraday[s];
      if (row) row[k] = v;
    });
  }

  const plans: StationPlan[] = [];
  let s = 0;
  const regionNumber = region.ref ? Number(region.ref.iso.slice(3)) : 0;
  const parents = isAbroad ? [parentOfDistricts] : districtIds;
  parents.forEach((parent, d) => {
    for (let k = 0; k < (perDistrict[d] ?? 0); k++, s++) {
      const number = isAbroad ? 1000 + s + 1 : regionNumber * 1000 + s + 1;
      const id = asDivisionId(`${region.id}-${isAbroad ? '' : `${String(d + 1).padStart(2, '0')}-`}${String(s + 1).padStart(4, '0')}`);
      const division: Division = {
        id,
        kind: POLLING_STATION,
        parent,
        names: name3(`Polling station ${number}`, `Избирательный участок № ${number}`, `№ ${number} сайлау учаскесі`),
        registered: registered[s] ?? 0,
        ...(region.ref ? { timeZone: region.ref.timeZone, closes: '20:00' } : {}),
      };
      divisions.push(division);
      plans.push({ division, region, registered: registered[s] ?? 0, participated: participation[s] ?? 0, intraday: intraday[s] ?? [] });
    }
  });
  return plans;
}

/**
 * Splits every station's ballots among the options and invalid ballots so that each station adds up to its
 * turnout and each column adds up to its official national total: iterative proportional fitting on a noisy
 * regional profile, rounding per station, then single-vote transfers that repair the column totals.
 */
function splitVotes(
  rng: Random,
  stations: readonly StationPlan[],
  columns: readonly { readonly total: number; readonly profile: (urban: number, region: number) => number }[],
): number[][] {
  const n = stations.length;
  const m = columns.length;
  const regionNoise = new Map<RegionPlan, number[]>();
  const expected: number[][] = stations.map((station) => {
    let noise = regionNoise.get(station.region);
    if (!noise) {
      noise = columns.map(() => Math.max(0.3, 1 + 0.12 * rng.normal()));
      regionNoise.set(station.region, noise);
    }
    const regionFactor = noise;
    return columns.map(
      (column, c) =>
        station.participated * column.profile(station.region.urban, regionFactor[c] ?? 1) * Math.max(0.15, 1 + 0.3 * rng.normal()),
    );
  });
  // Iterative proportional fitting to both margins.
  for (let iteration = 0; iteration < 60; iteration++) {
    for (let c = 0; c < m; c++) {
      let sum = 0;
      for (let s = 0; s < n; s++) sum += expected[s]?.[c] ?? 0;
      const factor = sum > 0 ? (columns[c]?.total ?? 0) / sum : 0;
      for (let s = 0; s < n; s++) {
        const row = expected[s];
        if (row) row[c] = (row[c] ?? 0) * factor;
      }
    }
    for (let s = 0; s < n; s++) {
      const row = expected[s] ?? [];
      const sum = row.reduce((a, b) => a + b, 0);
      const factor = sum > 0 ? (stations[s]?.participated ?? 0) / sum : 0;
      for (let c = 0; c < m; c++) row[c] = (row[c] ?? 0) * factor;
    }
  }
  const counts = stations.map((station, s) => apportion(station.participated, expected[s] ?? []));
  // Repair the column totals with single transfers inside stations (row sums stay exact).
  const deficit = columns.map((column, c) => column.total - counts.reduce((a, row) => a + (row[c] ?? 0), 0));
  let cursor = rng.int(0, n - 1);
  for (let guard = 0; deficit.some((d) => d !== 0); guard++) {
    if (guard > 50 * n * m) throw new Error('cannot repair vote totals (bug)');
    const plus = deficit.findIndex((d) => d > 0);
    const minus = deficit.findIndex((d) => d < 0);
    const row = counts[cursor];
    cursor = (cursor + 1) % n;
    if (!row || (row[minus] ?? 0) === 0) continue;
    row[minus] = (row[minus] ?? 0) - 1;
    row[plus] = (row[plus] ?? 0) + 1;
    deficit[minus] = (deficit[minus] ?? 0) + 1;
    deficit[plus] = (deficit[plus] ?? 0) - 1;
  }
  return counts;
}

interface Spec {
  readonly id: string;
  readonly names: { readonly en: string; readonly ru: string; readonly kk: string };
  readonly date: string;
  readonly contest: Contest;
  readonly registered: number;
  readonly participated: number;
  readonly invalid: number;
  readonly votes: Readonly<Record<string, number>>;
  readonly abroad: { readonly registered: number; readonly participated: number; readonly stations: number };
  readonly stations: number;
  readonly fixedStations: Readonly<Record<string, number>>;
  /** Per region (in `KZ_REGIONS` order): turnout in hundredths of a percent at each cut-off, the last final. */
  readonly turnoutTargets: readonly (readonly number[])[];
  readonly profile: (option: ContestOption) => (urban: number, region: number) => number;
  readonly invalidProfile: (urban: number, region: number) => number;
  readonly withTurnoutReports: boolean;
}

function generate(spec: Spec, seed: number): GeneratedElection {
  const rng = new Random(seed);
  const country = asDivisionId('kz');
  const divisions: Division[] = [
    {
      id: country,
      kind: 'country',
      names: name3('Kazakhstan', 'Казахстан', 'Қазақстан'),
      externalIds: { 'iso3166-1': 'KZ', 'ocd-id': 'ocd-division/country:kz' },
    },
  ];
  const regions = planRegions(
    spec.registered - spec.abroad.registered,
    spec.participated - spec.abroad.participated,
    spec.stations - spec.abroad.stations,
    spec.fixedStations,
    spec.turnoutTargets,
  );
  const stations: StationPlan[] = [];
  for (const region of regions) {
    const ref = region.ref;
    if (!ref) continue;
    divisions.push({
      id: region.id,
      kind: ref.kind === 'city' ? 'city' : 'region',
      parent: country,
      names: ref.names,
      externalIds: { 'iso3166-2': ref.iso, 'ocd-id': `ocd-division/country:kz/region:${ref.iso.slice(3)}` },
    });
    stations.push(...planStations(rng.fork(Number(ref.iso.slice(3))), region, region.id, divisions, false));
  }
  // Abroad: 68 stations at embassies and consulates; intraday figures follow the national curve.
  const abroadId = asDivisionId('kz-abroad');
  divisions.push({
    id: abroadId,
    kind: 'abroad',
    parent: country,
    names: name3('Polling stations abroad', 'Участки за рубежом', 'Шетелдегі учаскелер'),
  });
  const cutoffs = spec.turnoutTargets[0]?.length ?? 1;
  // Share of the day's voters who had voted by each cut-off, as in the national curve of 2022.
  const finalShare = (k: number) => (k === cutoffs - 1 ? 1 : ([0.34, 0.56, 0.74, 0.9, 0.98][k] ?? 1));
  const abroad: RegionPlan = {
    ref: undefined,
    id: abroadId,
    registered: spec.abroad.registered,
    participated: spec.abroad.participated,
    stations: spec.abroad.stations,
    urban: 1,
    intraday: Array.from({ length: cutoffs }, (_, k) => Math.round(spec.abroad.participated * finalShare(k))),
  };
  stations.push(...planStations(rng.fork(999), abroad, abroadId, divisions, true));

  const options = spec.contest.options;
  const columns = [
    ...options.map((option) => ({ total: spec.votes[option.id] ?? 0, profile: spec.profile(option) })),
    { total: spec.invalid, profile: spec.invalidProfile },
  ];
  const counts = splitVotes(rng.fork(7), stations, columns);

  const protocols: Protocol[] = stations.map((station, s) => {
    const row = counts[s] ?? [];
    const votes: Record<OptionId, number> = {};
    options.forEach((option, i) => (votes[option.id] = row[i] ?? 0));
    const lines: Record<LineId, number> = {
      [KZ_LINES.voters]: station.registered,
      [KZ_LINES.received]: station.registered,
      [KZ_LINES.issued]: station.participated,
      [KZ_LINES.cancelled]: station.registered - station.participated,
      [KZ_LINES.inBoxes]: station.participated,
      [KZ_LINES.invalid]: row[options.length] ?? 0,
    };
    return { election: asElectionId(spec.id), contest: spec.contest.id, station: station.division.id, lines, votes };
  });

  const turnout: TurnoutReport[] = [];
  if (spec.withTurnoutReports) {
    KZ_2022_TURNOUT_SCHEDULE.forEach((at, k) => {
      for (const station of stations) {
        turnout.push({ election: asElectionId(spec.id), station: station.division.id, at, participated: station.intraday[k] ?? 0 });
      }
    });
  }

  const election: Election = {
    format: ELECTION_FORMAT,
    id: asElectionId(spec.id),
    names: spec.names,
    date: spec.date,
    timeZone: 'Asia/Almaty',
    synthetic: SYNTHETIC_NOTE,
    doubleEntry: false,
    protocol: KZ_PROTOCOL,
    turnoutSchedule: spec.withTurnoutReports ? [...KZ_2022_TURNOUT_SCHEDULE] : [],
    divisions,
    contests: [spec.contest],
  };
  return { election, protocols, turnout };
}

const option = (
  id: string,
  kind: ContestOption['kind'],
  en: string,
  ru: string,
  kk: string,
  party?: { en: string; ru: string; kk: string },
): ContestOption => ({
  id: asOptionId(id),
  kind,
  names: name3(en, ru, kk),
  ...(party ? { party } : {}),
});

const AGAINST_ALL = option('against-all', 'against-all', 'Against all', 'Против всех', 'Барлығына қарсы');

export const KZ_2022_PRESIDENT_ID = 'kz-2022-president';
export const KZ_2023_MAZHILIS_ID = 'kz-2023-mazhilis';

/** The 20 November 2022 presidential election: 10,101 stations, six candidates and against-all. */
export function generateKz2022President(seed = 2022): GeneratedElection {
  const official = KZ_2022_OFFICIAL;
  const contest: Contest = {
    id: asContestId('president'),
    kind: 'majority-runoff',
    names: name3('President of the Republic of Kazakhstan', 'Президент Республики Казахстан', 'Қазақстан Республикасының Президенті'),
    division: asDivisionId('kz'),
    options: [
      option(
        'tokayev',
        'candidate',
        'Kassym-Jomart Tokayev',
        'Касым-Жомарт Токаев',
        'Қасым-Жомарт Тоқаев',
        name3('Self-nominated (People\u2019s coalition)', 'Самовыдвижение (народная коалиция)', 'Өзін-өзі ұсынған (халық коалициясы)'),
      ),
      option('dairabayev', 'candidate', 'Zhiguli Dairabayev', 'Жигули Дайрабаев', 'Жиғули Дайрабаев', name3('Auyl', 'Ауыл', 'Ауыл')),
      option(
        'abden',
        'candidate',
        'Karakat Abden',
        'Каракат Абден',
        'Қарақат Әбден',
        name3(
          'National Alliance of Professional Social Workers',
          'Национальный альянс профессиональных социальных работников',
          'Кәсіби әлеуметтік қызметкерлердің ұлттық альянсы',
        ),
      ),
      option(
        'kazhyken',
        'candidate',
        'Meiram Kazhyken',
        'Мейрам Кажыкен',
        'Мейрам Қажыкен',
        name3('Amanat trade union federation', 'Конфедерация труда «Аманат»', '«Аманат» еңбек конфедерациясы'),
      ),
      option(
        'auesbayev',
        'candidate',
        'Nurlan Auesbayev',
        'Нурлан Ауесбаев',
        'Нұрлан Әуесбаев',
        name3('Nationwide Social Democratic Party', 'ОСДП', 'ЖСДП'),
      ),
      option(
        'tursynbekova',
        'candidate',
        'Saltanat Tursynbekova',
        'Салтанат Турсынбекова',
        'Салтанат Тұрсынбекова',
        name3('Kazakh Women\u2019s Union', 'Союз «Қазақ аналары»', '«Қазақ аналары» одағы'),
      ),
      AGAINST_ALL,
    ],
    rules: { percentBase: [{ options: 'all' }], winThreshold: { percent: '50', strict: true }, runoffSize: 2 },
  };
  return generate(
    {
      id: KZ_2022_PRESIDENT_ID,
      names: name3(
        'Presidential election, 20 November 2022',
        'Выборы Президента, 20 ноября 2022 года',
        'Президент сайлауы, 2022 жылғы 20 қараша',
      ),
      date: '2022-11-20',
      contest,
      registered: official.registered,
      participated: official.participated,
      invalid: official.invalid,
      votes: official.votes,
      abroad: { registered: official.registeredAbroad, participated: official.participatedAbroad, stations: official.stationsAbroad },
      stations: official.stations,
      fixedStations: { 'KZ-35': official.stationsKaraganda },
      turnoutTargets: KZ_REGIONS.map((r) => r.turnout.map(hundredths)),
      profile: (o) => {
        const share = (official.votes as Record<string, number>)[o.id] ?? 0;
        if (o.id === 'tokayev') return (urban, r) => share * (1.08 - 0.16 * urban) * (0.5 + 0.5 * r);
        if (o.kind === 'against-all') return (urban, r) => share * (0.45 + 1.3 * urban) * r;
        if (o.id === 'dairabayev') return (urban, r) => share * (1.25 - 0.5 * urban) * r;
        return (_urban, r) => share * r;
      },
      invalidProfile: (urban, r) => official.invalid * (0.8 + 0.5 * urban) * r,
      withTurnoutReports: true,
    },
    seed,
  );
}

/**
 * The 19 March 2023 Mazhilis party-list contest on the same (synthetic) geography: the list votes and against-all
 * are official; registered, took part and invalid are synthetic around the published 54.19 % turnout.
 */
export function generateKz2023Mazhilis(seed = 2023): GeneratedElection {
  const official = KZ_2023_MAZHILIS_OFFICIAL;
  const registered = KZ_2022_OFFICIAL.registered;
  const participated = Math.round((registered * 5419) / 10000);
  const valid = Object.values(official.votes).reduce((a, b) => a + b, 0);
  const list = (id: string, en: string, ru: string, kk: string, order: number): ContestOption => ({
    ...option(id, 'list', en, ru, kk),
    registrationOrder: order,
  });
  const contest: Contest = {
    id: asContestId('mazhilis-list'),
    kind: 'party-list',
    names: name3(
      'Mazhilis of the Parliament — party lists',
      'Мажилис Парламента — партийные списки',
      'Парламент Мәжілісі — партиялық тізімдер',
    ),
    division: asDivisionId('kz'),
    options: [
      list('amanat', 'Amanat', 'Аманат', 'Amanat', 1),
      list('auyl', 'Auyl', 'Ауыл', 'Ауыл', 2),
      list('respublica', 'Respublica', 'Respublica', 'Respublica', 3),
      list('ak-zhol', 'Ak Zhol', 'Ак жол', 'Ақ жол', 4),
      list('peoples-party', 'People\u2019s Party of Kazakhstan', 'Народная партия Казахстана', 'Қазақстан Халық партиясы', 5),
      list(
        'osdp',
        'Nationwide Social Democratic Party',
        'Общенациональная социал-демократическая партия',
        'Жалпыұлттық социал-демократиялық партия',
        6,
      ),
      list('baytaq', 'Baytaq', 'Байтак', 'Байтақ', 7),
      AGAINST_ALL,
    ],
    rules: {
      percentBase: [{ options: 'all' }],
      method: 'hare-largest-remainder',
      seats: 69,
      threshold: { percent: '5', base: [{ options: 'all' }], inclusive: true },
      tieBreak: 'earlier-registration',
    },
  };
  const share = (id: string) => (official.votes as Record<string, number>)[id] ?? 0;
  return generate(
    {
      id: KZ_2023_MAZHILIS_ID,
      names: name3(
        'Mazhilis election, 19 March 2023',
        'Выборы депутатов Мажилиса, 19 марта 2023 года',
        'Мәжіліс депутаттарын сайлау, 2023 жылғы 19 наурыз',
      ),
      date: '2023-03-19',
      contest,
      registered,
      participated,
      invalid: participated - valid,
      votes: official.votes,
      abroad: {
        registered: KZ_2022_OFFICIAL.registeredAbroad,
        participated: Math.round(KZ_2022_OFFICIAL.registeredAbroad * 0.6),
        stations: KZ_2022_OFFICIAL.stationsAbroad,
      },
      stations: KZ_2022_OFFICIAL.stations,
      fixedStations: { 'KZ-35': KZ_2022_OFFICIAL.stationsKaraganda },
      // 2023 regional turnout was not part of this data set: the 2022 final figures scaled to the 2023 national one.
      turnoutTargets: KZ_REGIONS.map((r) => [Math.round((hundredths(r.turnout[5]) * 5419) / 6944)]),
      profile: (o) => {
        if (o.id === 'amanat') return (urban, r) => share(o.id) * (1.1 - 0.2 * urban) * (0.5 + 0.5 * r);
        if (o.id === 'auyl') return (urban, r) => share(o.id) * (1.4 - 0.8 * urban) * r;
        if (o.id === 'respublica' || o.kind === 'against-all') return (urban, r) => share(o.id) * (0.5 + 1.0 * urban) * r;
        return (_urban, r) => share(o.id) * r;
      },
      invalidProfile: (_urban, r) => (participated - valid) * r,
      withTurnoutReports: false,
    },
    seed,
  );
}
