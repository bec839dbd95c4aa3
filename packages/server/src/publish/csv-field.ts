/**
 * One CSV field as RFC 4180 writes it: quoted when it contains a comma, a quote, a line break, or leading or
 * trailing white space (which some readers would trim); quotes inside are doubled.
 */
export function csvField(value: string): string {
  if (/[",\r\n]/.test(value) || value !== value.trim()) return `"${value.replaceAll('"', '""')}"`;
  return value;
}
