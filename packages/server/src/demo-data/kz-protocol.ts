import { asLineId, type ProtocolTemplate, type Term } from '@canvass/core';

/**
 * The precinct protocol of Kazakhstan's elections (Constitutional Law "On Elections", art. 43–44) as a Canvass
 * template, and its control relations as a rule pack. Line ids are the ones the demo data and the API use.
 */
export const KZ_LINES = {
  voters: asLineId('voters'),
  received: asLineId('ballots-received'),
  issued: asLineId('ballots-issued'),
  cancelled: asLineId('ballots-cancelled'),
  inBoxes: asLineId('ballots-in-boxes'),
  invalid: asLineId('invalid'),
} as const;

const line = (id: keyof typeof KZ_LINES): Term => ({ line: KZ_LINES[id] });

export const KZ_PROTOCOL: ProtocolTemplate = {
  lines: [
    {
      id: KZ_LINES.voters,
      names: { en: 'Voters on the list', ru: 'Число избирателей, внесённых в списки', kk: 'Тізімге енгізілген сайлаушылар саны' },
    },
    {
      id: KZ_LINES.received,
      names: {
        en: 'Ballots received by the commission',
        ru: 'Число бюллетеней, полученных комиссией',
        kk: 'Комиссия алған бюллетеньдер саны',
      },
    },
    {
      id: KZ_LINES.issued,
      names: {
        en: 'Voters who received ballots (took part)',
        ru: 'Число избирателей, получивших бюллетени',
        kk: 'Бюллетень алған сайлаушылар саны',
      },
    },
    {
      id: KZ_LINES.cancelled,
      names: {
        en: 'Unused ballots cancelled',
        ru: 'Число погашенных неиспользованных бюллетеней',
        kk: 'Жойылған пайдаланылмаған бюллетеньдер саны',
      },
    },
    {
      id: KZ_LINES.inBoxes,
      names: {
        en: 'Ballots found in the boxes',
        ru: 'Число бюллетеней, обнаруженных в ящиках',
        kk: 'Жәшіктерден табылған бюллетеньдер саны',
      },
    },
    { id: KZ_LINES.invalid, names: { en: 'Invalid ballots', ru: 'Число недействительных бюллетеней', kk: 'Жарамсыз бюллетеньдер саны' } },
  ],
  roles: {
    registered: [line('voters')],
    participated: [line('issued')],
    invalid: [line('invalid')],
    valid: [{ options: 'all' }],
  },
  rules: {
    id: 'kz-precinct-protocol',
    version: '2022.2',
    source:
      'Constitutional Law of the Republic of Kazakhstan "On Elections" (1995, as amended 2022), art. 43–44: the precinct protocol and its balance of ballots',
    // Voters added on the day (additional lists) move a station's list a little; beyond a tenth it is worth a look,
    // a list twice the defined size is not counted until corrected or explained.
    listSize: { warningPercent: 10, errorPercent: 100 },
    relations: [
      {
        code: 'KZ-1',
        severity: 'error',
        left: [line('received')],
        op: 'eq',
        right: [line('issued'), line('cancelled')],
        message: {
          en: 'Ballots received ({left}) must equal ballots issued plus ballots cancelled ({right}); the difference is {difference}. Recount the unused ballots and check both lines.',
          ru: 'Число полученных бюллетеней ({left}) должно равняться сумме выданных и погашенных ({right}); расхождение {difference}. Пересчитайте неиспользованные бюллетени и проверьте обе строки.',
          kk: 'Алынған бюллетеньдер саны ({left}) берілген және жойылған бюллетеньдер сомасына ({right}) тең болуы тиіс; айырмашылық {difference}. Пайдаланылмаған бюллетеньдерді қайта санап, екі жолды да тексеріңіз.',
        },
      },
      {
        code: 'KZ-2',
        severity: 'error',
        left: [line('inBoxes')],
        op: 'eq',
        right: [line('invalid'), { options: 'all' }],
        message: {
          en: 'Ballots found in the boxes ({left}) must equal invalid ballots plus the votes for all options ({right}); the difference is {difference}. Recount the ballots from the boxes.',
          ru: 'Число бюллетеней в ящиках ({left}) должно равняться сумме недействительных бюллетеней и голосов за все позиции ({right}); расхождение {difference}. Пересчитайте бюллетени из ящиков.',
          kk: 'Жәшіктердегі бюллетеньдер саны ({left}) жарамсыз бюллетеньдер мен барлық позицияларға берілген дауыстар сомасына ({right}) тең болуы тиіс; айырмашылық {difference}. Жәшіктердегі бюллетеньдерді қайта санаңыз.',
        },
      },
      {
        code: 'KZ-3',
        severity: 'error',
        left: [line('inBoxes')],
        op: 'le',
        right: [line('issued')],
        message: {
          en: 'More ballots were found in the boxes ({left}) than were issued to voters ({right}). The protocol cannot be accepted: recount, and report the excess to the higher commission.',
          ru: 'В ящиках обнаружено больше бюллетеней ({left}), чем выдано избирателям ({right}). Протокол не может быть принят: пересчитайте и сообщите о превышении в вышестоящую комиссию.',
          kk: 'Жәшіктерде сайлаушыларға берілгеннен ({right}) көп бюллетень ({left}) табылды. Хаттама қабылданбайды: қайта санап, артық бюллетеньдер туралы жоғары тұрған комиссияға хабарлаңыз.',
        },
      },
      {
        code: 'KZ-4',
        severity: 'error',
        left: [line('issued')],
        op: 'le',
        right: [line('voters')],
        message: {
          en: 'Ballots issued ({left}) exceed the voters on the list ({right}). Include voters from additional lists in the list line, or correct the number issued.',
          ru: 'Число выданных бюллетеней ({left}) превышает число избирателей в списках ({right}). Включите избирателей дополнительных списков в строку списка или исправьте число выданных бюллетеней.',
          kk: 'Берілген бюллетеньдер саны ({left}) тізімдегі сайлаушылар санынан ({right}) асып түседі. Қосымша тізімдердегі сайлаушыларды тізім жолына қосыңыз немесе берілген бюллетеньдер санын түзетіңіз.',
        },
      },
      {
        code: 'KZ-5',
        severity: 'warning',
        left: [line('inBoxes')],
        op: 'ge',
        right: [line('issued')],
        message: {
          en: 'Fewer ballots were found in the boxes ({left}) than were issued ({right}): voters may have taken ballots away. Record it in the remarks of the protocol.',
          ru: 'В ящиках обнаружено меньше бюллетеней ({left}), чем выдано ({right}): избиратели могли унести бюллетени. Отметьте это в замечаниях к протоколу.',
          kk: 'Жәшіктерде берілгеннен ({right}) аз бюллетень ({left}) табылды: сайлаушылар бюллетеньді алып кетуі мүмкін. Мұны хаттаманың ескертулерінде көрсетіңіз.',
        },
      },
    ],
  },
};

export const SYNTHETIC_NOTE = {
  en: 'Synthetic station-level data: the national totals are the official CEC figures, but every region, district and polling-station figure was generated by Canvass to add up to them exactly. They are not real results.',
  ru: 'Синтетические данные участков: итоги по стране — официальные данные ЦИК, но все цифры по областям, районам и участкам сгенерированы Canvass так, чтобы точно давать эти итоги. Это не настоящие результаты.',
  kk: 'Учаскелердің синтетикалық деректері: ел бойынша қорытындылар — ОСК-ның ресми деректері, ал облыстар, аудандар және учаскелер бойынша барлық сандарды Canvass оларға дәл сәйкес келетіндей етіп жасаған. Бұл нақты нәтижелер емес.',
} as const;
