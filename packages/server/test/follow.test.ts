import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Canvass } from '../src/services/canvass.js';
import { DATABASES } from './support/databases.js';
import { protocolFor, smallElection } from './support/small-election.js';
import { startTestServer, type TestServer } from './support/test-server.js';

/**
 * A running server follows what other processes append to its ledger — on PostgreSQL through LISTEN/NOTIFY, on
 * SQLite by reading the head — so a commission account added with `canvass user add` on election day works without
 * a restart, and a token revoked with `canvass user revoke` (a lost laptop) stops working without one.
 */
const E = '/api/v1/elections/test-2026';

describe.each(DATABASES)('a server on %s follows accounts added, disabled and enabled, and tokens revoked by another process', (kind) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(kind, smallElection(), { accounts: false });
  });
  afterAll(async () => {
    await server.close();
  });

  it('accepts the new account\u2019s token within a second, and refuses it within a second of its revocation', async () => {
    // Another process, as `canvass user add --token` is: its own store, no following.
    const cli = await Canvass.open({ db: server.db.location, dataDir: server.db.dir });
    const added = await cli.addUser(
      { id: 'system', role: 'system' },
      { name: 'late-clerk', role: 'commission', election: 'test-2026', division: 'r1', token: true },
    );
    await cli.close();
    if (!added.ok) throw new Error(added.error.message);
    const token = added.value.token ?? '';
    const enter = () =>
      fetch(`${server.url}${E}/turnout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ election: 'test-2026', station: 'r1-d1-s1', at: '10:00', participated: 100 }),
      });
    const started = Date.now();
    let status = (await enter()).status;
    while (status === 401 && Date.now() - started < 1000) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      status = (await enter()).status;
    }
    expect(status).toBe(201);
    expect(Date.now() - started).toBeLessThan(1000);
    // And what it wrote follows the other process's events in one chain.
    const entered = await fetch(`${server.url}${E}/protocols`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(protocolFor('r1-d1-s1', { a: 10, b: 20, c: 30, 'against-all': 5 })),
    });
    expect(entered.status).toBe(201);
    expect(server.canvass.writer.stats.stale).toBe(0);

    // Revoked by another process (`canvass user revoke`): refused within a second, though this server has the
    // token's row cached; a restart replays the revocation from the ledger.
    const revoker = await Canvass.open({ db: server.db.location, dataDir: server.db.dir });
    const revoked = await revoker.revokeTokens({ id: 'system', role: 'system' }, 'late-clerk');
    const again = await revoker.revokeTokens({ id: 'system', role: 'system' }, 'late-clerk');
    await revoker.close();
    expect(revoked).toEqual({ ok: true, value: { revoked: 1 } });
    expect(again).toEqual({ ok: true, value: { revoked: 0 } });
    const revokedAt = Date.now();
    // A write sent right after the revocation is refused even if this server authenticated it before it heard of the
    // revocation: the command cannot commit without being decided after every earlier event, the revocation included.
    const right = await enter();
    expect([401, 403]).toContain(right.status);
    // 401 when authentication already knew; 403 when only the decision did.
    if (right.status === 403) expect(((await right.json()) as { rule?: string }).rule).toBe('token-revoked');
    status = right.status;
    while (status !== 401 && Date.now() - revokedAt < 1000) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      status = (await enter()).status;
    }
    expect(status).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThan(1000);
    const restarted = await Canvass.open({ db: server.db.location, dataDir: server.db.dir });
    try {
      expect(await restarted.auth.userForToken(token)).toBeUndefined();
      expect([...restarted.projection.tokens.values()].filter((t) => t.revoked)).toHaveLength(1);
    } finally {
      await restarted.close();
    }
  });

  it('shuts a disabled account out of its sessions, tokens and sign-in within a second, refuses its next write, and lets it back in without them', async () => {
    const cli = await Canvass.open({ db: server.db.location, dataDir: server.db.dir });
    const added = await cli.addUser(
      { id: 'system', role: 'system' },
      { name: 'lost-laptop', role: 'commission', election: 'test-2026', division: 'r1', password: 'correct horse battery', token: true },
    );
    await cli.close();
    if (!added.ok) throw new Error(added.error.message);
    const token = added.value.token ?? '';
    const signIn = () =>
      fetch(`${server.url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'lost-laptop', password: 'correct horse battery' }),
      });
    const report = (participated: number) => JSON.stringify({ election: 'test-2026', station: 'r1-d2-s1', at: '10:00', participated });
    const byToken = (participated: number) =>
      fetch(`${server.url}${E}/turnout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: report(participated),
      });
    const bySession = (participated: number) =>
      fetch(`${server.url}${E}/turnout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
        body: report(participated),
      });
    // Wait on the token (no rate limit) until this server knows the account, then sign in once: failed sign-ins count
    // towards the lock-out.
    let first = await byToken(10);
    for (const started = Date.now(); first.status === 401 && Date.now() - started < 1000; first = await byToken(10))
      await new Promise((resolve) => setTimeout(resolve, 25));
    expect(first.status).toBe(201);
    const signedIn = await signIn();
    expect(signedIn.status).toBe(200);
    const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const csrf = ((await signedIn.json()) as { csrfToken: string }).csrfToken;
    expect((await bySession(11)).status).toBe(201);

    const admin = await Canvass.open({ db: server.db.location, dataDir: server.db.dir });
    const disabled = await admin.disableUser({ id: 'system', role: 'system' }, 'lost-laptop', 'laptop lost at the station');
    const noReason = await admin.disableUser({ id: 'system', role: 'system' }, 'lost-laptop', ' ');
    await admin.close();
    expect(disabled).toEqual({ ok: true, value: { disabled: 'lost-laptop' } });
    expect(noReason.ok ? 'accepted' : noReason.error).toMatchObject({ kind: 'invalid', field: 'reason', rule: 'disable-reason' });

    // Right away: refused, whether authentication or only the decision already knows.
    for (const right of [await byToken(12), await bySession(13)]) {
      expect([401, 403]).toContain(right.status);
      if (right.status === 403) expect(((await right.json()) as { rule?: string }).rule).toBe('account-disabled');
    }
    // Within a second: neither the token nor the session authenticates; then a new sign-in fails too.
    const started = Date.now();
    const shutOut = async () => [(await byToken(14)).status, (await bySession(15)).status];
    let statuses = await shutOut();
    while (statuses.join() !== '401,401' && Date.now() - started < 1000) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      statuses = await shutOut();
    }
    expect(statuses).toEqual([401, 401]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await signIn()).status).toBe(401);

    // Enabled again (the laptop was found): sign-in works within a second, but the token and the session from before
    // stay dead (whoever held the laptop may have copied them); a new token works.
    const again = await Canvass.open({ db: server.db.location, dataDir: server.db.dir });
    const enabled = await again.enableUser({ id: 'system', role: 'system' }, 'lost-laptop', 'laptop found and wiped');
    const enabledTwice = await again.enableUser({ id: 'system', role: 'system' }, 'lost-laptop', 'laptop found and wiped');
    const noEnableReason = await again.enableUser({ id: 'system', role: 'system' }, 'lost-laptop', 'ok');
    const issued = await again.issueToken({ id: 'system', role: 'system' }, 'lost-laptop');
    await again.close();
    expect(enabled).toEqual({ ok: true, value: { enabled: 'lost-laptop' } });
    expect(enabledTwice).toEqual({ ok: true, value: { enabled: 'lost-laptop' } });
    expect(noEnableReason.ok ? 'accepted' : noEnableReason.error).toMatchObject({
      kind: 'invalid',
      field: 'reason',
      rule: 'enable-reason',
    });
    if (!issued.ok) throw new Error(issued.error.message);
    const enabledAt = Date.now();
    let signedInAgain = await signIn();
    while (signedInAgain.status === 401 && Date.now() - enabledAt < 1000) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      signedInAgain = await signIn();
    }
    expect(signedInAgain.status).toBe(200);
    expect(Date.now() - enabledAt).toBeLessThan(1000);
    expect([(await byToken(16)).status, (await bySession(17)).status]).toEqual([401, 401]);
    const newToken = await fetch(`${server.url}${E}/turnout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${issued.value}` },
      body: report(18),
    });
    expect(newToken.status).toBe(201);
    const newCookie = (signedInAgain.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const newCsrf = ((await signedInAgain.json()) as { csrfToken: string }).csrfToken;
    const newSession = await fetch(`${server.url}${E}/turnout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: newCookie, 'x-csrf-token': newCsrf },
      body: report(19),
    });
    expect(newSession.status).toBe(201);

    // The same from the ledger alone: a process started now agrees.
    const replayed = await Canvass.open({ db: server.db.location, dataDir: server.db.dir });
    try {
      const id = replayed.projection.usersByName.get('lost-laptop')?.id ?? '';
      expect(replayed.projection.disabledUsers.has(id)).toBe(false);
      // The rows agree: the old token marked revoked, the old session deleted, with the disabling.
      const tokenRows = await replayed.store.db.selectFrom('tokens').select(['id', 'revoked_at']).where('user_id', '=', id).execute();
      expect(tokenRows.map((row) => row.revoked_at === null).sort()).toEqual([false, true]);
      const sessionRows = await replayed.store.db.selectFrom('sessions').select('user_id').where('user_id', '=', id).execute();
      expect(sessionRows).toHaveLength(1);
      expect([...replayed.projection.tokens.values()].filter((t) => t.user === id).map((t) => t.revoked)).toEqual([true, false]);
      expect(replayed.auth.tokenUserCached(token)).toBeUndefined();
      expect(await replayed.auth.session(decodeURIComponent(cookie.split('=')[1] ?? ''))).toBeUndefined();
      expect(await replayed.auth.session(decodeURIComponent(newCookie.split('=')[1] ?? ''))).toMatchObject({
        user: { name: 'lost-laptop' },
      });
    } finally {
      await replayed.close();
    }
  });
});
