/**
 * Service benchmark (issue 3): durable protocol submissions and result reads over real HTTP on loopback, the server
 * in its own process (as in production), autocannon as the client, on SQLite and on PostgreSQL; an empty Fastify
 * POST/GET server as the machine's ceiling, measured right before each figure, three rounds, the median ratio
 * reported. (Ledger replay: replay-bench.ts.)
 *
 * The server runs without snapshot publishing (measured separately by the publish benchmark).
 *
 * A floor beside the ceiling: the same requests written to the ledger by the same committer and nothing else
 * (durable-floor.ts), which bounds what any submission route can reach on this machine.
 *
 * Targets: durable submissions ≥ 50 % of the empty-POST ceiling with p99 < 50 ms; result reads ≥ 80 % of the
 * empty-GET ceiling; replay of 1M events < 20 s.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { generateKz2022President } from '../demo-data/generate-kz.js';
import { Canvass } from '../services/canvass.js';

const CLI = fileURLToPath(new URL('../../bin/canvass.js', import.meta.url));
const FLOOR = fileURLToPath(new URL('./durable-floor.js', import.meta.url));
const POSTGRES_ADMIN =
  process.env['CANVASS_BENCH_POSTGRES'] ?? process.env['CANVASS_TEST_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DURATION = Number(process.env['CANVASS_BENCH_SECONDS'] ?? 5);
const ROUNDS = 3;
/**
 * Extra Node options for the server under test, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where its time goes
 * (NODE_OPTIONS does not allow profiling flags).
 */
const SERVER_NODE_ARGS = (process.env['CANVASS_BENCH_SERVER_NODE_ARGS'] ?? '').split(' ').filter((arg) => arg !== '');
const CONNECTIONS = 64;

interface Measured {
  readonly rps: number;
  readonly total: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly non2xx: number;
  /**
   * CPU time (user + system) per request: of the server process (all threads), of its main thread (the event loop,
   * which one core bounds), and of this, the client's, process.
   */
  readonly cpu?: { readonly server: number; readonly main: number; readonly client: number } | undefined;
}

/**
 * User + system CPU seconds a process (all its threads) has used so far, or with `thread`, one of its threads — the
 * main thread's id is the process id (Linux /proc); undefined elsewhere.
 */
