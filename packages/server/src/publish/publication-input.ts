import type { ContestId, ElectionIndex, Protocol, ResultsStatus, Tally, TurnoutReport } from '@canvass/core';

/** One station's counted protocol as published: the version that counts, and its hash (`protocolHash`). */
export interface CountedProtocol {
  readonly protocol: Protocol;
  /** 1 for the first version entered, +1 per correction. */
  readonly version: number;
  /** SHA-256 (hex) of the protocol's RFC 8785 canonical JSON. */
  readonly hash: string;
  /** Whether the higher commission has accepted it (final results need acceptance). */
  readonly accepted: boolean;
}

/**
 * Everything a publication (snapshot, export, PDF) is made from: the compiled election, the tally of counted
 * protocols, and where the ledger stood. The server builds it from its projection; tests and the CLI can build it
 * from files (`countRecords`).
 */
export interface PublicationInput {
  readonly index: ElectionIndex;
  /** The counted protocols already added. */
  readonly tally: Tally;
  /** Key: `${contest}\u0000${station}` (see `protocolKey` in tally/count-records.ts). */
  readonly counted: ReadonlyMap<string, CountedProtocol>;
  readonly status: (contest: ContestId) => ResultsStatus;
  /** The latest turnout report of each station at each scheduled time. */
  readonly turnout: readonly TurnoutReport[];
  readonly ledgerHead: { readonly seq: number; readonly hash: string };
  /** Increases with every change of the results; names the snapshot version. */
  readonly resultsVersion: number;
  readonly now: Date;
}
