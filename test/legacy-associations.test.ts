// Legacy associations (domain.md R-UNIQ-4, api.md "Legacy associations", issue 9 point 3):
// the platform admin imports them from CSV, all rows or none, with a dry run; they are listed
// with `legacy: true` and `expiresAt`; they block other partners' claims until they expire
// (the scheduler ends them on the test clock); the partner holding one re-associates it
// through a claim, whose approval replaces it.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClockRoutes } from '../src/deadlines/test-clock-routes.js';
import { submittedClaim } from './claim-steps.js';
import {
  client,
  contactVerified,
  dbTargets,
  seedWorld,
  testApp,
  type TestApp,
  type World,
} from './harness.js';

interface Report {
  rows: number;
  created: string[];
  errors: { row: number; field: string; message: string }[];
}
interface Association {
  id: string;
  claimId: string | null;
  organizationId: string;
  mpnId: string;
  tenantId: string;
  productId: string;
  subscriptionId: string | null;
  legacy: boolean;
  consentState: string;
  expiresAt: string | null;
  endedAt: string | null;
  endReason: string | null;
}

const header = 'mpnId,tenantId,productId,subscriptionId,expiresAt';

describe.each(dbTargets())('legacy associations on %s', (target) => {
  let t: TestApp;
  let w: World;
  const knownTenant = randomUUID();
  beforeAll(async () => {
    t = await testApp(target, { app: { plugins: [testClockRoutes] } });
    w = await seedWorld(t);
    const put = await client(t.app, w.tokens.admin).put(`/api/v1/tenants/${knownTenant}`, {
      domains: ['legacy.onmicrosoft.com'],
      subscriptions: [{ id: 'SUB-LEGACY-1', productId: 'd365_sales' }],
    });
    expect(put.statusCode, put.body).toBe(200);
  });
  afterAll(async () => t?.close());

  const upload = (token: string, content: string, query = '', headers: Record<string, string> = {}) =>
    client(t.app, token).upload(
      `/api/v1/associations/import${query}`,
      'legacy.csv',
      content,
      'text/csv',
      headers,
    );
  const count = async () => {
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM associations`.execute(t.database.db);
    return Number(rows[0]?.n);
  };
  const list = async (token: string, query = '') =>
    (await client(t.app, token).get(`/api/v1/associations?limit=200${query}`)).json<{
      items: Association[];
    }>().items;
  const availability = async (token: string, tenantId: string, productId: string) =>
    (
      await client(t.app, token).get(`/api/v1/availability?tenantId=${tenantId}&productId=${productId}`)
    ).json<{ available: boolean; reason: string | null }>();

  it('only a platform admin imports', async () => {
    const file = `${header}\n2345678,${randomUUID()},teams,,2027-01-31\n`;
    for (const who of ['partnerA', 'reviewer'] as const)
      expect((await upload(w.tokens[who], file)).statusCode).toBe(403);
    expect(await count()).toBe(0);
  });

  it('a dry run checks and creates nothing; bad rows among good ones: nothing created, each row and column named', async () => {
    const taken = randomUUID();
    const first = await upload(w.tokens.admin, `${header}\n2345678,${taken},exchange_online,,2027-01-31\n`);
    expect(first.statusCode, first.body).toBe(201);
    const before = await count();
    const dry = await upload(
      w.tokens.admin,
      `${header}\n2345678,${randomUUID()},teams,,2027-01-31\n`,
      '?dryRun=true',
    );
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json<Report>()).toEqual({ rows: 1, created: [], errors: [] });
    const good = () => `2345678,${randomUUID()},teams,,2027-01-31`;
    const dup = randomUUID();
    const lines = [
      good(),
      `9999999,${randomUUID()},teams,,2027-01-31`, // row 3: no such partner location
      `2345678,not-a-guid,teams,,2027-01-31`, // row 4
      `2345678,${randomUUID()},no_such_product,,2027-01-31`, // row 5
      `2345678,${randomUUID()},teams,SUB-9,2027-01-31`, // row 6: a workload names no subscription
      `2345678,${randomUUID()},d365_sales,,2027-01-31`, // row 7: a subscription product needs one
      `2345678,${randomUUID()},teams,,2026-03-01`, // row 8: expired already (the clock: 2026-03-04)
      `2345678,${randomUUID()},teams,,31/01/2027`, // row 9
      `2345678,${dup},teams,,2027-01-31`, // row 10
      `1234567,${dup},teams,,2027-01-31`, // row 11: the same workload as row 10
      `1234567,${taken},exchange_online,,2027-01-31`, // row 12: associated already
      `1234567,${knownTenant},d365_sales,SUB-OTHER,2027-01-31`, // row 13: not the tenant's subscription
      good(),
    ];
    const res = await upload(w.tokens.admin, [header, ...lines].join('\n'));
    expect(res.statusCode, res.body).toBe(422);
    const p = res.json<{ code: string; errors: { row: number; field: string; path: string }[] }>();
    expect(p.code).toBe('validation_failed');
    expect(p.errors.map((e) => [e.row, e.field])).toEqual([
      [3, 'mpnId'],
      [4, 'tenantId'],
      [5, 'productId'],
      [6, 'subscriptionId'],
      [7, 'subscriptionId'],
      [8, 'expiresAt'],
      [9, 'expiresAt'],
      [11, 'productId'],
      [12, 'productId'],
      [13, 'subscriptionId'],
    ]);
    expect(await count()).toBe(before);
    const wrongHeader = await upload(w.tokens.admin, 'mpnId,tenantId,productId\n2345678,x,teams\n');
    expect(wrongHeader.statusCode).toBe(422);
    expect(wrongHeader.json<{ errors: { row: number; field: string }[] }>().errors).toEqual([
      expect.objectContaining({ row: 1, field: 'subscriptionId' }),
      expect.objectContaining({ row: 1, field: 'expiresAt' }),
    ]);
  });

  it('imported associations are listed with legacy: true and expiresAt; a partner sees its own; a retry with the key creates nothing', async () => {
    const tenant = randomUUID();
    const file = `${header}\r\n2345678,${tenant},teams,,2027-01-31\r\n1234567,${knownTenant},d365_sales,SUB-LEGACY-1,2027-06-01T00:00:00Z\r\n`;
    const res = await upload(w.tokens.admin, file, '', { 'idempotency-key': 'legacy-1' });
    expect(res.statusCode, res.body).toBe(201);
    const report = res.json<Report>();
    expect(report.created).toHaveLength(2);
    const again = await upload(w.tokens.admin, file, '', { 'idempotency-key': 'legacy-1' });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json<Report>().created).toEqual(report.created);
    const mine = (await list(w.tokens.admin)).filter((a) => report.created.includes(a.id));
    expect(mine).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          claimId: null,
          organizationId: w.orgB.id,
          mpnId: '2345678',
          tenantId: tenant,
          productId: 'teams',
          subscriptionId: null,
          legacy: true,
          consentState: 'legacy',
          expiresAt: '2027-02-01T00:00:00.000Z',
          endedAt: null,
        }),
        expect.objectContaining({
          organizationId: w.orgA.id,
          productId: 'd365_sales',
          subscriptionId: 'SUB-LEGACY-1',
          legacy: true,
          expiresAt: '2027-06-01T00:00:00.000Z',
        }),
      ]),
    );
    expect(mine).toHaveLength(2);
    const seenByA = await list(w.tokens.partnerA);
    expect(seenByA.some((a) => a.tenantId === tenant)).toBe(false);
    expect(seenByA.some((a) => a.subscriptionId === 'SUB-LEGACY-1' && a.legacy)).toBe(true);
    // The CSV export says which rows are legacy, in its own column.
    const csv = (
      await client(t.app, w.tokens.admin).get(`/api/v1/associations?tenantId=${tenant}&format=csv`)
    ).body
      .trim()
      .split('\r\n')
      .map((line) => line.split(','));
    const [head, row] = csv;
    expect(csv).toHaveLength(2);
    expect(row?.[head?.indexOf('legacy') ?? -1]).toBe('true');
    expect(row?.[head?.indexOf('expiresAt') ?? -1]).toBe('2027-02-01T00:00:00.000Z');
  });

  it("blocks another partner's claim; the holder re-associates through a claim, whose approval replaces it", async () => {
    const tenant = randomUUID();
    const res = await upload(w.tokens.admin, `${header}\n2345678,${tenant},sharepoint_online,,2027-01-31\n`);
    expect(res.statusCode, res.body).toBe(201);
    const legacyId = res.json<Report>().created[0];
    const over = {
      customer: { domain: 'blocked.onmicrosoft.com', tenantId: tenant },
      products: [{ productId: 'sharepoint_online' }],
    };
    // Partner A: the workload is held by another partner.
    expect(await availability(w.tokens.partnerA, tenant, 'sharepoint_online')).toMatchObject({
      available: false,
      reason: 'associated',
    });
    // Partner B holds it: it may claim it again (R-UNIQ-6 leaves its own legacy one aside).
    expect(await availability(w.tokens.partnerB, tenant, 'sharepoint_online')).toMatchObject({
      available: true,
      reason: null,
    });
    const reviewer = client(t.app, w.tokens.reviewer);
    const aClaim = await submittedClaim(t, w, 'Blocked', over);
    expect((await reviewer.post(`/api/v1/claims/${aClaim}/start-review`)).statusCode).toBe(200);
    const refused = await reviewer.post(`/api/v1/claims/${aClaim}/approve`, contactVerified);
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ code: string }>().code).toBe('already_associated');
    // B's claim re-associates it: the approval replaces the legacy association.
    const bClaim = await submittedClaim(t, w, 'Reassociated', { ...over, mpnId: '2345678' }, 'partnerB');
    expect((await reviewer.post(`/api/v1/claims/${bClaim}/start-review`)).statusCode).toBe(200);
    const approved = await reviewer.post(`/api/v1/claims/${bClaim}/approve`, contactVerified);
    expect(approved.statusCode, approved.body).toBe(200);
    const all = (await list(w.tokens.admin, '&includeEnded=true')).filter((a) => a.tenantId === tenant);
    expect(all).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: legacyId, legacy: true, endReason: 'replaced' }),
        expect.objectContaining({ claimId: bClaim, legacy: false, consentState: 'pending', endedAt: null }),
      ]),
    );
    expect(all).toHaveLength(2);
    expect(all.find((a) => a.id === legacyId)?.endedAt).not.toBeNull();
  });

  it('ends on its expiry date on the test clock, and the workload is free again', async () => {
    const tenant = randomUUID();
    const res = await upload(w.tokens.admin, `${header}\n2345678,${tenant},intune,,2026-03-10\n`);
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json<Report>().created[0];
    expect((await availability(w.tokens.partnerA, tenant, 'intune')).available).toBe(false);
    const admin = client(t.app, w.tokens.admin);
    expect((await admin.post('/api/v1/test-clock/advance', { to: '2026-03-10T23:00:00Z' })).statusCode).toBe(
      200,
    );
    expect((await availability(w.tokens.partnerA, tenant, 'intune')).available).toBe(false);
    expect((await admin.post('/api/v1/test-clock/advance', { to: '2026-03-11T00:30:00Z' })).statusCode).toBe(
      200,
    );
    const ended = (await list(w.tokens.admin, '&includeEnded=true')).find((a) => a.id === id);
    expect(ended).toMatchObject({
      legacy: true,
      endReason: 'subscription_expired',
      endedAt: '2026-03-11T00:00:00.000Z',
    });
    expect((await availability(w.tokens.partnerA, tenant, 'intune')).available).toBe(true);
  });

  it('the database refuses a legacy association with a claim or without an expiry (migration 0009)', async () => {
    const row = (over: Record<string, unknown>) =>
      t.database.db
        .insertInto('associations')
        .values({
          id: randomUUID(),
          claim_id: null,
          organization_id: w.orgB.id,
          mpn_id: '2345678',
          tenant_id: randomUUID(),
          product_id: 'teams',
          subscription_id: null,
          scope: 'workload',
          since: new Date(),
          consent_state: 'legacy',
          expires_at: new Date('2027-01-01T00:00:00Z'),
          ...over,
        })
        .execute();
    await expect(row({ expires_at: null })).rejects.toThrow(/associations_legacy_shape/);
    await expect(row({ consent_state: 'pending' })).rejects.toThrow(/associations_legacy_shape/);
    await expect(row({})).resolves.toBeDefined();
  });
});
