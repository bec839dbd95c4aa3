/**
 * The benchmark's floor for durable submissions: a Fastify server whose POST route writes each request's body to the
 * ledger through Canvass's own committer (on SQLite its writer thread: chained, signed once per commit, fsynced; on
 * PostgreSQL the one-statement append) and answers 201 once it is committed — and does nothing else: no account, no
 * schema, no protocol checks, no projection, no results, a one-line answer. What no implementation of issue 3's
 * submissions on this machine can beat, since each must do at least this much; the gap between it and the real route
 * is what the checks and the results cost.
 *
 * Run by api-bench.ts in its own process: `node durable-floor.js DB DATA_DIR`; prints its URL.
 */
import Fastify from 'fastify';
import { numberEvents } from '../ledger/chain.js';
import type { NewEvent } from '../ledger/events.js';
import { readHead } from '../ledger/ledger-store.js';
import { loadOrCreateServerKey } from '../ledger/server-key.js';
import { openCommitter, type BatchHead } from '../services/ledger-writer.js';
import { openStore } from '../store/open-store.js';

const [location, dataDir] = process.argv.slice(2);
if (location === undefined || dataDir === undefined) throw new Error('usage: durable-floor.js DB DATA_DIR');

const store = await openStore(location);
const key = await loadOrCreateServerKey(dataDir);
const committer = openCommitter(store, key.privateKey);

/** Where the next batch continues: the stored head at first, then (hash unknown until answered) the last batch sent. */
let head: BatchHead = await readHead(store.db);
let queue: { event: NewEvent; resolve: (committed: boolean) => void }[] = [];
let scheduled = false;

/** As the ledger writer batches: every request parsed in this turn of the event loop goes into one batch. */
function flush(): void {
  scheduled = false;
  const batch = queue;
  queue = [];
  const events = numberEvents(
    head.seq,
    batch.map((b) => b.event),
    new Date().toISOString(),
  );
  const after = head;
  head = { seq: head.seq + events.length, hash: null };
  void committer.write(after, events, []).then((reply) => {
    for (const b of batch) b.resolve('ok' in reply);
  });
}

function durable(event: NewEvent): Promise<boolean> {
  return new Promise((resolve) => {
    queue.push({ event, resolve });
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  });
}

const app = Fastify({ bodyLimit: 64 * 1024 });
app.post('/floor', async (request, reply) => {
  const body = request.body as NewEvent<'protocol-entered'>['payload'];
  const committed = await durable({
    kind: 'protocol-entered',
    actor: 'bench-floor',
    election: null,
    subject: null,
    idem: null,
    payload: body,
    payloadText: JSON.stringify(body),
  });
  return reply
    .code(committed ? 201 : 503)
    .type('application/json; charset=utf-8')
    .send(committed ? '{"ok":true}' : '{"ok":false}');
});

const stop = () => {
  void app
    .close()
    .then(() => committer.close())
    .then(() => store.close())
    .then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
console.log(await app.listen({ port: 0, host: '127.0.0.1' }));
