/**
 * Ledger replay benchmark (issue 3: 1,000,000 events < 20 s): a ledger holding a 1,000,000-station election and one
 * protocol per station is written directly (chained and signed exactly as the writer does, in large transactions),
 * then `Canvass.open` replays it into the projection from scratch and the time is printed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asDivisionId, POLLING_STATION } from '@canvass/core';
import { canonicalJson, canonicalWith, sha256Hex } from '../ledger/canonical.js';
import { chainEvents, GENESIS_HASH, type ChainHead } from '../ledger/chain.js';
import type { NewEvent } from '../ledger/events.js';
import { appendEvents, lockHead } from '../ledger/ledger-store.js';
import { loadOrCreateServerKey } from '../ledger/server-key.js';
import { Canvass } from '../services/canvass.js';
import { openStore } from '../store/open-store.js';
import { syntheticElection, syntheticProtocols } from './tabulate-bench.js';

export async function benchReplay(stations = 999_999): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'canvass-replay-'));
  try {
    const location = join(dir, 'replay.db');
    const key = await loadOrCreateServerKey(join(dir, 'data'));
    const election = syntheticElection(stations);
    const store = await openStore(location);
    let head: ChainHead = { seq: 0, hash: GENESIS_HASH };
    const write = async (events: NewEvent[]) => {
      await store.db.transaction().execute(async (trx) => {
        await lockHead(trx, store.dialect);
        const chained = chainEvents(head, events, new Date(), key.privateKey);
        await appendEvents(trx, chained, store);
        const last = chained[chained.length - 1];
        if (last) head = { seq: last.seq, hash: last.hash };
      });
    };
    const started = performance.now();
    await write([{ kind: 'election-defined', actor: 'system', election: election.id, subject: null, idem: null, payload: { election } }]);
    let batch: NewEvent[] = [];
    for (const protocol of syntheticProtocols(election)) {
      const text = canonicalJson(protocol);
      const payload = { protocol, version: 1, status: 'counted' as const, findings: [], hash: sha256Hex(text) };
      batch.push({
        kind: 'protocol-entered',
        actor: 'bench',
        election: election.id,
        subject: `c/${protocol.station}`,
        idem: null,
        payload,
        payloadText: canonicalWith(payload, 'protocol', text),
      });
      if (batch.length === 20_000) {
        await write(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await write(batch);
    await store.close();
    const writeSeconds = (performance.now() - started) / 1000;

    const canvass = await Canvass.open({ db: location, dataDir: join(dir, 'data') });
    const result = canvass.projection.elections.get(election.id)?.preliminary.results(asDivisionId('x'))?.contests[0];
    const stationCount = election.divisions.filter((d) => d.kind === POLLING_STATION).length;
    console.log(
      `replay    ${canvass.replay.events.toLocaleString('en-US')} ledger events (a ${stationCount.toLocaleString('en-US')}-station election + one protocol each): ${(canvass.replay.ms / 1000).toFixed(1)} s, ${Math.round(canvass.replay.events / (canvass.replay.ms / 1000)).toLocaleString('en-US')} events/s, peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB (target < 20 s; writing them took ${writeSeconds.toFixed(1)} s)`,
    );
    if (result?.stations.reported !== stationCount) throw new Error('replay incomplete');
    await canvass.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
