// Sign-in: bearer tokens, cookie sessions with CSRF (double submit), rate limit, bootstrap admin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAdmin } from '../src/people/people-commands.js';
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
    const users = await t.deps.db.selectFrom('users').select('email').execute();
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
    const before = await t.deps.db.selectFrom('claims').select('id').execute();
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

  it('limits password guessing with 429 rate_limited', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 22; i++) {
      codes.push(
        (
          await client(t.app).post('/api/v1/auth/token', {
            email: 'guess@cpor.example',
            password: `x${i}xxxxxx`,
          })
        ).statusCode,
      );
    }
    expect(codes.slice(0, 20).every((c) => c === 401)).toBe(true);
    expect(codes.slice(20)).toEqual([429, 429]);
  });
});
