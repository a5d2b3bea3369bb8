// Use cases of the product catalog: the default catalog loaded at start into a database that
// lacks some of it, and a platform admin's change of one product.
import type { Deps } from '../deps.js';
import { inTransaction } from '../db/transaction.js';
import type { Actor } from '../domain/actor.js';
import { changesOf } from '../domain/admin-audit.js';
import type { CatalogProduct } from '../domain/claim.js';
import { appendAudit } from '../audit/audit-repository.js';
import { loadProducts } from '../claims/claims-repository.js';
import { requirePlatformAdmin } from '../people/people-commands.js';
import { defaultCatalog } from './catalog-data.js';
import { insertMissingProducts, saveProduct } from './catalog-repository.js';

export async function seedCatalog(deps: Deps) {
  await insertMissingProducts(deps.db, defaultCatalog);
}

const productFields = ['name', 'solutionArea', 'scope', 'dynamics365', 'active'] as const;

/** Platform admin: adds or changes a product, with its admin audit entry (migration 0019). */
export async function putProduct(deps: Deps, actor: Actor, product: CatalogProduct) {
  requirePlatformAdmin(actor);
  return inTransaction(deps.db, actor, async (tx) => {
    const before = (await loadProducts(tx)).get(product.id) ?? null;
    await saveProduct(tx, product);
    const saved = (await loadProducts(tx)).get(product.id);
    if (!saved) throw new Error(`product ${product.id} was saved but cannot be read`);
    const changes = changesOf(before ? { ...before } : null, { ...saved }, productFields);
    await appendAudit(tx, actor, deps.clock.now(), [
      { entity: 'product', entityId: product.id, action: before ? 'updated' : 'created', changes },
    ]);
    return saved;
  });
}
