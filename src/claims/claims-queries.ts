// Reads of claims, always through the caller's visibility (R-ROLE-2: other organizations'
// claims do not exist for a partner).
import { sql } from 'kysely';
import type { Deps } from '../deps.js';
import type { Actor } from '../domain/actor.js';
import type { ClaimState } from '../domain/claim.js';
import { authorizeRead, slaKinds } from '../domain/claim-transitions.js';
import { forbidden, notFound, validationFailed } from '../domain/errors.js';
import { loadClaim, loadClaims } from './claims-repository.js';
import { presentClaim, type ClaimView } from './claims-presenter.js';

/** Partners see their organization's claims; reviewers and platform admins see all. */
export function visibleOrganization(actor: Actor): string | null {
  if (actor.roles.includes('reviewer') || actor.roles.includes('platform_admin')) return null;
  if (!actor.organizationId) throw forbidden();
  return actor.organizationId;
}

export async function readableClaim(deps: Deps, actor: Actor, id: string): Promise<ClaimState> {
  const claim = await loadClaim(deps.db, id);
  if (!claim) throw notFound();
  authorizeRead(claim, actor);
  return claim;
}

async function present(deps: Deps, actor: Actor, claims: ClaimState[]): Promise<ClaimView[]> {
  if (claims.length === 0) return [];
  const meta = await deps.db
    .selectFrom('claims')
    .innerJoin('organizations', 'organizations.id', 'claims.organization_id')
    .select(['claims.id', 'claims.created_at', 'claims.updated_at', 'organizations.name'])
    .where(
      'claims.id',
      'in',
      claims.map((c) => c.id),
    )
    .execute();
  const associations = await deps.db
    .selectFrom('associations')
    .select(['claim_id', 'product_id', 'subscription_id', 'since', 'ended_at', 'end_reason'])
    .where(
      'claim_id',
      'in',
      claims.map((c) => c.id),
    )
    .orderBy('since')
    .orderBy('id')
    .execute();
  const now = deps.clock.now();
  return claims.map((c) => {
    const m = meta.find((x) => x.id === c.id);
    const own = associations
      .filter((a) => a.claim_id === c.id)
      .map((a) => ({
        productId: a.product_id,
        subscriptionId: a.subscription_id,
        since: a.since.toISOString(),
        endedAt: a.ended_at?.toISOString() ?? null,
        endReason: a.end_reason,
      }));
    return presentClaim(
      c,
      {
        organizationName: m?.name ?? null,
        createdAt: m?.created_at ?? now,
        updatedAt: m?.updated_at ?? now,
        associations: own,
      },
      actor,
      now,
      deps.limits,
    );
  });
}

export async function getClaimView(deps: Deps, actor: Actor, id: string): Promise<ClaimView> {
  const claim = await readableClaim(deps, actor, id);
  const [view] = await present(deps, actor, [claim]);
  if (!view) throw notFound();
  return view;
}

export async function viewOf(deps: Deps, actor: Actor, claim: ClaimState): Promise<ClaimView> {
  const [view] = await present(deps, actor, [claim]);
  if (!view) throw notFound();
  return view;
}

export interface ClaimFilters {
  status?: string[];
  solutionArea?: string;
  tenantId?: string;
  mpnId?: string;
  q?: string;
  overdue?: boolean;
  sort?: 'newest' | 'due';
  limit: number;
  cursor?: string;
}

interface Cursor {
  at: string;
  id: string;
}

const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decodeCursor(s: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString()) as Cursor;
    // Only what encodeCursor writes: anything else would reach SQL as a timestamp PostgreSQL
    // refuses (a 500), e.g. "1" or year 275760.
    if (
      typeof c?.at !== 'string' ||
      typeof c.id !== 'string' ||
      c.id.includes('\u0000') ||
      !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(c.at) ||
      Number.isNaN(Date.parse(c.at))
    )
      throw new Error();
    return c;
  } catch {
    throw validationFailed([{ path: 'cursor', message: 'is not a cursor this server gave' }]);
  }
}

// Sorting by due date puts claims without a deadline last: a far-future stand-in keeps
// the keyset cursor a plain (timestamp, id) pair.
const noDue = '9999-12-31T00:00:00.000Z';

