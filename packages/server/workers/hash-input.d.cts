import type { HashedFields } from '../src/ledger/chain.js';

export declare function hashInput(fields: HashedFields): string;
