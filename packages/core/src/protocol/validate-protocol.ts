/**
 * Protocol validation: does the protocol fit the election (its station votes in the contest, every line and option
 * is there), and do its lines satisfy the election's control relations (the rule pack, e.g. the annex of Russia's
 * Federal Law 19-FZ: ballots received = issued + cancelled + lost − unaccounted)?
 *
 * Returns **all** findings. Error-level findings keep a protocol out of the count until it is corrected;
 * warnings are recorded and shown.
 */
import type { ContestIndex, ElectionIndex } from '../election/index-election.js';
import { describeTerms, evaluate } from '../election/terms.js';
import type { ControlRelation, ListSizeRule, RelationOp, Severity, Term } from '../model/election.js';
import type { Localized } from '../model/localized.js';
import type { Protocol } from '../model/protocol.js';

/** One problem with one protocol, phrased for the commission clerk who must fix it. */
export interface Finding {
  /** The rule's code: a control relation's code from the rule pack, or a structural rule such as `line-missing`. */
  readonly code: string;
  readonly severity: Severity;
  /** What is wrong and what to do, in each language of the rule pack. */
  readonly message: Localized;
  /** The protocol lines (and `votes.<option>` entries) involved, with the values entered. */
  readonly values: Readonly<Record<string, number>>;
  /** For control relations: the relation as text and both sides' values. */
  readonly relation?: string | undefined;
  readonly left?: number | undefined;
  readonly right?: number | undefined;
}

export const hasErrors = (findings: readonly Finding[]) => findings.some((f) => f.severity === 'error');

/** Reads a protocol into its contest's layout (lines, then options). Missing entries read as 0. */
export function readRow(
  contest: ContestIndex,
  protocol: Protocol,
  out: Float64Array = new Float64Array(contest.layout.width),
): Float64Array {
  const { lines, options } = contest.layout;
  const lineValues: Readonly<Record<string, number>> = protocol.lines;
  const votes: Readonly<Record<string, number>> = protocol.votes;
  for (let i = 0; i < lines.length; i++) out[i] = lineValues[lines[i] ?? ''] ?? 0;
  const base = lines.length;
  for (let i = 0; i < options.length; i++) out[base + i] = votes[options[i]?.id ?? ''] ?? 0;
  return out;
}