function cpuSeconds(pid: number, thread?: number): number | undefined {
  try {
    // After the command name in parentheses (which may itself hold ") "): state, ppid, …, utime (14th), stime (15th).
    const stat = readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    // Clock ticks of 1/100 s (USER_HZ, 100 on Linux).
    return Number.isFinite(ticks) ? ticks / 100 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `run`, with the CPU time the server process `pid` and this process spent on it, per request: where a figure
 * below its ceiling loses its time — in the server or in the client sharing its cores.
 */
async function withCpu(pid: number | undefined, run: () => Promise<Measured>): Promise<Measured> {
  const server = pid === undefined ? undefined : cpuSeconds(pid);
  const main = pid === undefined ? undefined : cpuSeconds(pid, pid);
  const client = process.cpuUsage();
  const m = await run();
  const serverAfter = pid === undefined ? undefined : cpuSeconds(pid);
  const mainAfter = pid === undefined ? undefined : cpuSeconds(pid, pid);
  const used = process.cpuUsage(client);
  if (server === undefined || serverAfter === undefined || main === undefined || mainAfter === undefined || m.total === 0) return m;
  return {
    ...m,
    cpu: {
      server: ((serverAfter - server) * 1e6) / m.total,
      main: ((mainAfter - main) * 1e6) / m.total,
      client: (used.user + used.system) / m.total,
    },
  };
}

function measure(result: autocannon.Result): Measured {
  return {
    rps: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

/**
 * One figure from the runs of several autocannon instances made at the same time: requests per second summed,
 * latency from each run's own percentiles (autocannon keeps one histogram per instance, and percentiles cannot be
 * merged exactly): p99 is the largest run's p99 — an upper bound of the p99 over all requests, since no run has more
 * than 1 % of its requests above it — and p50 the runs' medians weighted by their requests.
 */
function combine(runs: readonly autocannon.Result[]): Measured {
  const total = runs.reduce((sum, r) => sum + r.requests.total, 0);
  const weighted = (pick: (r: autocannon.Result) => number) =>
    total === 0 ? 0 : Math.round(runs.reduce((sum, r) => sum + pick(r) * r.requests.total, 0) / total);
  return {
    rps: runs.reduce((sum, r) => sum + r.requests.average, 0),
    total,
    p50: weighted((r) => r.latency.p50),
    p99: Math.max(...runs.map((r) => r.latency.p99)),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
  };
}

/**
 * The POST client for both the ceiling and the submissions: one autocannon instance per connection, each cycling
 * through its own list of prebuilt requests (`bodies[connection]`), so every request carries a changing body at the
 * cost of a constant one. (autocannon's setupRequest, which builds each request as it is sent, cost the client about
 * 15 µs of the two shared cores per request, which an empty POST with one constant body did not pay.) The lists are
 * kept short because autocannon builds them when an instance starts, and the instances start one after another.
 */
async function postLoad(url: string, path: string, headers: Record<string, string>, bodies: readonly (readonly string[])[]) {
  const runs = await Promise.all(
    bodies.map((list) =>
      autocannon({
        url,
        connections: 1,
        duration: DURATION,
        requests: list.map((body) => ({ method: 'POST' as const, path, headers, body })),
      }),
    ),
  );
  return combine(runs);
}

const fmt = (m: Measured) =>
  `${Math.round(m.rps).toLocaleString('en-US')} req/s, p50 ${m.p50} ms, p99 ${m.p99} ms${m.errors + m.non2xx > 0 ? `, ${m.errors} errors, ${m.non2xx} non-2xx` : ''}${
    m.cpu
      ? ` (CPU per request: server ${m.cpu.server.toFixed(1)} µs, of which its main thread ${m.cpu.main.toFixed(1)} µs, busy ${Math.round((m.cpu.main * m.rps) / 1e4)} % of the time; client ${m.cpu.client.toFixed(1)} µs)`
      : ''
  }`;

async function waitForUrl(child: ChildProcess): Promise<string> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`server did not start:\n${output}`));
    }, 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${String(code)}:\n${output}`));
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** An empty Fastify server in its own process: the ceiling of this machine for a JSON POST and GET. */
const EMPTY_SERVER = `
import Fastify from 'fastify';
const app = Fastify();
app.post('/post', async () => ({ ok: true }));
app.get('/get', async () => ({ ok: true }));
// A constant answer of a given size: how fast this machine serves that many bytes with nothing computed.
const sized = new Map();
app.get('/sized', (request, reply) => {
  const bytes = Number(request.query.bytes);
  if (!sized.has(bytes)) sized.set(bytes, JSON.stringify({ pad: 'x'.repeat(Math.max(0, bytes - 10)) }));
  return reply.type('application/json; charset=utf-8').send(sized.get(bytes));
});
const address = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(address);
`;

/**
 * The empty server, kept running (idle, it costs nothing) so that each figure is compared with a ceiling measured
 * right before it: on a shared machine the ceiling itself moves by ±20 % from one minute to the next.
 */
interface Ceiling {
  /** An empty POST handler answering the very requests (bodies per connection) the measured run sends. */
  post(bodies: readonly (readonly string[])[]): Promise<Measured>;
  get(): Promise<Measured>;
  /** Not a ceiling the issue names: the same empty server answering a constant body of `bytes` bytes. */
  sized(bytes: number): Promise<Measured>;
  stop(): Promise<void>;
}

async function startCeiling(): Promise<Ceiling> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', EMPTY_SERVER], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await waitForUrl(child);
  return {
    post: async (bodies) => {
      const m = await withCpu(child.pid, () => postLoad(url, '/post', { 'content-type': 'application/json' }, bodies));
      console.log(`api       ceiling: empty Fastify JSON POST (the same requests) ${fmt(m)}`);
      return m;
    },
    get: async () => {
      const m = await withCpu(child.pid, async () =>
        measure(await autocannon({ url: `${url}/get`, connections: CONNECTIONS, duration: DURATION })),
      );
      console.log(`api       ceiling: empty Fastify GET ${fmt(m)}`);
      return m;
    },
    sized: async (bytes: number) => {
      const m = await withCpu(child.pid, async () =>
        measure(await autocannon({ url: `${url}/sized?bytes=${bytes}`, connections: CONNECTIONS, duration: DURATION })),
      );
      console.log(`api       reference: empty Fastify GET of a constant ${bytes}-byte answer ${fmt(m)}`);
      return m;
    },
    stop: () => stop(child),
  };
}

interface Target {
  readonly name: string;
  readonly location: string;
  /** A second, empty database for the floor (durable-floor.ts), so that its events stay out of the measured ledger. */
  readonly floorLocation: string;
  readonly dataDir: string;
  cleanup(): Promise<void>;
}

async function sqliteTarget(): Promise<Target> {
  const dir = await mkdtemp(join(tmpdir(), 'canvass-bench-'));
  return {
    name: 'SQLite',
    location: join(dir, 'bench.db'),
    floorLocation: join(dir, 'floor.db'),
    dataDir: join(dir, 'data'),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

async function postgresTarget(): Promise<Target> {
  const dir = await mkdtemp(join(tmpdir(), 'canvass-bench-'));
  const name = `canvass_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.query(`CREATE DATABASE ${name}_floor`);
  await admin.end();
  const at = (database: string) => {
    const url = new URL(POSTGRES_ADMIN);
    url.pathname = `/${database}`;
    return url.toString();
  };
  return {
    name: 'PostgreSQL',
    location: at(name),
    floorLocation: at(`${name}_floor`),
    dataDir: join(dir, 'data'),
    async cleanup() {
      const client = new pg.Client({ connectionString: POSTGRES_ADMIN });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.query(`DROP DATABASE IF EXISTS ${name}_floor WITH (FORCE)`);
      await client.end();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** `canvass serve` on the target, API only, without snapshot publishing, in its own process. */
function spawnServe(target: Target): ChildProcess {
  return spawn(
    process.execPath,
    [
      ...SERVER_NODE_ARGS,
      CLI,
      'serve',
      '--db',
      target.location,
      '--data-dir',
      target.dataDir,
      '--port',
      '0',
      '--web',
      '/nonexistent',
      '--no-publish',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

/** The floor (durable-floor.ts) on the target's second database, in its own process. */
function spawnFloor(target: Target): ChildProcess {
  return spawn(process.execPath, [...SERVER_NODE_ARGS, FLOOR, target.floorLocation, target.dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Two figures measured at the same time, as one (as `combine` does for autocannon's runs). */
function together(a: Measured, b: Measured): Measured {
  const total = a.total + b.total;
  return {
    rps: a.rps + b.rps,
    total,
    p50: total === 0 ? 0 : Math.round((a.p50 * a.total + b.p50 * b.total) / total),
    p99: Math.max(a.p99, b.p99),
    errors: a.errors + b.errors,
    non2xx: a.non2xx + b.non2xx,
  };
}

async function benchService(target: Target, ceiling: Ceiling, parts: ReadonlySet<string>): Promise<void> {
  const data = generateKz2022President();
  const setup = await Canvass.open({ db: target.location, dataDir: target.dataDir });
  await setup.defineElection({ id: 'system', role: 'system' }, data.election);
  const added = await setup.addUser(
    { id: 'system', role: 'system' },
    { name: 'bench', role: 'commission', election: data.election.id, division: 'kz', token: true },
  );
  if (!added.ok) throw new Error(added.error.message);
  const token = added.value.token ?? '';
  await setup.close();

  const child = spawnServe(target);
  try {
    const url = await waitForUrl(child);
    // Bodies: the stations' protocols, each with a reason, so that any of them is a valid first version or a
    // correction (a new version each time it is sent); connection c sends stations c, c + 64, c + 128, …, so the
    // connections together cover every station (the last lists wrap round to the first few). A new reason each round.
    const protocols = data.protocols;
    const perConnection = Math.ceil(protocols.length / CONNECTIONS);
    let round = 0;
    const roundBodies = (): string[][] => {
      round++;
      return Array.from({ length: CONNECTIONS }, (_, connection) =>
        Array.from({ length: perConnection }, (_, j) =>
          JSON.stringify({ ...protocols[(j * CONNECTIONS + connection) % protocols.length], reason: `benchmark round ${round}` }),
        ),
      );
    };
    const protocolsPath = `/api/v1/elections/${data.election.id}/protocols`;
    const submit = (bodies: readonly (readonly string[])[]) =>
      postLoad(url, protocolsPath, { 'content-type': 'application/json', authorization: `Bearer ${token}` }, bodies);
    const submissions = (bodies: readonly (readonly string[])[]) => withCpu(child.pid, () => submit(bodies));
    const percentOf = (m: Measured, of: Measured) => Math.round((100 * m.rps) / of.rps);
    const resultsUrl = `${url}/api/v1/elections/${data.election.id}/results/kz`;
    /**
     * Ceiling and figure, measured back to back ROUNDS times: each ratio compares two runs a few seconds apart, and
     * the median of the ratios is reported (one run of each swung by a fifth on this shared machine). A round before
     * them is printed but not counted: both servers' code is compiled by then (a server of election night has run
     * for hours), and every station already has a protocol, so the counted rounds all send corrections.
     */
    const paired = async (what: string, empty: () => Promise<Measured>, run: () => Promise<Measured>, goal: string) => {
      const warmCeiling = await empty();
      const warm = await run();
      console.log(`api       ${what} (warm-up, not counted): ${fmt(warm)} — ${percentOf(warm, warmCeiling)} %`);
      const ratios: number[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        const ceilingRun = await empty();
        const measured = await run();
        ratios.push(percentOf(measured, ceilingRun));
        console.log(`api       ${what} (round ${round}): ${fmt(measured)} — ${percentOf(measured, ceilingRun)} %`);
      }
      const median = [...ratios].sort((x, y) => x - y)[Math.floor(ratios.length / 2)] ?? 0;
      console.log(`api       ${what}: median ${median} % of the ceiling over ${ROUNDS} rounds (${ratios.join(', ')} %); ${goal}`);
    };
    if (parts.has('post')) {
      let bodies: string[][] = [];
      await paired(
        `${target.name}: durable protocol submissions`,
        () => ceiling.post((bodies = roundBodies())),
        () => submissions(bodies),
        'target ≥ 50 % of the empty POST, p99 < 50 ms',
      );
    }
    if (parts.has('floor')) {
      // The same requests, each written to the ledger by the same committer and answered when committed, with nothing
      // else done: the most any implementation of the submissions could reach on this machine.
      const floor = spawnFloor(target);
      try {
        const floorUrl = await waitForUrl(floor);
        let bodies: string[][] = [];
        await paired(
          `${target.name}: the floor — the same requests only written to the ledger (bench/durable-floor.ts)`,
          () => ceiling.post((bodies = roundBodies())),
          () => withCpu(floor.pid, () => postLoad(floorUrl, '/floor', { 'content-type': 'application/json' }, bodies)),
          'no submission route can exceed this here',
        );
      } finally {
        await stop(floor);
      }
    }
    if (parts.has('get'))
      await paired(
        `${target.name}: GET /results/kz alone`,
        () => ceiling.get(),
        () => withCpu(child.pid, async () => measure(await autocannon({ url: resultsUrl, connections: CONNECTIONS, duration: DURATION }))),
        'target ≥ 80 % of the empty GET',
      );
    if (parts.has('get')) {
      // What part of the gap to the empty GET is the answer's size (sending and parsing ~1 KB instead of 11 bytes).
      const bytes = Buffer.byteLength(await (await fetch(resultsUrl)).text());
      await paired(
        `${target.name}: GET /results/kz alone, against a constant answer of the same size`,
        () => ceiling.sized(bytes),
        () => withCpu(child.pid, async () => measure(await autocannon({ url: resultsUrl, connections: CONNECTIONS, duration: DURATION }))),
        'for reference',
      );
    }
    if (parts.has('mixed')) {
      const empty = await ceiling.get();
      const [reads, writes] = await Promise.all([
        autocannon({ url: resultsUrl, connections: CONNECTIONS, duration: DURATION }),
        // Not `submissions`: the server's CPU meanwhile is the reads' too.
        submit(roundBodies()),
      ]);
      const get = measure(reads);
      console.log(
        `api       ${target.name}: GET /results/kz while submitting ${fmt(get)} — ${percentOf(get, empty)} % of the empty GET; submissions meanwhile ${fmt(writes)}`,
      );
    }
    if (parts.has('instances') && target.name === 'PostgreSQL') {
      // Two instances on one database, half of the connections each (on the same two cores as everything else):
      // what several instances behind a load balancer cost in stale commits and catch-ups, for reference.
      const second = spawnServe(target);
      try {
        const otherUrl = await waitForUrl(second);
        const half = CONNECTIONS / 2;
        for (let round = 1; round <= ROUNDS; round++) {
          const bodies = roundBodies();
          const empty = await ceiling.post(bodies);
          const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
          const [one, two] = await Promise.all([
            postLoad(url, protocolsPath, headers, bodies.slice(0, half)),
            postLoad(otherUrl, protocolsPath, headers, bodies.slice(half)),
          ]);
          const both = together(one, two);
          console.log(
            `api       ${target.name}: durable submissions to two instances at once (round ${round}): ${fmt(both)} — ${percentOf(both, empty)} % of the empty POST, for reference`,
          );
        }
      } finally {
        await stop(second);
      }
    }
  } finally {
    await stop(child);
  }
}

/**
 * CANVASS_BENCH_API selects parts (post, floor: durable-floor.ts, get, mixed, and instances: two servers on one
 * PostgreSQL database) and databases (sqlite, postgres); default all.
 */
export async function benchApi(): Promise<void> {
  const selected = new Set((process.env['CANVASS_BENCH_API'] ?? 'post,floor,get,mixed,instances,sqlite,postgres').split(','));
  const ceiling = await startCeiling();
  try {
    for (const [name, make] of [
      ['sqlite', sqliteTarget],
      ['postgres', postgresTarget],
    ] as const) {
      if (!selected.has(name)) continue;
      const target = await make();
      try {
        await benchService(target, ceiling, selected);
      } finally {
        await target.cleanup();
      }
    }
  } finally {
    await ceiling.stop();
  }
}
