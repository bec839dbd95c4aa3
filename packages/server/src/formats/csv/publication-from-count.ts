import { asDivisionId, type ContestId, type ElectionIndex, type Protocol, type ResultsStatus, type Tally } from '@canvass/core';
import { protocolHash } from '../../ledger/canonical.js';
import type { CountedProtocol, PublicationInput } from '../../publish/publication-input.js';

export interface PublicationFromCountOptions {
  readonly now: Date;
  /** Per contest; by default `unofficial-complete` when every station has reported, else `unofficial-partial`. */
  readonly status?: ((contest: ContestId) => ResultsStatus) | undefined;
  /** Whether the protocols count as accepted by the higher commission (default true: a file is a settled count). */
  readonly accepted?: boolean | undefined;
}

/**
 * A publication input from a count made from files (`countRecords`), for exports outside the server: every counted
 * protocol is version 1 with its canonical hash, there is no ledger yet (head 0 and 64 zeros) and no turnout.
 */
export function publicationFromCount(
  index: ElectionIndex,
  count: { readonly tally: Tally; readonly counted: ReadonlyMap<string, Protocol> },
  options: PublicationFromCountOptions,
): PublicationInput {
  const counted = new Map<string, CountedProtocol>();
  for (const [key, protocol] of count.counted) {
    counted.set(key, { protocol, version: 1, hash: protocolHash(protocol), accepted: options.accepted ?? true });
  }
  const root = index.election.divisions.find((d) => d.parent === undefined)?.id ?? asDivisionId('');
  const status =
    options.status ??
    ((contest: ContestId): ResultsStatus => {
      const division = index.contest(contest)?.contest.division ?? root;
      const results = count.tally.results(division)?.contests.find((c) => c.contest === contest);
      return results && results.stations.reported === results.stations.total ? 'unofficial-complete' : 'unofficial-partial';
    });
  return {
    index,
    tally: count.tally,
    counted,
    status,
    turnout: [],
    ledgerHead: { seq: 0, hash: '0'.repeat(64) },
    resultsVersion: count.tally.version,
    now: options.now,
  };
}
