// Issue 8 point 3: the claim view says what this caller may do and with what (`abilities`),
// so that the web UI holds no rule of its own; and what it offers is what the server accepts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

interface Abilities {
  editableFields: string[];
  rejectionReasons: string[];
  informationReasons: string[];
  addDocument: boolean;
  dispute: { possible: boolean; until: string | null; justificationRequired: boolean };
}
interface ClaimView {
  id: string;
  status: string;
  disputeEndsAt: string | null;
  allowedActions: string[];
  abilities: Abilities;
}

const allFields = [
  'name',
  'mpnId',
  'customer',
  'solutionArea',
  'activity',
  'products',
  'customerContact',
  'technicalContact',
  'partnerContact',
  'revenue',
];
const allRejectionReasons = [
  'partner_request',
  'customer_declined',
  'insufficient_poe',
  'missing_customer_consent',
  'missing_products',
  'no_partner_response',
  'poe_unavailable',
];

describe.each(dbTargets())('abilities in the claim view on %s', (target) => {
  let t: TestApp;
  let w: World;
  let partner: ReturnType<typeof client>;
  let reader: ReturnType<typeof client>;
  let reviewer: ReturnType<typeof client>;
  beforeAll(async () => {
    t = await testApp(target);
    w = await seedWorld(t);
    partner = client(t.app, w.tokens.partnerA);
    reader = client(t.app, w.tokens.readerA);
    reviewer = client(t.app, w.tokens.reviewer);
  });
  afterAll(async () => t?.close());

  const view = async (c: ReturnType<typeof client>, id: string) => {
    const res = await c.get(`/api/v1/claims/${id}`);
    expect(res.statusCode).toBe(200);
    return res.json<ClaimView>();
  };
  /** A claim in review, its PoE added and submitted. */
  const inReview = async (name: string) => {
    const id = (await partner.post('/api/v1/claims', m365Claim({ name }))).json<ClaimView>().id;
    await partner.upload(`/api/v1/claims/${id}/documents`, 'sow.txt', poeText(), 'text/plain');
    expect((await partner.post(`/api/v1/claims/${id}/submit`, {})).statusCode).toBe(200);
    expect((await reviewer.post(`/api/v1/claims/${id}/start-review`, {})).statusCode).toBe(200);
    return id;
  };

  it('GET /me says what each user may do across the product (R-ROLE-1): the UI navigates by it', async () => {
    const abilitiesOf = async (token: string) =>
      (await client(t.app, token).get('/api/v1/me')).json<{ abilities: Record<string, boolean | string[]> }>()
        .abilities;
    expect(await abilitiesOf(w.tokens.partnerA)).toEqual({
      partner: true,
      createClaims: true,
      review: false,
      reviewQueue: [],
      administer: false,
    });
    expect(await abilitiesOf(w.tokens.readerA)).toEqual({
      partner: true,
      createClaims: false,
      review: false,
      reviewQueue: [],
      administer: false,
    });
    expect(await abilitiesOf(w.tokens.reviewer)).toEqual({
      partner: false,
      createClaims: false,
      review: true,
      // The statuses waiting for a reviewer: the queue the UI lists (issue 8 point 3).
      reviewQueue: ['submitted', 'in_review', 'disputed'],
      administer: false,
    });
    expect(await abilitiesOf(w.tokens.admin)).toEqual({
      partner: false,
      createClaims: false,
      review: false,
      reviewQueue: [],
      administer: true,
    });
  });

  it("a draft: its partner may change every field and add PoE; its reader nothing; a reviewer doesn't decide", async () => {
    const id = (await partner.post('/api/v1/claims', m365Claim({ name: 'Draft' }))).json<ClaimView>().id;
    expect((await view(partner, id)).abilities).toEqual({
      editableFields: allFields,
      rejectionReasons: [],
      informationReasons: [],
      addDocument: true,
      dispute: { possible: false, until: null, justificationRequired: true },
    });
    expect((await view(reader, id)).abilities).toMatchObject({ editableFields: [], addDocument: false });
    expect((await view(reviewer, id)).abilities).toMatchObject({ editableFields: [], rejectionReasons: [] });
  });

  it('submitted: the partner may change only what R-EDIT-2 leaves open', async () => {
    const id = (await partner.post('/api/v1/claims', m365Claim({ name: 'Submitted' }))).json<ClaimView>().id;
    await partner.upload(`/api/v1/claims/${id}/documents`, 'sow.txt', poeText(2), 'text/plain');
    await partner.post(`/api/v1/claims/${id}/submit`, {});
    const { abilities } = await view(partner, id);
    expect(abilities.editableFields).toEqual([
      'mpnId',
      'products',
      'customerContact',
      'technicalContact',
      'partnerContact',
    ]);
    // Each field it offers is accepted; one it does not offer is refused.
    const ok = await partner.patch(`/api/v1/claims/${id}`, {
      partnerContact: { name: 'P', email: 'p@a.example' },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await partner.patch(`/api/v1/claims/${id}`, { name: 'Other' })).statusCode).toBe(409);
  });

  it('in review: the reviewer is offered exactly the rejection reasons the server accepts', async () => {
    const id = await inReview('Reasons');
    const { abilities } = await view(reviewer, id);
    expect(abilities.informationReasons).toHaveLength(5);
    expect(abilities.rejectionReasons.length).toBeGreaterThan(0);
    expect((await view(partner, id)).abilities).toMatchObject({ rejectionReasons: [], addDocument: false });
    // A reason not offered is refused (and changes nothing)...
    for (const reason of allRejectionReasons.filter((r) => !abilities.rejectionReasons.includes(r))) {
      const res = await reviewer.post(`/api/v1/claims/${id}/reject`, { reason, comment: 'no' });
      expect(res.statusCode, reason).toBe(422);
    }
    expect((await view(reviewer, id)).status).toBe('in_review');
    // ...and each one offered is accepted.
    for (const reason of abilities.rejectionReasons) {
      const claim = await inReview(`Rejected for ${reason}`);
      const res = await reviewer.post(`/api/v1/claims/${claim}/reject`, { reason, comment: 'no' });
      expect(res.statusCode, `${reason}: ${res.body}`).toBe(200);
    }
  });

  it('rejected: a dispute is possible until the window closes, whoever reads; only the partner may', async () => {
    const id = await inReview('Disputable');
    await reviewer.post(`/api/v1/claims/${id}/reject`, { reason: 'insufficient_poe', comment: 'more' });
    const mine = await view(partner, id);
    expect(mine.abilities.dispute).toEqual({
      possible: true,
      until: mine.disputeEndsAt,
      justificationRequired: true,
    });
    expect(mine.abilities.addDocument).toBe(true);
    expect(mine.allowedActions).toContain('dispute');
    const theirs = await view(reader, id);
    expect(theirs.abilities.dispute).toEqual(mine.abilities.dispute);
    expect(theirs.allowedActions).not.toContain('dispute');
    // PoE added after the rejection: a dispute needs no written justification (R-DISP-1).
    t.clock.set(new Date(t.clock.now().getTime() + 1000));
    const poe = await partner.upload(
      `/api/v1/claims/${id}/documents`,
      'signed.txt',
      poeText(2),
      'text/plain',
    );
    expect(poe.statusCode, poe.body).toBe(201);
    expect((await view(partner, id)).abilities.dispute).toMatchObject({
      possible: true,
      justificationRequired: false,
    });
    expect((await partner.post(`/api/v1/claims/${id}/dispute`, {})).statusCode).toBe(200);
    // The partner's own withdrawal is final (R-DISP-2): no dispute, ever.
    const withdrawn = (
      await partner.post('/api/v1/claims', m365Claim({ name: 'Withdrawn' }))
    ).json<ClaimView>().id;
    await partner.upload(`/api/v1/claims/${withdrawn}/documents`, 'sow.txt', poeText(3), 'text/plain');
    await partner.post(`/api/v1/claims/${withdrawn}/submit`, {});
    expect((await partner.post(`/api/v1/claims/${withdrawn}/withdraw`, {})).statusCode).toBe(200);
    expect((await view(partner, withdrawn)).abilities).toMatchObject({
      addDocument: false,
      dispute: { possible: false, until: null, justificationRequired: true },
    });
  });
});
