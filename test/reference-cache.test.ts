// Issue 14 point 2: the catalog and the holidays held in each process's memory
// (src/db/reference-cache.ts), dropped in every process when either table changes (migration
// 0021). Two apps on one database, as two processes are: a product the platform admin
// deactivates on one is refused by the other's very next create; what a transaction read of
// its own uncommitted catalog is never kept.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../src/db/transaction.js';
import { loadProducts } from '../src/claims/claims-repository.js';
import { client, dbTargets, m365Claim, seedWorld, testApp, type TestApp, type World } from './harness.js';

describe.each(dbTargets())('the catalog held in memory on %s', (target) => {
  let t: TestApp;
  let other: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await testApp(target);
    w = await seedWorld(t);
    // A second app on the same database: its own cache and its own listening connection.
    other = await testApp(target, { database: t.database });
  });
  afterAll(async () => {
    await other?.app.close();
    await other?.deps.reference?.close();
    await t?.close();
  });
  const create = (productId: string) =>
    client(other.app, w.tokens.partnerA).post('/api/v1/claims', m365Claim({ products: [{ productId }] }));
  const eventuallyHeld = async () => {
    // The cache keeps what it read beside a request once that read ends: a few reads later.
    for (let i = 0; i < 50 && !other.deps.reference!.holds('products'); i++)
      expect((await create('exchange_online')).statusCode).toBe(201);
    expect(other.deps.reference!.holds('products')).toBe(true);
  };

  it('a product deactivated in one process is refused by the next create in the other', async () => {
    await eventuallyHeld();
    // Held: a change nobody announces (the owner silences the notice) is not seen, so the
    // refusal below is the notice's doing, not a read of the table.
    const owner = t.database.db;
    await sql`ALTER TABLE products DISABLE TRIGGER products_reference_changed`.execute(owner);
    await sql`UPDATE products SET active = false WHERE id = 'exchange_online'`.execute(owner);
    expect((await create('exchange_online')).statusCode).toBe(201);
    await sql`UPDATE products SET active = true WHERE id = 'exchange_online'`.execute(owner);
    await sql`ALTER TABLE products ENABLE TRIGGER products_reference_changed`.execute(owner);
    const product = {
      name: 'Exchange Online',
      solutionArea: 'microsoft_365',
      scope: 'workload',
      dynamics365: false,
    };
    const off = await client(t.app, w.tokens.admin).put('/api/v1/catalog/products/exchange_online', {
      ...product,
      active: false,
    });
    expect(off.statusCode).toBe(200);
    const refused = await create('exchange_online');
    expect(refused.statusCode).toBe(422);
    expect(JSON.stringify(refused.json())).toContain('products');
    const on = await client(t.app, w.tokens.admin).put('/api/v1/catalog/products/exchange_online', product);
    expect(on.statusCode).toBe(200);
    expect((await create('exchange_online')).statusCode).toBe(201);
  });

  it("a transaction's own uncommitted product is used by it and never kept", async () => {
    await eventuallyHeld();
    const reference = other.deps.reference!;
    expect(reference).toBeDefined();
    // A change committed elsewhere (a statement that changes no row notifies too): the
    // next read misses and reads in the caller's transaction.
    await sql`UPDATE products SET name = name WHERE false`.execute(t.database.db);
    const seen = await inTransaction(other.deps.db, { scope: 'system' }, async (tx) => {
      await sql`INSERT INTO products (id, name, solution_area, scope, dynamics365, active)
        VALUES ('phantom_product', 'Phantom', 'microsoft_365', 'workload', false, true)`.execute(tx);
      const products = await reference.read('products', tx, loadProducts);
      throw Object.assign(new Error('roll back'), { products });
    }).catch((e: { products?: Map<string, unknown> }) => e.products);
    expect(seen?.has('phantom_product')).toBe(true);
    // Rolled back: no process holds it, however often the catalog is read.
    for (let i = 0; i < 5; i++) expect((await create('phantom_product')).statusCode).toBe(422);
    const rows = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM products WHERE id = 'phantom_product'`.execute(t.database.db);
    expect(rows.rows[0]?.n).toBe(0);
  });
});
