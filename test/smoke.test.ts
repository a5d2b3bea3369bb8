// The happy path through the real app on each database: create, PoE, submit, review, approve.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  client,
  contactVerified,
  dbTargets,
  m365Claim,
  poeText,
  seedWorld,
  testApp,
  type TestApp,
  type World,
} from './harness.js';

describe.each(dbTargets())('claim happy path on %s', (target) => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await testApp(target);
    w = await seedWorld(t);
  });
  afterAll(async () => t?.close());

  it('goes from draft to an association in force', async () => {
    const partner = client(t.app, w.tokens.partnerA);
    const reviewer = client(t.app, w.tokens.reviewer);
    const created = await partner.post('/api/v1/claims', m365Claim());
    expect(created.statusCode).toBe(201);
    const id = created.json<{ id: string }>().id;
    expect((await partner.upload(`/api/v1/claims/${id}/documents`, 'sow.txt', poeText())).statusCode).toBe(
      201,
    );
    const submitted = await partner.post(`/api/v1/claims/${id}/submit`);
    expect(submitted.json()).toMatchObject({ status: 'submitted' });
    expect((await reviewer.post(`/api/v1/claims/${id}/start-review`)).json()).toMatchObject({
      status: 'in_review',
    });
    const approved = await reviewer.post(`/api/v1/claims/${id}/approve`, {
      ...contactVerified,
      comment: 'ok',
    });
    expect(approved.json()).toMatchObject({ status: 'approved', consent: { state: 'pending' } });
    const assoc = await partner.get(`/api/v1/associations?tenantId=${m365Claim().customer.tenantId}`);
    expect(assoc.json<{ items: unknown[] }>().items).toHaveLength(1);
  });
});
