import type { HashedFields } from '../src/ledger/chain.js';

/** The fields of an event that its hash covers besides its number, time and predecessor. */
export interface ChainedFields {
  readonly actor: string;
  readonly kind: string;
  readonly election: string | null;
  readonly subject: string | null;
  readonly idem: string | null;
  readonly payloadText: string;
}

export declare function hashInput(fields: HashedFields): string;

export declare function chainHashes(prevHash: string, firstSeq: number, time: string, events: readonly ChainedFields[]): string[];
