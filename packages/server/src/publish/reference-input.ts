import {
  Tally,
  indexElection,
  type ContestId,
  type Election,
  type ElectionIndex,
  type Protocol,
  type ResultsStatus,
  type TurnoutReport,
} from '@canvass/core';
import { generateKz2022President } from '../demo-data/generate-kz.js';
import { protocolHash, sha256Hex } from '../ledger/canonical.js';
import { protocolKey } from '../tally/count-records.js';
import type { CountedProtocol, PublicationInput } from './publication-input.js';

export interface InputFromProtocolsOptions {
  readonly now: Date;
  readonly ledgerHead: { readonly seq: number; readonly hash: string };
  /** Default: from the count, `unofficial-complete` once every station of the contest has reported, else `unofficial-partial`. */
  readonly status?: ((contest: ContestId) => ResultsStatus) | undefined;
  readonly turnout?: readonly TurnoutReport[] | undefined;
  /** Default: the tally's version after counting. */
  readonly resultsVersion?: number | undefined;
  /** Whether every protocol counts as accepted by the higher commission (default true). */
  readonly accepted?: boolean | undefined;
}

/**
 * A publication input from an election and its protocols, each counted as its first version — what the CLI and
 * the tests publish from files or generated data (the server builds its input from the ledger instead). The
 * protocols must have passed validation; any the tally refuses is a bug and throws.
 */
export function publicationInputFromProtocols(
  election: Election,
  protocols: Iterable<Protocol>,
  options: InputFromProtocolsOptions,
): PublicationInput {
  const indexed = indexElection(election);
  if (!indexed.ok) throw new Error(`election "${election.id}" does not index: ${indexed.error.map((i) => i.message).join('; ')}`);
  const index = indexed.value;
  const tally = new Tally(index);
  const counted = new Map<string, CountedProtocol>();
  for (const protocol of protocols) {
    const added = tally.add(protocol);
    if (!added.ok) throw new Error(`protocol of station "${protocol.station}" cannot be counted: ${added.error.kind}`);
    counted.set(protocolKey(protocol.contest, protocol.station), {
      protocol,
      version: 1,
      hash: protocolHash(protocol),
      accepted: options.accepted ?? true,
    });
  }
  const status = options.status ?? countedStatus(index, tally);
  return {
    index,
    tally,
    counted,
    status,
    turnout: options.turnout ?? [],
    ledgerHead: options.ledgerHead,
    resultsVersion: options.resultsVersion ?? tally.version,
    now: options.now,
  };
}

/**
 * The 2022 presidential reference election (synthetic stations summing to the official national figures, see
 * demo-data) as a publication input: every protocol counted and accepted, the intraday turnout reports, status
 * `unofficial-complete`. For tests and benchmarks.
 */
export function kz2022PublicationInput(now = new Date('2022-11-21T04:00:00Z')): PublicationInput {
  const { election, protocols, turnout } = generateKz2022President();
  return publicationInputFromProtocols(election, protocols, {
    now,
    ledgerHead: { seq: protocols.length, hash: sha256Hex(`${election.id}:${protocols.length}`) },
    turnout,
  });
}

/** Each contest's status as the count alone gives it: complete when every station has reported, else partial. */
export function countedStatus(index: ElectionIndex, tally: Tally): (contest: ContestId) => ResultsStatus {
  const statuses = new Map<string, ResultsStatus>();
  for (const contest of index.contests) {
    const root = index.election.divisions[contest.root];
    const results = root ? tally.results(root.id)?.contests.find((c) => c.contest === contest.contest.id) : undefined;
    statuses.set(
      contest.contest.id,
      results && results.stations.reported === results.stations.total ? 'unofficial-complete' : 'unofficial-partial',
    );
  }
  return (contest) => statuses.get(contest) ?? 'unofficial-partial';
}

export interface PublicationFromCountOptions {
  readonly now: Date;
  /** Per contest; by default as the count gives it (`countedStatus`). */
  readonly status?: ((contest: ContestId) => ResultsStatus) | undefined;
  /** Whether the protocols count as accepted by the higher commission (default true: a file is a settled count). */
  readonly accepted?: boolean | undefined;
}

/**
 * A publication input from a count already made from files (`countRecords`), for exports outside the server: every
 * counted protocol is version 1 with its canonical hash, there is no ledger yet (head 0) and no turnout.
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
  return {
    index,
    tally: count.tally,
    counted,
    status: options.status ?? countedStatus(index, count.tally),
    turnout: [],
    ledgerHead: { seq: 0, hash: '0'.repeat(64) },
    resultsVersion: count.tally.version,
    now: options.now,
  };
}
