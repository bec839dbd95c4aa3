import { readFile } from 'node:fs/promises';
import { inputError } from './input-error.js';

/** Reads a whole text file, turning the usual failures into input problems that name the file. */
export async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
    throw inputError(file, 'file-readable', `cannot read the file: ${reason}`);
  }
}

/** Where a JSON syntax error is, as a 1-based line and column, from V8's "at position N" message. */
export function jsonErrorLocation(text: string, error: unknown): { line: number; column: number } | undefined {
  const match = /position (\d+)/.exec((error as Error).message);
  if (!match) return undefined;
  const position = Number(match[1]);
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  return { line, column: position - before.lastIndexOf('\n') };
}
