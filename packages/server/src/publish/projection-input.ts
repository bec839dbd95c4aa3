import type { ElectionState } from '../domain/election-state.js';
import { inPreliminary } from '../domain/election-state.js';
import type { Projection } from '../domain/projection.js';
import { protocolKey } from '../tally/count-records.js';
import type { CountedProtocol, PublicationInput } from './publication-input.js';

/**
 * What the server publishes for one election: the live (preliminary) count with the declared status, each
 * counted protocol with its version, hash and whether the higher commission has accepted it, the latest turnout
 * reports, and the ledger head the snapshot reflects.
 */
export function publicationInputOf(projection: Projection, state: ElectionState, now: Date): PublicationInput {
  const counted = new Map<string, CountedProtocol>();
  for (const record of state.records.values()) {
    const latest = record.latest;
    if (!inPreliminary(latest)) continue;
    counted.set(protocolKey(record.contest, record.station), {
      protocol: latest.protocol,
      version: latest.version,
      hash: latest.hash,
      accepted: latest.accepted,
    });
  }
  return {
    index: state.index,
    tally: state.preliminary,
    counted,
    status: (contest) => state.status(contest),
    turnout: [...state.turnoutReports()],
    ledgerHead: projection.head,
    resultsVersion: state.resultsVersion,
    now,
  };
}
