import type { ContestOption, ProtocolLine } from '@canvass/core';
import type { Difference, FindingView } from '../api/schemas.js';
import { nameIn, useI18n, type Lang } from '../i18n/i18n.js';
import { TableScroll } from './common.js';

/** A protocol's lines (names from the election's template, in the visitor's language) and its votes. */
export function ProtocolTable({
  caption,
  lines,
  votes,
  template,
  options,
  previous,
}: {
  caption: string;
  lines: Readonly<Record<string, number>>;
  votes: Readonly<Record<string, number>>;
  template: readonly ProtocolLine[];
  options: readonly ContestOption[];
  /** An earlier version: lines that differ from it are marked. */
  previous?: { readonly lines: Readonly<Record<string, number>>; readonly votes: Readonly<Record<string, number>> } | undefined;
}) {
  const { t, lang, f } = useI18n();
  const row = (key: string, label: string, value: number | undefined, before: number | undefined) => {
    const changed = previous !== undefined && before !== value;
    return (
      <tr key={key} class={changed ? 'changed' : undefined}>
        <th scope="row">{label}</th>
        <td class="num">{value === undefined ? '—' : f.int(value)}</td>
        {previous !== undefined && <td class="num">{changed ? (before === undefined ? '—' : f.int(before)) : ''}</td>}
      </tr>
    );
  };
  return (
    <TableScroll label={caption}>
      <table class="data-table protocol-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('protocol.line')}</th>
            <th scope="col" class="num">
              {t('protocol.value')}
            </th>
            {previous !== undefined && (
              <th scope="col" class="num">
                {t('protocol.before')}
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {template.map((line) => row(line.id, nameIn(line.names, lang), lines[line.id], previous?.lines[line.id]))}
          {options.map((option) =>
            row(
              `votes.${option.id}`,
              option.kind === 'against-all' ? t('protocol.votesAgainstAll') : t('protocol.votesFor', { name: nameIn(option.names, lang) }),
              votes[option.id],
              previous?.votes[option.id],
            ),
          )}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** The name of a protocol line or `votes.<option>` key, as findings and differences name them. */
export function lineName(key: string, template: readonly ProtocolLine[], options: readonly ContestOption[], lang: Lang): string {
  if (key.startsWith('votes.')) {
    const option = options.find((o) => o.id === key.slice(6));
    return option ? nameIn(option.names, lang) : key;
  }
  const line = template.find((l) => l.id === key);
  return line ? nameIn(line.names, lang) : key;
}

/** Control-relation findings in the visitor's language (the rule pack and the server give all three). */
export function FindingList({ findings }: { findings: readonly FindingView[] }) {
  const { t, lang } = useI18n();
  if (findings.length === 0) return <p class="ok-text">{t('findings.none')}</p>;
  return (
    <ul class="findings">
      {findings.map((finding, i) => (
        <li key={`${finding.code}-${i}`} class={`finding finding-${finding.severity}`}>
          <span class="finding-badge">
            {finding.severity === 'error' ? t('findings.error') : t('findings.warning')} {finding.code}
          </span>{' '}
          {nameIn(finding.message, lang)}
        </li>
      ))}
    </ul>
  );
}

/** Double entry: where two clerks' entries of the same protocol disagree, line by line. */
export function DifferencesTable({
  differences,
  template,
  options,
  caption,
  you,
  labels,
}: {
  differences: readonly Difference[];
  template: readonly ProtocolLine[];
  options: readonly ContestOption[];
  caption: string;
  /** The signed-in account's id: its column is headed "your entry". */
  you?: string | undefined;
  /** Column headings instead of "Entry 1", "Entry 2"… */
  labels?: readonly string[] | undefined;
}) {
  const { t, lang, f } = useI18n();
  const columns = differences[0]?.values.map((v) => v.actor) ?? [];
  return (
    <TableScroll label={caption}>
      <table class="data-table differences">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('protocol.line')}</th>
            {columns.map((actor, i) => (
              <th scope="col" class="num" key={actor}>
                {labels?.[i] ?? (actor === you ? t('mismatch.yours') : t('mismatch.entry', { n: i + 1 }))}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {differences.map((d) => (
            <tr key={d.line}>
              <th scope="row">{lineName(d.line, template, options, lang)}</th>
              {d.values.map((v, i) => (
                <td class="num" key={i}>
                  {v.value < 0 ? '—' : f.int(v.value)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
