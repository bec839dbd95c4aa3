import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asDivisionId, type Election } from '@canvass/core';
import { generateKz2022President } from '../../demo-data/generate-kz.js';
import { clockAt, planNight } from '../../demo/night-plan.js';
import { runNight } from '../../demo/run-night.js';
import { buildApp } from '../../http/app.js';
import { inputError } from '../../files/input-error.js';
import { Canvass } from '../../services/canvass.js';
import { hashPassword } from '../../auth/passwords.js';
import { parseInteger } from '../options.js';
import { DEFAULT_WEB_ROOT } from './serve.js';

/** The default night lasts three minutes of wall time. */
export const NIGHT_MS = 180_000;

interface DemoOptions {
  port: number;
  host: string;
  db?: string;
  speed: string;
  seed: number;
  web: string;
  concurrency: number;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'Run a whole simulated election night (KZ 2022, synthetic station data) through the real API, then keep serving the results site.',
    )
    .option('--port <port>', 'TCP port (0: any free port)', parseInteger('--port', 0), 8080)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--db <path>', 'SQLite file for the night (must not exist yet; default: a new temporary directory)')
    .option(
      '--speed <x>',
      'play the night x times faster than the default three minutes (60 ≈ 3 s, or as fast as the server takes it)',
      '1',
    )
    .option('--seed <n>', 'seed of the synthetic station data', parseInteger('--seed', 0), 2022)
    .option('--web <dir>', 'built web site to serve at /', DEFAULT_WEB_ROOT)
    .option('--concurrency <n>', 'requests in flight at once', parseInteger('--concurrency', 1), 48)
    .action(async (options: DemoOptions) => {
      const speed = Number(options.speed);
      if (!Number.isFinite(speed) || speed <= 0)
        throw inputError('--speed', 'speed-positive', `--speed is a positive number such as 1 or 60, got "${options.speed}"`);
      if (options.db !== undefined && existsSync(options.db))
        throw inputError(
          options.db,
          'demo-fresh-db',
          'the demo plays a whole night into a new database; name a file that does not exist yet, or leave out --db',
        );
      const dir = await mkdtemp(join(tmpdir(), 'canvass-demo-'));
      const db = options.db ?? join(dir, 'canvass.db');
      await runDemo({ ...options, speed, db, dataDir: join(dir, 'data') });
    });
}

