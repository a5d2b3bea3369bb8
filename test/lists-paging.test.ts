// Every list pages the same way (api.md "Lists", issue 8 point 6): `limit`, `cursor`,
// `nextCursor`; and CSV exports are streamed across pages, so that a million rows never sit in
// memory (issue 12 point 3).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimInReview } from './claim-steps.js';
import {
  client,
  dbTargets,
  m365Claim,
  seedWorld,
  testApp,
  type TestApp,
  type World,
  contactVerified,
} from './harness.js';

interface Page {
  items: Record<string, unknown>[];
  nextCursor: string | null;
}

describe.each(dbTargets())('lists and exports on %s', (target) => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await testApp(target);
    w = await seedWorld(t);
  });
  afterAll(async () => t?.close());

  async function walk(
    token: string,
    path: string,
    limit: number,
    keyOf = (i: Record<string, unknown>) => i.id,
  ) {
    const c = client(t.app, token);
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const res = await c.get(`${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<Page>();
      expect(page.items.length).toBeLessThanOrEqual(limit);
      ids.push(...page.items.map((i) => String(keyOf(i))));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    return { ids, pages };
  }

  it("users, organizations, tenants and a claim's history, comments and documents page by limit and cursor, each item once, in order", async () => {
    const admin = client(t.app, w.tokens.admin);
    for (let i = 0; i < 3; i++) {
      const org = await admin.post('/api/v1/organizations', {
        name: `Paged org ${i}`,
        locations: [{ mpnId: `765432${i}`, name: 'Lisbon' }],
      });
      expect(org.statusCode, org.body).toBe(201);
      const user = await admin.post('/api/v1/users', {
        email: `paged${i}@paged.example`,
        name: `Paged ${i}`,
        password: 'paged-password-1',
        roles: ['reader'],
        organizationId: org.json<{ id: string }>().id,
      });
      expect(user.statusCode, user.body).toBe(201);
      const tenant = `0000000${i}-0000-4000-8000-000000000000`;
      expect(
        (
          await admin.put(`/api/v1/tenants/${tenant}`, {
            domains: [`paged${i}.example`, `b-paged${i}.example`],
            subscriptions: [
              { id: `sub-b-${i}`, productId: 'd365_sales' },
              { id: `sub-a-${i}`, productId: 'd365_sales', expiresAt: '2030-01-01T00:00:00.000Z' },
            ],
          })
        ).statusCode,
      ).toBe(200);
    }
    // The tenants list tells each tenant as its own page does (its domains and subscriptions
    // are read for the whole page at once).
    const tenants = (await admin.get('/api/v1/tenants?limit=200')).json<Page>().items;
    expect(tenants.filter((x) => String(x.tenantId).startsWith('0000000'))).toHaveLength(3);
    const bySub = (x: Record<string, unknown>) => ({
      ...x,
      subscriptions: (x.subscriptions as { id: string }[]).toSorted((a, b) => a.id.localeCompare(b.id)),
    });
    for (const item of tenants) {
      const one = await admin.get(`/api/v1/tenants/${String(item.tenantId)}`);
      expect(bySub(item)).toEqual(bySub(one.json()));
    }
    // A claim with comments written at one instant (the test clock stands still) and documents.
    const partner = client(t.app, w.tokens.partnerA);
    const claimId = (await partner.post('/api/v1/claims', m365Claim({ name: 'Paged claim' }))).json<{
      id: string;
    }>().id;
    for (let i = 0; i < 5; i++)
      expect(
        (await partner.post(`/api/v1/claims/${claimId}/comments`, { text: `Note ${i}` })).statusCode,
      ).toBe(201);
    for (let i = 0; i < 3; i++)
      expect(
        (
          await partner.upload(
            `/api/v1/claims/${claimId}/documents`,
            `sow${i}.txt`,
            `Statement of work ${i}\n`,
          )
        ).statusCode,
      ).toBe(201);

    const lists: [string, string, (i: Record<string, unknown>) => unknown][] = [
      [w.tokens.admin, '/api/v1/users', (i) => i.id],
      [w.tokens.admin, '/api/v1/users?organizationId=' + w.orgA.id, (i) => i.id],
      [w.tokens.reviewer, '/api/v1/organizations', (i) => i.id],
      [w.tokens.admin, '/api/v1/tenants', (i) => i.tenantId],
      [w.tokens.partnerA, `/api/v1/claims/${claimId}/history`, (i) => i.seq],
      [w.tokens.partnerA, `/api/v1/claims/${claimId}/comments`, (i) => i.id],
      [w.tokens.partnerA, `/api/v1/claims/${claimId}/documents`, (i) => i.id],
    ];
    for (const [token, path, keyOf] of lists) {
      const sep = path.includes('?') ? '&' : '?';
      const all = (await client(t.app, token).get(`${path}${sep}limit=200`)).json<Page>();
      expect(all.nextCursor, path).toBeNull();
      expect(all.items.length, path).toBeGreaterThanOrEqual(3);
      const walked = await walk(token, path, 2, keyOf);
      expect(walked.ids, path).toEqual(all.items.map((i) => String(keyOf(i))));
      expect(walked.pages, path).toBe(Math.ceil(all.items.length / 2));
      // A limit outside 1..200 or a cursor this server did not give is refused.
      for (const bad of ['limit=0', 'limit=201', 'cursor=bm90LWEtY3Vyc29y']) {
        const res = await client(t.app, token).get(`${path}${sep}${bad}`);
        expect(res.statusCode, `${path} ${bad}`).toBe(422);
        expect(res.json<{ errors: { path: string }[] }>().errors[0]?.path, `${path} ${bad}`).toBe(
          bad.split('=')[0],
        );
      }
    }
    // The first page of comments: two, and a cursor to the rest.
    const first = (await partner.get(`/api/v1/claims/${claimId}/comments?limit=2`)).json<Page>();
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    // Written at one instant, the comments come back in the order they were written, on every
    // page (migration 0023: their random ids broke the tie before).
    const texts = await walk(w.tokens.partnerA, `/api/v1/claims/${claimId}/comments`, 2, (i) => i.text);
    expect(texts.ids).toEqual(['Note 0', 'Note 1', 'Note 2', 'Note 3', 'Note 4']);
    const at = (await partner.get(`/api/v1/claims/${claimId}/comments`))
      .json<Page>()
      .items.map((i) => i.createdAt);
    expect(new Set(at).size).toBe(1);
  });

  it('the associations list pages by limit and cursor, every row once', async () => {
    const reviewer = client(t.app, w.tokens.reviewer);
    for (let i = 0; i < 5; i++) {
      const id = await claimInReview(t, w, `Paged${i}`);
      expect((await reviewer.post(`/api/v1/claims/${id}/approve`, contactVerified)).statusCode).toBe(200);
      t.clock.set(new Date(t.clock.now().getTime() + 1000)); // a distinct `since` each
    }
    const all = (await reviewer.get('/api/v1/associations?limit=200')).json<Page>();
    expect(all.items.length).toBeGreaterThanOrEqual(5);
    expect(all.nextCursor).toBeNull();
    const walked = await walk(w.tokens.reviewer, '/api/v1/associations', 2);
    expect(walked.ids).toEqual(all.items.map((i) => i.id));
    expect(walked.pages).toBe(Math.ceil(all.items.length / 2));
    // The partner's own, paged the same way.
    const mine = await walk(w.tokens.partnerA, '/api/v1/associations', 1);
    expect(mine.ids.length).toBe(all.items.length);
    const bad = await reviewer.get('/api/v1/associations?cursor=bm90LWEtY3Vyc29y');
    expect(bad.statusCode).toBe(422);
    expect(bad.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('cursor');
    const csv = (await reviewer.get('/api/v1/associations?format=csv')).body.trim().split('\r\n');
    expect(csv.length).toBe(all.items.length + 1);
  });

  it('the claims CSV export streams every page: 230 claims, each once, as the list has them', async () => {
    const partner = client(t.app, w.tokens.billingA);
    for (let i = 0; i < 230; i++)
      expect((await partner.post('/api/v1/claims', m365Claim({ name: `Export ${i}` }))).statusCode).toBe(201);
    const listed = await walk(w.tokens.billingA, '/api/v1/claims?q=Export', 200);
    expect(listed.ids.length).toBe(230);
    expect(listed.pages).toBe(2);
    const res = await partner.get('/api/v1/claims?q=Export&format=csv');
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,name,status,/);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(listed.ids);
  });
});
