// The rule book at its edges (issue 9), through the HTTP API on PGlite and PostgreSQL: each
// numbered point of the issue walked as a partner, a reviewer and the customer would.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentToken, serverSecret } from '../src/consent/consent-tokens.js';
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
  contactVerified,
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
/** The test customers' mail domain (harness.m365Claim's contact), known with their tenants (R-CONS-3). */
const mailDomain = 'contoso.example';

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
      await act('reviewer', first, 'approve', contactVerified);
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
      await act('reviewer', first, 'approve', contactVerified);
      for (const body of [contactVerified, { ...contactVerified, supersede: true }]) {
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
      await act('reviewer', other, 'approve', contactVerified);
      const res = await as('reviewer').post(url(rejected, 'resolve-dispute'), {
        ...contactVerified,
        outcome: 'overturn',
        comment: 'ok',
      });
      expect(res.statusCode).toBe(409);
      expect(res.json<Problem>().code).toBe('already_associated');
      expect((await get(rejected)).status).toBe('disputed');
    });
  });

  describe('point 6, R-CONS-3: the consent mail reaches the customer', () => {
    const contact = (email: string) => ({ name: 'Chris Customer', title: 'CIO', email });
    const known = async () => {
      const c = customer();
      const put = await as('admin').put(`/api/v1/tenants/${c.tenantId}`, {
        domains: [c.domain, 'customer.example'],
        subscriptions: [],
      });
      expect(put.statusCode, put.body).toBe(200);
      return c;
    };
    const claimsOf = async (tenantId: string) =>
      (await as('reviewer').get(`/api/v1/claims?tenantId=${tenantId}`)).json<{ items: unknown[] }>().items;

    it('a known tenant: the address must be at one of its domains, by field, changing nothing', async () => {
      const c = await known();
      for (const email of ['chris@attacker.example', 'chris@customer.example.attacker.example']) {
        const res = await as('partnerA').post(
          '/api/v1/claims',
          m365Claim({ customer: c, customerContact: contact(email) }),
        );
        expect(res.statusCode, email).toBe(422);
        expect(res.json<Problem>().errors).toEqual([
          {
            path: 'customerContact.email',
            message: expect.stringContaining('R-CONS-3'),
            code: 'outside_tenant_domains',
            params: {},
          },
        ]);
      }
      expect(await claimsOf(c.tenantId)).toEqual([]);
      // At a domain, or a subdomain of one, in any case.
      const id = await submitted(
        'partnerA',
        m365Claim({ customer: c, customerContact: contact('Chris@Mail.Customer.EXAMPLE') }),
        false,
      );
      expect((await get(id)).customerContactCheck).toBe('at_tenant_domain');
      // R-ROLE-3: the partner is not told what the directory holds.
      const mine = (await as('partnerA').get(url(id))).json<ClaimBody>();
      expect(mine.customerContactCheck).toBeNull();
      // No edit moves the address off the tenant's domains.
      const before = await get(id);
      const moved = await as('partnerA').patch(url(id), {
        customerContact: contact('chris@attacker.example'),
      });
      expect(moved.statusCode).toBe(422);
      expect(moved.json<Problem>().errors?.map((e) => e.path)).toEqual(['customerContact.email']);
      expect((await get(id)).version).toBe(before.version);
      // Known, at a domain: approved without the reviewer's tick.
      await act('reviewer', id, 'start-review');
      expect((await act('reviewer', id, 'approve')).status).toBe('approved');
    });

    it('an unknown tenant: the reviewer ticks customer_contact_verified, or the approval is refused, changing nothing', async () => {
      const c = customer();
      const id = await submitted(
        'partnerA',
        m365Claim({ customer: c, customerContact: contact('chris@anywhere.example') }),
      );
      const before = await get(id);
      expect(before.customerContactCheck).toBe('reviewer_required');
      for (const body of [{}, { checklist: { customer_contact_verified: false } }]) {
        const res = await as('reviewer').post(url(id, 'approve'), body);
        expect(res.statusCode).toBe(422);
        expect(res.json<Problem>().errors).toEqual([
          {
            path: 'checklist.customer_contact_verified',
            message: expect.stringMatching(/^must be true/),
            code: 'must_confirm',
            params: {},
          },
        ]);
      }
      const after = await get(id);
      expect([after.status, after.version, after.consent]).toEqual(['in_review', before.version, null]);
      const approved = await act('reviewer', id, 'approve', contactVerified);
      expect(approved.status).toBe('approved');
      const approval = (await history(id)).find((h) => h.type === 'approve');
      expect(approval?.data.checklist).toEqual({ customer_contact_verified: true });
    });

    it('the directory learns the domains after submission: the approval checks again, tick or not', async () => {
      const c = customer();
      const id = await submitted(
        'partnerA',
        m365Claim({ customer: c, customerContact: contact('chris@elsewhere.example') }),
      );
      const put = await as('admin').put(`/api/v1/tenants/${c.tenantId}`, {
        domains: [c.domain],
        subscriptions: [],
      });
      expect(put.statusCode).toBe(200);
      expect((await get(id)).customerContactCheck).toBe('outside_tenant_domains');
      const res = await as('reviewer').post(url(id, 'approve'), contactVerified);
      expect(res.statusCode).toBe(422);
      expect(res.json<Problem>().errors?.map((e) => e.path)).toEqual(['customerContact.email']);
      expect((await get(id)).status).toBe('in_review');
      // The way on: ask the partner, who names the customer's address.
      await act('reviewer', id, 'request-information', {
        reasons: ['products_missing'],
        comment: 'The contact?',
      });
      const fixed = await as('partnerA').patch(url(id), { customerContact: contact(`chris@${c.domain}`) });
      expect(fixed.statusCode, fixed.body).toBe(200);
      expect((await act('partnerA', id, 'submit')).status).toBe('in_review');
      expect((await act('reviewer', id, 'approve')).status).toBe('approved');
    });

    it('an overturned dispute approves: the same check', async () => {
      const c = customer();
      const id = await submitted('partnerA', m365Claim({ customer: c }));
      await act('reviewer', id, 'reject', { reason: 'insufficient_poe', comment: 'No signature.' });
      await act('partnerA', id, 'dispute', { justification: 'Signed on page 2.' });
      const res = await as('reviewer').post(url(id, 'resolve-dispute'), {
        outcome: 'overturn',
        comment: 'ok',
      });
      expect(res.statusCode).toBe(422);
      expect(res.json<Problem>().errors?.map((e) => e.path)).toEqual(['checklist.customer_contact_verified']);
      const overturned = await act('reviewer', id, 'resolve-dispute', {
        ...contactVerified,
        outcome: 'overturn',
        comment: 'ok',
      });
      expect(overturned.status).toBe('approved');
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
      const insert = t.database.db
        .insertInto('documents')
        .values({
          id: randomUUID(),
          claim_id: id,
          file_name: 'x.txt',
          content_type: 'text/plain',
          size: 1,
          sha256: 'f'.repeat(64),
          storage_key: 'f'.repeat(64),
          uploaded_by: (await t.database.db.selectFrom('users').select('id').executeTakeFirstOrThrow()).id,
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
        domains: [c.domain, mailDomain],
        subscriptions: [{ id: `sub-${c.tenantId}`, productId: 'd365_sales' }],
      });
      expect(put.statusCode, put.body).toBe(200);
      const id = await submitted('partnerA', bizapps(c, [{ productId: 'd365_sales' }]));
      expect((await get(id)).products).toEqual([
        { productId: 'd365_sales', subscriptionId: `sub-${c.tenantId}` },
      ]);
      const approved = await act('reviewer', id, 'approve', contactVerified);
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
          code: 'required',
          params: {},
        },
      ]);
      expect((await get(id)).status).toBe('draft');
      const patched = await as('partnerA').patch(url(id), {
        products: [{ productId: 'd365_sales', subscriptionId: 'sub-a' }],
      });
      expect(patched.statusCode, patched.body).toBe(200);
      await act('partnerA', id, 'submit');
      await act('reviewer', id, 'start-review');
      await act('reviewer', id, 'approve', contactVerified);
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
      expect((await act('reviewer', b, 'approve', contactVerified)).status).toBe('approved');
    });

    it('issue 13 point 1: the readiness check says what submit would refuse, without the IDs the directory fills in', async () => {
      const c = customer();
      const two = [`s1-${c.tenantId}`, `s2-${c.tenantId}`];
      const put = await as('admin').put(`/api/v1/tenants/${c.tenantId}`, {
        domains: [c.domain, mailDomain],
        subscriptions: [
          ...two.map((id) => ({ id, productId: 'd365_sales' })),
          { id: `one-${c.tenantId}`, productId: 'power_bi' },
        ],
      });
      expect(put.statusCode, put.body).toBe(200);
      const id = await create(
        'partnerA',
        bizapps(c, [{ productId: 'd365_sales' }, { productId: 'power_bi' }]),
      );
      const check = await as('partnerA').get(url(id, 'check'));
      expect(check.statusCode, check.body).toBe(200);
      // Two subscriptions of Sales: the partner names one; Power BI's only one is filled in at
      // submit, so nothing is asked; no PoE yet.
      expect(check.json()).toEqual({
        ready: false,
        errors: [
          {
            path: 'products.0.subscriptionId',
            message: 'is required: the customer has more than one subscription of this product',
            code: 'required',
            params: {},
          },
          {
            path: 'documents',
            message: 'at least one proof of execution document is required',
            code: 'too_few',
            params: { min: 1 },
          },
        ],
      });
      for (const sub of [...two, `one-${c.tenantId}`]) expect(check.body).not.toContain(sub);
      // Submit answers the same.
      const submit = await as('partnerA').post(url(id, 'submit'));
      expect(submit.statusCode).toBe(422);
      expect(submit.json<Problem>().errors).toEqual(check.json<{ errors: unknown[] }>().errors);
      // Ready once they are there; nothing changed by asking.
      const patched = await as('partnerA').patch(url(id), {
        products: [{ productId: 'd365_sales', subscriptionId: two[0] }, { productId: 'power_bi' }],
      });
      expect(patched.statusCode, patched.body).toBe(200);
      await upload('partnerA', id);
      const version = (await get(id)).version;
      expect((await as('partnerA').get(url(id, 'check'))).json()).toEqual({ ready: true, errors: [] });
      expect((await get(id)).version).toBe(version);
      // R-ROLE-2: another organization's claim does not exist.
      expect((await as('partnerB').get(url(id, 'check'))).statusCode).toBe(404);
    });

    it('issue 13 point 1: a subscription the known tenant lacks is not available', async () => {
      const c = customer();
      const put = await as('admin').put(`/api/v1/tenants/${c.tenantId}`, {
        domains: [c.domain, mailDomain],
        subscriptions: [{ id: `sub-${c.tenantId}`, productId: 'd365_sales' }],
      });
      expect(put.statusCode, put.body).toBe(200);
      const avail = async (tenantId: string, productId: string, sub: string) =>
        (
          await as('partnerA').get(
            `/api/v1/availability?tenantId=${tenantId}&productId=${productId}&subscriptionId=${sub}`,
          )
        ).json();
      expect(await avail(c.tenantId, 'd365_sales', 'no-such-subscription')).toEqual({
        available: false,
        reason: 'unknown_subscription',
        heldByYou: false,
      });
      // Of another product: not this product's subscription either.
      expect(await avail(c.tenantId, 'power_bi', `sub-${c.tenantId}`)).toMatchObject({
        reason: 'unknown_subscription',
      });
      expect(await avail(c.tenantId, 'd365_sales', `sub-${c.tenantId}`)).toMatchObject({
        available: true,
        reason: null,
      });
      // A tenant the directory does not know: nothing to tell.
      expect(await avail(randomUUID(), 'd365_sales', 'anything')).toMatchObject({ available: true });
    });

    it('the database refuses an association of a whole Business Applications product', async () => {
      const c = customer();
      const id = await submitted(
        'partnerA',
        bizapps(c, [{ productId: 'd365_sales', subscriptionId: 'sub-db' }]),
      );
      const insert = t.database.db
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
        domains: [c.domain, mailDomain],
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
        expect(res.json()).toMatchObject({ domains: [c.domain, mailDomain].sort() });
      }
      // The wizard's way: the server says whether what the partner typed agrees, by field.
      const wrong = await as('partnerA').post(
        '/api/v1/claims',
        m365Claim({ customer: { ...c, domain: 'elsewhere.example' } }),
      );
      expect(wrong.statusCode).toBe(422);
      expect(wrong.json<Problem>().errors).toEqual([
        {
          path: 'customer.domain',
          message: 'is not a domain of this tenant',
          code: 'not_of_tenant',
          params: {},
        },
      ]);
      expect(wrong.body).not.toContain(c.domain);
      expect((await as('partnerA').post('/api/v1/claims', m365Claim({ customer: c }))).statusCode).toBe(201);
    });
  });

  describe('point 1, R-UNIQ-7: associations end, and claims say so', () => {
    const forB = { mpnId: '2345678', partnerContact: { name: 'Bo', email: 'bo@b.example' } };
    const linkOf = async (id: string) => {
      const c = await get(id);
      const token = consentToken(await serverSecret(t.deps), id, new Date(c.consent?.endsAt ?? 0));
      return `/api/v1/consent/${token}`;
    };
    const outboxOf = async (id: string) =>
      (await t.database.db.selectFrom('outbox').select('payload').where('claim_id', '=', id).execute()).map(
        (r) => r.payload as { type?: string; template?: string },
      );

    it('a supersede ends the claim: its consent link says so and refuses the late denial, nothing goes to evaluation', async () => {
      const c = customer();
      const held = await submitted('partnerA', m365Claim({ customer: c }));
      await act('reviewer', held, 'approve', contactVerified);
      const link = await linkOf(held);
      expect((await client(t.app).get(link)).json()).toMatchObject({ state: 'pending' });
      const rival = await submitted('partnerB', m365Claim({ customer: c, name: 'Rival', ...forB }));
      await act('reviewer', rival, 'approve', { ...contactVerified, supersede: true });

      const ended = await get(held);
      expect(ended).toMatchObject({ status: 'ended', statusReason: 'superseded', consent: null });
      expect(ended.associations).toEqual([
        expect.objectContaining({
          productId: 'exchange_online',
          endReason: 'superseded',
          endedAt: expect.any(String),
        }),
      ]);
      const mine = (await as('partnerA').get(url(held))).json<ClaimBody>();
      expect(mine.allowedActions).toEqual(['comment']);
      // The customer's late denial: the page says the association ended; the denial is refused.
      const view = await client(t.app).get(link);
      expect(view.statusCode).toBe(200);
      expect(view.json()).toMatchObject({ state: 'ended', endReason: 'superseded', endsAt: null });
      const deny = await client(t.app).post(`${link}/deny`, { reason: 'Too late' });
      expect(deny.statusCode).toBe(410);
      expect(deny.json<Problem>().code).toBe('consent_link_expired');
      expect((await get(rival)).status).toBe('approved');
      // No dispute, no disassociation of an ended claim.
      for (const [action, body] of [
        ['dispute', { justification: 'x' }],
        ['disassociate', { reason: 'x' }],
      ] as const) {
        const res = await as('partnerA').post(url(held, action), body);
        expect(res.statusCode, action).toBe(409);
        expect(res.json<Problem>().code).toBe('invalid_transition');
      }
      // Its window's timer is cancelled: at the end of the window nothing goes to evaluation.
      const open = await t.database.db
        .selectFrom('deadlines')
        .selectAll()
        .where('claim_id', '=', held)
        .where('fired_at', 'is', null)
        .where('cancelled_at', 'is', null)
        .execute();
      expect(open).toEqual([]);
      await advance({ days: 8 });
      expect((await get(held)).status).toBe('ended');
      expect((await history(held)).map((h) => h.type)).not.toContain('complete_consent');
      expect((await history(rival)).map((h) => h.type)).toContain('complete_consent');
      const feed = (await as('reviewer').get('/api/v1/evaluation-feed')).json<{
        items: { claimId: string }[];
      }>();
      expect(feed.items.map((i) => i.claimId)).not.toContain(held);
      expect(feed.items.map((i) => i.claimId)).toContain(rival);
      // The partner was mailed once; the history says what happened and why.
      expect((await outboxOf(held)).filter((p) => p.template === 'association_superseded')).toHaveLength(1);
      expect((await history(held)).slice(-2).map((h) => h.type)).toEqual(['association_superseded', 'end']);
    });

    it('a claim with some associations ended and some in force stays approved and shows which ended', async () => {
      const c = customer();
      const two = await submitted(
        'partnerA',
        m365Claim({ customer: c, products: [{ productId: 'exchange_online' }, { productId: 'teams' }] }),
      );
      await act('reviewer', two, 'approve', contactVerified);
      const rival = await submitted('partnerB', m365Claim({ customer: c, name: 'Rival mail', ...forB }));
      await act('reviewer', rival, 'approve', { ...contactVerified, supersede: true });
      const still = await get(two);
      expect(still).toMatchObject({ status: 'approved', consent: { state: 'pending' } });
      expect(still.associations).toHaveLength(2);
      expect(still.associations).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ productId: 'exchange_online', endReason: 'superseded' }),
          expect.objectContaining({ productId: 'teams', endReason: null, endedAt: null }),
        ]),
      );
      // The customer can still deny what remains.
      expect((await client(t.app).get(await linkOf(two))).json()).toMatchObject({ state: 'pending' });
      // The associations list shows the ended one too when asked, with when and why; so does the export.
      const all = await as('partnerA').get(`/api/v1/associations?tenantId=${c.tenantId}&includeEnded=true`);
      expect(all.json<{ items: { productId: string; endReason: string | null }[] }>().items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ productId: 'exchange_online', endReason: 'superseded' }),
          expect.objectContaining({ productId: 'teams', endReason: null }),
        ]),
      );
      const inForce = await as('partnerA').get(`/api/v1/associations?tenantId=${c.tenantId}`);
      expect(inForce.json<{ items: { productId: string }[] }>().items.map((a) => a.productId)).toEqual([
        'teams',
      ]);
      const csv = await as('partnerA').get(
        `/api/v1/associations?tenantId=${c.tenantId}&includeEnded=true&format=csv`,
      );
      expect(csv.body).toMatch(/exchange_online.*superseded/);
    });

    it('disassociate: the claim has ended at the partner request; the consent link says so', async () => {
      const id = await submitted('partnerA', m365Claim({ customer: customer() }));
      await act('reviewer', id, 'approve', contactVerified);
      const link = await linkOf(id);
      const done = await act('partnerA', id, 'disassociate', { reason: 'We stopped working with them.' });
      expect(done).toMatchObject({ status: 'ended', statusReason: 'partner_request', consent: null });
      expect(done.associations).toEqual([expect.objectContaining({ endReason: 'partner_request' })]);
      expect((await client(t.app).get(link)).json()).toMatchObject({
        state: 'ended',
        endReason: 'partner_request',
      });
      expect((await client(t.app).post(`${link}/deny`, {})).statusCode).toBe(410);
      const list = await as('partnerA').get('/api/v1/claims?status=ended');
      expect(list.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toContain(id);
      const csv = await as('partnerA').get('/api/v1/claims?status=ended&format=csv');
      expect(csv.body).toContain(`${id},`);
      expect(csv.body).toContain('ended,partner_request');
    });
  });

  describe('point 2, R-UNIQ-4/7: subscriptions expire', () => {
    it('on the test clock, an expired subscription ends its association, frees it, mails the partner, and ends the claim', async () => {
      const c = customer();
      const now = Date.parse((await as('admin').get('/api/v1/test-clock')).json<{ now: string }>().now);
      const expiresAt = new Date(now + 10 * 86_400_000).toISOString();
      const put = await as('admin').put(`/api/v1/tenants/${c.tenantId}`, {
        domains: [c.domain, mailDomain],
        subscriptions: [
          { id: `sales-${c.tenantId}`, productId: 'd365_sales', expiresAt },
          { id: `bi-${c.tenantId}`, productId: 'power_bi' },
        ],
      });
      expect(put.statusCode, put.body).toBe(200);
      const body = (products: unknown[], name: string) =>
        m365Claim({
          customer: c,
          name,
          solutionArea: 'business_applications',
          activity: 'usage',
          products,
          technicalContact: { name: 'Tess', title: 'IT lead', email: 'tess@contoso.example' },
        });
      const one = await submitted('partnerA', body([{ productId: 'd365_sales' }], 'Sales only'));
      await act('reviewer', one, 'approve', contactVerified);
      // Another partner's claim on the tenant's other subscription, which does not expire.
      const two = await submitted('partnerB', {
        ...body([{ productId: 'power_bi' }], 'BI'),
        mpnId: '2345678',
        partnerContact: { name: 'Bo', email: 'bo@b.example' },
      });
      await act('reviewer', two, 'approve', contactVerified);

      await advance({ days: 8 }); // consent completes on day 7
      expect((await get(one)).consent).toMatchObject({ state: 'completed' });
      await advance({ days: 2, hours: 1 }); // the subscription expires on day 10
      const ended = await get(one);
      expect(ended).toMatchObject({
        status: 'ended',
        statusReason: 'subscription_expired',
        consent: { state: 'completed' },
      });
      expect(ended.associations).toEqual([
        expect.objectContaining({
          productId: 'd365_sales',
          endReason: 'subscription_expired',
          endedAt: expiresAt,
        }),
      ]);
      expect((await history(one)).slice(-2)).toEqual([
        expect.objectContaining({
          type: 'association_expired',
          data: expect.objectContaining({ expiresAt }),
        }),
        expect.objectContaining({
          type: 'end',
          data: expect.objectContaining({ statusReason: 'subscription_expired' }),
        }),
      ]);
      const mail = await t.database.db
        .selectFrom('outbox')
        .select('payload')
        .where('claim_id', '=', one)
        .execute();
      expect(mail.map((m) => (m.payload as { template?: string }).template)).toContain('association_expired');
      // Free again, for anyone; the other subscription's claim is untouched.
      const avail = await as('partnerB').get(
        `/api/v1/availability?tenantId=${c.tenantId}&productId=d365_sales&subscriptionId=sales-${c.tenantId}`,
      );
      expect(avail.json()).toMatchObject({ available: true });
      expect((await get(two)).status).toBe('approved');
    });
  });
});
