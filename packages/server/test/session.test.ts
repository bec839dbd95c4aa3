import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_FAILURE_LIMIT } from '../src/auth/auth-service.js';
import { DATABASES } from './support/databases.js';
import { protocolFor, smallElection } from './support/small-election.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const E = '/api/v1/elections/test-2026';

describe.each(DATABASES)('browser sessions on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, smallElection());
  });
  afterAll(() => server.close());

  const login = (name: string, password: string) => server.request('POST', '/api/v1/session', { body: { name, password } });

  it('signs in with an HttpOnly SameSite=Strict cookie and a CSRF token that writes must echo', async () => {
    const signedIn = await login('commission-r1-d1', 'correct horse battery');
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user).toEqual({
      id: expect.any(String),
      name: 'commission-r1-d1',
      role: 'commission',
      election: 'test-2026',
      division: 'r1-d1',
    });
    const cookie = signedIn.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^canvass_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const session = cookie.split(';')[0] ?? '';

    const me = await server.request('GET', '/api/v1/session', { headers: { cookie: session } });
    expect(me.body).toEqual({ user: signedIn.body.user, csrfToken: signedIn.body.csrfToken });

    const before = server.canvass.projection.head.seq;
    const noCsrf = await server.request('POST', `${E}/protocols`, {
      body: protocolFor('r1-d1-s1', { a: 1, b: 2, c: 3, 'against-all': 4 }),
      headers: { cookie: session },
    });
    expect({ status: noCsrf.status, rule: noCsrf.body.rule }).toEqual({ status: 403, rule: 'csrf' });
    const wrongCsrf = await server.request('POST', `${E}/protocols`, {
      body: protocolFor('r1-d1-s1', { a: 1, b: 2, c: 3, 'against-all': 4 }),
      headers: { cookie: session, 'x-csrf-token': 'guess' },
    });
    expect(wrongCsrf.status).toBe(403);
    expect(server.canvass.projection.head.seq).toBe(before);
    const ok = await server.request('POST', `${E}/protocols`, {
      body: protocolFor('r1-d1-s1', { a: 1, b: 2, c: 3, 'against-all': 4 }),
      headers: { cookie: session, 'x-csrf-token': signedIn.body.csrfToken },
    });
    expect(ok.status).toBe(201);

    expect((await server.request('DELETE', '/api/v1/session', { headers: { cookie: session } })).status).toBe(204);
    expect((await server.request('GET', '/api/v1/session', { headers: { cookie: session } })).status).toBe(401);
  });

  it('refuses a wrong password without saying which part was wrong, and locks the name after repeated failures', async () => {
    const unknown = await login('nobody-here', 'whatever whatever');
    const wrong = await login('observer', 'not the password');
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    for (let i = 1; i < LOGIN_FAILURE_LIMIT; i++) expect((await login('observer', `wrong ${i}`)).status).toBe(401);
    const locked = await login('observer', 'correct horse battery');
    expect({ status: locked.status, rule: locked.body.rule }).toEqual({ status: 429, rule: 'login-rate' });
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Every attempt is recorded.
    const attempts = await server.canvass.store.db
      .selectFrom('login_attempts')
      .select(['name', 'ok'])
      .where('name', '=', 'observer')
      .execute();
    expect(attempts.map((a) => a.ok)).toEqual(new Array<number>(LOGIN_FAILURE_LIMIT + 1).fill(0));
  });

  it('describes the API in an OpenAPI document at /api/docs', async () => {
    const docs = await server.request('GET', '/api/docs');
    expect(docs.status).toBe(200);
    expect(docs.body.openapi).toBe('3.1.0');
    const paths = Object.keys(docs.body.paths as Record<string, unknown>);
    for (const path of [
      '/api/v1/elections/{election}/protocols',
      '/api/v1/elections/{election}/turnout',
      '/api/v1/elections/{election}/protocols/{station}/{contest}/accept',
      '/api/v1/elections/{election}/results/{division}',
      '/api/v1/elections/{election}/stations/{station}',
      '/api/v1/elections/{election}/events',
      '/api/v1/elections/{election}/exit-polls',
      '/api/v1/elections/{election}/status',
      '/api/v1/users/{name}/disable',
      '/api/v1/users/{name}/revoke-tokens',
    ])
      expect(paths).toContain(path);
    expect(docs.body.paths['/api/v1/elections/{election}/protocols'].post.requestBody.content['application/json'].schema.required).toEqual([
      'election',
      'contest',
      'station',
      'lines',
      'votes',
    ]);
    // Large bodies go out gzipped; the small hot answers do not.
    expect((await server.request('GET', '/api/docs', { headers: { 'accept-encoding': 'gzip' } })).headers.get('content-encoding')).toBe(
      'gzip',
    );
    expect(
      (await server.request('GET', '/api/v1/health', { headers: { 'accept-encoding': 'gzip' } })).headers.get('content-encoding'),
    ).toBeNull();
  });

  it('stores only hashes of passwords, tokens and session ids', async () => {
    const users = await server.canvass.store.db.selectFrom('users').select(['name', 'password_hash']).execute();
    for (const user of users) expect(user.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    const tokens = await server.canvass.store.db.selectFrom('tokens').select(['token_hash']).execute();
    for (const token of tokens) expect(Object.values(server.tokens).some((t) => t.includes(token.token_hash))).toBe(false);
  });
});
