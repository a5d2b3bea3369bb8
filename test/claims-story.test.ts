// The source pages' story through the HTTP API, on PGlite and on PostgreSQL (issue 2
// "Done when"): incomplete drafts refused by submit with every missing field named, the
// Dynamics 365, subscription and revenue rules, PoE, edits after submission, review, request
// for information, answer and resubmission, approval and associations, competing partners and
// supersede, withdrawal, rejection, disputes, the customer's denial, history, ETag and
// Idempotency-Key. One app per database: the steps share it and run in order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerActor } from '../src/domain/actor.js';
import { runClaimAction } from '../src/claims/commands/run-claim-action.js';
import {
  client,
  dbTargets,
  m365Claim,
  poeText,
  seedWorld,
  testApp,
  tenantId,
  otherTenantId,
  type TestApp,
  type World,
  contactVerified,
} from './harness.js';

type Res = Awaited<ReturnType<ReturnType<typeof client>['get']>>;
interface ClaimBody {
  id: string;
  status: string;
  statusReason: string | null;
  version: number;
  allowedActions: string[];
  requestedInformation: { reasons: string[]; comment: string; dueAt: string } | null;
  dueAt: string | null;
  consent: { state: string; endsAt: string } | null;
  disputeEndsAt: string | null;
  products: { productId: string; subscriptionId: string | null }[];
  [k: string]: unknown;
}
interface HistoryItem {
  at: string;
  type: string;
  actor: { id: string | null; name: string; role: string };
  data: Record<string, unknown>;
}
interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: { path: string; message: string }[];
}

const problemOf = (res: Res) => {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return res.json<Problem>();
};
const paths = (res: Res) => (problemOf(res).errors ?? []).map((e) => e.path);

/** A complete Business Applications claim for partner A. */
const bizappsClaim = (over: Record<string, unknown> = {}) => ({
  ...m365Claim(),
  name: 'Contoso CRM',
  solutionArea: 'business_applications',
  activity: 'pre_sales_and_usage',
  // R-FIELD-3: the tenant is unknown to the directory, so the partner names the subscription.
  products: [{ productId: 'd365_sales', subscriptionId: 'sub-story-sales' }],
  technicalContact: { name: 'Tess Tech', title: 'IT lead', email: 'tess@contoso.example' },
  ...over,
});

