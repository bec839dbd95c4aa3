/**
 * Official figures of the reference elections, with their sources. Everything here is published fact; everything
 * the demo data adds below the national level is synthetic and labelled so.
 *
 * - 2022 presidential: CEC final protocol of 22 Nov 2022 (DOMAIN.md §1); per-region intraday turnout from
 *   `packages/server/data/kz/kz2022_regions.csv` (sources in its SOURCES.md); region codes and names from
 *   `regions.csv` there. A test checks this module against both files.
 * - 2023 Mazhilis party list: CEC final result of 27 Mar 2023 (DOMAIN.md §2, `reference_cases_dev.csv`).
 */

export interface RegionReference {
  /** ISO 3166-2 code, e.g. `KZ-35`. */
  readonly iso: string;
  /** The id used by `kz2022_regions.csv`. */
  readonly key: string;
  readonly names: { readonly en: string; readonly ru: string; readonly kk: string };
  readonly kind: 'oblast' | 'city';
  /** IANA zone of the region in November 2022 (the five western regions were one hour behind Astana). */
  readonly timeZone: string;
  /** Cumulative turnout (%) published at about 10:00, 12:00, 14:00, 16:00, 18:00 and 22:00 Astana time. */
  readonly turnout: readonly [string, string, string, string, string, string];
}

/** The published cut-offs (Astana time); the file's 10:05 etc. are the minutes the figures went out. */
export const KZ_2022_TURNOUT_SCHEDULE = ['10:00', '12:00', '14:00', '16:00', '18:00', '22:00'] as const;

export const KZ_REGIONS: readonly RegionReference[] = [
  {
    iso: 'KZ-10',
    key: 'abai',
    kind: 'oblast',
    timeZone: 'Asia/Almaty',
    names: { en: 'Abai Region', ru: 'область Абай', kk: 'Абай облысы' },
    turnout: ['25.64', '43.67', '69.32', '73.57', '78.88', '80.18'],
  },
  {
    iso: 'KZ-11',
    key: 'akmola',
    kind: 'oblast',
    timeZone: 'Asia/Almaty',
    names: { en: 'Akmola Region', ru: 'Акмолинская область', kk: 'Ақмола облысы' },
    turnout: ['21.21', '40.13', '51.04', '71.38', '75.82', '78.87'],
  },
  {
    iso: 'KZ-15',
    key: 'aktobe',
    kind: 'oblast',
    timeZone: 'Asia/Aqtobe',
    names: { en: 'Aktobe Region', ru: 'Актюбинская область', kk: 'Ақтөбе облысы' },
    turnout: ['26.66', '44.48', '53.21', '68.81', '71.23', '72.81'],
  },
  {
    iso: 'KZ-19',
    key: 'almaty_region',
    kind: 'oblast',
    timeZone: 'Asia/Almaty',
    names: { en: 'Almaty Region', ru: 'Алматинская область', kk: 'Алматы облысы' },
    turnout: ['20.12', '25.83', '40.85', '55.11', '70.92', '72.10'],
  },
  {
    iso: 'KZ-23',
    key: 'atyrau',
    kind: 'oblast',
    timeZone: 'Asia/Atyrau',
    names: { en: 'Atyrau Region', ru: 'Атырауская область', kk: 'Атырау облысы' },
    turnout: ['25.03', '40.42', '52.56', '60.87', '67.88', '70.87'],
  },
  {
    iso: 'KZ-27',
    key: 'west_kazakhstan',
    kind: 'oblast',
    timeZone: 'Asia/Oral',
    names: { en: 'West Kazakhstan Region', ru: 'Западно-Казахстанская область', kk: 'Батыс Қазақстан облысы' },
    turnout: ['20.86', '27.55', '43.85', '54.62', '64.77', '68.67'],
  },
  {
    iso: 'KZ-31',
    key: 'zhambyl',
    kind: 'oblast',
    timeZone: 'Asia/Almaty',
    names: { en: 'Zhambyl Region', ru: 'Жамбылская область', kk: 'Жамбыл облысы' },
    turnout: ['23.27', '41.29', '52.74', '68.74', '77.27', '79.57'],
  },
  {
    iso: 'KZ-33',
    key: 'zhetysu',
    kind: 'oblast',
    timeZone: 'Asia/Almaty',
    names: { en: 'Zhetisu Region', ru: 'область Жетісу', kk: 'Жетісу облысы' },
    turnout: ['25.58', '42.18', '52.17', '68.88', '77.08', '81.42'],
  },
  {
    iso: 'KZ-35',
    key: 'karaganda',
    kind: 'oblast',
    timeZone: 'Asia/Almaty',
    names: { en: 'Karaganda Region', ru: 'Карагандинская область', kk: 'Қарағанды облысы' },
    turnout: ['32.27', '44.99', '53.75', '71.89', '77.80', '78.39'],
  },
  {
    iso: 'KZ-39',
    key: 'kostanay',
    kind: 'oblast',
    timeZone: 'Asia/Qostanay',
    names: { en: 'Kostanay Region', ru: 'Костанайская область', kk: 'Қостанай облысы' },
    turnout: ['26.97', '42.87', '53.15', '71.38', '77.56', '79.28'],
  },
  {
    iso: 'KZ-43',
    key: 'kyzylorda',
    kind: 'oblast',
    timeZone: 'Asia/Qyzylorda',
    names: { en: 'Kyzylorda Region', ru: 'Кызылординская область', kk: 'Қызылорда облысы' },
    turnout: ['29.41', '43.46', '59.18', '72.88', '77.20', '81.07'],
  },
  {
    iso: 'KZ-47',
    key: 'mangystau',
    kind: 'oblast',
    timeZone: 'Asia/Aqtau',
    names: { en: 'Mangystau Region', ru: 'Мангистауская область', kk: 'Маңғыстау облысы' },
    turnout: ['25.20', '41.19', '53.40', '59.61', '64.57', '66.99'],
  },
  {
    iso: 'KZ-55',
    key: 'pavlodar',
    kind: 'oblast',
    timeZone: 'Asia/Almaty',
    names: { en: 'Pavlodar Region', ru: 'Павлодарская область', kk: 'Павлодар облысы' },
    turnout: ['27.90', '44.23', '52.55', '72.73', '77.12', '77.58'],
  },
  {
    iso: 'KZ-59',
    key: 'north_kazakhstan',
    kind: 'oblast',
    timeZone: 'Asia/Almaty',
    names: { en: 'North Kazakhstan Region', ru: 'Северо-Казахстанская область', kk: 'Солтүстік Қазақстан облысы' },
    turnout: ['27.33', '43.64', '53.10', '72.21', '77.46', '79.01'],
  },
  {
    iso: 'KZ-61',
    key: 'turkistan',
    kind: 'oblast',
    timeZone: 'Asia/Almaty',
    names: { en: 'Turkistan Region', ru: 'Туркестанская область', kk: 'Түркістан облысы' },
    turnout: ['27.03', '64.21', '76.61', '80.09', '80.25', '80.37'],
  },
  {
    iso: 'KZ-62',
    key: 'ulytau',
    kind: 'oblast',
    timeZone: 'Asia/Almaty',
    names: { en: 'Ulytau Region', ru: 'область Ұлытау', kk: 'Ұлытау облысы' },
    turnout: ['27.81', '52.22', '68.32', '72.75', '74.45', '75.48'],
  },
  {
    iso: 'KZ-63',
    key: 'east_kazakhstan',
    kind: 'oblast',
    timeZone: 'Asia/Almaty',
    names: { en: 'East Kazakhstan Region', ru: 'Восточно-Казахстанская область', kk: 'Шығыс Қазақстан облысы' },
    turnout: ['23.17', '41.86', '52.99', '68.42', '76.81', '79.49'],
  },
  {
    iso: 'KZ-71',
    key: 'astana',
    kind: 'city',
    timeZone: 'Asia/Almaty',
    names: { en: 'Astana', ru: 'Астана', kk: 'Астана' },
    turnout: ['13.73', '19.33', '39.79', '44.39', '48.01', '48.60'],
  },
  {
    iso: 'KZ-75',
    key: 'almaty_city',
    kind: 'city',
    timeZone: 'Asia/Almaty',
    names: { en: 'Almaty', ru: 'Алматы', kk: 'Алматы' },
    turnout: ['8.42', '16.89', '24.17', '26.19', '27.93', '28.72'],
  },
  {
    iso: 'KZ-79',
    key: 'shymkent',
    kind: 'city',
    timeZone: 'Asia/Almaty',
    names: { en: 'Shymkent', ru: 'Шымкент', kk: 'Шымкент' },
    turnout: ['30.92', '34.41', '51.69', '56.28', '59.56', '59.79'],
  },
];

