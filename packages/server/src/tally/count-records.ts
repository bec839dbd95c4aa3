import { hasErrors, Tally, validateProtocol, type ElectionIndex, type Finding, type Protocol } from '@canvass/core';
import { InputError, type InputProblem } from '../files/input-error.js';
import type { Located } from '../files/protocol-file.js';

export interface RecordFindings {
  readonly line: number;
  readonly protocol: Protocol;
  readonly findings: readonly Finding[];
}

export interface CountedFile {
  readonly tally: Tally;
  readonly counted: ReadonlyMap<string, Protocol>;
  /** Protocols with error-level findings: kept out of the count. */
  readonly notCounted: readonly RecordFindings[];
  /** Counted protocols that carry warnings. */
  readonly warnings: readonly RecordFindings[];
}

export const protocolKey = (contest: string, station: string) => `${contest}\u0000${station}`;

/**
 * Validates and counts the protocols of one file. A station may appear once per contest: a file is one version of
 * the count, not a history (corrections go through the API, which keeps every version).
 */
export function countRecords(file: string, index: ElectionIndex, records: readonly Located<Protocol>[]): CountedFile {
  const tally = new Tally(index);
  const counted = new Map<string, Protocol>();
  const seen = new Map<string, number>();
  const duplicates: InputProblem[] = [];
  const notCounted: RecordFindings[] = [];
  const warnings: RecordFindings[] = [];
  for (const { line, value: protocol } of records) {
    const key = protocolKey(protocol.contest, protocol.station);
    const first = seen.get(key);
    if (first !== undefined) {
      duplicates.push({
        file,
        line,
        rule: 'one-protocol-per-station',
        message: `station "${protocol.station}" already has a protocol for contest "${protocol.contest}" at line ${first}; keep one line per station and contest`,
      });
      continue;
    }
    seen.set(key, line);
    const findings = validateProtocol(index, protocol);
    if (hasErrors(findings)) {
      notCounted.push({ line, protocol, findings });
      continue;
    }
    if (findings.length > 0) warnings.push({ line, protocol, findings });
    const added = tally.add(protocol);
    if (!added.ok) throw new Error(`validated protocol not countable: ${added.error.kind}`);
    counted.set(key, protocol);
  }
  if (duplicates.length > 0) throw new InputError(duplicates);
  return { tally, counted, notCounted, warnings };
}