/** Structural findings: the protocol does not fit the election. Message templates in the three site languages. */
const STRUCTURE: Record<string, Localized> = {
  'election-mismatch': {
    en: 'This protocol is for election "{got}", not "{want}".',
    ru: 'Протокол относится к выборам «{got}», а не «{want}».',
    kk: 'Хаттама «{want}» емес, «{got}» сайлауына қатысты.',
  },
  'contest-unknown': {
    en: 'Contest "{got}" is not part of this election.',
    ru: 'Выборы «{got}» не входят в эту избирательную кампанию.',
    kk: '«{got}» сайлауы осы науқанға кірмейді.',
  },
  'station-unknown': {
    en: 'Polling station "{got}" is not defined in this election.',
    ru: 'Избирательный участок «{got}» не определён в этих выборах.',
    kk: '«{got}» сайлау учаскесі осы сайлауда анықталмаған.',
  },
  'not-a-station': {
    en: '"{got}" is a {kind}, not a polling station; protocols come from polling stations.',
    ru: '«{got}» — это {kind}, а не избирательный участок; протоколы составляют участки.',
    kk: '«{got}» — {kind}, сайлау учаскесі емес; хаттаманы учаскелер жасайды.',
  },
  'station-outside-contest': {
    en: 'Polling station "{got}" does not vote in contest "{want}".',
    ru: 'Избирательный участок «{got}» не участвует в выборах «{want}».',
    kk: '«{got}» сайлау учаскесі «{want}» сайлауына қатыспайды.',
  },
  'line-missing': {
    en: 'Line "{got}" is missing; enter it (0 if nothing).',
    ru: 'Не заполнена строка «{got}»; впишите значение (0, если ничего).',
    kk: '«{got}» жолы толтырылмаған; мәнін енгізіңіз (ештеңе болмаса 0).',
  },
  'line-unknown': {
    en: 'Line "{got}" is not on this protocol form; remove it.',
    ru: 'Строки «{got}» нет в форме протокола; удалите её.',
    kk: '«{got}» жолы хаттама нысанында жоқ; оны алып тастаңыз.',
  },
  'votes-missing': {
    en: 'Votes for "{got}" are missing; enter them (0 if none).',
    ru: 'Не указано число голосов за «{got}»; впишите его (0, если голосов нет).',
    kk: '«{got}» үшін дауыс саны көрсетілмеген; енгізіңіз (дауыс болмаса 0).',
  },
  'list-size': {
    en: 'The list has {got} voters, but this station was defined with {want}: {percent} % more or fewer, beyond the {limit} % allowed. Check the list line (additional lists included); if it is right, explain it to the higher commission.',
    ru: 'В списке {got} избирателей, а участок определён с {want}: расхождение {percent} %, больше допустимых {limit} %. Проверьте строку списка (с дополнительными списками); если она верна, объясните расхождение вышестоящей комиссии.',
    kk: 'Тізімде {got} сайлаушы бар, ал учаске {want} сайлаушымен анықталған: айырмашылық {percent} %, рұқсат етілген {limit} %-дан көп. Тізім жолын (қосымша тізімдерімен) тексеріңіз; дұрыс болса, жоғары тұрған комиссияға түсіндіріңіз.',
  },
  'option-unknown': {
    en: '"{got}" is not an option on this ballot; remove it.',
    ru: '«{got}» нет в бюллетене; удалите эту строку.',
    kk: '«{got}» бюллетеньде жоқ; бұл жолды алып тастаңыз.',
  },
};

function structural(code: keyof typeof STRUCTURE, params: Record<string, string>, values: Record<string, number> = {}): Finding {
  return { code, severity: 'error', message: fill(STRUCTURE[code] ?? {}, params), values };
}

function fill(template: Localized, params: Record<string, string | number>): Localized {
  const out: Record<string, string> = {};
  for (const [lang, text] of Object.entries(template)) {
    out[lang] = text.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole));
  }
  return out;
}

/** Every finding for one protocol against its election: structure first; control relations when it fits. */
export function validateProtocol(index: ElectionIndex, protocol: Protocol): Finding[] {
  const election = index.election;
  if (protocol.election !== election.id) return [structural('election-mismatch', { got: protocol.election, want: election.id })];
  const contest = index.contest(protocol.contest);
  if (!contest) return [structural('contest-unknown', { got: protocol.contest })];

  const findings: Finding[] = [];
  const at = index.divisionIndex(protocol.station);
  if (at === undefined) {
    findings.push(structural('station-unknown', { got: protocol.station }));
  } else if (!index.isStation[at]) {
    findings.push(structural('not-a-station', { got: protocol.station, kind: election.divisions[at]?.kind ?? '' }));
  } else if (!contest.votesHere[at]) {
    findings.push(structural('station-outside-contest', { got: protocol.station, want: contest.contest.id }));
  }

  const lineValues: Readonly<Record<string, number>> = protocol.lines;
  const votes: Readonly<Record<string, number>> = protocol.votes;
  for (const line of contest.layout.lines) if (!(line in lineValues)) findings.push(structural('line-missing', { got: line }));
  for (const line of Object.keys(lineValues))
    if (!contest.layout.lines.includes(line as never)) findings.push(structural('line-unknown', { got: line }));
  for (const option of contest.layout.options) if (!(option.id in votes)) findings.push(structural('votes-missing', { got: option.id }));
  for (const option of Object.keys(votes))
    if (!contest.optionIndex.has(option as never)) findings.push(structural('option-unknown', { got: option }));
  if (findings.length > 0) return findings;

  const row = readRow(contest, protocol);
  election.protocol.rules.relations.forEach((relation, i) => {
    const compiled = contest.relations[i];
    if (!compiled) return;
    const left = evaluate(compiled.left, row);
    const right = evaluate(compiled.right, row);
    if (!holds(left, relation.op, right)) findings.push(relationFinding(relation, contest, row, left, right));
  });
  const listRule = election.protocol.rules.listSize;
  const defined = at === undefined ? undefined : election.divisions[at]?.registered;
  if (listRule && defined !== undefined) {
    // The lines that make up the list, as entered (Kazakhstan: one line, "voters").
    const values: Record<string, number> = {};
    for (const term of election.protocol.roles.registered)
      if ('line' in term) values[term.line] = row[contest.layout.lines.indexOf(term.line)] ?? 0;
    const finding = listSizeFinding(listRule, evaluate(contest.roles.registered, row), defined, values);
    if (finding) findings.push(finding);
  }
  return findings;
}