describe.each(dbTargets())('the claim story on %s', (target) => {
  let t: TestApp;
  let w: World;
  let partner: ReturnType<typeof client>;
  let billing: ReturnType<typeof client>;
  let partnerB: ReturnType<typeof client>;
  let reviewer: ReturnType<typeof client>;
  let admin: ReturnType<typeof client>;
  let docs = 0;

  beforeAll(async () => {
    t = await testApp(target);
    w = await seedWorld(t);
    partner = client(t.app, w.tokens.partnerA);
    billing = client(t.app, w.tokens.billingA);
    partnerB = client(t.app, w.tokens.partnerB);
    reviewer = client(t.app, w.tokens.reviewer);
    admin = client(t.app, w.tokens.admin);
  });
  afterAll(async () => t?.close());

  const url = (id: string, action = '') => `/api/v1/claims/${id}${action ? `/${action}` : ''}`;
  async function create(body: unknown, who = partner): Promise<string> {
    const res = await who.post('/api/v1/claims', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<ClaimBody>().id;
  }
  async function upload(id: string, who = partner) {
    const res = await who.upload(url(id, 'documents'), `sow-${++docs}.txt`, poeText(docs));
    expect(res.statusCode, res.body).toBe(201);
  }
  async function act(who: ReturnType<typeof client>, id: string, action: string, body?: unknown) {
    const res = await who.post(url(id, action), body);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<ClaimBody>();
  }
  const get = async (id: string, who = partner) => (await who.get(url(id))).json<ClaimBody>();
  const history = async (id: string, who = partner) =>
    (await who.get(url(id, 'history'))).json<{ items: HistoryItem[] }>().items;
  /** A claim of partner A (or B) carried to in_review. */
  async function inReview(body: unknown, who = partner): Promise<string> {
    const id = await create(body, who);
    await upload(id, who);
    await act(who, id, 'submit');
    await act(reviewer, id, 'start-review');
    return id;
  }
  const associations = () =>
    t.database.db.selectFrom('associations').selectAll().orderBy('since').orderBy('id').execute();

  it('refuses to submit an incomplete draft, naming every missing field', async () => {
    const id = await create({ name: 'Just a name' });
    const draft = await get(id);
    expect(draft).toMatchObject({ status: 'draft', version: 1 });
    expect([...draft.allowedActions].sort()).toEqual(
      ['comment', 'edit', 'submit', 'upload-document', 'withdraw'].sort(),
    );
    const res = await partner.post(url(id, 'submit'));
    expect(res.statusCode).toBe(422);
    expect(problemOf(res).code).toBe('validation_failed');
    expect(paths(res).sort()).toEqual(
      [
        'mpnId',
        'customer.domain',
        'customer.tenantId',
        'solutionArea',
        'activity',
        'products',
        'customerContact.name',
        'customerContact.title',
        'customerContact.email',
        'partnerContact.name',
        'partnerContact.email',
        'documents',
      ].sort(),
    );
    expect(await get(id)).toEqual(draft);
  });

  it('R-FIELD-2: refuses Dynamics 365 without the technical contact', async () => {
    const id = await create(bizappsClaim({ technicalContact: null }));
    await upload(id);
    const res = await partner.post(url(id, 'submit'));
    expect(res.statusCode).toBe(422);
    expect(paths(res)).toEqual(['technicalContact.name', 'technicalContact.title', 'technicalContact.email']);
    // Completed, it goes through.
    const patched = await partner.patch(url(id), {
      technicalContact: { name: 'Tess', title: 'IT lead', email: 'tess@contoso.example' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect((await act(partner, id, 'submit')).status).toBe('submitted');
  });

  it('R-FIELD-3: refuses several subscriptions of a product without the subscription ID', async () => {
    const put = await admin.put(`/api/v1/tenants/${otherTenantId}`, {
      // The tenant's mail domain too: the customer contact's address is there (R-CONS-3).
      domains: ['fabrikamcustomer.onmicrosoft.com', 'contoso.example'],
      subscriptions: [
        { id: 'sub-cs-1', productId: 'd365_customer_service' },
        { id: 'sub-cs-2', productId: 'd365_customer_service' },
      ],
    });
    expect(put.statusCode, put.body).toBe(200);
    const customer = { domain: 'fabrikamcustomer.onmicrosoft.com', tenantId: otherTenantId };
    const id = await create(bizappsClaim({ customer, products: [{ productId: 'd365_customer_service' }] }));
    await upload(id);
    const res = await partner.post(url(id, 'submit'));
    expect(res.statusCode).toBe(422);
    expect(paths(res)).toEqual(['products.0.subscriptionId']);
    // A subscription of the tenant is accepted, one it does not have is not.
    const wrong = await partner.patch(url(id), {
      products: [{ productId: 'd365_customer_service', subscriptionId: 'sub-unknown' }],
    });
    expect(wrong.statusCode).toBe(422);
    expect(paths(wrong)).toEqual(['products.0.subscriptionId']);
    const ok = await partner.patch(url(id), {
      products: [{ productId: 'd365_customer_service', subscriptionId: 'sub-cs-2' }],
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await act(partner, id, 'submit')).status).toBe('submitted');
    // The known tenant's domains are the only ones accepted.
    const otherDomain = await partner.post(
      '/api/v1/claims',
      bizappsClaim({ customer: { ...customer, domain: 'x.com' }, products: [{ productId: 'd365_sales' }] }),
    );
    expect(otherDomain.statusCode).toBe(422);
    expect(paths(otherDomain)).toEqual(['customer.domain']);
  });

  it('R-UNIQ-5: competing claims are on the same subscription, not merely the same product', async () => {
    // The claim of the test above holds sub-cs-2 of the tenant, submitted by partner A.
    const customer = { domain: 'fabrikamcustomer.onmicrosoft.com', tenantId: otherTenantId };
    const body = (subscriptionId: string) =>
      bizappsClaim({
        customer,
        mpnId: '2345678',
        products: [{ productId: 'd365_customer_service', subscriptionId }],
      });
    const other = await create(body('sub-cs-1'), partnerB);
    const same = await create(body('sub-cs-2'), partnerB);
    const competing = async (id: string) =>
      (await reviewer.get(url(id, 'competing'))).json<{ items: { sharedProducts: unknown[] }[] }>().items;
    expect(await competing(other)).toEqual([]);
    const items = await competing(same);
    expect(items).toHaveLength(1);
    expect(items[0]?.sharedProducts).toEqual([
      { productId: 'd365_customer_service', subscriptionId: 'sub-cs-2' },
    ]);
    // Availability says the same, without naming anyone.
    const avail = (sub: string) =>
      partnerB.get(
        `/api/v1/availability?tenantId=${otherTenantId}&productId=d365_customer_service&subscriptionId=${sub}`,
      );
    expect((await avail('sub-cs-1')).json()).toEqual({ available: true, reason: null, heldByYou: false });
    const taken = await avail('sub-cs-2');
    expect(taken.json()).toEqual({ available: false, reason: 'claim_pending', heldByYou: false });
    expect(taken.body).not.toContain(w.orgA.id);
  });

  it('R-FIELD-4: refuses a revenue association without its three names', async () => {
    const id = await create(
      bizappsClaim({
        activity: 'revenue_association',
        products: [{ productId: 'power_apps', subscriptionId: 'sub-story-apps' }],
      }),
    );
    await upload(id);
    const res = await partner.post(url(id, 'submit'));
    expect(res.statusCode).toBe(422);
    expect(paths(res)).toEqual([
      'revenue.solutionSellerName',
      'revenue.customerName',
      'revenue.isvSolutionName',
    ]);
    await partner.patch(url(id), {
      revenue: { solutionSellerName: 'Seller', customerName: 'Contoso', isvSolutionName: 'Contoso App' },
    });
    expect((await act(partner, id, 'submit')).status).toBe('submitted');
  });

  it('R-SUB-1: refuses to submit without PoE', async () => {
    const id = await create(m365Claim({ products: [{ productId: 'intune' }] }));
    const res = await partner.post(url(id, 'submit'));
    expect(res.statusCode).toBe(422);
    expect(paths(res)).toEqual(['documents']);
    expect((await get(id)).status).toBe('draft');
  });

  it('R-SCOPE-1: refuses other programs by name', async () => {
    const res = await partner.post('/api/v1/claims', m365Claim({ program: 'csp' }));
    expect(res.statusCode).toBe(422);
    expect(problemOf(res)).toMatchObject({ code: 'out_of_scope', errors: [{ path: 'program' }] });
    expect(problemOf(res).detail).toMatch(/not CPOR/);
    const ok = await partner.post('/api/v1/claims', m365Claim({ program: 'osu_microsoft_365' }));
    expect(ok.statusCode).toBe(201);
    for (const program of ['osa_sell', 'osu_business_applications']) {
      const mismatch = await partner.post('/api/v1/claims', m365Claim({ program }));
      expect(mismatch.statusCode, program).toBe(422);
      expect(paths(mismatch)).toEqual(['solutionArea']);
      expect((await partner.post('/api/v1/claims', bizappsClaim({ program }))).statusCode).toBe(201);
    }
  });

  describe('the main claim: edits, review, information, approval, a second partner', () => {
    let id: string;
    let idB: string;

    it('R-EDIT-2: in submitted, allows the contacts, products and MPN, and refuses the rest changing nothing', async () => {
      id = await create(m365Claim());
      await upload(id);
      const submitted = await act(partner, id, 'submit');
      expect(submitted).toMatchObject({ status: 'submitted', dueKind: 'review_start_sla' });
      expect([...submitted.allowedActions].sort()).toEqual(
        ['comment', 'edit', 'upload-document', 'withdraw'].sort(),
      );

      for (const body of [
        { name: 'Renamed' },
        { customer: { domain: 'contoso.com', tenantId } },
        { solutionArea: 'business_applications' },
        { activity: 'pre_sales' },
        { revenue: { solutionSellerName: 'a', customerName: 'b', isvSolutionName: 'c' } },
        // one refused field refuses the whole edit
        { name: 'Renamed', customerContact: { name: 'New', title: 'CTO', email: 'new@contoso.example' } },
      ]) {
        const before = await partner.get(url(id));
        const historyBefore = await history(id);
        const res = await partner.patch(url(id), body);
        expect(res.statusCode, JSON.stringify(body)).toBe(409);
        const p = problemOf(res);
        expect(p.code).toBe('edit_not_allowed');
        expect(p.errors?.map((e) => e.path)).toEqual(
          Object.keys(body).filter((k) => !['customerContact'].includes(k)),
        );
        const after = await partner.get(url(id));
        expect(after.json()).toEqual(before.json());
        expect(after.headers.etag).toBe(before.headers.etag);
        expect(await history(id)).toEqual(historyBefore);
      }

      // R-SUB-1 still holds after submission: an edit cannot leave the claim incomplete.
      for (const body of [{ products: [] }, { customerContact: null }, { partnerContact: { name: 'P' } }]) {
        const before = await partner.get(url(id));
        const res = await partner.patch(url(id), body);
        expect(res.statusCode, `${JSON.stringify(body)}: ${res.body}`).toBe(422);
        expect((await partner.get(url(id))).json()).toEqual(before.json());
      }

      const edits = {
        mpnId: '1234568',
        products: [{ productId: 'exchange_online' }, { productId: 'sharepoint_online' }],
        customerContact: { name: 'Chris Customer', title: 'CTO', email: 'chris@contoso.example' },
        technicalContact: { name: 'Tess', title: 'Admin', email: 'tess@contoso.example' },
        partnerContact: { name: 'Paula Partner', email: 'paula2@a.example' },
      };
      const res = await billing.patch(url(id), edits);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ ...edits, status: 'submitted', version: submitted.version + 1 });
      const last = (await history(id)).at(-1);
      expect(last).toMatchObject({ type: 'edited', actor: { role: 'billing_admin' } });
      expect(Object.keys(last?.data.changes as object).sort()).toEqual(Object.keys(edits).sort());
      // Back to one product for the rest of the story.
      expect(
        (await partner.patch(url(id), { products: [{ productId: 'exchange_online' }] })).statusCode,
      ).toBe(200);
    });

    it('ETag and If-Match: a stale write is refused with 412 and changes nothing', async () => {
      const res = await partner.get(url(id));
      const etag = res.headers.etag as string;
      expect(etag).toBe(`"${res.json<ClaimBody>().version}"`);
      const stale = `"${res.json<ClaimBody>().version - 1}"`;
      const contact = { name: 'Chris', title: 'CIO', email: 'chris@contoso.example' };
      const refused = await partner.patch(url(id), { customerContact: contact }, { 'if-match': stale });
      expect(refused.statusCode).toBe(412);
      expect(problemOf(refused).code).toBe('precondition_failed');
      const refusedAction = await reviewer.post(url(id, 'start-review'), undefined, { 'if-match': stale });
      expect(refusedAction.statusCode).toBe(412);
      expect((await partner.get(url(id))).json()).toEqual(res.json());
      const any = await partner.patch(
        url(id),
        { partnerContact: { name: 'Paula', email: 'paula@a.example' } },
        {
          'if-match': '*',
        },
      );
      expect(any.statusCode, any.body).toBe(200);
      const etag2 = any.headers.etag as string;
      expect(etag2).toBe(`"${res.json<ClaimBody>().version + 1}"`);
      const ok = await partner.patch(url(id), { customerContact: contact }, { 'if-match': etag2 });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.headers.etag).toBe(`"${res.json<ClaimBody>().version + 2}"`);
    });

    it('review, a request for information with reasons, the answer and the resubmission', async () => {
      // Partners cannot take a reviewer's step.
      expect((await partner.post(url(id, 'start-review'))).statusCode).toBe(403);
      const review = await act(reviewer, id, 'start-review');
      expect(review).toMatchObject({ status: 'in_review', dueKind: 'decision_sla' });
      expect([...review.allowedActions].sort()).toEqual(
        ['approve', 'comment', 'reject', 'request-information'].sort(),
      );
      // R-EDIT-2: no edits while the reviewer looks.
      const frozen = await partner.patch(url(id), {
        customerContact: { name: 'X', title: 'Y', email: 'x@y.io' },
      });
      expect(frozen.statusCode).toBe(409);
      expect(problemOf(frozen).code).toBe('edit_not_allowed');

      // Sending back what was read changes nothing and is not an edit, whatever the key order.
      const read = await partner.get(url(id));
      const same = read.json<ClaimBody>();
      const echo = await partner.patch(url(id), {
        name: same.name,
        customer: same.customer,
        customerContact: same.customerContact,
        partnerContact: same.partnerContact,
        products: same.products,
      });
      expect(echo.statusCode, echo.body).toBe(200);
      expect(echo.json()).toEqual(read.json());
      const asked = await act(reviewer, id, 'request-information', {
        reasons: ['customer_signature_missing', 'dates_missing_or_old'],
        comment: 'Please send the signed SOW.',
      });
      expect(asked).toMatchObject({
        status: 'partner_action_required',
        dueKind: 'partner_response',
        requestedInformation: {
          reasons: ['customer_signature_missing', 'dates_missing_or_old'],
          comment: 'Please send the signed SOW.',
        },
      });
      expect(asked.requestedInformation?.dueAt).toBe(asked.dueAt);
      // R-NOTE-3: the partner contact is told, in the same transaction.
      const mail = await t.database.db.selectFrom('outbox').selectAll().where('claim_id', '=', id).execute();
      expect(mail.map((m) => (m.payload as { template: string }).template)).toContain(
        'information_requested',
      );

      // The answer: a comment, a new PoE and a corrected contact, then the resubmission.
      expect((await partner.post(url(id, 'comments'), { text: 'Signed SOW attached.' })).statusCode).toBe(
        201,
      );
      await upload(id);
      const edited = await partner.patch(url(id), {
        customerContact: { name: 'Chris Customer', title: 'CIO', email: 'chris@contoso.example' },
      });
      expect(edited.statusCode, edited.body).toBe(200);
      const resubmitted = await act(partner, id, 'submit');
      expect(resubmitted).toMatchObject({ status: 'in_review', requestedInformation: null });
      const comments = (await reviewer.get(url(id, 'comments'))).json<{
        items: { text: string; author: { role: string } }[];
      }>();
      expect(comments.items).toEqual([
        expect.objectContaining({
          text: 'Signed SOW attached.',
          author: expect.objectContaining({ role: 'global_admin' }),
        }),
      ]);
    });

    it('approval creates the association and opens the consent window', async () => {
      const approved = await act(reviewer, id, 'approve', { ...contactVerified, comment: 'Looks right.' });
      expect(approved).toMatchObject({ status: 'approved', consent: { state: 'pending' }, dueAt: null });
      expect([...(await get(id)).allowedActions].sort()).toEqual(
        ['comment', 'disassociate', 'upload-document'].sort(),
      );
      const list = (await partner.get(`/api/v1/associations?tenantId=${tenantId}`)).json<{
        items: { claimId: string; productId: string; mpnId: string; consentState: string }[];
      }>().items;
      expect(list).toEqual([
        expect.objectContaining({
          claimId: id,
          productId: 'exchange_online',
          mpnId: '1234568',
          consentState: 'pending',
        }),
      ]);
      // R-POE-2: PoE can still be added to an approved claim, never removed.
      await upload(id);
      const docsList = (await partner.get(url(id, 'documents'))).json<{ items: { id: string }[] }>().items;
      const del = await partner.delete(`${url(id, 'documents')}/${docsList[0]?.id}`);
      expect(del.statusCode).toBe(409);
    });

    it('R-UNIQ-3: availability says taken without naming the other partner', async () => {
      const res = await partnerB.get(`/api/v1/availability?tenantId=${tenantId}&productId=exchange_online`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ available: false, reason: 'associated', heldByYou: false });
      for (const secret of [w.orgA.id, 'Contoso Partners', '1234567', '1234568', id]) {
        expect(res.body).not.toContain(secret);
      }
      const mine = await partner.get(`/api/v1/availability?tenantId=${tenantId}&productId=exchange_online`);
      expect(mine.json()).toMatchObject({ available: false, reason: 'yours', heldByYou: true });
      const free = await partnerB.get(`/api/v1/availability?tenantId=${tenantId}&productId=teams_phone`);
      expect(free.json()).toEqual({ available: true, reason: null, heldByYou: false });
      // B's own associations list does not show A's.
      const list = await partnerB.get(`/api/v1/associations?tenantId=${tenantId}`);
      expect(list.json<{ items: unknown[] }>().items).toEqual([]);
    });

    it('R-UNIQ-5: a second partner on the same workload is refused without supersede, and transferred with it', async () => {
      idB = await inReview(
        m365Claim({
          name: 'Fabrikam mail',
          mpnId: '2345678',
          partnerContact: { name: 'Bo', email: 'bo@b.example' },
        }),
        partnerB,
      );
      // Pending competing claims: shown as claim_pending to others, never naming B.
      // Competing claims, side by side, for reviewers only.
      const competing = await reviewer.get(url(idB, 'competing'));
      expect(competing.statusCode).toBe(200);
      const c = competing.json<{
        claim: { id: string; latestPoeAt: string };
        items: { id: string; latestPoeAt: string; sharedProducts: unknown[] }[];
      }>();
      expect(c.claim.id).toBe(idB);
      expect(c.items.map((i) => i.id)).toEqual([id]);
      expect(c.items[0]?.latestPoeAt).toEqual(expect.any(String));
      expect(c.items[0]?.sharedProducts).toEqual([{ productId: 'exchange_online', subscriptionId: null }]);
      expect((await partnerB.get(url(idB, 'competing'))).statusCode).toBe(403);
      expect((await partner.get(url(idB, 'competing'))).statusCode).toBe(404);

      const before = await partnerB.get(url(idB));
      const historyBefore = await history(idB, partnerB);
      const refused = await reviewer.post(url(idB, 'approve'), {
        ...contactVerified,
        comment: 'B did the work',
      });
      expect(refused.statusCode).toBe(409);
      expect(problemOf(refused)).toMatchObject({
        code: 'already_associated',
        errors: [{ path: 'products.0' }],
      });
      expect((await partnerB.get(url(idB))).json()).toEqual(before.json());
      expect(await history(idB, partnerB)).toEqual(historyBefore);
      // B learns nothing of A from the refusal either (it is the reviewer's answer, but check the detail).
      expect(refused.body).not.toContain(w.orgA.id);

      const transferred = await act(reviewer, idB, 'approve', {
        ...contactVerified,
        comment: 'B did the work',
        supersede: true,
      });
      expect(transferred.status).toBe('approved');
      const rows = await associations();
      const workload = rows.filter((r) => r.tenant_id === tenantId && r.product_id === 'exchange_online');
      expect(workload.filter((r) => r.ended_at === null).map((r) => r.claim_id)).toEqual([idB]);
      expect(workload.find((r) => r.claim_id === id)).toMatchObject({ end_reason: 'superseded' });
      expect(workload.find((r) => r.claim_id === id)?.ended_at).toBeInstanceOf(Date);

      // Each claim says what it holds: A's association ended, superseded; B's is in force.
      const claimA = (await partner.get(url(id))).json<{ associations: unknown[] }>();
      expect(claimA.associations).toEqual([
        expect.objectContaining({
          productId: 'exchange_online',
          endReason: 'superseded',
          endedAt: expect.any(String),
        }),
      ]);
      const claimB = (await partnerB.get(url(idB))).json<{ associations: unknown[] }>();
      expect(claimB.associations).toEqual([
        expect.objectContaining({ productId: 'exchange_online', endReason: null, endedAt: null }),
      ]);

      // Both histories record it; A's claim, with nothing left in force, has ended (R-UNIQ-7).
      const [a, end] = (await history(id)).slice(-2);
      expect(a).toMatchObject({
        type: 'association_superseded',
        actor: { role: 'reviewer' },
        data: { productId: 'exchange_online', byClaimId: idB },
      });
      expect(end).toMatchObject({
        type: 'end',
        actor: { role: 'system' },
        data: { from: 'approved', to: 'ended', statusReason: 'superseded' },
      });
      expect(await get(id)).toMatchObject({ status: 'ended', statusReason: 'superseded', consent: null });
      expect((await get(id)).allowedActions).toEqual(['comment']);
      const b = (await history(idB, partnerB)).at(-1);
      expect(b).toMatchObject({
        type: 'approve',
        actor: { role: 'reviewer' },
        data: {
          supersede: true,
          superseded: 1,
          associations: [{ productId: 'exchange_online', subscriptionId: null }],
        },
      });
      // A's partner is told (R-UNIQ-5), B's history names no one of A's.
      const mail = await t.database.db.selectFrom('outbox').selectAll().where('claim_id', '=', id).execute();
      expect(mail.map((m) => (m.payload as { template: string }).template)).toContain(
        'association_superseded',
      );
      expect(JSON.stringify(await history(idB, partnerB))).not.toContain(w.orgA.id);
      // A now sees the workload as taken by someone else, and its list holds nothing in force.
      const avail = await partner.get(`/api/v1/availability?tenantId=${tenantId}&productId=exchange_online`);
      expect(avail.json()).toMatchObject({ available: false, reason: 'associated', heldByYou: false });
      expect(avail.body).not.toContain(w.orgB.id);
    });

    it('R-HIST-1: every step is in the history, with actor and role', async () => {
      const items = await history(id);
      for (const item of items) {
        expect(item.actor.name, item.type).toBeTruthy();
        expect(item.actor.role, item.type).toBeTruthy();
        expect(Date.parse(item.at)).not.toBeNaN();
      }
      expect(items.map((i) => [i.type, i.actor.role])).toEqual([
        ['created', 'global_admin'],
        ['document_added', 'global_admin'],
        ['submit', 'global_admin'],
        ['edited', 'billing_admin'],
        ['edited', 'global_admin'],
        ['edited', 'global_admin'],
        ['edited', 'global_admin'],
        ['start_review', 'reviewer'],
        ['request_information', 'reviewer'],
        ['comment_added', 'global_admin'],
        ['document_added', 'global_admin'],
        ['edited', 'global_admin'],
        ['submit', 'global_admin'],
        ['approve', 'reviewer'],
        ['document_added', 'global_admin'],
        ['association_superseded', 'reviewer'],
        ['end', 'system'],
      ]);
      expect(items.find((i) => i.type === 'request_information')?.data).toMatchObject({
        from: 'in_review',
        to: 'partner_action_required',
        reasons: ['customer_signature_missing', 'dates_missing_or_old'],
        comment: 'Please send the signed SOW.',
      });
      expect(items.filter((i) => i.type === 'submit').map((i) => i.data.to)).toEqual([
        'submitted',
        'in_review',
      ]);
      // Oldest first, and the ids of people are kept.
      expect(items.map((i) => i.at)).toEqual([...items.map((i) => i.at)].sort());
      expect(items.find((i) => i.type === 'approve')?.actor.id).toEqual(expect.any(String));
    });

    it('R-REJ-2, R-UNIQ-7: the partner disassociates an approved claim with a reason, freeing the workload; the claim has ended', async () => {
      expect((await partnerB.post(url(idB, 'disassociate'), {})).statusCode).toBe(422);
      const done = await act(partnerB, idB, 'disassociate', { reason: 'No longer working with Contoso' });
      expect(done).toMatchObject({
        status: 'ended',
        statusReason: 'partner_request',
        disputeEndsAt: null,
        consent: null,
      });
      expect((await get(idB, partnerB)).allowedActions).not.toContain('dispute');
      const avail = await partner.get(`/api/v1/availability?tenantId=${tenantId}&productId=exchange_online`);
      expect(avail.json()).toEqual({ available: true, reason: null, heldByYou: false });
      const ended = (await associations()).find((r) => r.claim_id === idB);
      expect(ended).toMatchObject({ end_reason: 'partner_request' });
      const res = await partnerB.post(url(idB, 'dispute'), { justification: 'changed my mind' });
      expect(res.statusCode).toBe(409);
      expect(problemOf(res).code).toBe('invalid_transition');
    });
  });

  it('R-REJ-2 / R-DISP-2: a withdrawn claim is rejected at the partner request and cannot be disputed', async () => {
    const id = await inReview(m365Claim({ products: [{ productId: 'onedrive' }] }));
    const withdrawn = await act(partner, id, 'withdraw', { comment: 'Wrong customer.' });
    expect(withdrawn).toMatchObject({
      status: 'rejected',
      statusReason: 'partner_request',
      disputeEndsAt: null,
    });
    expect(withdrawn.allowedActions.sort()).toEqual(['comment']);
    const res = await partner.post(url(id, 'dispute'), { justification: 'Oops' });
    expect(res.statusCode).toBe(409);
    expect(problemOf(res).code).toBe('dispute_not_allowed');
    // A draft can be withdrawn too; a rejected claim cannot be withdrawn again.
    const draft = await create({ name: 'scratch' });
    expect((await act(partner, draft, 'withdraw')).status).toBe('rejected');
    const again = await partner.post(url(draft, 'withdraw'));
    expect(again.statusCode).toBe(409);
    expect(problemOf(again).code).toBe('invalid_transition');
  });

  it('R-REJ-1 / R-DISP-1: reject with a reason, dispute, overturn', async () => {
    const id = await inReview(m365Claim({ products: [{ productId: 'teams' }] }));
    const bad = await reviewer.post(url(id, 'reject'), { reason: 'partner_request', comment: 'x' });
    expect(bad.statusCode).toBe(422);
    expect(paths(bad)).toEqual(['reason']);
    const rejected = await act(reviewer, id, 'reject', {
      reason: 'insufficient_poe',
      comment: 'Not signed.',
    });
    expect(rejected).toMatchObject({ status: 'rejected', statusReason: 'insufficient_poe' });
    expect(Date.parse(rejected.disputeEndsAt ?? '') - t.clock.now().getTime()).toBe(30 * 86_400_000);
    expect((await get(id)).allowedActions).toContain('dispute');
    const mail = await t.database.db.selectFrom('outbox').selectAll().where('claim_id', '=', id).execute();
    expect(mail.map((m) => (m.payload as { template: string }).template)).toContain('claim_rejected');

    const noReason = await partner.post(url(id, 'dispute'), { justification: '  ' });
    expect(noReason.statusCode).toBe(422);
    expect(paths(noReason)).toEqual(['justification']);
    const disputed = await act(partner, id, 'dispute', { justification: 'Signed on page 2.' });
    expect(disputed).toMatchObject({ status: 'disputed', dueKind: 'dispute_decision_sla' });
    expect(
      (await partner.post(url(id, 'resolve-dispute'), { outcome: 'overturn', comment: 'x' })).statusCode,
    ).toBe(403);
    const overturned = await act(reviewer, id, 'resolve-dispute', {
      ...contactVerified,
      outcome: 'overturn',
      comment: 'Indeed.',
    });
    expect(overturned).toMatchObject({
      status: 'approved',
      statusReason: null,
      consent: { state: 'pending' },
    });
    const inForce = (await associations()).filter((r) => r.claim_id === id && r.ended_at === null);
    expect(inForce.map((r) => r.product_id)).toEqual(['teams']);
    expect((await history(id)).slice(-3).map((h) => [h.type, h.actor.role])).toEqual([
      ['reject', 'reviewer'],
      ['dispute', 'global_admin'],
      ['resolve_dispute', 'reviewer'],
    ]);
  });

  it('R-DISP-1: an upheld dispute stays rejected and cannot be disputed again', async () => {
    const id = await inReview(m365Claim({ products: [{ productId: 'teams_meetings' }] }));
    await act(reviewer, id, 'reject', {
      reason: 'missing_products',
      comment: 'Teams Meetings is not in the SOW.',
    });
    await act(partner, id, 'dispute', { justification: 'It is, section 3.' });
    const upheld = await act(reviewer, id, 'resolve-dispute', { outcome: 'uphold', comment: 'It is not.' });
    expect(upheld).toMatchObject({
      status: 'rejected',
      statusReason: 'missing_products',
      disputeEndsAt: null,
    });
    expect((await get(id)).allowedActions).not.toContain('dispute');
    const again = await partner.post(url(id, 'dispute'), { justification: 'Please.' });
    expect(again.statusCode).toBe(409);
    expect(problemOf(again).code).toBe('dispute_not_allowed');
    expect((await associations()).filter((r) => r.claim_id === id)).toEqual([]);
  });

  it('R-CONS-2 / R-DISP-2: the customer denies consent; the claim is rejected, the workload freed, no dispute', async () => {
    const id = await inReview(m365Claim({ products: [{ productId: 'entra_id_p1' }] }));
    await act(reviewer, id, 'approve', contactVerified);
    expect((await associations()).filter((r) => r.claim_id === id && r.ended_at === null)).toHaveLength(1);
    const denied = await runClaimAction(t.deps, {
      actor: customerActor('Chris Customer'),
      claimId: id,
      action: 'customer_deny',
      payload: { reason: 'We never worked with them.' },
    });
    expect(denied).toMatchObject({
      status: 'rejected',
      statusReason: 'customer_declined',
      consentState: 'denied',
    });
    const view = await get(id);
    expect(view).toMatchObject({ consent: { state: 'denied' }, disputeEndsAt: null });
    expect(view.allowedActions).not.toContain('dispute');
    expect((await associations()).find((r) => r.claim_id === id)).toMatchObject({
      end_reason: 'customer_declined',
    });
    const res = await partner.post(url(id, 'dispute'), { justification: 'The customer is wrong.' });
    expect(res.statusCode).toBe(409);
    expect(problemOf(res).code).toBe('dispute_not_allowed');
    expect((await history(id)).at(-1)).toMatchObject({
      type: 'customer_deny',
      actor: { id: null, name: 'Chris Customer', role: 'customer' },
      data: { statusReason: 'customer_declined' },
    });
  });

  it('Idempotency-Key: a retried create returns the first answer and creates nothing new', async () => {
    const count = async () =>
      Number(
        (
          await t.database.db
            .selectFrom('claims')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const n = await count();
    const body = m365Claim({ name: 'Idempotent', products: [{ productId: 'viva' }] });
    const first = await partner.post('/api/v1/claims', body, { 'idempotency-key': 'create-viva-1' });
    expect(first.statusCode).toBe(201);
    const retry = await partner.post('/api/v1/claims', body, { 'idempotency-key': 'create-viva-1' });
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    // The same body with its fields in another order is the same request.
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const retry2 = await partner.post('/api/v1/claims', reordered, { 'idempotency-key': 'create-viva-1' });
    expect(retry2.statusCode).toBe(201);
    expect(retry2.json()).toEqual(first.json());
    expect(await count()).toBe(n + 1);
    const other = await partner.post(
      '/api/v1/claims',
      { ...body, name: 'Other' },
      { 'idempotency-key': 'create-viva-1' },
    );
    expect(other.statusCode).toBe(422);
    expect(problemOf(other).code).toBe('idempotency_key_reused');
    // Keys are per user: another user's same key is a new request.
    const billingFirst = await billing.post('/api/v1/claims', body, { 'idempotency-key': 'create-viva-1' });
    expect(billingFirst.statusCode).toBe(201);
    expect(billingFirst.json<ClaimBody>().id).not.toBe(first.json<ClaimBody>().id);
    expect(await count()).toBe(n + 2);
    // Concurrent retries of one key create one claim: the others replay it or are told to retry.
    const before = await count();
    const racing = await Promise.all(
      [1, 2, 3].map(() => partner.post('/api/v1/claims', body, { 'idempotency-key': 'create-viva-race' })),
    );
    expect(await count()).toBe(before + 1);
    const ids = new Set(racing.filter((r) => r.statusCode === 201).map((r) => r.json<ClaimBody>().id));
    expect(ids.size).toBe(1);
    for (const r of racing) expect([201, 409]).toContain(r.statusCode);
    const settled = await partner.post('/api/v1/claims', body, { 'idempotency-key': 'create-viva-race' });
    expect(settled.statusCode).toBe(201);
    expect(ids.has(settled.json<ClaimBody>().id)).toBe(true);
    // A refused request keeps nothing: fixed, its retry with the same key runs.
    const refused = await partner.post(
      '/api/v1/claims',
      { ...body, mpnId: '2345678' },
      { 'idempotency-key': 'k-2' },
    );
    expect(refused.statusCode).toBe(422);
    const again = await partner.post(
      '/api/v1/claims',
      { ...body, mpnId: '2345678' },
      { 'idempotency-key': 'k-2' },
    );
    expect(again.statusCode).toBe(422);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    // Comments too.
    const id = first.json<ClaimBody>().id;
    await partner.post(url(id, 'comments'), { text: 'once' }, { 'idempotency-key': 'c-1' });
    await partner.post(url(id, 'comments'), { text: 'once' }, { 'idempotency-key': 'c-1' });
    expect((await partner.get(url(id, 'comments'))).json<{ items: unknown[] }>().items).toHaveLength(1);
  });

  it('lists only what the caller may see, with filters', async () => {
    const mine = (await partner.get('/api/v1/claims?limit=200')).json<{ items: ClaimBody[] }>().items;
    expect(mine.length).toBeGreaterThan(5);
    expect(mine.every((c) => c.organizationId === w.orgA.id)).toBe(true);
    const theirs = (await partnerB.get('/api/v1/claims?limit=200')).json<{ items: ClaimBody[] }>().items;
    expect(theirs.every((c) => c.organizationId === w.orgB.id)).toBe(true);
    const all = (await reviewer.get('/api/v1/claims?limit=200')).json<{ items: ClaimBody[] }>().items;
    expect(all).toHaveLength(mine.length + theirs.length);
    const rejected = (await partner.get('/api/v1/claims?status=rejected')).json<{ items: ClaimBody[] }>()
      .items;
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected.every((c) => c.status === 'rejected')).toBe(true);
    // Paging with the cursor walks every claim once.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: ClaimBody[]; nextCursor: string | null } = (
        await reviewer.get(`/api/v1/claims?limit=3${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(all.map((c) => c.id).sort());
  });

  it('R-HIST-1: every claim of the story has a history that explains its status, with actor and role', async () => {
    const claims = await t.database.db.selectFrom('claims').select(['id', 'status']).execute();
    expect(claims.length).toBeGreaterThan(15);
    const roles = ['global_admin', 'billing_admin', 'incentives_admin', 'reviewer', 'customer', 'system'];
    for (const c of claims) {
      const rows = await t.database.db
        .selectFrom('claim_history')
        .selectAll()
        .where('claim_id', '=', c.id)
        .orderBy('id')
        .execute();
      expect(rows[0]?.type, c.id).toBe('created');
      let status = 'draft';
      for (const r of rows) {
        expect(r.actor_name, `${c.id} ${r.type}`).toBeTruthy();
        expect(roles, `${c.id} ${r.type}`).toContain(r.actor_role);
        const data = r.data as { from?: string; to?: string };
        if (data.to) {
          expect(data.from, `${c.id} ${r.type}`).toBe(status);
          status = data.to;
        }
      }
      expect(status, c.id).toBe(c.status);
    }
    // Append-only, by the database itself.
    await expect(
      t.database.db.updateTable('claim_history').set({ actor_name: 'someone else' }).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(t.database.db.deleteFrom('claim_history').execute()).rejects.toThrow(/append-only/);
  });

  // Last: it moves the shared clock forward.
  it('R-DISP-1 / R-TIME-4: a dispute after 30 days is refused; a new claim is the way', async () => {
    const id = await inReview(m365Claim({ products: [{ productId: 'windows' }] }));
    await act(reviewer, id, 'reject', { reason: 'poe_unavailable', comment: 'Link broken.' });
    t.clock.set(new Date(t.clock.now().getTime() + 30 * 86_400_000 + 60_000));
    expect((await get(id)).allowedActions).not.toContain('dispute');
    const res = await partner.post(url(id, 'dispute'), { justification: 'Late.' });
    expect(res.statusCode).toBe(409);
    expect(problemOf(res).code).toBe('dispute_window_closed');
    expect((await get(id)).status).toBe('rejected');
  });
});
