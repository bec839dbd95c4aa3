#!/usr/bin/env node
// The `canvass` command. The TypeScript sources are compiled by `npm ci` (the root `prepare` script).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv);
