/**
 * Accounts over the API, for an administrator away from the server's console: disabling an account stops its tokens
 * at once, enabling it again does not bring them back, tokens can be revoked by an administrator or by the account
 * itself. Anyone else is refused before the named account is even looked up, and a refusal changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from './support/databases.js';
import { smallElection } from './support/small-election.js';
import { startTestServer, type AccountKey, type TestServer } from './support/test-server.js';

const turnout = (station: string, participated: number) => ({ election: 'test-2026', station, at: '10:00', participated });

describe.each(DATABASES)('account administration over the API on %s', (kind) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(kind, smallElection());
  });
  afterAll(() => server.close());

  const post = (as: AccountKey | undefined, path: string, body: unknown) =>
    server.request('POST', `/api/v1/users/${path}`, { ...(as ? { as } : {}), body });
  const head = () => server.canvass.projection.head.seq;

  it('refuses everyone but an administrator, whether or not the account exists, and changes nothing', async () => {
    const before = head();
    for (const as of ['cec', 'country', 'r2', 'observer'] as const) {
      for (const name of ['commission-r2', 'no-such-account']) {
        const disabled = await post(as, `${name}/disable`, { reason: 'lost the laptop' });
        expect(disabled.status).toBe(403);
        expect(disabled.body).toMatchObject({ rule: 'role-admin' });
        expect((await post(as, `${name}/enable`, { reason: 'found it again' })).status).toBe(403);
      }
    }
    expect((await post('country', 'commission-r2/revoke-tokens', {})).status).toBe(403);
    expect((await post(undefined, 'commission-r2/disable', { reason: 'lost the laptop' })).status).toBe(401);
    expect(head()).toBe(before);
  });

  it('lists the accounts to an administrator only, with their scope and tokens, never a secret', async () => {
    expect((await server.request('GET', '/api/v1/users')).status).toBe(401);
    for (const as of ['cec', 'country', 'observer'] as const)
      expect((await server.request('GET', '/api/v1/users', { as })).status).toBe(403);
    const list = await server.request('GET', '/api/v1/users', { as: 'admin' });
    expect(list.status).toBe(200);
    expect(list.headers.get('cache-control')).toBe('no-store');
    const names = (list.body.users as { name: string }[]).map((u) => u.name);
    expect(names).toEqual([...names].sort());
    expect(list.body.users).toContainEqual({
      name: 'commission-r2',
      role: 'commission',
      election: 'test-2026',
      division: 'r2',
      disabled: false,
      tokens: { active: 1, revoked: 0 },
    });
    const text = JSON.stringify(list.body);
    for (const token of Object.values(server.tokens)) expect(text).not.toContain(token.split('.')[1]);
  });

  it('names the field and the rule of a bad request, and the account that does not exist', async () => {
    const before = head();
    const noReason = await post('admin', 'commission-r2/disable', {});
    expect(noReason.status).toBe(422);
    expect(noReason.body).toMatchObject({ field: 'reason' });
    const unknown = await post('admin', 'no-such-account/disable', { reason: 'lost the laptop' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ rule: 'user-exists', field: 'name' });
    const unknownToken = await post('admin', 'commission-r2/revoke-tokens', { token: 'nope' });
    expect(unknownToken.status).toBe(404);
    expect(unknownToken.body).toMatchObject({ rule: 'token-exists' });
    // Disabling oneself would leave an administrator only the server's console to get back in.
    const self = await post('admin', 'admin/disable', { reason: 'testing what happens' });
    expect(self.status).toBe(409);
    expect(self.body).toMatchObject({ rule: 'account-self' });
    expect(head()).toBe(before);
  });

  it('disables an account: its token stops working at once; enabled again, the old token stays revoked', async () => {
    expect((await server.request('POST', '/api/v1/elections/test-2026/turnout', { as: 'r2', body: turnout('r2-d1-s1', 50) })).status).toBe(
      201,
    );
    const before = head();
    const disabled = await post('admin', 'commission-r2/disable', { reason: 'the token was photographed on a screen' });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toEqual({ disabled: 'commission-r2' });
    expect(head()).toBe(before + 1);
    const refused = await server.request('POST', '/api/v1/elections/test-2026/turnout', { as: 'r2', body: turnout('r2-d1-s1', 60) });
    expect(refused.status).toBe(401);
    // Disabling again records nothing.
    expect((await post('admin', 'commission-r2/disable', { reason: 'still disabled' })).status).toBe(200);
    expect(head()).toBe(before + 1);

    const listed = await server.request('GET', '/api/v1/users', { as: 'admin' });
    expect((listed.body.users as { name: string }[]).find((u) => u.name === 'commission-r2')).toMatchObject({
      disabled: true,
      tokens: { active: 0, revoked: 1 },
    });

    const enabled = await post('admin', 'commission-r2/enable', { reason: 'a new token is issued in person' });
    expect(enabled.status).toBe(200);
    expect(enabled.body).toEqual({ enabled: 'commission-r2' });
    expect(head()).toBe(before + 2);
    expect((await server.request('POST', '/api/v1/elections/test-2026/turnout', { as: 'r2', body: turnout('r2-d1-s1', 60) })).status).toBe(
      401,
    );
  });

  it('lets an account revoke its own tokens, after which they are refused', async () => {
    const before = head();
    const revoked = await post('observerR2', 'observer-r2/revoke-tokens', {});
    expect(revoked.status).toBe(200);
    expect(revoked.body).toEqual({ revoked: 1 });
    expect(head()).toBe(before + 1);
    expect((await post('observerR2', 'observer-r2/revoke-tokens', {})).status).toBe(401);
  });

  it('lets an administrator revoke one token of another account by its id', async () => {
    const id = /^cvt_([^.]+)\./.exec(server.tokens.r1)?.[1] ?? '';
    expect(id).not.toBe('');
    const revoked = await post('admin', 'commission-r1/revoke-tokens', { token: id });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toEqual({ revoked: 1 });
    expect((await server.request('POST', '/api/v1/elections/test-2026/turnout', { as: 'r1', body: turnout('r1-d1-s1', 70) })).status).toBe(
      401,
    );
  });
});
