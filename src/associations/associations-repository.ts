// Typed Kysely queries for associations (R-UNIQ-2): the ones a claim creates, ends or
// completes, the lists in force and the evaluation feed. Nothing else lives here.
import { sql, type Insertable, type Selectable } from 'kysely';
import type { AssociationsTable } from '../db/schema.js';
import type { Queryable, Tx } from '../db/transaction.js';
import type { HeldAssociation } from '../domain/association-rules.js';

export type AssociationRow = Selectable<AssociationsTable>;

/** A row as the association rules read it (domain/association-rules.ts). */
export function heldAssociation(row: AssociationRow): HeldAssociation {
  return {
    claimId: row.claim_id,
    organizationId: row.organization_id,
    productId: row.product_id,
    subscriptionId: row.subscription_id,
    legacy: row.consent_state === 'legacy',
  };
}

/** The associations in force of one organization on these products of a tenant (R-UNIQ-6). */
export async function organizationHoldings(
  db: Queryable,
  organizationId: string,
  tenantId: string,
  productIds: string[],
): Promise<HeldAssociation[]> {
  if (productIds.length === 0) return [];
  const rows = await db
    .selectFrom('associations')
    .selectAll()
    .where('ended_at', 'is', null)
    .where('organization_id', '=', organizationId)
    .where('tenant_id', '=', tenantId)
    .where('product_id', 'in', productIds)
    .execute();
  return rows.map(heldAssociation);
}

/** Ends every association of the claim still in force (disassociated, customer declined); returns them. */
export function endClaimAssociations(db: Queryable, claimId: string, now: Date, reason: string) {
  return db
    .updateTable('associations')
    .set({ ended_at: now, end_reason: reason })
    .where('claim_id', '=', claimId)
    .where('ended_at', 'is', null)
    .returning(['product_id', 'subscription_id'])
    .execute();
}

/**
 * R-UNIQ-4/7: associations in force whose subscription expired by `now`: the directory's
 * `expiresAt` of the subscription, or a legacy association's own expiry. Oldest expiry first.
 * Two indexed reads (migration 0005) rather than one join over every association in force.
 */
export async function expiredAssociations(db: Queryable, now: Date, limit: number) {
  const [own, directory] = await Promise.all([
    db
      .selectFrom('associations as a')
      .select(['a.id', 'a.claim_id', 'a.product_id', 'a.subscription_id', 'a.expires_at'])
      .where('a.ended_at', 'is', null)
      .where('a.expires_at', '<=', now)
      .orderBy('a.expires_at')
      .orderBy('a.id')
      .limit(limit)
      .execute(),
    db
      .selectFrom('tenant_subscriptions as s')
      .innerJoin('associations as a', (j) =>
        j.onRef('a.subscription_id', '=', 's.id').on('a.ended_at', 'is', null).on('a.expires_at', 'is', null),
      )
      .select(['a.id', 'a.claim_id', 'a.product_id', 'a.subscription_id', 's.expires_at'])
      .where('s.expires_at', '<=', now)
      .orderBy('s.expires_at')
      .orderBy('a.id')
      .limit(limit)
      .execute(),
  ]);
  const at = (r: { expires_at: Date | null }) => r.expires_at?.getTime() ?? 0;
  return [...own, ...directory].sort((x, y) => at(x) - at(y) || x.id.localeCompare(y.id)).slice(0, limit);
}

/** The next expiry still ahead of the associations in force, up to `until` (the test clock). */
export async function nextExpiryAt(db: Queryable, until: Date): Promise<Date | null> {
  const row = await db
    .selectFrom('associations as a')
    .leftJoin('tenant_subscriptions as s', 's.id', 'a.subscription_id')
    .select((eb) => eb.fn.min(eb.fn.coalesce('a.expires_at', 's.expires_at')).as('at'))
    .where('a.ended_at', 'is', null)
    .where((eb) => eb.fn.coalesce('a.expires_at', 's.expires_at'), '<=', until)
    .executeTakeFirst();
  return row?.at ? new Date(row.at) : null;
}

/** One association in force, locked; null when it ended meanwhile. */
export function associationInForceForUpdate(tx: Tx, id: string) {
  return tx
    .selectFrom('associations')
    .selectAll()
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

/** How many associations of the claim are in force (R-UNIQ-7: none left, the claim ends). */
export async function associationsInForceOfClaim(db: Queryable, claimId: string): Promise<number> {
  const row = await db
    .selectFrom('associations')
    .select(db.fn.countAll<string>().as('n'))
    .where('claim_id', '=', claimId)
    .where('ended_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** R-TIME-3: the consent window closed without a denial. */
export function completeClaimConsent(db: Queryable, claimId: string, now: Date) {
  return completeClaimsConsent(db, [claimId], now);
}

/** completeClaimConsent of many claims in one statement (the scheduler's batches). */
export async function completeClaimsConsent(db: Queryable, claimIds: string[], now: Date) {
  if (claimIds.length === 0) return;
  await db
    .updateTable('associations')
    .set({ consent_state: 'completed', consent_completed_at: now })
    .where('claim_id', 'in', claimIds)
    .where('ended_at', 'is', null)
    .where('consent_state', '=', 'pending')
    .execute();
}

/**
 * The associations in force that a new one of this tenant + product (+ subscription) would
 * collide with (R-UNIQ-2), locked until the transaction ends.
 */
export function heldAssociationsForUpdate(
  tx: Tx,
  tenantId: string,
  productId: string,
  subscriptionId: string | null,
): Promise<AssociationRow[]> {
  return tx
    .selectFrom('associations')
    .selectAll()
    .where('ended_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([
          eb('tenant_id', '=', tenantId),
          eb('product_id', '=', productId),
          ...(subscriptionId
            ? [eb.or([eb('subscription_id', 'is', null), eb('subscription_id', '=', subscriptionId)])]
            : []),
        ]),
        ...(subscriptionId ? [eb('subscription_id', '=', subscriptionId)] : []),
      ]),
    )
    .forUpdate()
    .execute();
}