export async function runDemo(options: {
  port: number;
  host: string;
  db: string;
  dataDir: string;
  speed: number;
  seed: number;
  web: string;
  concurrency: number;
}): Promise<void> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const data = generateKz2022President(options.seed);
  // The night uses double entry: every protocol is keyed by two clerks, as the strictest commissions require.
  const election: Election = { ...data.election, doubleEntry: true };
  const plan = planNight({ ...data, election });

  const canvass = await Canvass.open({ db: options.db, dataDir: options.dataDir, publishDir: join(options.dataDir, 'published') });
  const system = { id: 'system', role: 'system' } as const;
  const defined = await canvass.defineElection(system, election);
  if (!defined.ok) throw new Error(defined.error.message);
  const tokens = new Map<string, string>();
  // One published password for every demo account, hashed once.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const added = await Promise.all(
    plan.accounts.map((account) =>
      canvass.addUser(system, {
        name: account.name,
        role: account.role,
        election: election.id,
        division: account.division,
        token: true,
        passwordHash,
      }),
    ),
  );
  for (const result of added) {
    if (!result.ok) throw new Error(result.error.message);
    tokens.set(result.value.user.name, result.value.token ?? '');
  }

  const app = await buildApp(canvass, { webRoot: existsSync(options.web) ? options.web : undefined });
  const url = await app.listen({ port: options.port, host: options.host });
  const durationMs = NIGHT_MS / options.speed;
  out(`Canvass demo: election night of 20 November 2022 in Kazakhstan (synthetic station data; official national totals) at ${url}`);
  out(
    `  ${plan.stations.toLocaleString('en-US')} polling stations, ${plan.accounts.length} commission accounts, double entry; the night takes about ${Math.round(durationMs / 1000)} s (--speed ${options.speed})`,
  );
  out(
    `  sign in to the commission screens as e.g. "${plan.accounts[1]?.name ?? ''}" or "cec" with password "${DEMO_PASSWORD}" (demo only); database ${options.db}`,
  );

  const state = canvass.projection.elections.get(election.id);
  const bar = new SingleBar(
    { format: ' {bar} {value}/{total} stations counted | {clock} Astana | {leader}', hideCursor: true, clearOnComplete: false },
    undefined,
  );
  bar.start(plan.stations, 0, { clock: clockAt(0), leader: '' });
  let now = 0;
  const refresh = setInterval(() => {
    const result = state?.preliminary.results(asDivisionId('kz'))?.contests[0];
    const leader = result?.options[0];
    bar.update(result?.stations.reported ?? 0, {
      clock: clockAt(now),
      leader: leader?.percent ? `Tokayev ${leader.percent} % · turnout ${result?.turnoutPercent ?? '—'} %` : '',
    });
  }, 200);

  const cec = tokens.get('cec') ?? '';
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${url}/api/v1/elections/${election.id}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${cec}` },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  };
  const exitPolls = setTimeout(
    () => void registerExitPolls(post).catch((error: unknown) => out(`exit polls not registered: ${(error as Error).message}`)),
    plan.exitPollsAt * durationMs,
  );

  const stats = await runNight(
    plan.chains,
    { baseUrl: url, election: election.id, tokens, durationMs, concurrency: options.concurrency },
    (at) => {
      now = Math.max(now, at);
    },
  );
  clearTimeout(exitPolls);
  if (plan.exitPollsAt * durationMs > 0 && state?.exitPolls.length === 0) await registerExitPolls(post);
  if (stats.failures.length > 0) {
    clearInterval(refresh);
    bar.stop();
    for (const failure of stats.failures.slice(0, 10)) out(`  refused: ${failure.chain}: ${failure.status} ${failure.body}`);
    throw new Error(`${stats.failures.length} requests of the night were refused`);
  }
  // Morning: the CEC declares the count complete (preliminary result), then certifies the accepted protocols.
  await post('/status', { status: 'unofficial-complete' });
  await post('/status', { status: 'certified' });
  now = 1;
  clearInterval(refresh);
  const result = state ? canvass.results.resultsObject(state, asDivisionId('kz'), 'final')?.contests[0] : undefined;
  bar.update(result?.stations.reported ?? 0, { clock: clockAt(1), leader: '' });
  bar.stop();
  const share = (option: string) => result?.options.find((o) => o.option === option)?.percent ?? '—';
  out(
    `election night complete: ${(result?.stations.reported ?? 0).toLocaleString('en-US')} of ${(result?.stations.total ?? 0).toLocaleString('en-US')} stations, Tokayev ${share('tokayev')} %, against all ${share('against-all')} %, turnout ${result?.turnoutPercent ?? '—'} %, status ${result?.status ?? '—'}; ${stats.requests.toLocaleString('en-US')} API requests; results at ${url}`,
  );

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await app.close();
  await canvass.close();
}

/** Demo accounts share a published password: this is a demonstration, not an election. */
export const DEMO_PASSWORD = 'demo-night-2022';

/**
 * Exit polls published at 20:00 on election night. The figures are illustrative (clearly labelled as such), close to
 * the ones reported that night; they are compared with the count on the site.
 */
async function registerExitPolls(post: (path: string, body: unknown) => Promise<void>): Promise<void> {
  await post('/exit-polls', {
    contest: 'president',
    organisation: 'Exit poll A (illustrative figures)',
    publishedAt: '2022-11-20T20:00:00+06:00',
    sampleSize: 50_000,
    method: 'face-to-face interviews at polling stations (illustrative)',
    estimates: {
      tokayev: '82.2',
      dairabayev: '3.1',
      abden: '2.4',
      kazhyken: '2.6',
      auesbayev: '2.3',
      tursynbekova: '2.0',
      'against-all': '5.4',
    },
  });
  await post('/exit-polls', {
    contest: 'president',
    organisation: 'Exit poll B (illustrative figures)',
    publishedAt: '2022-11-20T20:05:00+06:00',
    sampleSize: 20_000,
    method: 'self-completed questionnaires (illustrative)',
    estimates: {
      tokayev: '79.9',
      dairabayev: '3.6',
      abden: '2.9',
      kazhyken: '2.4',
      auesbayev: '2.0',
      tursynbekova: '2.3',
      'against-all': '6.4',
    },
  });
}
