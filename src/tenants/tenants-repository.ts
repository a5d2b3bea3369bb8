// Typed Kysely queries for the customer directory. Nothing else lives here.
import type { Queryable, Tx } from '../db/transaction.js';

/** The subscriptions among `ids` that belong to a tenant other than `tenantId`. */
export async function subscriptionsOfOtherTenants(db: Queryable, tenantId: string, ids: string[]) {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('tenant_subscriptions')
    .select('id')
    .where('tenant_id', '!=', tenantId)
    .where('id', 'in', ids)
    .execute();
  return rows.map((r) => r.id);
}

/** The domains the directory knows of each of these tenants (a tenant it does not know: absent). */
export async function domainsOfTenants(db: Queryable, tenantIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (tenantIds.length === 0) return out;
  const rows = await db
    .selectFrom('tenant_domains')
    .select(['tenant_id', 'domain'])
    .where('tenant_id', 'in', tenantIds)
    .execute();
  for (const r of rows) out.set(r.tenant_id, [...(out.get(r.tenant_id) ?? []), r.domain]);
  return out;
}

/**
 * Records the tenant with exactly these domains; subscriptions are upserted, never deleted
 * (claims and associations may name them).
 */
export async function saveTenant(
  tx: Tx,
  tenantId: string,
  domains: string[],
  subscriptions: { id: string; productId: string; expiresAt: Date | null }[],
  now: Date,
) {
  await tx
    .insertInto('tenants')
    .values({ tenant_id: tenantId, updated_at: now })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ updated_at: now }))
    .execute();
  await tx.deleteFrom('tenant_domains').where('tenant_id', '=', tenantId).execute();
  if (domains.length > 0)
    await tx
      .insertInto('tenant_domains')
      .values(domains.map((domain) => ({ tenant_id: tenantId, domain })))
      .execute();
  for (const s of subscriptions) {
    const row = { tenant_id: tenantId, product_id: s.productId, expires_at: s.expiresAt };
    await tx
      .insertInto('tenant_subscriptions')
      .values({ id: s.id, ...row })
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
  }
}

/** Known tenant ids in order, a page at a time. */
export async function tenantIds(db: Queryable, after?: string, limit?: number): Promise<string[]> {
  let q = db.selectFrom('tenants').select('tenant_id').orderBy('tenant_id');
  if (after) q = q.where('tenant_id', '>', after);
  if (limit) q = q.limit(limit);
  return (await q.execute()).map((r) => r.tenant_id);
}
