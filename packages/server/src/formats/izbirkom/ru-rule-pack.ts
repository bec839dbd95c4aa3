/**
 * The Russian precinct (UIK) protocol of the federal elections of 2011–2012 as Canvass lines and roles, and its
 * control relations as rule packs.
 *
 * Sources:
 * - Federal Law No. 19-FZ of 10 January 2003 "On the Election of the President of the Russian Federation", art. 72
 *   (the protocol lines) and annex 4 "Control relations of the data entered in the protocol of the voting results"
 *   (as amended by No. 262-FZ of 25 July 2011), in force for the election of 4 March 2012.
 * - Federal Law No. 51-FZ of 18 May 2005 "On the Election of Deputies of the State Duma", art. 79 (the protocol
 *   lines) and its annex of control relations, in force for the election of 4 December 2011: the same four relations.
 *
 * The annex, in the numbering of the protocol lines (1 voters, 2 received, 3–5 issued early / in the room / outside,
 * 6 cancelled, 7–8 mobile / stationary boxes, 9 invalid, 10 valid, 17 lost, 18 not accounted for, 19… options):
 *   1 ≥ 3 + 4 + 5;  2 = 3 + 4 + 5 + 6 + 17 − 18;  7 + 8 = 9 + 10;  10 = 19 + all following lines.
 * Those are RU-1…RU-4. RU-5 (the balance of absentee certificates, lines 11 = 12 + 14 + 16) is not in the annex but is
 * the certificates' own balance: it holds at every station of both elections. RU-6…RU-9 are Canvass warnings
 * for what no valid count can produce (more ballots in a box than were issued into it); the law does not make the
 * protocol invalid for them, so they are recorded and shown, not blocking.
 *
 * Early ballots (line 3) are found in whichever box they went into: early voting in remote areas goes round with
 * portable boxes, early ballots cast at a commission are put into the stationary box on election day. So RU-6 and
 * RU-7 both allow for them. The data agree: of the 1,310 stations of 2011 where the portable boxes held more ballots
 * than were issued outside the room, 1,300 had early voting (2012: 1,411 of 1,434).
 */
import { asLineId, type ControlRelation, type LineId, type ProtocolRoles, type RulePack, type Term } from '@canvass/core';

/** Line ids of the Russian precinct protocol, in the order of the form (lines 1–18). */
export const RU_LINES = {
  voters: asLineId('voters'),
  received: asLineId('ballots-received'),
  issuedEarly: asLineId('ballots-issued-early'),
  issuedInside: asLineId('ballots-issued-inside'),
  issuedOutside: asLineId('ballots-issued-outside'),
  cancelled: asLineId('ballots-cancelled'),
  mobile: asLineId('ballots-mobile'),
  stationary: asLineId('ballots-stationary'),
  invalid: asLineId('invalid'),
  valid: asLineId('valid'),
  absenteeReceived: asLineId('absentee-received'),
  absenteeIssued: asLineId('absentee-issued'),
  absenteeVoted: asLineId('absentee-voted'),
  absenteeCancelled: asLineId('absentee-cancelled'),
  absenteeIssuedByTik: asLineId('absentee-issued-by-tik'),
  absenteeLost: asLineId('absentee-lost'),
  lost: asLineId('ballots-lost'),
  unaccounted: asLineId('ballots-unaccounted'),
} as const;

export type RuLineKey = keyof typeof RU_LINES;

