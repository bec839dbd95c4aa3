/**
 * `npm run bench`: prints the figures each issue names, measured on this machine. No assertions: numbers to read and
 * to report. Set CANVASS_BENCH_ONLY=tabulate,api,replay,publish to run a subset.
 */
import { benchTabulation } from './tabulate-bench.js';

const only = new Set((process.env['CANVASS_BENCH_ONLY'] ?? 'tabulate,api,replay,publish').split(','));
const sections: [string, () => unknown][] = [
  [
    'tabulate',
    () => {
      benchTabulation();
    },
  ],
  // Loaded on demand: a section's peak RSS should not include the other sections' modules (HTTP clients, drivers).
  ['api', async () => (await import('./api-bench.js')).benchApi()],
  ['replay', async () => (await import('./replay-bench.js')).benchReplay()],
  ['publish', async () => (await import('./publish-bench.js')).benchPublish()],
];

console.log(`canvass bench — node ${process.version}, ${(await import('node:os')).cpus().length} cores, ${new Date().toISOString()}`);
for (const [name, run] of sections) {
  if (!only.has(name)) continue;
  await run();
}
