// Issue 13 (the wizard's products step asked ~18 times, one product each): GET
// /api/v1/availability/products answers every product of the step in one request, each as
// GET /api/v1/availability answers it alone.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submittedClaim } from './claim-steps.js';
import { client, dbTargets, seedWorld, testApp, type TestApp, type World } from './harness.js';

describe.each(dbTargets())('availability of many products at once on %s', (target) => {
  let t: TestApp;
  let w: World;
  const tenant = randomUUID();
  beforeAll(async () => {
    t = await testApp(target);
    w = await seedWorld(t);
    // Partner A's pending claim holds exchange_online of the tenant.
    await submittedClaim(t, w, 'Batch', { customer: { domain: 'batch.onmicrosoft.com', tenantId: tenant } });
  });
  afterAll(async () => t?.close());

  it('answers each product as the one-product question does, in the order asked', async () => {
    const ids = ['exchange_online', 'teams', 'sharepoint_online'];
    for (const who of ['partnerA', 'partnerB'] as const) {
      const api = client(t.app, w.tokens[who]);
      const res = await api.get(
        `/api/v1/availability/products?tenantId=${tenant}&productIds=${ids.join(',')}`,
      );
      expect(res.statusCode).toBe(200);
      const items = res.json<{ items: { productId: string }[] }>().items;
      expect(items.map((i) => i.productId)).toEqual(ids);
      for (const item of items) {
        const one = await api.get(`/api/v1/availability?tenantId=${tenant}&productId=${item.productId}`);
        const { productId: _, ...answer } = item;
        expect(answer, `${who} ${item.productId}`).toEqual(one.json());
      }
      expect(items[0]).toMatchObject({
        available: false,
        reason: 'claim_pending',
        heldByYou: who === 'partnerA',
      });
      expect(items[1]).toMatchObject({ available: true });
    }
  });

  it('refuses a list that is not product ids (422 at productIds), or more than 50', async () => {
    const api = client(t.app, w.tokens.partnerA);
    for (const bad of ['', 'Teams', 'a,,b', Array.from({ length: 51 }, (_, i) => `p${i}`).join(',')]) {
      const res = await api.get(`/api/v1/availability/products?tenantId=${tenant}&productIds=${bad}`);
      expect(res.statusCode, bad).toBe(422);
      expect(JSON.stringify(res.json())).toContain('productIds');
    }
  });
});
