// R-UNIQ-2 under a race (issue 2 "Done when"): on PostgreSQL, two approvals of different
// partners' claims on one workload (or one subscription), sent at the same instant through
// two app instances with their own connection pools on one database, end with exactly one
// association in force. PGlite has one connection, so it cannot race: this file runs on the
// server only, and CI (which sets TEST_DATABASE_URL) must never skip it silently.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.js';
import {
  client,
  freshDatabase,
  m365Claim,
  poeText,
  seedWorld,
  testApp,
  type TestApp,
  type World,
  contactVerified,
} from './harness.js';

const url = process.env.TEST_DATABASE_URL;
const rounds = 25;

if (!url && process.env.CI === 'true') {
  describe('concurrency on PostgreSQL', () => {
    it('needs TEST_DATABASE_URL in CI', () => {
      throw new Error('CI=true but TEST_DATABASE_URL is unset: the R-UNIQ-2 race test would not run.');
    });
  });
}

describe.skipIf(!url)('R-UNIQ-2: racing approvals on PostgreSQL', () => {
  let one: TestApp;
  let two: TestApp;
  let w: World;

  beforeAll(async () => {
    const database = await freshDatabase('postgres', 8);
    one = await testApp('postgres', { database });
    // A second instance: its own pool on the same database, as a second process would have.
    const db = await openDatabase({ url: database.url, poolSize: 8 });
    two = await testApp('postgres', { database: { db, url: database.url, drop: () => db.destroy() } });
    w = await seedWorld(one);
  });
  afterAll(async () => {
    await two?.close();
    await one?.close();
  });

  /** A claim of the given partner carried to in_review through instance one. */
  async function inReview(token: string, body: Record<string, unknown>): Promise<string> {
    const c = client(one.app, token);
    const created = await c.post('/api/v1/claims', body);
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;
    expect((await c.upload(`/api/v1/claims/${id}/documents`, 'sow.txt', poeText())).statusCode).toBe(201);
    expect((await c.post(`/api/v1/claims/${id}/submit`)).statusCode).toBe(200);
    const review = await client(one.app, w.tokens.reviewer).post(`/api/v1/claims/${id}/start-review`);
    expect(review.statusCode).toBe(200);
    return id;
  }

  it(`ends every one of ${rounds} rounds with exactly one association in force`, async () => {
    const tally = { won: 0, refused: 0, raced: 0, superseded: 0 };
    for (let round = 0; round < rounds; round++) {
      const tenantId = randomUUID();
      // Three shapes: a Microsoft 365 workload; one subscription named by both partners (or
      // resolved from the tenant's only one); and, for a tenant the directory does not know,
      // one subscription named by both (R-FIELD-3: never the whole product).
      const shape = (['workload', 'mixed', 'subscription'] as const)[round % 3]!;
      const supersede = round % 2 === 1;
      const domain = `round${round}.onmicrosoft.com`;
      let products: { productId: string; subscriptionId?: string }[] = [{ productId: 'exchange_online' }];
      let productsB = products;
      let extra: Record<string, unknown> = {};
      if (shape !== 'workload') {
        extra = {
          solutionArea: 'business_applications',
          activity: 'usage',
          technicalContact: { name: 'T', title: 'IT', email: 't@c.example' },
        };
      }
      if (shape === 'subscription') {
        const put = await client(one.app, w.tokens.admin).put(`/api/v1/tenants/${tenantId}`, {
          // The customer contact's mail domain too (R-CONS-3).
          domains: [domain, 'contoso.example'],
          subscriptions: [{ id: `sub-${round}`, productId: 'd365_sales' }],
        });
        expect(put.statusCode, put.body).toBe(200);
        // Alternately named and resolved from the tenant's single subscription.
        products = [{ productId: 'd365_sales', ...(round % 2 ? { subscriptionId: `sub-${round}` } : {}) }];
        productsB = products;
      }
      if (shape === 'mixed') {
        products = [{ productId: 'd365_sales', subscriptionId: `sub-${round}` }];
        productsB = products;
      }
      const customer = { domain, tenantId };
      const a = await inReview(w.tokens.partnerA, m365Claim({ customer, products, ...extra }));
      const b = await inReview(
        w.tokens.partnerB,
        m365Claim({ customer, products: productsB, mpnId: '2345678', ...extra }),
      );

      const body = supersede ? { ...contactVerified, supersede: true } : contactVerified;
      const [ra, rb] = await Promise.all([
        client(one.app, w.tokens.reviewer).post(`/api/v1/claims/${a}/approve`, body),
        client(two.app, w.tokens.reviewer).post(`/api/v1/claims/${b}/approve`, body),
      ]);
      const statuses = [ra.statusCode, rb.statusCode];
      const label = `round ${round} (${shape}, supersede ${supersede}): ${ra.body} / ${rb.body}`;
      for (const r of [ra, rb]) expect([200, 409], label).toContain(r.statusCode);
      const inForce = await one.database.db
        .selectFrom('associations')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('ended_at', 'is', null)
        .execute();
      expect(inForce, label).toHaveLength(1);
      if (statuses.includes(409)) {
        // One won; the loser is untouched and was told why.
        expect([...statuses].sort(), label).toEqual([200, 409]);
        const loser = ra.statusCode === 409 ? ra : rb;
        expect(loser.json<{ code: string }>().code, label).toBe('already_associated');
        const loserId = loser === ra ? a : b;
        const view = await client(one.app, w.tokens.reviewer).get(`/api/v1/claims/${loserId}`);
        expect(view.json<{ status: string }>().status, label).toBe('in_review');
        expect(inForce[0]?.claim_id, label).toBe(loser === ra ? b : a);
        tally.refused++;
        // Counted when the unique index refused it; otherwise the check after the lock did.
        if (/a moment ago/.test(loser.body)) tally.raced++;
      } else {
        // Both approved with supersede, one after the other: the later one holds it.
        expect(supersede, label).toBe(true);
        const ended = await one.database.db
          .selectFrom('associations')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .where('end_reason', '=', 'superseded')
          .execute();
        expect(ended, label).toHaveLength(1);
        expect(ended[0]?.claim_id, label).not.toBe(inForce[0]?.claim_id);
        tally.superseded++;
      }
      tally.won++;
    }
    expect(tally.won, JSON.stringify(tally)).toBe(rounds);
  });

  it('If-Match: of two writes on one version at the same instant, one wins and the other gets 412', async () => {
    const partner = client(one.app, w.tokens.partnerA);
    const id = (await partner.post('/api/v1/claims', m365Claim({ name: 'race' }))).json<{ id: string }>().id;
    for (let round = 0; round < 10; round++) {
      const before = await partner.get(`/api/v1/claims/${id}`);
      const etag = before.headers.etag as string;
      const [r1, r2] = await Promise.all([
        client(one.app, w.tokens.partnerA).patch(
          `/api/v1/claims/${id}`,
          { name: `one ${round}` },
          { 'if-match': etag },
        ),
        client(two.app, w.tokens.billingA).patch(
          `/api/v1/claims/${id}`,
          { name: `two ${round}` },
          { 'if-match': etag },
        ),
      ]);
      expect([r1.statusCode, r2.statusCode].sort(), `${r1.body} / ${r2.body}`).toEqual([200, 412]);
      const after = (await partner.get(`/api/v1/claims/${id}`)).json<{ version: number; name: string }>();
      expect(after.version).toBe(before.json<{ version: number }>().version + 1);
      expect(after.name).toBe((r1.statusCode === 200 ? r1 : r2).json<{ name: string }>().name);
    }
  });

  it('Idempotency-Key: the same create sent to two instances at once creates one claim', async () => {
    const count = async () =>
      Number(
        (
          await one.database.db
            .selectFrom('claims')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    for (let round = 0; round < 10; round++) {
      const n = await count();
      const body = m365Claim({ name: `idempotent ${round}` });
      const headers = { 'idempotency-key': `race-${round}` };
      const answers = await Promise.all([
        client(one.app, w.tokens.partnerA).post('/api/v1/claims', body, headers),
        client(two.app, w.tokens.partnerA).post('/api/v1/claims', body, headers),
      ]);
      expect(await count()).toBe(n + 1);
      for (const a of answers) expect([201, 409], a.body).toContain(a.statusCode);
    }
  });
});
