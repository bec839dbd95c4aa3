/**
 * How figures are printed in the result protocol, the same in every language: whole numbers in groups of three
 * digits separated by a space ("6 456 393", the ISO 80000 style, usual in Kazakh and Russian documents and
 * unambiguous in English); percentages exactly as the core computes them (two decimals, half-up, a point:
 * "81.31"); times in the election's time zone with the UTC instant beside them.
 */

export function formatCount(value: number): string {
  const digits = String(Math.trunc(Math.abs(value)));
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return value < 0 ? `−${grouped}` : grouped;
}

export const formatPercent = (value: string | null): string => value ?? '—';

/** `2022-11-21 10:00:00 Asia/Almaty (2022-11-21T04:00:00.000Z)`, whatever the machine's own time zone. */
export function formatInstant(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')} ${timeZone} (${instant.toISOString()})`;
}
