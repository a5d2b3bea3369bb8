// Steps shared by the time and mail tests: a claim of partner A on its own tenant, taken
// as far as the review.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { client, m365Claim, poeText, type TestApp, type World } from './harness.js';

/** Creates, documents and submits a claim (status `submitted`); returns its id. */
export async function submittedClaim(
  t: TestApp,
  w: World,
  name: string,
  over: Record<string, unknown> = {},
  who: 'partnerA' | 'partnerB' = 'partnerA',
) {
  const partner = client(t.app, w.tokens[who]);
  const body = m365Claim({
    name,
    customer: { domain: `${name.toLowerCase()}.onmicrosoft.com`, tenantId: randomUUID() },
    ...over,
  });
  const created = await partner.post('/api/v1/claims', body);
  expect(created.statusCode).toBe(201);
  const id = created.json<{ id: string }>().id;
  expect((await partner.upload(`/api/v1/claims/${id}/documents`, 'sow.txt', poeText())).statusCode).toBe(201);
  expect((await partner.post(`/api/v1/claims/${id}/submit`)).statusCode).toBe(200);
  return id;
}

/** A submitted claim that a reviewer started reviewing. */
export async function claimInReview(t: TestApp, w: World, name: string, over: Record<string, unknown> = {}) {
  const id = await submittedClaim(t, w, name, over);
  expect((await client(t.app, w.tokens.reviewer).post(`/api/v1/claims/${id}/start-review`)).statusCode).toBe(
    200,
  );
  return id;
}