export async function endAssociation(db: Queryable, id: string, now: Date, reason: string) {
  await db
    .updateTable('associations')
    .set({ ended_at: now, end_reason: reason })
    .where('id', '=', id)
    .execute();
}

export async function insertAssociation(db: Queryable, row: Insertable<AssociationsTable>) {
  await db.insertInto('associations').values(row).execute();
}

/** Many new associations (a legacy import), a chunk per statement. */
export async function insertAssociations(db: Queryable, rows: Insertable<AssociationsTable>[]) {
  for (let i = 0; i < rows.length; i += 1000)
    await db
      .insertInto('associations')
      .values(rows.slice(i, i + 1000))
      .execute();
}

/** The organization of each of these MPN IDs (partner locations) that exists. */
export async function organizationsOfMpnIds(db: Queryable, mpnIds: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let i = 0; i < mpnIds.length; i += 1000) {
    const rows = await db
      .selectFrom('partner_locations')
      .select(['mpn_id', 'organization_id'])
      .where('mpn_id', 'in', mpnIds.slice(i, i + 1000))
      .execute();
    for (const r of rows) found.set(r.mpn_id, r.organization_id);
  }
  return found;
}

/** The associations each of these claims created, in force or ended, oldest first. */
export function associationsOfClaims(db: Queryable, claimIds: string[]) {
  if (claimIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('associations')
    .select(['claim_id', 'product_id', 'subscription_id', 'since', 'ended_at', 'end_reason'])
    .where('claim_id', 'in', claimIds)
    .orderBy('since')
    .orderBy('id')
    .execute();
}

export interface AssociationPageQuery {
  /** Only this organization's; null for every organization. */
  organizationId: string | null;
  tenantId?: string;
  /** R-UNIQ-7: also the associations that ended (with endedAt / endReason). */
  includeEnded?: boolean;
  /** Keyset: the last row of the page before. */
  after?: { at: Date; id: string };
  /** Unset: every row. */
  limit?: number;
}

/** Associations in force (and, asked, the ended ones), newest first. */
export function associationsInForce(db: Queryable, q: AssociationPageQuery): Promise<AssociationRow[]> {
  let s = db.selectFrom('associations').selectAll();
  if (!q.includeEnded) s = s.where('ended_at', 'is', null);
  if (q.tenantId) s = s.where('tenant_id', '=', q.tenantId);
  if (q.organizationId) s = s.where('organization_id', '=', q.organizationId);
  if (q.after) {
    const { at, id } = q.after;
    s = s.where((eb) => eb.or([eb('since', '<', at), eb.and([eb('since', '=', at), eb('id', '>', id)])]));
  }
  s = s.orderBy('since', 'desc').orderBy('id');
  return (q.limit ? s.limit(q.limit) : s).execute();
}

/** R-TIME-3: associations whose consent window completed, in the order they completed. */
export function completedConsents(
  db: Queryable,
  q: Omit<AssociationPageQuery, 'tenantId'> & { since?: Date },
): Promise<AssociationRow[]> {
  let s = db.selectFrom('associations').selectAll().where('consent_state', '=', 'completed');
  if (q.since) s = s.where('consent_completed_at', '>', q.since);
  if (q.organizationId) s = s.where('organization_id', '=', q.organizationId);
  if (q.after) {
    const { at, id } = q.after;
    s = s.where((eb) =>
      eb.or([
        eb('consent_completed_at', '>', at),
        eb.and([eb('consent_completed_at', '=', at), eb('id', '>', id)]),
      ]),
    );
  }
  s = s.orderBy('consent_completed_at').orderBy('id');
  return (q.limit ? s.limit(q.limit) : s).execute();
}

/**
 * R-UNIQ-3: the organizations holding this workload or subscription now. Other partners'
 * associations are not the caller's to see (row-level security): the database function
 * cpor_holders (migration 0008b) answers this one question for any caller.
 */
export async function holdersOf(db: Queryable, tenantId: string, productId: string, subscriptionId?: string) {
  const { rows } = await sql<{ organization_id: string; consent_state: string }>`
    SELECT organization_id, consent_state FROM cpor_holders(${tenantId}, ${productId}, ${subscriptionId ?? null})`.execute(
    db,
  );
  return rows;
}

/**
 * R-UNIQ-3: the organizations with a claim on this workload or subscription in one of
 * `statuses` (cpor_claimants, migration 0008b: other partners' claims are not the caller's).
 */
export async function claimantsOf(
  db: Queryable,
  tenantId: string,
  productId: string,
  subscriptionId: string | undefined,
  statuses: readonly string[],
) {
  const { rows } = await sql<{ organization_id: string }>`
    SELECT organization_id FROM cpor_claimants(${tenantId}, ${productId}, ${subscriptionId ?? null}, ${[...statuses]}::text[])`.execute(
    db,
  );
  return rows;
}