/** Whether `got` is further from `defined` than `percent` % of it (exact, in integers). */
export const beyondPercent = (got: number, defined: number, percent: number): boolean => Math.abs(got - defined) * 100 > defined * percent;

/**
 * The finding for a protocol's list of `got` voters at a station defined with `defined`, if it strays too far;
 * `values` are the list's lines as entered.
 */
export function listSizeFinding(
  rule: ListSizeRule,
  got: number,
  defined: number,
  values: Readonly<Record<string, number>>,
): Finding | undefined {
  const severity: Severity | undefined =
    rule.errorPercent !== undefined && beyondPercent(got, defined, rule.errorPercent)
      ? 'error'
      : beyondPercent(got, defined, rule.warningPercent)
        ? 'warning'
        : undefined;
  if (severity === undefined) return undefined;
  const limit = severity === 'error' ? (rule.errorPercent ?? 0) : rule.warningPercent;
  // The difference in whole percent of the defined list, rounded down (at least the limit, or it would not be here).
  const percent = defined === 0 ? '∞' : String(Math.floor((Math.abs(got - defined) * 100) / defined));
  return {
    code: 'list-size',
    severity,
    message: fill(STRUCTURE['list-size'] ?? {}, { got, want: defined, percent, limit }),
    values,
    left: got,
    right: defined,
  };
}

export function holds(left: number, op: RelationOp, right: number): boolean {
  switch (op) {
    case 'eq':
      return left === right;
    case 'le':
      return left <= right;
    case 'ge':
      return left >= right;
    case 'lt':
      return left < right;
    case 'gt':
      return left > right;
  }
}

const OP_TEXT: Record<RelationOp, string> = { eq: '=', le: '≤', ge: '≥', lt: '<', gt: '>' };

function relationFinding(relation: ControlRelation, contest: ContestIndex, row: Float64Array, left: number, right: number): Finding {
  const values: Record<string, number> = {};
  const note = (terms: readonly Term[]) => {
    for (const term of terms) {
      if ('line' in term) {
        values[term.line] = row[contest.layout.lines.indexOf(term.line)] ?? 0;
      } else if ('option' in term) {
        values[`votes.${term.option}`] = row[contest.layout.lines.length + (contest.optionIndex.get(term.option) ?? 0)] ?? 0;
      } else {
        contest.layout.options.forEach((option, i) => {
          if (term.options === 'all' || option.kind !== 'against-all')
            values[`votes.${option.id}`] = row[contest.layout.lines.length + i] ?? 0;
        });
      }
    }
  };
  note(relation.left);
  note(relation.right);
  return {
    code: relation.code,
    severity: relation.severity,
    message: fill(relation.message, { left, right, difference: left - right }),
    values,
    relation: `${describeTerms(relation.left)} ${OP_TEXT[relation.op]} ${describeTerms(relation.right)}`,
    left,
    right,
  };
}
