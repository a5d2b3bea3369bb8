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
  items: { id: string }[];
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

  async function walk(token: string, path: string, limit: number) {
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
      ids.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    return { ids, pages };
  }

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