export async function listClaims(deps: Deps, actor: Actor, f: ClaimFilters) {
  const org = visibleOrganization(actor);
  const now = deps.clock.now();
  const byDue = f.sort === 'due';
  const key = byDue ? sql<Date>`coalesce(due_at, ${noDue}::timestamptz)` : sql<Date>`created_at`;
  let q = deps.db.selectFrom('claims').select(['id', key.as('k')]);
  if (org) q = q.where('organization_id', '=', org);
  if (f.status?.length) q = q.where('status', 'in', f.status);
  if (f.solutionArea) q = q.where('solution_area', '=', f.solutionArea);
  if (f.tenantId) q = q.where('tenant_id', '=', f.tenantId.toLowerCase());
  if (f.mpnId) q = q.where('mpn_id', '=', f.mpnId);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    q = q.where((eb) => eb.or([eb('name', 'ilike', like), eb('domain', 'ilike', like)]));
  }
  // Overdue from the due instant on, as the scheduler fires it (src/deadlines/).
  if (f.overdue) q = q.where('due_at', '<=', now).where('due_kind', 'in', [...slaKinds]);
  if (f.cursor) {
    const c = decodeCursor(f.cursor);
    q = byDue
      ? q.where(sql<boolean>`(${key}, id) > (${c.at}::timestamptz, ${c.id})`)
      : q.where(sql<boolean>`(${key}, id) < (${c.at}::timestamptz, ${c.id})`);
  }
  q = byDue ? q.orderBy(key, 'asc').orderBy('id', 'asc') : q.orderBy(key, 'desc').orderBy('id', 'desc');
  const rows = await q.limit(f.limit + 1).execute();
  const page = rows.slice(0, f.limit);
  const claims = await loadClaims(
    deps.db,
    page.map((r) => r.id),
  );
  const last = page[page.length - 1];
  return {
    items: await present(deps, actor, claims),
    nextCursor:
      rows.length > f.limit && last
        ? encodeCursor({ at: new Date(last.k).toISOString(), id: last.id })
        : null,
  };
}

export async function claimHistory(deps: Deps, actor: Actor, id: string) {
  await readableClaim(deps, actor, id);
  const rows = await deps.db
    .selectFrom('claim_history')
    .selectAll()
    .where('claim_id', '=', id)
    .orderBy('id')
    .execute();
  return {
    items: rows.map((r) => ({
      at: r.at.toISOString(),
      type: r.type,
      actor: { id: r.actor_id, name: r.actor_name, role: r.actor_role },
      data: r.data,
    })),
  };
}

export async function claimComments(deps: Deps, actor: Actor, id: string) {
  await readableClaim(deps, actor, id);
  const rows = await deps.db
    .selectFrom('comments')
    .selectAll()
    .where('claim_id', '=', id)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return { items: rows.map(presentComment) };
}

export function presentComment(r: {
  id: string;
  author_id: string | null;
  author_name: string;
  author_role: string;
  text: string;
  created_at: Date;
}) {
  return {
    id: r.id,
    text: r.text,
    author: { id: r.author_id, name: r.author_name, role: r.author_role },
    createdAt: r.created_at.toISOString(),
  };
}

/** R-UNIQ-5: other partners' pending or approved claims on the same workloads / subscriptions. */
export async function competingClaims(deps: Deps, actor: Actor, id: string) {
  const claim = await readableClaim(deps, actor, id);
  if (!actor.roles.includes('reviewer')) throw forbidden('Only reviewers see competing claims.');
  if (!claim.tenantId || claim.products.length === 0) return { items: [] };
  const rows = await deps.db
    .selectFrom('claim_products as cp')
    .innerJoin('claims as c', 'c.id', 'cp.claim_id')
    .select(['c.id'])
    .distinct()
    .where('c.tenant_id', '=', claim.tenantId)
    .where('c.organization_id', '!=', claim.organizationId)
    .where('c.status', 'in', ['submitted', 'in_review', 'partner_action_required', 'approved', 'disputed'])
    .where(
      'cp.product_id',
      'in',
      claim.products.map((p) => p.productId),
    )
    .execute();
  const others = await loadClaims(
    deps.db,
    rows.map((r) => r.id),
  );
  const docs = await deps.db
    .selectFrom('documents')
    .select(['claim_id', deps.db.fn.max('created_at').as('latest')])
    .where('claim_id', 'in', [claim.id, ...others.map((o) => o.id)])
    .groupBy('claim_id')
    .execute();
  const views = await present(deps, actor, others);
  const latest = (cid: string) => {
    const d = docs.find((x) => x.claim_id === cid)?.latest;
    return d ? new Date(d).toISOString() : null;
  };
  return {
    claim: { id: claim.id, latestPoeAt: latest(claim.id) },
    items: views
      .map((v) => ({
        ...v,
        latestPoeAt: latest(v.id),
        // The same workload, or the same subscription: two named subscriptions of one product
        // do not compete (R-UNIQ-2); an unnamed one may be either, so it does.
        sharedProducts: v.products.filter((p) =>
          claim.products.some(
            (q) =>
              q.productId === p.productId &&
              (!p.subscriptionId || !q.subscriptionId || p.subscriptionId === q.subscriptionId),
          ),
        ),
      }))
      .filter((v) => v.sharedProducts.length > 0)
      .sort((a, b) => (b.latestPoeAt ?? '').localeCompare(a.latestPoeAt ?? '')),
  };
}
