/**
 * `npm run bench`: prints the figures each issue names, measured on this machine. No assertions: numbers to read and
 * to report. Set CANVASS_BENCH_ONLY=tabulate,api,replay,publish to run a subset.
 */
import { benchApi } from './api-bench.js';
import { benchReplay } from './replay-bench.js';
import { benchTabulation } from './tabulate-bench.js';

const only = new Set((process.env['CANVASS_BENCH_ONLY'] ?? 'tabulate,api,replay,publish').split(','));
const sections: [string, () => unknown][] = [
  [
    'tabulate',
    () => {
      benchTabulation();
    },
  ],
  ['api', () => benchApi()],
  ['replay', () => benchReplay()],
  ['publish', async () => (await import('./publish-bench.js')).benchPublish()],
];

console.log(`canvass bench — node ${process.version}, ${(await import('node:os')).cpus().length} cores, ${new Date().toISOString()}`);
for (const [name, run] of sections) {
  if (!only.has(name)) continue;
  await run();
}
