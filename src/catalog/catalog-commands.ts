// Use case: the default catalog, loaded at start into a database that lacks some of it.
import type { Deps } from '../deps.js';
import { defaultCatalog } from './catalog-data.js';
import { insertMissingProducts } from './catalog-repository.js';

export async function seedCatalog(deps: Deps) {
  await insertMissingProducts(deps.db, defaultCatalog);
}
