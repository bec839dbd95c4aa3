import { describe, expect, test } from 'vitest';
import { CsvReader, CsvSyntaxError } from './csv-records.js';

function records(text: string): [number, string[]][] {
  const reader = new CsvReader(text);
  const out: [number, string[]][] = [];
  for (let fields = reader.next(); fields; fields = reader.next()) out.push([reader.line, fields]);
  return out;
}

describe('CsvReader', () => {
  test('plain records, empty fields, CRLF, a BOM, blank lines and no final line break', () => {
    expect(records('\ufeffa,b,c\r\n1,,3\n\n4,5,\n6,7,8')).toEqual([
      [1, ['a', 'b', 'c']],
      [2, ['1', '', '3']],
      [4, ['4', '5', '']],
      [5, ['6', '7', '8']],
    ]);
  });

  test('quoted fields with commas, doubled quotes and line breaks; line numbers stay right after them', () => {
    expect(records('h1,h2\n"a, ""b""","x\ny\r\nz"\n1,"2"\r\nlast,row\n')).toEqual([
      [1, ['h1', 'h2']],
      [2, ['a, "b"', 'x\ny\r\nz']],
      [5, ['1', '2']],
      [6, ['last', 'row']],
    ]);
  });

  test('a quote far ahead does not slow or confuse the plain records before it', () => {
    const text = `${Array.from({ length: 1000 }, (_, i) => `${i},x`).join('\n')}\n"q",1\n`;
    const all = records(text);
    expect(all).toHaveLength(1001);
    expect(all[1000]).toEqual([1001, ['q', '1']]);
  });

  test.each([
    ['an unclosed quote', 'a\n"open,1\n', 2],
    ['text after a closing quote', 'a\n"x"y,1\n', 2],
    ['a quote inside an unquoted field', 'a\n"ok",x"y\n', 2],
  ])('%s is a syntax error at its line', (_, text, line) => {
    const reader = new CsvReader(text);
    reader.next();
    let error: unknown;
    try {
      reader.next();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CsvSyntaxError);
    expect((error as CsvSyntaxError).line).toBe(line);
  });
});
