// Issue 13 point 10: the dashboard's figures come from the server's reports, never from a
// download of every claim. The SLA report says each decision and counts approvals and
// rejections by reviewers only (a withdrawal, a customer's denial, an expiry is not one), in
// all and per month; claims-by-status also counts the outcomes (issue 13 point 2) and the
// claims overdue on a reviewer SLA (R-TIME-6), each for what the caller may see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimInReview, submittedClaim } from './claim-steps.js';
import {
  client,
  contactVerified,
  dbTargets,
  seedWorld,
  testApp,
  type TestApp,
  type World,
} from './harness.js';

interface Totals {
  decided: number;
  approved: number;
  rejected: number;
  byMonth: { month: string; decided: number; approved: number; rejected: number }[];
}
interface ByStatus {
  total: number;
  outcomes: { outcome: string; count: number }[];
  overdue: number;
}

describe.each(dbTargets())("the dashboard's reports on %s", (target) => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    // Wednesday 4 March 2026, noon UTC.
    t = await testApp(target);
    w = await seedWorld(t);
    const reviewer = client(t.app, w.tokens.reviewer);
    const partner = client(t.app, w.tokens.partnerA);
    const approved = await claimInReview(t, w, 'Approved');
    expect((await reviewer.post(`/api/v1/claims/${approved}/approve`, contactVerified)).statusCode).toBe(200);
    const rejected = await claimInReview(t, w, 'Rejected', { products: [{ productId: 'teams' }] });
    const no = { reason: 'insufficient_poe', comment: 'No signature.' };
    expect((await reviewer.post(`/api/v1/claims/${rejected}/reject`, no)).statusCode).toBe(200);
    // Withdrawn in review: the partner's own word, not a reviewer's rejection (R-REJ-2).
    const withdrawn = await claimInReview(t, w, 'Withdrawn', { products: [{ productId: 'onedrive' }] });
    expect((await partner.post(`/api/v1/claims/${withdrawn}/withdraw`, {})).statusCode).toBe(200);
    // Waiting for a reviewer; 6 business days later its review-start SLA has passed.
    await submittedClaim(t, w, 'Waiting', { products: [{ productId: 'sharepoint_online' }] });
    t.clock.set(new Date('2026-03-13T12:00:00Z'));
  });
  afterAll(async () => t?.close());

  it("counts the reviewers' approvals and rejections, not the partner's withdrawal, by month", async () => {
    for (const token of [w.tokens.reviewer, w.tokens.partnerA]) {
      const res = await client(t.app, token).get('/api/v1/reports/sla?from=2026-03-01&limit=1');
      expect(res.statusCode, res.body).toBe(200);
      const totals = res.json<{ totals: Totals }>().totals;
      expect(totals).toMatchObject({ decided: 2, approved: 1, rejected: 1 });
      expect(totals.byMonth).toEqual([
        expect.objectContaining({ month: '2026-03', decided: 2, approved: 1, rejected: 1 }),
      ]);
    }
    const other = await client(t.app, w.tokens.partnerB).get('/api/v1/reports/sla?from=2026-03-01');
    expect(other.json<{ totals: Totals }>().totals).toMatchObject({ decided: 0, approved: 0, byMonth: [] });
  });

  it('counts the outcomes and the overdue claims the caller sees', async () => {
    const outcomes = (r: ByStatus) => Object.fromEntries(r.outcomes.map((o) => [o.outcome, o.count]));
    for (const token of [w.tokens.reviewer, w.tokens.readerA]) {
      const r = (
        await client(t.app, token).get('/api/v1/reports/claims-by-status?detail=true')
      ).json<ByStatus>();
      expect(r.total).toBe(4);
      expect(outcomes(r)).toEqual({
        withdrawn: 1,
        customer_denied: 0,
        no_partner_response: 0,
        rejected_by_reviewer: 1,
        disassociated: 0,
        ended: 0,
      });
      expect(r.overdue).toBe(1);
    }
    const b = (
      await client(t.app, w.tokens.partnerB).get('/api/v1/reports/claims-by-status?detail=true')
    ).json<ByStatus>();
    expect(b).toMatchObject({ total: 0, overdue: 0 });
    expect(b.outcomes.every((o) => o.count === 0)).toBe(true);
    // Without ?detail (the lists' totals), only the counts the database keeps: no claim is read.
    const plain = await client(t.app, w.tokens.reviewer).get('/api/v1/reports/claims-by-status');
    expect(Object.keys(plain.json<object>()).sort()).toEqual(['items', 'total']);
  });
});
