import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Tests run against the sources, so a test never sees a stale build of the core.
    alias: { '@canvass/core': fileURLToPath(new URL('./packages/core/src/index.ts', import.meta.url)) },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Election-day timestamps are a classic bug: run under a zone far from both UTC and Astana.
    env: { TZ: 'America/St_Johns' },
  },
});