/** National turnout (%) published at the same cut-offs, on the election-day lists (11,950,485 voters). */
export const KZ_2022_NATIONAL_TURNOUT = ['23.37', '38.55', '51.16', '62.34', '67.85', '69.43'] as const;

/** CEC final protocol, 22 November 2022 (DOMAIN.md §1). Ballot order as listed in the issue of this data set. */
export const KZ_2022_OFFICIAL = {
  registered: 11_953_465,
  participated: 8_300_046,
  invalid: 359_568,
  valid: 7_940_478,
  stations: 10_101,
  stationsAbroad: 68,
  registeredAbroad: 12_841,
  participatedAbroad: 11_360,
  stationsKaraganda: 642,
  votes: {
    tokayev: 6_456_393,
    dairabayev: 271_641,
    abden: 206_206,
    kazhyken: 200_907,
    auesbayev: 176_116,
    tursynbekova: 168_731,
    'against-all': 460_484,
  },
  percent: {
    tokayev: '81.31',
    dairabayev: '3.42',
    abden: '2.60',
    kazhyken: '2.53',
    auesbayev: '2.22',
    tursynbekova: '2.12',
    'against-all': '5.80',
  },
  turnoutPercent: '69.44',
} as const;

/** CEC final result of the 19 March 2023 Mazhilis election, party-list tier (69 seats, 5 % threshold, Hare LR). */
export const KZ_2023_MAZHILIS_OFFICIAL = {
  votes: {
    amanat: 3_431_510,
    auyl: 693_938,
    respublica: 547_154,
    'ak-zhol': 535_139,
    'peoples-party': 432_920,
    osdp: 331_058,
    baytaq: 146_431,
    'against-all': 248_291,
  },
  seats: { amanat: 40, auyl: 8, respublica: 6, 'ak-zhol': 6, 'peoples-party': 5, osdp: 4, baytaq: 0 },
  /** Party votes + against-all: the threshold base. */
  thresholdBase: 6_366_441,
  /** Published national turnout; registered and participated in the demo data are synthetic around it. */
  turnoutPercent: '54.19',
} as const;
