// Idempotency-Key on every create (api.md): a retry gets the first answer and creates
// nothing; the key is written in the create's own transaction (issue 11 point 3).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, dbTargets, m365Claim, seedWorld, testApp, type TestApp, type World } from './harness.js';

describe.each(dbTargets())('Idempotency-Key on %s', (target) => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await testApp(target);
    w = await seedWorld(t);
  });
  afterAll(async () => t?.close());

  it('a retried user, organization and claim create answers the first result and creates once', async () => {
    const admin = client(t.app, w.tokens.admin);
    const partner = client(t.app, w.tokens.partnerA);
    const cases = [
      {
        c: admin,
        path: '/api/v1/users',
        body: { email: 'twice@a.example', name: 'Twice', password: 'a-long-password-9', roles: ['reviewer'] },
      },
      {
        c: admin,
        path: '/api/v1/organizations',
        body: { name: 'Twice Partners', locations: [{ mpnId: '7654321', name: 'Porto' }] },
      },
      { c: partner, path: '/api/v1/claims', body: m365Claim({ name: 'Twice' }) },
    ];
    for (const { c, path, body } of cases) {
      const first = await c.post(path, body, { 'idempotency-key': `k-${path}` });
      expect(first.statusCode, first.body).toBe(201);
      const again = await c.post(path, body, { 'idempotency-key': `k-${path}` });
      expect(again.statusCode, again.body).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.json<{ id: string }>().id).toBe(first.json<{ id: string }>().id);
      // The key's record names what the create made, written with it.
      const { rows } = await sql<{ resource_id: string | null }>`
        SELECT resource_id FROM idempotency_keys WHERE key = ${`k-${path}`}`.execute(t.database.db);
      expect(rows).toEqual([{ resource_id: first.json<{ id: string }>().id }]);
    }
  });

  it('a replayed claim create carries the ETag of the claim it answers with', async () => {
    const partner = client(t.app, w.tokens.partnerA);
    const body = m365Claim({ name: 'With its ETag' });
    const first = await partner.post('/api/v1/claims', body, { 'idempotency-key': 'k-etag' });
    expect(first.statusCode).toBe(201);
    expect(first.headers.etag).toBe(`"${first.json<{ version: number }>().version}"`);
    const again = await partner.post('/api/v1/claims', body, { 'idempotency-key': 'k-etag' });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers.etag).toBe(first.headers.etag);
  });

  it('a retried location and holiday create answers the first result and creates once', async () => {
    const admin = client(t.app, w.tokens.admin);
    const locations = `/api/v1/organizations/${w.orgB.id}/locations`;
    const location = { mpnId: '2345699', name: 'Valencia' };
    const first = await admin.post(locations, location, { 'idempotency-key': 'k-location' });
    expect(first.statusCode, first.body).toBe(201);
    const again = await admin.post(locations, location, { 'idempotency-key': 'k-location' });
    expect(again.statusCode, again.body).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    const org = (await admin.get(`/api/v1/organizations/${w.orgB.id}`)).json<{ locations: unknown[] }>();
    expect(org.locations.filter((l) => (l as { mpnId: string }).mpnId === '2345699')).toHaveLength(1);
    // Without a key, the same location again is refused: the replay above created nothing.
    expect((await admin.post(locations, location)).statusCode).toBe(422);

    const holiday = { date: '2031-12-26', name: 'Boxing Day' };
    const h1 = await admin.post('/api/v1/holidays', holiday, { 'idempotency-key': 'k-holiday' });
    expect(h1.statusCode, h1.body).toBe(201);
    const h2 = await admin.post('/api/v1/holidays', holiday, { 'idempotency-key': 'k-holiday' });
    expect(h2.statusCode).toBe(201);
    expect(h2.headers['idempotent-replayed']).toBe('true');
    expect(h2.json()).toEqual(holiday);
    const renamed = { ...holiday, name: 'St Stephen' };
    const reused = await admin.post('/api/v1/holidays', renamed, { 'idempotency-key': 'k-holiday' });
    expect(reused.statusCode).toBe(422);
    expect(reused.json()).toMatchObject({ code: 'idempotency_key_reused' });
    // A rename with a key of its own answers 200, and so does its replay.
    const r1 = await admin.post('/api/v1/holidays', renamed, { 'idempotency-key': 'k-rename' });
    const r2 = await admin.post('/api/v1/holidays', renamed, { 'idempotency-key': 'k-rename' });
    expect([r1.statusCode, r2.statusCode]).toEqual([200, 200]);
    const days = (await admin.get('/api/v1/holidays')).json<{ items: { date: string; name: string }[] }>();
    expect(days.items.filter((d) => d.date === holiday.date)).toEqual([renamed]);
  });

  it('a refused create leaves no key behind: its retry, corrected, runs', async () => {
    const partner = client(t.app, w.tokens.partnerA);
    const bad = await partner.post('/api/v1/claims', m365Claim({ mpnId: '9999999' }), {
      'idempotency-key': 'k-bad',
    });
    expect(bad.statusCode).toBe(422);
    const { rows } = await sql`SELECT 1 FROM idempotency_keys WHERE key = 'k-bad'`.execute(t.database.db);
    expect(rows).toEqual([]);
    const other = await partner.post('/api/v1/claims', m365Claim({ name: 'Fixed' }), {
      'idempotency-key': 'k-bad',
    });
    expect(other.statusCode).toBe(201);
  });
});
