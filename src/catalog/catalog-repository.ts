// Typed Kysely queries for the product catalog. Nothing else lives here.
import type { Queryable } from '../db/transaction.js';
import type { CatalogProduct } from '../domain/claim.js';

/** Adds the products that are not there yet; never changes one a platform admin changed. */
export async function insertMissingProducts(db: Queryable, products: Omit<CatalogProduct, 'active'>[]) {
  await db
    .insertInto('products')
    .values(
      products.map((p) => ({
        id: p.id,
        name: p.name,
        solution_area: p.solutionArea,
        scope: p.scope,
        dynamics365: p.dynamics365,
        active: true,
      })),
    )
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export async function saveProduct(db: Queryable, p: CatalogProduct) {
  const row = {
    name: p.name,
    solution_area: p.solutionArea,
    scope: p.scope,
    dynamics365: p.dynamics365,
    active: p.active,
  };
  await db
    .insertInto('products')
    .values({ id: p.id, ...row })
    .onConflict((oc) => oc.column('id').doUpdateSet(row))
    .execute();
}

/** Every product's id and name (mail and the consent page show names). */
export function productNames(db: Queryable) {
  return db.selectFrom('products').select(['id', 'name']).execute();
}
