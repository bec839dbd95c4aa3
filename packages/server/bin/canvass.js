#!/usr/bin/env node
// The `canvass` command. The TypeScript sources are compiled by `npm ci` (the root `prepare` script).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv);
// A command that failed must not leave the process running on something it started (a thread, a pool, a timer).
if (process.exitCode !== 0) setTimeout(() => process.exit(), 2000).unref();
