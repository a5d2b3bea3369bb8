// Issue 10 points 1, 2, 3 and 6 (api.md "Bootstrap and people", "Test clock"): tokens that
// expire, are listed and revoked; the password change that ends every other credential; the
// password that must be changed first; disabled users; the test clock for platform admins
// only. Through the HTTP API, on PGlite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClockRoutes } from '../src/deadlines/test-clock-routes.js';
import { bootstrapAdmin, createUser } from '../src/people/people-commands.js';
import { client, dbTargets, seedWorld, testApp, type TestApp, type World } from './harness.js';

const password = 'test-password-1';
const day = 86_400_000;

describe.each(dbTargets())('accounts and credentials on %s', (target) => {
  let t: TestApp;
  let w: World;
  const as = (token: string) => client(t.app, token);
  const tokenFor = async (email: string, pw = password, extra: Record<string, unknown> = {}) => {
    const res = await client(t.app).post('/api/v1/auth/token', { email, password: pw, ...extra });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ token: string; id: string; expiresAt: string; user: { id: string } }>();
  };
  const sessionFor = async (email: string, pw = password) => {
    const res = await client(t.app).post('/api/v1/auth/login', { email, password: pw });
    expect(res.statusCode, res.body).toBe(200);
    const c = Object.fromEntries(res.cookies.map((x) => [x.name, x.value]));
    return `cpor_session=${c.cpor_session}; cpor_csrf=${c.cpor_csrf}`;
  };
  const meBySession = (cookie: string) =>
    t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
  const makeUser = async (email: string, extra: { mustChangePassword?: boolean } = {}) =>
    createUser(t.deps, null, {
      email,
      name: email,
      password,
      roles: ['global_admin'],
      organizationId: w.orgA.id,
      ...extra,
    });

  beforeAll(async () => {
    t = await testApp(target, { app: { plugins: [testClockRoutes] } });
    w = await seedWorld(t);
  });
  afterAll(async () => t?.close());

  describe('tokens (issue 10 point 1)', () => {
    it('a token carries an id, a name and expires in 90 days unless asked; never more than 365', async () => {
      const now = t.clock.now().getTime();
      const plain = await tokenFor('global@a.example');
      expect(new Date(plain.expiresAt).getTime()).toBe(now + 90 * day);
      const named = await tokenFor('global@a.example', password, { name: 'CI export', expiresInDays: 365 });
      expect(new Date(named.expiresAt).getTime()).toBe(now + 365 * day);
      expect(named).toMatchObject({ name: 'CI export', user: { email: 'global@a.example' } });
      for (const expiresInDays of [366, 0, 1.5]) {
        const res = await client(t.app).post('/api/v1/auth/token', {
          email: 'global@a.example',
          password,
          expiresInDays,
        });
        expect(res.statusCode).toBe(422);
        expect(res.json()).toMatchObject({ code: 'validation_failed', errors: [{ path: 'expiresInDays' }] });
      }
      // The database refuses a longer life whatever the code says.
      await expect(
        t.database.db
          .insertInto('api_tokens')
          .values({
            id: 'forged',
            token_hash: 'forged',
            user_id: (await t.database.db.selectFrom('users').select('id').executeTakeFirstOrThrow()).id,
            created_at: new Date(now),
            expires_at: new Date(now + 400 * day),
            credential_epoch: 0,
          })
          .execute(),
      ).rejects.toThrow(/api_tokens_lifetime/);
    });

    it('lists the caller’s own live tokens by id with lastUsedAt, never the secret; pages', async () => {
      await makeUser('lister@a.example');
      const a = await tokenFor('lister@a.example', password, { name: 'first' });
      const b = await tokenFor('lister@a.example', password, { name: 'second' });
      expect((await as(a.token).get('/api/v1/claims')).statusCode).toBe(200);
      const res = await as(b.token).get('/api/v1/auth/tokens');
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain(a.token);
      expect(res.body).not.toContain(b.token);
      const items = res.json<{ items: { id: string; name: string; lastUsedAt: string | null }[] }>().items;
      expect(items.map((i) => i.id).sort()).toEqual([a.id, b.id].sort());
      expect(Object.keys(items[0] ?? {}).sort()).toEqual([
        'createdAt',
        'expiresAt',
        'id',
        'lastUsedAt',
        'name',
      ]);
      expect(items.find((i) => i.id === a.id)?.lastUsedAt).toBe(t.clock.now().toISOString());
      // Another user sees none of them.
      const other = await as(w.tokens.partnerB).get('/api/v1/auth/tokens');
      expect(other.json<{ items: { id: string }[] }>().items.map((i) => i.id)).not.toContain(a.id);
      // Pages of one.
      const first = await as(b.token).get('/api/v1/auth/tokens?limit=1');
      const page1 = first.json<{ items: { id: string }[]; nextCursor: string }>();
      expect(page1.items).toHaveLength(1);
      const second = await as(b.token).get(`/api/v1/auth/tokens?limit=1&cursor=${page1.nextCursor}`);
      const page2 = second.json<{ items: { id: string }[]; nextCursor: string | null }>();
      expect([...page1.items, ...page2.items].map((i) => i.id).sort()).toEqual([a.id, b.id].sort());
      expect(page2.nextCursor).toBeNull();
    });

    it('a revoked token gets 401 at once; another user’s token cannot be revoked (404) and lives on', async () => {
      await makeUser('revoker@a.example');
      const a = await tokenFor('revoker@a.example');
      const b = await tokenFor('revoker@a.example');
      const stranger = await tokenFor('incentives@b.example');
      expect((await as(a.token).delete(`/api/v1/auth/tokens/${stranger.id}`)).statusCode).toBe(404);
      expect((await as(stranger.token).get('/api/v1/me')).statusCode).toBe(200);
      expect((await as(b.token).delete(`/api/v1/auth/tokens/${a.id}`)).statusCode).toBe(204);
      const after = await as(a.token).get('/api/v1/me');
      expect(after.statusCode).toBe(401);
      expect(after.json()).toMatchObject({ code: 'unauthenticated' });
      expect((await as(b.token).delete(`/api/v1/auth/tokens/${a.id}`)).statusCode).toBe(404);
      expect((await as(b.token).get('/api/v1/me')).statusCode).toBe(200);
    });

    it('an expired token gets 401 (the clock passes its expiresAt); an expired session too', async () => {
      await makeUser('expiring@a.example');
      const short = await tokenFor('expiring@a.example', password, { expiresInDays: 1 });
      const long = await tokenFor('expiring@a.example');
      expect((await as(short.token).get('/api/v1/me')).statusCode).toBe(200);
      t.clock.set(new Date(t.clock.now().getTime() + day + 1000));
      expect((await as(short.token).get('/api/v1/me')).statusCode).toBe(401);
      expect((await as(long.token).get('/api/v1/me')).statusCode).toBe(200);
      const cookie = await sessionFor('expiring@a.example');
      expect((await meBySession(cookie)).statusCode).toBe(200);
      // Sessions follow the wall clock: pass it by moving the row's end into the past.
      await t.database.db
        .updateTable('sessions')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('user_id', '=', long.user.id)
        .execute();
      expect((await meBySession(cookie)).statusCode).toBe(401);
    });
  });

  describe('passwords (issue 10 point 2)', () => {
    it('refuses a wrong current password and a weak new one with 422 at the field, changing nothing', async () => {
      await makeUser('weak@a.example');
      const { token } = await tokenFor('weak@a.example');
      const wrong = await as(token).post('/api/v1/auth/password', {
        currentPassword: 'not-the-password',
        newPassword: 'a-much-better-password-2',
      });
      expect(wrong.statusCode).toBe(422);
      expect(wrong.json()).toMatchObject({ errors: [{ path: 'currentPassword' }] });
      for (const newPassword of ['short-1', 'aaaaaaaaaaaaaaaa', 'weak@a.example-1234', password]) {
        const res = await as(token).post('/api/v1/auth/password', { currentPassword: password, newPassword });
        expect(res.statusCode, newPassword).toBe(422);
        expect(res.json()).toMatchObject({ code: 'validation_failed', errors: [{ path: 'newPassword' }] });
      }
      await tokenFor('weak@a.example');
      expect((await as(token).get('/api/v1/me')).statusCode).toBe(200);
    });

    it('a change ends every other session and token of the user; the one that asked lives on', async () => {
      await makeUser('changer@a.example');
      const asking = await tokenFor('changer@a.example');
      const other = await tokenFor('changer@a.example');
      const cookie = await sessionFor('changer@a.example');
      const res = await as(asking.token).post('/api/v1/auth/password', {
        currentPassword: password,
        newPassword: 'a-new-password-2026',
      });
      expect(res.statusCode, res.body).toBe(200);
      expect((await as(other.token).get('/api/v1/me')).statusCode).toBe(401);
      expect((await meBySession(cookie)).statusCode).toBe(401);
      expect((await as(asking.token).get('/api/v1/me')).statusCode).toBe(200);
      const listed = await as(asking.token).get('/api/v1/auth/tokens');
      expect(listed.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toEqual([asking.id]);
      expect(
        (await client(t.app).post('/api/v1/auth/token', { email: 'changer@a.example', password })).statusCode,
      ).toBe(401);
      await tokenFor('changer@a.example', 'a-new-password-2026');
    });

    it('a change from a session keeps that session and ends the tokens', async () => {
      await makeUser('browser@a.example');
      const token = await tokenFor('browser@a.example');
      const cookie = await sessionFor('browser@a.example');
      const csrf = /cpor_csrf=([^;]+)/.exec(cookie)?.[1] ?? '';
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/password',
        headers: { cookie, 'x-csrf-token': csrf },
        payload: { currentPassword: password, newPassword: 'another-secret-2026' },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect((await meBySession(cookie)).statusCode).toBe(200);
      expect((await as(token.token).get('/api/v1/me')).statusCode).toBe(401);
    });

    it('a password that must be changed: every other route answers 403 password_change_required until it is', async () => {
      await makeUser('first@a.example', { mustChangePassword: true });
      const { token } = await tokenFor('first@a.example');
      const claimsBefore = await t.database.db.selectFrom('claims').select('id').execute();
      for (const [method, url] of [
        ['GET', '/api/v1/claims'],
        ['POST', '/api/v1/claims'],
        ['GET', '/api/v1/auth/tokens'],
        ['GET', '/api/v1/catalog'],
      ] as const) {
        const res = await t.app.inject({
          method,
          url,
          headers: { authorization: `Bearer ${token}` },
          payload: {},
        });
        expect(res.statusCode, url).toBe(403);
        expect(res.json()).toMatchObject({ code: 'password_change_required' });
      }
      expect(await t.database.db.selectFrom('claims').select('id').execute()).toEqual(claimsBefore);
      const me = await as(token).get('/api/v1/me');
      expect(me.json()).toMatchObject({ email: 'first@a.example', mustChangePassword: true });
      const changed = await as(token).post('/api/v1/auth/password', {
        currentPassword: password,
        newPassword: 'my-own-secret-2026',
      });
      expect(changed.statusCode, changed.body).toBe(200);
      expect(changed.json()).toMatchObject({ mustChangePassword: false });
      expect((await as(token).get('/api/v1/claims')).statusCode).toBe(200);
    });

    it('the one-time password printed at bootstrap must be changed at the first sign-in', async () => {
      const empty = await testApp(target);
      try {
        const logged: string[] = [];
        await bootstrapAdmin(empty.deps, (m) => logged.push(m));
        const printed = /one-time password (\S+)/.exec(logged.join('\n'))?.[1] ?? '';
        const res = await client(empty.app).post('/api/v1/auth/token', {
          email: 'admin@cpor.localhost',
          password: printed,
        });
        expect(res.statusCode).toBe(200);
        const token = res.json<{ token: string }>().token;
        const users = await client(empty.app, token).get('/api/v1/users');
        expect(users.json()).toMatchObject({ code: 'password_change_required' });
      } finally {
        await empty.close();
      }
    });
  });

  describe('disabled users (issue 10 point 3)', () => {
    it('a disabled user is out on its next request, cannot sign in, and stays out when enabled again', async () => {
      const user = await makeUser('leaver@a.example');
      const { token } = await tokenFor('leaver@a.example');
      const cookie = await sessionFor('leaver@a.example');
      expect(
        (await as(w.tokens.partnerA).patch(`/api/v1/users/${user.id}`, { disabled: true })).statusCode,
      ).toBe(403);
      const res = await as(w.tokens.admin).patch(`/api/v1/users/${user.id}`, { disabled: true });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ disabled: true });
      expect((await as(token).get('/api/v1/me')).statusCode).toBe(401);
      expect((await meBySession(cookie)).statusCode).toBe(401);
      const signIn = await client(t.app).post('/api/v1/auth/token', { email: 'leaver@a.example', password });
      expect(signIn.statusCode).toBe(403);
      expect(signIn.json()).toMatchObject({ code: 'forbidden', detail: 'This account is disabled.' });
      const wrong = await client(t.app).post('/api/v1/auth/token', {
        email: 'leaver@a.example',
        password: 'x'.repeat(12),
      });
      expect(wrong.statusCode).toBe(401);
      const list = await as(w.tokens.admin).get('/api/v1/users');
      expect(list.json<{ items: { email: string; disabled: boolean }[] }>().items).toContainEqual(
        expect.objectContaining({ email: 'leaver@a.example', disabled: true }),
      );
      expect(
        (await as(w.tokens.admin).patch(`/api/v1/users/${user.id}`, { disabled: false })).statusCode,
      ).toBe(200);
      expect((await as(token).get('/api/v1/me')).statusCode).toBe(401);
      await tokenFor('leaver@a.example');
    });

    it('the last enabled platform admin can be neither disabled nor demoted (409), itself or by another', async () => {
      const solo = await testApp(target);
      try {
        const admin = await createUser(solo.deps, null, {
          email: 'solo@cpor.example',
          name: 'Solo',
          password,
          roles: ['platform_admin'],
        });
        const res = await client(solo.app).post('/api/v1/auth/token', {
          email: 'solo@cpor.example',
          password,
        });
        const token = res.json<{ token: string }>().token;
        for (const body of [{ disabled: true }, { roles: ['reviewer'] }]) {
          const refused = await client(solo.app, token).patch(`/api/v1/users/${admin.id}`, body);
          expect(refused.statusCode).toBe(409);
          expect(refused.headers['content-type']).toContain('application/problem+json');
          expect(refused.json()).toMatchObject({ code: 'last_platform_admin' });
        }
        expect((await client(solo.app, token).get('/api/v1/me')).json()).toMatchObject({
          roles: ['platform_admin'],
          disabled: false,
        });
        const second = await createUser(solo.deps, null, {
          email: 'second@cpor.example',
          name: 'Second',
          password,
          roles: ['platform_admin'],
        });
        // Two admins disabling each other at once: one of them stays.
        const other = (
          await client(solo.app).post('/api/v1/auth/token', { email: 'second@cpor.example', password })
        ).json<{ token: string }>().token;
        const both = await Promise.all([
          client(solo.app, token).patch(`/api/v1/users/${second.id}`, { disabled: true }),
          client(solo.app, other).patch(`/api/v1/users/${admin.id}`, { disabled: true }),
        ]);
        // The other is refused: 409 when both ran together, 401 when it came after (its own
        // credentials ended with the disable).
        expect(both.filter((r) => r.statusCode === 200)).toHaveLength(1);
        expect(both.map((r) => r.statusCode).filter((c) => c !== 200)).toEqual([
          expect.toBeOneOf([401, 409]),
        ]);
        const enabled = await solo.database.db
          .selectFrom('users')
          .select('email')
          .where('disabled_at', 'is', null)
          .execute();
        expect(enabled).toHaveLength(1);
      } finally {
        await solo.close();
      }
    });

    it('an admin sets a new password with mustChangePassword: every credential of the user ends', async () => {
      const user = await makeUser('reset@a.example');
      const { token } = await tokenFor('reset@a.example');
      const weak = await as(w.tokens.admin).patch(`/api/v1/users/${user.id}`, { password: 'tooshort' });
      expect(weak.statusCode).toBe(422);
      const res = await as(w.tokens.admin).patch(`/api/v1/users/${user.id}`, {
        password: 'admin-set-password-1',
        mustChangePassword: true,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect((await as(token).get('/api/v1/me')).statusCode).toBe(401);
      const fresh = await tokenFor('reset@a.example', 'admin-set-password-1');
      expect((await as(fresh.token).get('/api/v1/claims')).json()).toMatchObject({
        code: 'password_change_required',
      });
    });
  });

  describe('the test clock (issue 10 point 6)', () => {
    it('answers only a platform admin: 401 anonymous, 403 partner and reviewer', async () => {
      expect((await client(t.app).get('/api/v1/test-clock')).statusCode).toBe(401);
      expect((await client(t.app).post('/api/v1/test-clock/advance', { hours: 1 })).statusCode).toBe(401);
      for (const who of ['partnerA', 'reviewer', 'readerA'] as const) {
        expect((await as(w.tokens[who]).get('/api/v1/test-clock')).statusCode).toBe(403);
        expect((await as(w.tokens[who]).post('/api/v1/test-clock/advance', { hours: 1 })).statusCode).toBe(
          403,
        );
      }
      const before = t.clock.now();
      expect((await as(w.tokens.admin).get('/api/v1/test-clock')).json()).toEqual({
        now: before.toISOString(),
      });
      expect(t.clock.now()).toEqual(before);
      // Everyone signed in learns the server's now from /me (the web UI's relative times).
      expect((await as(w.tokens.readerA).get('/api/v1/me')).json()).toMatchObject({
        now: before.toISOString(),
      });
    });
  });
});
