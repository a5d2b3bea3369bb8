// Reads of associations for the API and the command line: their API shape, keyset pages
// (api.md "Lists") and the CSV export, streamed a page at a time.
import { csvLines } from '../lib/csv.js';
import { decodeCursor, encodeCursor, everyRow } from '../lib/cursor.js';
import type { Deps } from '../deps.js';
import type { Actor } from '../domain/actor.js';
import { loadTenant } from '../claims/claims-repository.js';
import { claimantsOf, holdersOf, type AssociationRow } from './associations-repository.js';

export function presentAssociation(a: AssociationRow) {
  return {
    id: a.id,
    claimId: a.claim_id,
    organizationId: a.organization_id,
    mpnId: a.mpn_id,
    tenantId: a.tenant_id,
    productId: a.product_id,
    subscriptionId: a.subscription_id,
    scope: a.scope,
    since: a.since.toISOString(),
    expiresAt: a.expires_at?.toISOString() ?? null,
    legacy: a.consent_state === 'legacy',
    consentState: a.consent_state,
    consentCompletedAt: a.consent_completed_at?.toISOString() ?? null,
    // In force: both null. The evaluation feed keeps associations that ended after their
    // consent completed (superseded, disassociated), so it says when and why.
    endedAt: a.ended_at?.toISOString() ?? null,
    endReason: a.end_reason,
  };
}

const csvHeader = [
  'id',
  'claimId',
  'organizationId',
  'mpnId',
  'tenantId',
  'productId',
  'subscriptionId',
  'scope',
  'since',
  'expiresAt',
  'legacy',
  'consentState',
  'consentCompletedAt',
  'endedAt',
  'endReason',
];
const csvRow = (a: ReturnType<typeof presentAssociation>) => csvHeader.map((k) => a[k as keyof typeof a]);

/** One page of rows, keyset by (key, id); the next cursor when there is more. */
export async function pageOf(
  fetch: (after: { at: Date; id: string } | undefined, limit: number) => Promise<AssociationRow[]>,
  key: (a: AssociationRow) => Date | null,
  limit: number,
  cursor: string | undefined,
) {
  const c = cursor ? decodeCursor(cursor) : undefined;
  const rows = await fetch(c ? { at: new Date(c.at), id: c.id } : undefined, limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const at = last ? key(last) : null;
  return {
    items: page.map(presentAssociation),
    nextCursor:
      rows.length > limit && last && at ? encodeCursor({ at: at.toISOString(), id: last.id }) : null,
  };
}

/** Every page as CSV lines. */
export function associationsCsv(page: (cursor: string | undefined) => ReturnType<typeof pageOf>) {
  const rows = async function* () {
    for await (const a of everyRow(page)) yield csvRow(a);
  };
  return csvLines(csvHeader, rows());
}

const pendingStatuses = ['submitted', 'in_review', 'partner_action_required', 'disputed'] as const;

/**
 * R-UNIQ-3: whether a workload (or a subscription) of a tenant is free for the caller's
 * organization, never naming who holds it.
 */
export async function availabilityOf(
  deps: Deps,
  actor: Actor,
  tenantIdAsGiven: string,
  productId: string,
  subscriptionId?: string,
) {
  const tenantId = tenantIdAsGiven.toLowerCase();
  const mine = actor.organizationId;
  // R-ROLE-3 lets a partner learn whether the subscription it typed agrees with the
  // tenant (never which ones it has): one that does not exist is not available.
  if (subscriptionId) {
    const tenant = await loadTenant(deps.db, tenantId);
    if (tenant && !tenant.subscriptions.some((s) => s.id === subscriptionId && s.productId === productId))
      return { available: false, reason: 'unknown_subscription' as const, heldByYou: false };
  }
  // R-UNIQ-6: what the caller's organization holds is `yours` (its own legacy association
  // aside: it re-associates that one through a claim, R-UNIQ-4).
  const holders = (await holdersOf(deps.db, tenantId, productId, subscriptionId)).filter(
    (h) => !(h.organization_id === mine && h.consent_state === 'legacy'),
  );
  if (mine !== null && holders.some((h) => h.organization_id === mine)) {
    return { available: false, reason: 'yours' as const, heldByYou: true };
  }
  if (holders.length) return { available: false, reason: 'associated' as const, heldByYou: false };
  const claims = await claimantsOf(deps.db, tenantId, productId, subscriptionId, pendingStatuses);
  if (claims.length) {
    return {
      available: false,
      reason: 'claim_pending' as const,
      heldByYou: mine !== null && claims.every((c) => c.organization_id === mine),
    };
  }
  return { available: true, reason: null, heldByYou: false };
}
