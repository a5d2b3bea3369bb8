// Issue 13 point 9: the claim list's orders (newest, oldest, due) page by keyset
// cursor, each claim once, none missed, across pages whose claims share one instant; and the
// count of a filter set, exact up to its cap (10,000) and "more" beyond it.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
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

interface Item {
  id: string;
  name: string | null;
  organizationName: string | null;
  createdAt: string;
  updatedAt: string;
  dueAt: string | null;
}
interface Page {
  items: Item[];
  nextCursor: string | null;
}

const sorts = ['newest', 'oldest', 'due'] as const;
type Sort = (typeof sorts)[number];

/** Each order's key and whether it rises; ties are broken by id (in the database's order). */
const keyOf: Record<Sort, [(i: Item) => number, 'asc' | 'desc']> = {
  newest: [(i) => Date.parse(i.createdAt), 'desc'],
  oldest: [(i) => Date.parse(i.createdAt), 'asc'],
  due: [(i) => (i.dueAt ? Date.parse(i.dueAt) : Number.POSITIVE_INFINITY), 'asc'],
};

describe.each(dbTargets())('claim list orders and count on %s', (target) => {
  let t: TestApp;
  let w: World;
  const start = new Date('2026-03-04T12:00:00Z');
  const at = (s: number) => new Date(start.getTime() + s * 1000);

  beforeAll(async () => {
    t = await testApp(target, { start });
    w = await seedWorld(t);
    const a = client(t.app, w.tokens.partnerA);
    const b = client(t.app, w.tokens.partnerB);
    // Seven claims created at one instant, three a second later, two of another partner.
    const ids: string[] = [];
    for (let i = 0; i < 7; i++)
      ids.push(
        (
          await a.post(
            '/api/v1/claims',
            m365Claim({
              name: `Tied ${i}`,
              customer: { domain: `tied${i}.onmicrosoft.com`, tenantId: randomUUID() },
            }),
          )
        ).json<Item>().id,
      );
    t.clock.set(at(1));
    for (let i = 0; i < 3; i++)
      ids.push((await a.post('/api/v1/claims', m365Claim({ name: `Later ${i}` }))).json<Item>().id);
    for (let i = 0; i < 2; i++)
      expect(
        (await b.post('/api/v1/claims', m365Claim({ name: `Other ${i}`, mpnId: '2345678' }))).statusCode,
      ).toBe(201);
    // Four claims changed at one later instant (the first tied, and three of the later ones),
    // two submitted (a due date each, at one instant).
    t.clock.set(at(2));
    for (const id of [ids[0]!, ids[7]!, ids[8]!, ids[9]!])
      expect((await a.patch(`/api/v1/claims/${id}`, { name: `Changed ${id.slice(0, 4)}` })).statusCode).toBe(
        200,
      );
    t.clock.set(at(3));
    for (const id of [ids[1]!, ids[2]!]) {
      expect((await a.upload(`/api/v1/claims/${id}/documents`, 'sow.txt', poeText())).statusCode).toBe(201);
      const submitted = await a.post(`/api/v1/claims/${id}/submit`);
      expect(submitted.statusCode, submitted.body).toBe(200);
    }
  });
  afterAll(async () => t?.close());

  async function walk(token: string, query: string, limit: number) {
    const c = client(t.app, token);
    const items: Item[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await c.get(`/api/v1/claims?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<Page>();
      items.push(...page.items);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    return { items, pages };
  }

  it('each order, as a reviewer and as a partner, pages by two: every claim once, in order', async () => {
    for (const [who, token, expected] of [
      ['reviewer', w.tokens.reviewer, 12],
      ['partner', w.tokens.partnerA, 10],
    ] as const)
      for (const sort of sorts) {
        const all = (await client(t.app, token).get(`/api/v1/claims?sort=${sort}&limit=200`)).json<Page>();
        expect(all.items, `${who} ${sort}`).toHaveLength(expected);
        // In the order's key, ties in any order the ids give.
        const [key, dir] = keyOf[sort];
        const keys = all.items.map(key);
        const ordered = [...keys].sort((x, y) => (dir === 'asc' ? x - y : y - x));
        expect(keys, `${who} ${sort}`).toEqual(ordered);
        // Pages of two cut through the claims that share an instant: the same claims, once each.
        const walked = await walk(token, `sort=${sort}`, 2);
        expect(
          walked.items.map((i) => i.id),
          `${who} ${sort}`,
        ).toEqual(all.items.map((i) => i.id));
        expect(new Set(walked.items.map((i) => i.id)).size).toBe(expected);
        expect(walked.pages).toBe(Math.ceil(expected / 2));
      }
  });

  it('the orders differ as their keys say: the submitted first by due date, the first made first when oldest', async () => {
    const first = async (sort: Sort, n: number) =>
      (await client(t.app, w.tokens.partnerA).get(`/api/v1/claims?sort=${sort}&limit=${n}`))
        .json<Page>()
        .items.map((i) => i.name ?? '');
    expect((await first('due', 2)).sort()).toEqual(['Tied 1', 'Tied 2']);
    expect((await first('oldest', 7)).every((n) => n.startsWith('Tied') || n.startsWith('Changed'))).toBe(
      true,
    );
    expect((await first('newest', 3)).every((n) => n.startsWith('Changed'))).toBe(true);
  });

  it('a cursor of one order is refused by another (422 on cursor); an unknown order too', async () => {
    const c = client(t.app, w.tokens.reviewer);
    const cursor = (await c.get('/api/v1/claims?sort=oldest&limit=2')).json<Page>().nextCursor;
    expect(cursor).toEqual(expect.any(String));
    for (const sort of ['newest', 'due']) {
      const res = await c.get(`/api/v1/claims?sort=${sort}&limit=2&cursor=${cursor}`);
      expect(res.statusCode, sort).toBe(422);
      expect(res.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('cursor');
    }
    // No order by last change (migration 0020: its index made every claim update non-HOT).
    for (const sort of ['name', 'updated']) {
      const bad = await c.get(`/api/v1/claims?sort=${sort}`);
      expect(bad.statusCode, sort).toBe(422);
      expect(bad.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('sort');
    }
  });

  it('the count of a filter set is the number of claims its list holds, exact, for a reviewer and a partner', async () => {
    const filters = [
      '',
      'status=draft',
      'status=draft,submitted',
      'solutionArea=business_applications',
      'mpnId=1234567&q=later',
      'solutionArea=microsoft_365&status=submitted',
      'q=tied',
      'q=nothing-like-this',
      'q=contoso%20partners',
      'q=2345678',
      'mpnId=2345678',
      'overdue=true',
    ];
    for (const token of [w.tokens.reviewer, w.tokens.partnerA, w.tokens.partnerB])
      for (const f of filters) {
        const listed = await walk(token, f, 200);
        const res = await client(t.app, token).get(`/api/v1/claims/count${f ? `?${f}` : ''}`);
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json(), f).toEqual({ count: listed.items.length, exact: true });
      }
    // The search finds a claim by its partner's name or its MPN ID too (the review queue's search).
    const reviewer = client(t.app, w.tokens.reviewer);
    for (const q of ['fabrikam', 'FABRI', '2345678'])
      expect(
        (await reviewer.get(`/api/v1/claims?q=${q}`)).json<Page>().items.map((i) => i.organizationName),
        q,
      ).toEqual(['Fabrikam', 'Fabrikam']);
    expect((await client(t.app, w.tokens.partnerA).get('/api/v1/claims/count?q=fabrikam')).json()).toEqual({
      count: 0,
      exact: true,
    });
    // The filters are the list's: a bad one is refused as the list refuses it.
    const bad = await client(t.app, w.tokens.reviewer).get('/api/v1/claims/count?status=lost');
    expect(bad.statusCode).toBe(422);
    expect((await client(t.app).get('/api/v1/claims/count')).statusCode).toBe(401);
  });

  it('beyond 10,000 claims the count stops: {count: 10000, exact: false}; the counts by status stay exact', async () => {
    // 10,001 copies of one claim, written as the owner in one statement (the API would take long).
    const one = await t.database.db
      .selectFrom('claims')
      .select('id')
      .where('name', '=', 'Tied 3')
      .executeTakeFirstOrThrow();
    const prefix = randomUUID().slice(0, 8);
    await sql`INSERT INTO claims (id, organization_id, mpn_id, name, tenant_id, domain, solution_area,
        activity, status, version, created_by, created_at, updated_at)
      SELECT ${prefix} || '-' || g, organization_id, mpn_id, 'Bulk ' || g, tenant_id, domain,
        solution_area, activity, status, 1, created_by, created_at, updated_at
      FROM claims, generate_series(1, 10001) g WHERE id = ${one.id}`.execute(t.database.db);
    const a = client(t.app, w.tokens.partnerA);
    expect((await a.get('/api/v1/claims/count?q=bulk')).json()).toEqual({ count: 10_000, exact: false });
    expect((await a.get('/api/v1/claims/count?q=bulk%201000')).json()).toEqual({ count: 3, exact: true });
    // No filter but statuses: the kept counts answer, exactly, however many.
    expect((await a.get('/api/v1/claims/count')).json()).toEqual({ count: 10_011, exact: true });
    expect((await a.get('/api/v1/claims/count?status=draft')).json()).toEqual({ count: 10_009, exact: true });
    expect((await client(t.app, w.tokens.partnerB).get('/api/v1/claims/count')).json()).toEqual({
      count: 2,
      exact: true,
    });
  }, 60_000);
});
