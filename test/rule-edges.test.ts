// The rule book at its edges (issue 9), through the HTTP API on PGlite and PostgreSQL: each
// numbered point of the issue walked as a partner, a reviewer and the customer would.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClockRoutes } from '../src/deadlines/test-clock-routes.js';
import {
  client,
  dbTargets,
  m365Claim,
  poeText,
  seedWorld,
  testApp,
  type TestApp,
  type World,
} from './harness.js';

interface ClaimBody {
  id: string;
  status: string;
  statusReason: string | null;
  version: number;
  allowedActions: string[];
  consent: { state: string; endsAt: string } | null;
  associations: {
    productId: string;
    subscriptionId: string | null;
    endedAt: string | null;
    endReason: string | null;
  }[];
  [k: string]: unknown;
}
interface Problem {
  status: number;
  code: string;
  errors?: { path: string; message: string }[];
}

describe.each(dbTargets())('the rule book at its edges on %s', (target) => {
  let t: TestApp;
  let w: World;
  let docs = 0;
  const as = (who: keyof World['tokens']) => client(t.app, w.tokens[who]);
  const url = (id: string, action = '') => `/api/v1/claims/${id}${action ? `/${action}` : ''}`;
  const get = async (id: string) => (await as('reviewer').get(url(id))).json<ClaimBody>();
  const history = async (id: string) =>
    (await as('reviewer').get(url(id, 'history'))).json<{
      items: { type: string; data: Record<string, unknown> }[];
    }>().items;
  const advance = async (body: Record<string, unknown>) => {
    const res = await as('admin').post('/api/v1/test-clock/advance', body);
    expect(res.statusCode, res.body).toBe(200);
  };
  async function act(who: keyof World['tokens'], id: string, action: string, body?: unknown) {
    const res = await as(who).post(url(id, action), body);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<ClaimBody>();
  }
  async function create(who: 'partnerA' | 'partnerB', body: Record<string, unknown>) {
    const res = await as(who).post('/api/v1/claims', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<ClaimBody>().id;
  }
  async function upload(who: 'partnerA' | 'partnerB', id: string) {
    const res = await as(who).upload(url(id, 'documents'), `sow-${++docs}.txt`, poeText(docs));
    expect(res.statusCode, res.body).toBe(201);
  }
  /** A claim taken to submitted (and in_review when `review`). */
  async function submitted(who: 'partnerA' | 'partnerB', body: Record<string, unknown>, review = true) {
    const id = await create(who, body);
    await upload(who, id);
    await act(who, id, 'submit');
    if (review) await act('reviewer', id, 'start-review');
    return id;
  }
  const customer = () => ({ domain: `c${randomUUID().slice(0, 8)}.onmicrosoft.com`, tenantId: randomUUID() });

  beforeAll(async () => {
    t = await testApp(target, { app: { plugins: [testClockRoutes] } });
    w = await seedWorld(t);
  });
  afterAll(async () => t?.close());

  describe('point 4, R-UNIQ-6: a partner never claims what it holds', () => {
    it('availability says yours; a second claim is refused at submit, pending consent and final alike', async () => {
      const c = customer();
      const first = await submitted('partnerA', m365Claim({ customer: c }));
      await act('reviewer', first, 'approve');
      const avail = (who: keyof World['tokens']) =>
        as(who).get(`/api/v1/availability?tenantId=${c.tenantId}&productId=exchange_online`);
      expect((await avail('partnerA')).json()).toMatchObject({ available: false, reason: 'yours' });
      expect((await avail('partnerB')).json()).toMatchObject({ available: false, reason: 'associated' });
      expect((await avail('reviewer')).json()).toMatchObject({ available: false, reason: 'associated' });

      const second = await create('partnerA', m365Claim({ customer: c, name: 'Again', mpnId: '1234568' }));
      await upload('partnerA', second);
      const before = await get(second);
      const refused = await as('partnerA').post(url(second, 'submit'));
      expect(refused.statusCode).toBe(409);
      expect(refused.json<Problem>()).toMatchObject({
        code: 'already_associated',
        errors: [{ path: 'products.0', message: 'is already associated with your organization' }],
      });
      expect(await get(second)).toEqual(before);

      // Final (the consent window closed): still refused.
      await advance({ days: 8 });
      expect((await get(first)).consent).toMatchObject({ state: 'completed' });
      const late = await as('partnerA').post(url(second, 'submit'));
      expect(late.json<Problem>().code).toBe('already_associated');
      expect((await avail('partnerA')).json()).toMatchObject({ reason: 'yours' });
    });

    it('a second claim pending before the first was approved is refused at approval, supersede or not; the first stays whole', async () => {
      const c = customer();
      const first = await submitted('partnerA', m365Claim({ customer: c }));
      const second = await submitted('partnerA', m365Claim({ customer: c, name: 'Twice' }));
      await act('reviewer', first, 'approve');
      for (const body of [{}, { supersede: true }]) {
        const res = await as('reviewer').post(url(second, 'approve'), body);
        expect(res.statusCode).toBe(409);
        expect(res.json<Problem>()).toMatchObject({
          code: 'already_associated',
          errors: [{ path: 'products.0' }],
        });
      }
      expect((await get(second)).status).toBe('in_review');
      expect((await get(first)).associations).toEqual([
        expect.objectContaining({ productId: 'exchange_online', endedAt: null, endReason: null }),
      ]);
      // The reviewer rejects the second instead; the partner keeps what it held.
      await act('reviewer', second, 'reject', { reason: 'insufficient_poe', comment: 'Held already.' });
      const held = await as('partnerA').get(`/api/v1/associations?tenantId=${c.tenantId}`);
      expect(held.json<{ items: { claimId: string }[] }>().items.map((a) => a.claimId)).toEqual([first]);
    });

    it('a dispute overturned on a workload the partner meanwhile holds is refused too', async () => {
      const c = customer();
      const rejected = await submitted('partnerA', m365Claim({ customer: c, name: 'Rejected first' }));
      await act('reviewer', rejected, 'reject', { reason: 'insufficient_poe', comment: 'Unsigned.' });
      await act('partnerA', rejected, 'dispute', { justification: 'Signed on page 2.' });
      const other = await submitted('partnerA', m365Claim({ customer: c, name: 'Other' }));
      await act('reviewer', other, 'approve');
      const res = await as('reviewer').post(url(rejected, 'resolve-dispute'), {
        outcome: 'overturn',
        comment: 'ok',
      });
      expect(res.statusCode).toBe(409);
      expect(res.json<Problem>().code).toBe('already_associated');
      expect((await get(rejected)).status).toBe('disputed');
    });
  });

  describe('point 7, R-EDIT-2 and R-DISP-1: evidence does not move under the reviewer; disputes', () => {
    it('R-EDIT-2: no PoE while in review, comments stay open; PoE again once information is requested', async () => {
      const id = await submitted('partnerA', m365Claim({ customer: customer() }));
      const before = await get(id);
      const seen = (await as('partnerA').get(url(id))).json<ClaimBody>();
      expect(seen.allowedActions).not.toContain('upload-document');
      const res = await as('partnerA').upload(url(id, 'documents'), 'late.txt', poeText(99));
      expect(res.statusCode).toBe(409);
      expect(res.json<Problem>().code).toBe('edit_not_allowed');
      expect(await get(id)).toEqual(before);
      const docs = await as('partnerA').get(url(id, 'documents'));
      expect(docs.json<{ items: unknown[] }>().items).toHaveLength(1);
      expect((await as('partnerA').post(url(id, 'comments'), { text: 'Page 2 is signed.' })).statusCode).toBe(
        201,
      );
      await act('reviewer', id, 'request-information', { reasons: ['poe_missing'], comment: 'Attach it.' });
      const mine = (await as('partnerA').get(url(id))).json<ClaimBody>();
      expect(mine.allowedActions).toContain('upload-document');
      await upload('partnerA', id);
    });

    it('R-EDIT-2: the database refuses PoE on a claim in review, whatever the caller skipped', async () => {
      const id = await submitted('partnerA', m365Claim({ customer: customer() }));
      const insert = t.deps.db
        .insertInto('documents')
        .values({
          id: randomUUID(),
          claim_id: id,
          file_name: 'x.txt',
          content_type: 'text/plain',
          size: 1,
          sha256: 'f'.repeat(64),
          storage_key: 'f'.repeat(64),
          uploaded_by: (await t.deps.db.selectFrom('users').select('id').executeTakeFirstOrThrow()).id,
          created_at: new Date(),
        })
        .execute();
      await expect(insert).rejects.toThrow(/R-EDIT-2/);
    });

    it('R-DISP-1: a dispute needs a justification or PoE added since the rejection', async () => {
      const id = await submitted('partnerA', m365Claim({ customer: customer() }));
      await act('reviewer', id, 'reject', { reason: 'insufficient_poe', comment: 'Unsigned.' });
      const before = await get(id);
      for (const body of [{}, { justification: '   ' }]) {
        const res = await as('partnerA').post(url(id, 'dispute'), body);
        expect(res.statusCode).toBe(422);
        expect(res.json<Problem>()).toMatchObject({
          code: 'validation_failed',
          errors: [
            { path: 'justification', message: 'is required unless PoE was added since the rejection' },
          ],
        });
      }
      expect(await get(id)).toEqual(before);
      await advance({ hours: 1 });
      await upload('partnerA', id);
      const disputed = await act('partnerA', id, 'dispute', {});
      expect(disputed.status).toBe('disputed');
      const last = (await history(id)).at(-1);
      expect(last).toMatchObject({ type: 'dispute', data: { justification: null, newPoe: true } });
    });
  });

  describe('point 5, R-FIELD-3: Business Applications claim one subscription', () => {
    const bizapps = (c: { domain: string; tenantId: string }, products: unknown[], over = {}) =>
      m365Claim({
        customer: c,
        solutionArea: 'business_applications',
        activity: 'usage',
        products,
        technicalContact: { name: 'Tess', title: 'IT lead', email: 'tess@contoso.example' },
        ...over,
      });

    it('the single subscription the directory knows is filled in at submit, and the approval holds it', async () => {
      const c = customer();
      const put = await as('admin').put(`/api/v1/tenants/${c.tenantId}`, {
        domains: [c.domain],
        subscriptions: [{ id: `sub-${c.tenantId}`, productId: 'd365_sales' }],
      });
      expect(put.statusCode, put.body).toBe(200);
      const id = await submitted('partnerA', bizapps(c, [{ productId: 'd365_sales' }]));
      expect((await get(id)).products).toEqual([
        { productId: 'd365_sales', subscriptionId: `sub-${c.tenantId}` },
      ]);
      const approved = await act('reviewer', id, 'approve');
      expect(approved.associations).toEqual([
        expect.objectContaining({ productId: 'd365_sales', subscriptionId: `sub-${c.tenantId}` }),
      ]);
    });

    it('a tenant the directory does not know: the partner names the subscription, and one claim no longer locks the others', async () => {
      const c = customer();
      const id = await create('partnerA', bizapps(c, [{ productId: 'd365_sales' }]));
      await upload('partnerA', id);
      const res = await as('partnerA').post(url(id, 'submit'));
      expect(res.statusCode).toBe(422);
      expect(res.json<Problem>().errors).toEqual([
        {
          path: 'products.0.subscriptionId',
          message: "is required: name the customer's subscription of this product",
        },
      ]);
      expect((await get(id)).status).toBe('draft');
      const patched = await as('partnerA').patch(url(id), {
        products: [{ productId: 'd365_sales', subscriptionId: 'sub-a' }],
      });
      expect(patched.statusCode, patched.body).toBe(200);
      await act('partnerA', id, 'submit');
      await act('reviewer', id, 'start-review');
      await act('reviewer', id, 'approve');
      // Another partner's claim on another subscription of the same product is not blocked.
      const avail = await as('partnerB').get(
        `/api/v1/availability?tenantId=${c.tenantId}&productId=d365_sales&subscriptionId=sub-b`,
      );
      expect(avail.json()).toMatchObject({ available: true, reason: null });
      const b = await submitted(
        'partnerB',
        bizapps(c, [{ productId: 'd365_sales', subscriptionId: 'sub-b' }], {
          mpnId: '2345678',
          partnerContact: { name: 'Bo', email: 'bo@b.example' },
        }),
      );
      expect((await act('reviewer', b, 'approve')).status).toBe('approved');
    });

    it('the database refuses an association of a whole Business Applications product', async () => {
      const c = customer();
      const id = await submitted(
        'partnerA',
        bizapps(c, [{ productId: 'd365_sales', subscriptionId: 'sub-db' }]),
      );
      const insert = t.deps.db
        .insertInto('associations')
        .values({
          id: randomUUID(),
          claim_id: id,
          organization_id: w.orgA.id,
          mpn_id: '1234567',
          tenant_id: c.tenantId,
          product_id: 'd365_sales',
          subscription_id: null,
          scope: 'subscription',
          since: new Date(),
          consent_state: 'pending',
        })
        .execute();
      await expect(insert).rejects.toThrow(/associations_one_subscription_named/);
    });
  });

  describe('point 8, R-ROLE-3: the customer directory is closed to partners', () => {
    it('partners read no tenant; the claim still checks what the partner typed, naming the field', async () => {
      const c = customer();
      const put = await as('admin').put(`/api/v1/tenants/${c.tenantId}`, {
        domains: [c.domain],
        subscriptions: [{ id: `sub-${c.tenantId}`, productId: 'd365_sales' }],
      });
      expect(put.statusCode).toBe(200);
      for (const who of ['partnerA', 'readerA', 'partnerB'] as const) {
        for (const path of [`/api/v1/tenants/${c.tenantId}`, '/api/v1/tenants']) {
          const res = await as(who).get(path);
          expect(res.statusCode, `${who} ${path}`).toBe(403);
          expect(res.body).not.toContain(c.domain);
          expect(res.body).not.toContain(`sub-${c.tenantId}`);
        }
      }
      for (const who of ['reviewer', 'admin'] as const) {
        const res = await as(who).get(`/api/v1/tenants/${c.tenantId}`);
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({ domains: [c.domain] });
      }
      // The wizard's way: the server says whether what the partner typed agrees, by field.
      const wrong = await as('partnerA').post(
        '/api/v1/claims',
        m365Claim({ customer: { ...c, domain: 'elsewhere.example' } }),
      );
      expect(wrong.statusCode).toBe(422);
      expect(wrong.json<Problem>().errors).toEqual([
        { path: 'customer.domain', message: 'is not a domain of this tenant' },
      ]);
      expect(wrong.body).not.toContain(c.domain);
      expect((await as('partnerA').post('/api/v1/claims', m365Claim({ customer: c }))).statusCode).toBe(201);
    });
  });
});