/** The protocol lines in form order, with their English names (the Russian names come from each election's form). */
export const RU_LINE_ORDER: readonly { readonly key: RuLineKey; readonly id: LineId; readonly en: string }[] = [
  { key: 'voters', id: RU_LINES.voters, en: 'Voters on the list' },
  { key: 'received', id: RU_LINES.received, en: 'Ballots received by the precinct commission' },
  { key: 'issuedEarly', id: RU_LINES.issuedEarly, en: 'Ballots issued to voters who voted early' },
  { key: 'issuedInside', id: RU_LINES.issuedInside, en: 'Ballots issued in the polling room on election day' },
  { key: 'issuedOutside', id: RU_LINES.issuedOutside, en: 'Ballots issued outside the polling room on election day (mobile voting)' },
  { key: 'cancelled', id: RU_LINES.cancelled, en: 'Unused ballots cancelled' },
  { key: 'mobile', id: RU_LINES.mobile, en: 'Ballots found in the portable (mobile) boxes' },
  { key: 'stationary', id: RU_LINES.stationary, en: 'Ballots found in the stationary boxes' },
  { key: 'invalid', id: RU_LINES.invalid, en: 'Invalid ballots' },
  { key: 'valid', id: RU_LINES.valid, en: 'Valid ballots' },
  { key: 'absenteeReceived', id: RU_LINES.absenteeReceived, en: 'Absentee certificates received by the precinct commission' },
  { key: 'absenteeIssued', id: RU_LINES.absenteeIssued, en: 'Absentee certificates issued to voters at the station' },
  { key: 'absenteeVoted', id: RU_LINES.absenteeVoted, en: 'Voters who voted with absentee certificates at the station' },
  { key: 'absenteeCancelled', id: RU_LINES.absenteeCancelled, en: 'Unused absentee certificates cancelled' },
  {
    key: 'absenteeIssuedByTik',
    id: RU_LINES.absenteeIssuedByTik,
    en: 'Absentee certificates issued to voters by the territorial commission',
  },
  { key: 'absenteeLost', id: RU_LINES.absenteeLost, en: 'Absentee certificates lost' },
  { key: 'lost', id: RU_LINES.lost, en: 'Ballots lost' },
  { key: 'unaccounted', id: RU_LINES.unaccounted, en: 'Ballots not accounted for on receipt' },
];

const line = (key: RuLineKey, coef?: number): Term => (coef === undefined ? { line: RU_LINES[key] } : { line: RU_LINES[key], coef });
const ISSUED: readonly Term[] = [line('issuedEarly'), line('issuedInside'), line('issuedOutside')];

/**
 * Roles: "took part" is every ballot issued (early + in the room + outside); valid ballots are the protocol's own
 * line, which RU-4 ties to the sum of the options.
 */
export const RU_ROLES: ProtocolRoles = {
  registered: [line('voters')],
  participated: ISSUED,
  invalid: [line('invalid')],
  valid: [line('valid')],
};

