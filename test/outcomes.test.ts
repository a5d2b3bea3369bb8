// Issue 13 point 2: each way a claim ends is told apart by the API (`outcome` on the claim,
// the `outcome` filter of the list, a column of the CSV export), derived from the status and
// its reason (R-REJ-1/2, R-CONS-2, R-TIME-2, R-UNIQ-7).
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

interface View {
  id: string;
  status: string;
  statusReason: string | null;
  outcome: string | null;
}

describe.each(dbTargets())('claim outcomes on %s', (target) => {
  let t: TestApp;
  let w: World;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await testApp(target);
    w = await seedWorld(t);
    const reviewer = client(t.app, w.tokens.reviewer);
    const partner = client(t.app, w.tokens.partnerA);
    ids.withdrawn = await submittedClaim(t, w, 'OutWithdrawn');
    expect((await partner.post(`/api/v1/claims/${ids.withdrawn}/withdraw`, {})).statusCode).toBe(200);
    ids.rejected = await claimInReview(t, w, 'OutRejected');
    const rejected = await reviewer.post(`/api/v1/claims/${ids.rejected}/reject`, {
      reason: 'insufficient_poe',
      comment: 'No signature.',
    });
    expect(rejected.statusCode).toBe(200);
    ids.disassociated = await claimInReview(t, w, 'OutDisassociated');
    expect(
      (await reviewer.post(`/api/v1/claims/${ids.disassociated}/approve`, contactVerified)).statusCode,
    ).toBe(200);
    const ended = await partner.post(`/api/v1/claims/${ids.disassociated}/disassociate`, {
      reason: 'No longer our customer.',
    });
    expect(ended.statusCode, ended.body).toBe(200);
    ids.open = await submittedClaim(t, w, 'OutOpen');
  });
  afterAll(async () => t?.close());

  it('the claim view names the outcome; an open claim has none', async () => {
    const partner = client(t.app, w.tokens.partnerA);
    const outcome = async (id: string | undefined) =>
      (await partner.get(`/api/v1/claims/${id ?? ''}`)).json<View>().outcome;
    expect(await outcome(ids.withdrawn)).toBe('withdrawn');
    expect(await outcome(ids.rejected)).toBe('rejected_by_reviewer');
    expect(await outcome(ids.disassociated)).toBe('disassociated');
    expect(await outcome(ids.open)).toBeNull();
  });

  it('the list filters by outcome, one or several', async () => {
    const partner = client(t.app, w.tokens.partnerA);
    const names = async (qs: string) =>
      (await partner.get(`/api/v1/claims?q=Out&${qs}`))
        .json<{ items: View[] }>()
        .items.map((c) => c.id)
        .sort();
    expect(await names('outcome=withdrawn')).toEqual([ids.withdrawn]);
    expect(await names('outcome=rejected_by_reviewer')).toEqual([ids.rejected]);
    expect(await names('outcome=disassociated,withdrawn')).toEqual([ids.disassociated, ids.withdrawn].sort());
    expect(await names('outcome=ended')).toEqual([]);
    expect((await partner.get('/api/v1/claims?outcome=lost')).statusCode).toBe(422);
  });

  it('issue 13 point 5: one claim carries the words behind its status; lists do not', async () => {
    const partner = client(t.app, w.tokens.partnerA);
    const one = (await partner.get(`/api/v1/claims/${ids.rejected ?? ''}`)).json<{
      context: { rejection: { reason: string; comment: string | null; by: string } | null };
    }>();
    expect(one.context.rejection).toMatchObject({ reason: 'insufficient_poe', comment: 'No signature.' });
    const ended = (await partner.get(`/api/v1/claims/${ids.disassociated ?? ''}`)).json<{
      context: { disassociation: { reason: string } | null };
    }>();
    expect(ended.context.disassociation?.reason).toBe('No longer our customer.');
    const list = (await partner.get('/api/v1/claims?q=Out')).json<{ items: Record<string, unknown>[] }>();
    expect(list.items.every((c) => !('context' in c))).toBe(true);
  });

  it('the CSV export has an outcome column', async () => {
    const csv = (await client(t.app, w.tokens.partnerA).get('/api/v1/claims?q=OutWithdrawn&format=csv')).body
      .trim()
      .split('\r\n');
    const header = csv[0]?.split(',') ?? [];
    const row = csv[1]?.split(',') ?? [];
    expect(row[header.indexOf('outcome')]).toBe('withdrawn');
  });
});
