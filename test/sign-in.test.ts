// Sign-in: bearer tokens, cookie sessions with CSRF (double submit), the sign-in limits per
// account and per address across both routes, the record of attempts, the bootstrap admin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAdmin, createUser } from '../src/people/people-commands.js';
import { client, dbTargets, seedWorld, testApp, type TestApp } from './harness.js';

describe.each(dbTargets())('sign-in on %s', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(target, {
      env: { CPOR_ADMIN_EMAIL: 'boot@cpor.example', CPOR_ADMIN_PASSWORD: 'boot-password-1' },
    });
  });
  afterAll(async () => t?.close());

  it('creates the bootstrap admin once, from the settings', async () => {
    const logged: string[] = [];
    await bootstrapAdmin(t.deps, (m) => logged.push(m));
    await bootstrapAdmin(t.deps, (m) => logged.push(m));
    const res = await client(t.app).post('/api/v1/auth/token', {
      email: 'boot@cpor.example',
      password: 'boot-password-1',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ user: { email: 'boot@cpor.example', roles: ['platform_admin'] } });
    expect(logged).toEqual([]);
    const users = await t.database.db.selectFrom('users').select('email').execute();
    expect(users.map((u) => u.email)).toEqual(['boot@cpor.example']);
  });

  it('refuses a wrong password with 401 problem+json', async () => {
    const res = await client(t.app).post('/api/v1/auth/token', {
      email: 'boot@cpor.example',
      password: 'nope-nope',
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'unauthenticated' });
  });

  it('needs the CSRF header on cookie writes, and logs out', async () => {
    await seedWorld(t);
    const login = await client(t.app).post('/api/v1/auth/login', {
      email: 'global@a.example',
      password: 'test-password-1',
    });
    expect(login.statusCode).toBe(200);
    const cookies = Object.fromEntries(login.cookies.map((c) => [c.name, c.value]));
    const session = login.cookies.find((c) => c.name === 'cpor_session');
    expect(session?.httpOnly).toBe(true);
    const cookie = `cpor_session=${cookies.cpor_session}; cpor_csrf=${cookies.cpor_csrf}`;
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(me.json()).toMatchObject({
      email: 'global@a.example',
      organization: { name: 'Contoso Partners' },
    });
    const body = { name: 'draft by cookie' };
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/v1/claims',
      headers: { cookie },
      payload: body,
    });
    expect(noCsrf.statusCode).toBe(403);
    const before = await t.database.db.selectFrom('claims').select('id').execute();
    expect(before).toHaveLength(0);
    const withCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/v1/claims',
      headers: { cookie, 'x-csrf-token': cookies.cpor_csrf ?? '' },
      payload: body,
    });
    expect(withCsrf.statusCode).toBe(201);
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie, 'x-csrf-token': cookies.cpor_csrf ?? '' },
    });
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(after.statusCode).toBe(401);
  });

  const attempt = (
    route: 'token' | 'login',
    email: string,
    password: string,
    headers: Record<string, string> = {},
    remoteAddress = '127.0.0.1',
  ) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/auth/${route}`,
      payload: { email, password },
      headers,
      remoteAddress,
    });
  const audit = async (query: string) =>
    (await client(t.app, adminToken).get(`/api/v1/audit/sign-ins?${query}`)).json<{
      items: { email: string; address: string; userAgent: string | null; outcome: string; route: string }[];
      nextCursor: string | null;
    }>();
  let adminToken = '';

  it('10 failures on one account across both sign-in routes throttle the right password too, until the window passes (issue 10 point 4)', async () => {
    adminToken = (await attempt('token', 'admin@test.example', 'test-password-1')).json<{ token: string }>()
      .token;
    await createUser(t.deps, null, {
      email: 'target@a.example',
      name: 'Target',
      password: 'right-password-1',
      roles: ['reader'],
      organizationId: (await t.database.db.selectFrom('organizations').select('id').executeTakeFirstOrThrow())
        .id,
    });
    for (let i = 0; i < 10; i++) {
      const res = await attempt(i % 2 ? 'token' : 'login', 'Target@A.example', `wrong-${i}-password`);
      expect(res.statusCode).toBe(401);
    }
    for (const route of ['token', 'login'] as const) {
      for (const password of ['right-password-1', 'wrong-again-password']) {
        const res = await attempt(route, 'target@a.example', password);
        expect(res.statusCode, `${route} ${password}`).toBe(429);
        expect(res.headers['retry-after']).toBe('900');
        expect(res.json()).toMatchObject({ code: 'rate_limited' });
      }
    }
    // Another account from the same address is not held back.
    expect((await attempt('token', 'reader@a.example', 'test-password-1')).statusCode).toBe(200);
    t.clock.set(new Date(t.clock.now().getTime() + 10 * 60_000));
    expect((await attempt('token', 'target@a.example', 'right-password-1')).headers['retry-after']).toBe(
      '300',
    );
    t.clock.set(new Date(t.clock.now().getTime() + 5 * 60_000 + 1000));
    expect((await attempt('token', 'target@a.example', 'right-password-1')).statusCode).toBe(200);
    const rows = (await audit('email=target@a.example&limit=200')).items;
    expect(rows.map((r) => r.outcome)).toEqual([
      'success',
      'throttled',
      'throttled',
      'throttled',
      'throttled',
      'throttled',
      ...Array(10).fill('wrong_password'),
    ]);
  });

  it('100 failures from one address throttle every account from it; other addresses are not held back (issue 10 point 4)', async () => {
    const from = '203.0.113.7';
    for (let i = 0; i < 100; i++) {
      const res = await attempt(
        i % 2 ? 'token' : 'login',
        `guess${i}@nowhere.example`,
        'not-a-password',
        {},
        from,
      );
      expect(res.statusCode).toBe(401);
    }
    const held = await attempt('token', 'reader@a.example', 'test-password-1', {}, from);
    expect(held.statusCode).toBe(429);
    expect(Number(held.headers['retry-after'])).toBeGreaterThan(0);
    expect(
      (await attempt('token', 'reader@a.example', 'test-password-1', {}, '203.0.113.8')).statusCode,
    ).toBe(200);
    const unknown = (await audit(`address=${from}&outcome=unknown_account&limit=200`)).items;
    expect(unknown).toHaveLength(100);
  });

  it('attempts sent in parallel cannot slip under the limit (issue 10 point 4)', async () => {
    const codes = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        attempt('token', 'reader@a.example', `parallel-${i}-guess`, {}, '192.0.2.9'),
      ),
    );
    const statuses = codes.map((r) => r.statusCode);
    expect(statuses.filter((c) => c === 401)).toHaveLength(10);
    expect(statuses.filter((c) => c === 429)).toHaveLength(15);
  });

  it('records every attempt: time, email, address, user agent, outcome; for platform admins only, paged (issue 10 point 5)', async () => {
    await attempt(
      'login',
      'Someone@Audit.example',
      'whatever-it-is',
      { 'user-agent': 'probe/1.0' },
      '198.51.100.4',
    );
    const page = await audit('address=198.51.100.4');
    expect(page.items).toEqual([
      expect.objectContaining({
        email: 'someone@audit.example',
        address: '198.51.100.4',
        userAgent: 'probe/1.0',
        route: 'login',
        outcome: 'unknown_account',
        at: t.clock.now().toISOString(),
      }),
    ]);
    const first = await audit('limit=2');
    expect(first.items).toHaveLength(2);
    const next = await audit(`limit=2&cursor=${first.nextCursor}`);
    expect(next.items).toHaveLength(2);
    expect(next.items[0]).not.toEqual(first.items[0]);
    expect((await client(t.app, adminToken).get('/api/v1/audit/sign-ins?cursor=abc')).statusCode).toBe(422);
    // (reader@a.example is held back by the test above.)
    const reader = (await attempt('token', 'billing@a.example', 'test-password-1')).json<{ token: string }>()
      .token;
    expect((await client(t.app, reader).get('/api/v1/audit/sign-ins')).statusCode).toBe(403);
    expect((await client(t.app).get('/api/v1/audit/sign-ins')).statusCode).toBe(401);
    // Nobody edits the record, not even the program's own database user.
    await expect(t.database.db.deleteFrom('sign_in_attempts').execute()).rejects.toThrow(/append-only/);
    await expect(
      t.database.db.updateTable('sign_in_attempts').set({ outcome: 'success' }).execute(),
    ).rejects.toThrow(/append-only/);
  });

  it('takes the client address from X-Forwarded-For only behind a proxy CPOR_TRUST_PROXY names (issue 10 point 4)', async () => {
    const xff = { 'x-forwarded-for': '198.51.100.77' };
    await attempt('token', 'proxied@a.example', 'some-password-1', xff, '127.0.0.1');
    expect((await audit('email=proxied@a.example')).items[0]).toMatchObject({ address: '127.0.0.1' });
    const behind = await testApp(target, { env: { CPOR_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' } });
    try {
      for (const remoteAddress of ['127.0.0.1', '192.0.2.50']) {
        await behind.app.inject({
          method: 'POST',
          url: '/api/v1/auth/token',
          payload: { email: 'proxied@a.example', password: 'some-password-1' },
          headers: xff,
          remoteAddress,
        });
      }
      const rows = await behind.database.db
        .selectFrom('sign_in_attempts')
        .select('address')
        .orderBy('id')
        .execute();
      expect(rows.map((r) => r.address)).toEqual(['198.51.100.77', '192.0.2.50']);
    } finally {
      await behind.close();
    }
  });
});
