import { request as httpRequest } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GZIP_FROM_BYTES } from '../src/http/routes/read-routes.js';
import { protocolFor, smallElection, STATIONS } from './support/small-election.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const E = '/api/v1/elections/test-2026';

/** A GET as a CDN or a browser makes it, bytes untouched (fetch would decompress them). */
function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    httpRequest(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, headers: response.headers, bytes: Buffer.concat(chunks) });
      });
    })
      .on('error', reject)
      .end();
  });
}

describe('the public read path', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer('sqlite', smallElection());
    await server.request('POST', `${E}/protocols`, {
      as: 'country',
      body: protocolFor(STATIONS[0], { a: 100, b: 200, c: 50, 'against-all': 7 }),
    });
  });
  afterAll(() => server.close());

  it('gzips a large answer once per version, under its own ETag, and revalidates it', async () => {
    const plain = await get(`${server.url}${E}/divisions/c`);
    expect(plain.status).toBe(200);
    expect(plain.bytes.length).toBeGreaterThanOrEqual(GZIP_FROM_BYTES);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['vary']).toBe('accept-encoding');

    const zipped = await get(`${server.url}${E}/divisions/c`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['vary']).toBe('accept-encoding');
    expect(zipped.bytes.length).toBeLessThan(plain.bytes.length);
    expect(gunzipSync(zipped.bytes).equals(plain.bytes)).toBe(true);
    const etag = String(zipped.headers['etag']);
    expect(etag).toBe(`${String(plain.headers['etag']).slice(0, -1)}.gz"`);

    const again = await get(`${server.url}${E}/divisions/c`, { 'accept-encoding': 'gzip', 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.bytes.length).toBe(0);
    // The plain representation's tag does not validate the gzipped one.
    expect(
      (await get(`${server.url}${E}/divisions/c`, { 'accept-encoding': 'gzip', 'if-none-match': String(plain.headers['etag']) })).status,
    ).toBe(200);
  });

  it('sends a small answer as it is, whatever the client accepts', async () => {
    const results = await get(`${server.url}${E}/results/c`, { 'accept-encoding': 'gzip' });
    expect(results.status).toBe(200);
    expect(results.bytes.length).toBeLessThan(GZIP_FROM_BYTES);
    expect(results.headers['content-encoding']).toBeUndefined();
    // The same bytes for every client: nothing for a cache to vary on.
    expect(results.headers['vary']).toBeUndefined();
    expect(JSON.parse(results.bytes.toString('utf8')).contests[0].stations.reported).toBe(1);
  });

  it('shows a new version at once after a write', async () => {
    const before = await get(`${server.url}${E}/results/c`);
    await server.request('POST', `${E}/protocols`, {
      as: 'country',
      body: protocolFor(STATIONS[1], { a: 10, b: 20, c: 5, 'against-all': 0 }),
    });
    const after = await get(`${server.url}${E}/results/c`);
    expect(after.headers['etag']).not.toBe(before.headers['etag']);
    expect(JSON.parse(after.bytes.toString('utf8')).contests[0].stations.reported).toBe(2);
  });
});