/** The control relations, shared by the Duma 2011 and President 2012 packs (the arithmetic is the same). */
export const RU_CONTROL_RELATIONS: readonly ControlRelation[] = [
  {
    code: 'RU-1',
    severity: 'error',
    left: [line('voters')],
    op: 'ge',
    right: ISSUED,
    message: {
      en: 'Voters on the list ({left}) must be at least the ballots issued early, in the polling room and outside it ({right}); the difference is {difference}. Check that voters on additional lists are counted in the list line, and recount the ballots issued by the signatures in the list.',
      ru: 'Число избирателей в списке ({left}) должно быть не меньше числа бюллетеней, выданных досрочно, в помещении и вне помещения для голосования ({right}); разница {difference}. Проверьте, что избиратели дополнительных списков учтены в строке списка, и пересчитайте выданные бюллетени по подписям в списке избирателей.',
      kk: 'Тізімдегі сайлаушылар саны ({left}) мерзімінен бұрын, дауыс беру үй-жайында және одан тыс жерде берілген бюллетеньдер санынан ({right}) кем болмауы тиіс; айырмашылық {difference}. Қосымша тізімдердегі сайлаушылардың тізім жолына енгізілгенін тексеріп, берілген бюллетеньдерді тізімдегі қолдар бойынша қайта санаңыз.',
    },
  },
  {
    code: 'RU-2',
    severity: 'error',
    left: [line('received')],
    op: 'eq',
    right: [...ISSUED, line('cancelled'), line('lost'), line('unaccounted', -1)],
    message: {
      en: 'Ballots received ({left}) must equal the ballots issued (early, in the room, outside) plus cancelled plus lost, minus those not accounted for on receipt ({right}); the difference is {difference}. Recount the unused ballots and check each of these lines.',
      ru: 'Число полученных бюллетеней ({left}) должно равняться сумме выданных (досрочно, в помещении, вне помещения), погашенных и утраченных бюллетеней за вычетом не учтённых при получении ({right}); расхождение {difference}. Пересчитайте неиспользованные бюллетени и проверьте каждую из этих строк.',
      kk: 'Алынған бюллетеньдер саны ({left}) берілген (мерзімінен бұрын, үй-жайда, үй-жайдан тыс), жойылған және жоғалған бюллетеньдер сомасынан алу кезінде есепке алынбағандарын шегергенге ({right}) тең болуы тиіс; айырмашылық {difference}. Пайдаланылмаған бюллетеньдерді қайта санап, осы жолдардың әрқайсысын тексеріңіз.',
    },
  },
  {
    code: 'RU-3',
    severity: 'error',
    left: [line('mobile'), line('stationary')],
    op: 'eq',
    right: [line('invalid'), line('valid')],
    message: {
      en: 'Ballots found in the portable and stationary boxes ({left}) must equal invalid plus valid ballots ({right}); the difference is {difference}. Recount the ballots taken from the boxes.',
      ru: 'Число бюллетеней в переносных и стационарных ящиках ({left}) должно равняться сумме недействительных и действительных бюллетеней ({right}); расхождение {difference}. Пересчитайте бюллетени, извлечённые из ящиков.',
      kk: 'Жылжымалы және стационарлық жәшіктердегі бюллетеньдер саны ({left}) жарамсыз және жарамды бюллетеньдер сомасына ({right}) тең болуы тиіс; айырмашылық {difference}. Жәшіктерден алынған бюллетеньдерді қайта санаңыз.',
    },
  },
  {
    code: 'RU-4',
    severity: 'error',
    left: [line('valid')],
    op: 'eq',
    right: [{ options: 'all' }],
    message: {
      en: 'Valid ballots ({left}) must equal the votes for all candidates or lists together ({right}); the difference is {difference}. Recount the valid ballots by candidate or list.',
      ru: 'Число действительных бюллетеней ({left}) должно равняться сумме голосов за всех кандидатов или все списки ({right}); расхождение {difference}. Пересчитайте действительные бюллетени по кандидатам или спискам.',
      kk: 'Жарамды бюллетеньдер саны ({left}) барлық кандидаттарға немесе тізімдерге берілген дауыстар сомасына ({right}) тең болуы тиіс; айырмашылық {difference}. Жарамды бюллетеньдерді кандидаттар немесе тізімдер бойынша қайта санаңыз.',
    },
  },
  {
    code: 'RU-5',
    severity: 'error',
    left: [line('absenteeReceived')],
    op: 'eq',
    right: [line('absenteeIssued'), line('absenteeCancelled'), line('absenteeLost')],
    message: {
      en: 'Absentee certificates received ({left}) must equal those issued at the station plus those cancelled plus those lost ({right}); the difference is {difference}. Count the unused certificates and the counterfoils again.',
      ru: 'Число полученных открепительных удостоверений ({left}) должно равняться сумме выданных на участке, погашенных и утраченных ({right}); расхождение {difference}. Пересчитайте неиспользованные удостоверения и корешки.',
      kk: 'Алынған сырттай дауыс беру куәліктерінің саны ({left}) учаскеде берілген, жойылған және жоғалған куәліктер сомасына ({right}) тең болуы тиіс; айырмашылық {difference}. Пайдаланылмаған куәліктер мен түбіртектерді қайта санаңыз.',
    },
  },
  {
    code: 'RU-6',
    severity: 'warning',
    left: [line('mobile')],
    op: 'le',
    right: [line('issuedOutside'), line('issuedEarly')],
    message: {
      en: 'The portable boxes held {left} ballots, but only {right} were issued outside the polling room or early; {difference} more than could have been put in. Record the explanation in the protocol remarks.',
      ru: 'В переносных ящиках {left} бюллетеней, а вне помещения для голосования и досрочно выдано только {right}; это на {difference} больше, чем могло быть опущено. Занесите объяснение в особое мнение или замечания к протоколу.',
      kk: 'Жылжымалы жәшіктерде {left} бюллетень бар, ал үй-жайдан тыс және мерзімінен бұрын тек {right} бюллетень берілген; салынуы мүмкін саннан {difference} артық. Түсініктемені хаттаманың ескертулеріне жазыңыз.',
    },
  },
  {
    code: 'RU-7',
    severity: 'warning',
    left: [line('stationary')],
    op: 'le',
    right: [line('issuedEarly'), line('issuedInside')],
    message: {
      en: 'The stationary boxes held {left} ballots, but only {right} were issued in the polling room or early; {difference} more than could have been put in. Record the explanation in the protocol remarks.',
      ru: 'В стационарных ящиках {left} бюллетеней, а в помещении для голосования и досрочно выдано только {right}; это на {difference} больше, чем могло быть опущено. Занесите объяснение в особое мнение или замечания к протоколу.',
      kk: 'Стационарлық жәшіктерде {left} бюллетень бар, ал дауыс беру үй-жайында және мерзімінен бұрын тек {right} бюллетень берілген; салынуы мүмкін саннан {difference} артық. Түсініктемені хаттаманың ескертулеріне жазыңыз.',
    },
  },
  {
    code: 'RU-8',
    severity: 'warning',
    left: [line('mobile'), line('stationary')],
    op: 'le',
    right: ISSUED,
    message: {
      en: 'More ballots were found in the boxes ({left}) than were issued to voters ({right}): {difference} ballots too many. Report it to the territorial commission and record it in the protocol remarks.',
      ru: 'В ящиках обнаружено больше бюллетеней ({left}), чем выдано избирателям ({right}): лишних {difference}. Сообщите об этом в территориальную комиссию и отметьте в замечаниях к протоколу.',
      kk: 'Жәшіктерде сайлаушыларға берілгеннен ({right}) көп бюллетень ({left}) табылды: {difference} артық. Бұл туралы аумақтық комиссияға хабарлап, хаттаманың ескертулерінде көрсетіңіз.',
    },
  },
  {
    code: 'RU-9',
    severity: 'warning',
    left: [line('absenteeVoted')],
    op: 'le',
    right: ISSUED,
    message: {
      en: 'More voters voted with absentee certificates ({left}) than received ballots at all ({right}); the difference is {difference}. Check the line of voters who voted with absentee certificates against the certificates attached to the list.',
      ru: 'По открепительным удостоверениям проголосовало больше избирателей ({left}), чем всего получило бюллетени ({right}); разница {difference}. Сверьте строку проголосовавших по открепительным удостоверениям с удостоверениями, приложенными к списку.',
      kk: 'Сырттай дауыс беру куәліктерімен дауыс бергендер ({left}) бюллетень алғандардың жалпы санынан ({right}) көп; айырмашылық {difference}. Куәлікпен дауыс бергендер жолын тізімге тіркелген куәліктермен салыстырыңыз.',
    },
  },
];

/** The rule pack of the State Duma election of 4 December 2011 (51-FZ). */
export const RU_DUMA_2011_RULES: RulePack = {
  id: 'ru-duma-2011-uik-protocol',
  version: '2011.1',
  source:
    'Federal Law No. 51-FZ of 18 May 2005 "On the Election of Deputies of the State Duma of the Federal Assembly of the Russian Federation" (as in force on 4 December 2011): annex of control relations (RU-1…RU-4); RU-5…RU-9 are Canvass checks, see ru-rule-pack.ts',
  relations: RU_CONTROL_RELATIONS,
};

/** The rule pack of the presidential election of 4 March 2012 (19-FZ). */
export const RU_PRESIDENT_2012_RULES: RulePack = {
  id: 'ru-president-2012-uik-protocol',
  version: '2012.1',
  source:
    'Federal Law No. 19-FZ of 10 January 2003 "On the Election of the President of the Russian Federation" (as amended by No. 262-FZ of 25 July 2011): annex 4, control relations (RU-1…RU-4); RU-5…RU-9 are Canvass checks, see ru-rule-pack.ts',
  relations: RU_CONTROL_RELATIONS,
};
