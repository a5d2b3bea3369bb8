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
        SELECT resource_id FROM idempotency_keys WHERE key = ${`k-${path}`}`.execute(t.deps.db);
      expect(rows).toEqual([{ resource_id: first.json<{ id: string }>().id }]);
    }
  });

  it('a refused create leaves no key behind: its retry, corrected, runs', async () => {
    const partner = client(t.app, w.tokens.partnerA);
    const bad = await partner.post('/api/v1/claims', m365Claim({ mpnId: '9999999' }), {
      'idempotency-key': 'k-bad',
    });
    expect(bad.statusCode).toBe(422);
    const { rows } = await sql`SELECT 1 FROM idempotency_keys WHERE key = 'k-bad'`.execute(t.deps.db);
    expect(rows).toEqual([]);
    const other = await partner.post('/api/v1/claims', m365Claim({ name: 'Fixed' }), {
      'idempotency-key': 'k-bad',
    });
    expect(other.statusCode).toBe(201);
  });
});
