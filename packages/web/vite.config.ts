import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [preact()],
  resolve: {
    // The site runs the core's protocol checks in the browser, from the same sources the server runs.
    alias: { '@canvass/core': fileURLToPath(new URL('../core/src/index.ts', import.meta.url)) },
  },
  build: {
    target: 'es2022',
    // The first view's JavaScript budget is measured from this report (and by the browser tests).
    reportCompressedSize: true,
    chunkSizeWarningLimit: 300,
  },
  server: {
    // `npm run dev -w @canvass/web` next to `canvass demo` (port 8080): the API, the stream and sessions go through.
    proxy: { '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false } },
  },
});
