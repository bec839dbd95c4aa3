/**
 * RFC 4180 CSV text: fields with a comma, quote or line break are quoted, quotes doubled; lines end with `\n`
 * (what `csv-parse`, spreadsheets and the OpenElections files use).
 */
export function csvLine(fields: readonly (string | number)[]): string {
  return fields.map(csvField).join(',');
}

export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvText(rows: readonly (readonly (string | number)[])[]): string {
  return rows.map((row) => `${csvLine(row)}\n`).join('');
}
