// Reads of claims, always through the caller's visibility (R-ROLE-2: other organizations'
// claims do not exist for a partner).
import type { Deps } from '../deps.js';
import type { Actor } from '../domain/actor.js';
import type { ClaimState } from '../domain/claim.js';
import { slaKinds } from '../domain/claim-deadlines.js';
import { outcomeConditions, type Outcome } from '../domain/claim-outcome.js';
import { authorizeRead } from '../domain/claim-policy.js';
import { decodeCursor, decodeKeyCursor, encodeCursor, keyPage } from '../lib/cursor.js';
import { ChainCheck, verifyChain, type ChainVerdict } from '../domain/history-chain.js';
import { forbidden, notFound } from '../domain/errors.js';
import { readAs, withCaller, type Queryable } from '../db/transaction.js';
import { latestDocumentDates } from '../documents/documents-repository.js';
import {
  claimCountsByStatus,
  commentOfClaim,
  countClaimsUpTo,
  commentsOf,
  competingClaimIds,
  historyOf,
  historyPageAfter,
  loadClaim,
  loadClaims,
  loadClaimsWithExtras,
  listPlan,
  type ClaimExtras,
  pageOfClaimIds,
  type ClaimSort,
  type CommentRow,
} from './claims-repository.js';
import { presentClaim, type ClaimView } from './claims-presenter.js';
import { contextOf, contextTypes } from './claim-context.js';
import { customerContactCheck } from '../domain/claim-rules.js';
import { domainsOfTenants } from '../tenants/tenants-repository.js';

/** Partners see their organization's claims; reviewers and platform admins see all. */
export function visibleOrganization(actor: Actor): string | null {
  if (actor.roles.includes('reviewer') || actor.roles.includes('platform_admin')) return null;
  if (!actor.organizationId) throw forbidden();
  return actor.organizationId;
}

/** The claim if the caller may read it (run inside withCaller: the database agrees, R-ROLE-2). */
export async function readableClaim(q: Queryable, actor: Actor, id: string): Promise<ClaimState> {
  const claim = await loadClaim(q, id);
  if (!claim) throw notFound();
  authorizeRead(claim, actor);
  return claim;
}

/**
 * One claim, with the context of its status (issue 13 point 5); lists go without. `extras`:
 * what was read with the claim; else read here, with the context's history (one query).
 */
async function presentOne(deps: Deps, q: Queryable, actor: Actor, claim: ClaimState, extras?: ClaimExtras) {
  const own = extras ?? (await loadClaimsWithExtras(q, [claim.id], contextTypes))[0]?.extras;
  const [view] = await present(deps, q, actor, [claim], new Map(own ? [[claim.id, own]] : []));
  if (!view) throw notFound();
  return { ...view, context: contextOf(own?.history ?? []) };
}

/** `extras`: what loadClaimsWithExtras read with the claims; else read here (one query). */
async function present(
  deps: Deps,
  q: Queryable,
  actor: Actor,
  claims: ClaimState[],
  extras?: Map<string, ClaimExtras>,
): Promise<ClaimView[]> {
  if (claims.length === 0) return [];
  const ids = claims.map((c) => c.id);
  // R-CONS-3 (and R-ROLE-3: a partner never learns what the directory holds): the check of
  // the customer contact's address, for reviewers and platform admins.
  const staff = visibleOrganization(actor) === null;
  const tenantIds = [...new Set(claims.flatMap((c) => (staff && c.tenantId ? [c.tenantId] : [])))];
  const [read, domains] = await Promise.all([
    extras ?? loadClaimsWithExtras(q, ids).then((rs) => new Map(rs.map((r) => [r.claim.id, r.extras]))),
    domainsOfTenants(q, tenantIds),
  ]);
  const now = deps.clock.now();
  return claims.map((c) => {
    const m = read.get(c.id);
    const own = (m?.associations ?? []).map((a) => ({
      productId: a.product_id,
      subscriptionId: a.subscription_id,
      since: a.since.toISOString(),
      endedAt: a.ended_at?.toISOString() ?? null,
      endReason: a.end_reason,
    }));
    return presentClaim(
      c,
      {
        organizationName: m?.organizationName ?? null,
        createdAt: m?.createdAt ?? now,
        updatedAt: m?.updatedAt ?? now,
        associations: own,
        customerContactCheck: staff
          ? customerContactCheck(c, { domains: (c.tenantId && domains.get(c.tenantId)) || [] })
          : null,
      },
      actor,
      now,
      deps.limits,
    );
  });
}

export function getClaimView(deps: Deps, actor: Actor, id: string) {
  // The claim, its parts, what the view shows beside them and its context: one query.
  return readAs(deps.db, actor, async (q) => {
    const [found] = await loadClaimsWithExtras(q, [id], contextTypes);
    if (!found) throw notFound();
    authorizeRead(found.claim, actor);
    return presentOne(deps, q, actor, found.claim, found.extras);
  });
}

export function viewOf(deps: Deps, actor: Actor, claim: ClaimState) {
  return withCaller(deps.db, actor, async (q) => presentOne(deps, q, actor, claim));
}

/** The claim's view, read in the transaction that wrote it (as the caller: its walls hold). */
export const viewIn = (deps: Deps, actor: Actor) => (q: Queryable, claim: ClaimState) =>
  presentOne(deps, q, actor, claim);

export interface ClaimFilters {
  status?: string[];
  solutionArea?: string;
  tenantId?: string;
  mpnId?: string;
  q?: string;
  overdue?: boolean;
  outcome?: Outcome[];
  sort?: ClaimSort;
  limit: number;
  cursor?: string;
}

/** What the repository filters on, from the API's filters and the caller. */
function filterQuery(deps: Deps, actor: Actor, f: Omit<ClaimFilters, 'sort' | 'limit' | 'cursor'>) {
  return {
    organizationId: visibleOrganization(actor),
    status: f.status,
    solutionArea: f.solutionArea,
    tenantId: f.tenantId?.toLowerCase(),
    mpnId: f.mpnId,
    q: f.q,
    overdue: f.overdue ? { now: deps.clock.now(), kinds: slaKinds } : undefined,
    outcomes: f.outcome?.map((o) => outcomeConditions[o]),
  };
}

export function listClaims(deps: Deps, actor: Actor, f: ClaimFilters) {
  const query = filterQuery(deps, actor, f);
  return readAs(deps.db, actor, (q) => listClaimsIn(deps, q, actor, f, query), listPlan(query));
}

async function listClaimsIn(
  deps: Deps,
  q: Queryable,
  actor: Actor,
  f: ClaimFilters,
  query: ReturnType<typeof filterQuery>,
) {
  const sort = f.sort ?? 'newest';
  const rows = await pageOfClaimIds(q, {
    ...query,
    sort,
    after: f.cursor ? decodeCursor(f.cursor, sort) : undefined,
    limit: f.limit + 1,
  });
  const page = rows.slice(0, f.limit);
  const found = await loadClaimsWithExtras(
    q,
    page.map((r) => r.id),
  );
  const last = page[page.length - 1];
  return {
    items: await present(
      deps,
      q,
      actor,
      found.map((f) => f.claim),
      new Map(found.map((f) => [f.claim.id, f.extras])),
    ),
    nextCursor:
      rows.length > f.limit && last
        ? encodeCursor({ at: new Date(last.k).toISOString(), id: last.id, s: sort })
        : null,
  };
}

/** Where the count of claims stops counting (api.md `GET /claims/count`). */
export const claimCountCap = 10_000;

/**
 * How many claims the list's filters keep (issue 13 point 9). With no filter but statuses, the
 * counts the database keeps by status answer exactly (claim_counts, migration 0013); with any
 * other, the claims are counted up to `claimCountCap`, and beyond it the answer is "more".
 */
export function countClaims(
  deps: Deps,
  actor: Actor,
  f: Omit<ClaimFilters, 'sort' | 'limit' | 'cursor'>,
): Promise<{ count: number; exact: boolean }> {
  const query = filterQuery(deps, actor, f);
  return readAs(
    deps.db,
    actor,
    async (q) => {
      if (!f.solutionArea && !f.tenantId && !f.mpnId && !f.q && !f.overdue && !f.outcome?.length) {
        const counts = await claimCountsByStatus(q, query.organizationId);
        const count = counts
          .filter((c) => !f.status?.length || f.status.includes(c.status))
          .reduce((n, c) => n + c.n, 0);
        return { count, exact: true };
      }
      const n = await countClaimsUpTo(q, query, claimCountCap);
      return n > claimCountCap ? { count: claimCountCap, exact: false } : { count: n, exact: true };
    },
    listPlan(query),
  );
}

/** A page of the query of a list (api.md "Lists"). */
export interface PageAsked {
  limit: number;
  cursor?: string;
}

/** A claim's history, oldest first, a page at a time (the cursor: the last entry's seq). */
export function claimHistory(deps: Deps, actor: Actor, id: string, page: PageAsked) {
  const after = page.cursor ? decodeKeyCursor(page.cursor, (k) => /^\d{1,9}$/.test(k)) : undefined;
  return withCaller(deps.db, actor, async (q) => {
    await readableClaim(q, actor, id);
    const rows = await historyOf(q, id, { afterSeq: after && Number(after.k), limit: page.limit + 1 });
    return keyPage(rows, page.limit, presentHistoryEntry, (r) => ({ k: String(r.seq), id: r.claim_id }));
  });
}

function presentHistoryEntry(r: HistoryRow) {
  return {
    seq: r.seq,
    at: r.at.toISOString(),
    type: r.type,
    actor: { id: r.actor_id, name: r.actor_name, role: r.actor_role },
    data: r.data,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** Recomputes the claim's hash chain from what is stored (api.md `/history/verify`). */
export function verifyClaimHistory(deps: Deps, actor: Actor, id: string) {
  return withCaller(deps.db, actor, async (q) => {
    await readableClaim(q, actor, id);
    return verifyStoredHistory(q, id);
  });
}

type HistoryRow = Awaited<ReturnType<typeof historyOf>>[number];

const storedEntry = (r: HistoryRow) => ({
  claimId: r.claim_id,
  seq: r.seq,
  at: r.at,
  type: r.type,
  actor: { id: r.actor_id, name: r.actor_name, role: r.actor_role },
  data: r.data,
  prevHash: r.prev_hash,
  hash: r.hash,
});

export async function verifyStoredHistory(db: Queryable, claimId: string): Promise<ChainVerdict> {
  return verifyChain((await historyOf(db, claimId)).map(storedEntry));
}

/**
 * Every claim's chain, read a page at a time in (claim, seq) order (`cpor verify-history`):
 * calls `broken` for each claim whose chain does not hold, `progress` with the entries read.
 */
export async function verifyEveryHistory(
  db: Queryable,
  opts: {
    pageSize?: number;
    broken: (claimId: string, v: ChainVerdict) => void;
    progress?: (read: number) => void;
  },
): Promise<{ claims: number; entries: number; broken: number }> {
  const totals = { claims: 0, entries: 0, broken: 0 };
  let claim: string | null = null;
  let check = new ChainCheck();
  const finish = () => {
    if (claim === null) return;
    totals.claims += 1;
    const v = check.verdict();
    if (!v.valid) {
      totals.broken += 1;
      opts.broken(claim, v);
    }
  };
  let after: { claimId: string; seq: number } | null = null;
  for (;;) {
    const rows = await historyPageAfter(db, after, opts.pageSize ?? 5000);
    for (const r of rows) {
      if (r.claim_id !== claim) {
        finish();
        claim = r.claim_id;
        check = new ChainCheck();
      }
      check.push(storedEntry(r));
    }
    totals.entries += rows.length;
    opts.progress?.(totals.entries);
    const last = rows.at(-1);
    if (!last) break;
    after = { claimId: last.claim_id, seq: last.seq };
  }
  finish();
  return totals;
}

/** A claim's comments, oldest first, a page at a time. */
export function claimComments(deps: Deps, actor: Actor, id: string, page: PageAsked) {
  // The cursor: the last comment's number (migration 0023), the order they were written in.
  const after = page.cursor ? decodeKeyCursor(page.cursor, (k) => /^\d{1,18}$/.test(k)) : undefined;
  return withCaller(deps.db, actor, async (q) => {
    await readableClaim(q, actor, id);
    const rows = await commentsOf(q, id, { after, limit: page.limit + 1 });
    return keyPage(rows, page.limit, presentComment, (r) => ({ k: String(r.seq), id: r.id }));
  });
}

export async function commentOf(deps: Deps, actor: Actor, claimId: string, commentId: string) {
  const comment = await withCaller(deps.db, actor, async (q) => {
    await readableClaim(q, actor, claimId);
    return commentOfClaim(q, claimId, commentId);
  });
  if (!comment) throw notFound('comment');
  return presentComment(comment);
}

export function presentComment(r: Omit<CommentRow, 'seq'>) {
  return {
    id: r.id,
    text: r.text,
    author: { id: r.author_id, name: r.author_name, role: r.author_role },
    createdAt: r.created_at.toISOString(),
  };
}

/** R-UNIQ-5: other partners' pending or approved claims on the same workloads / subscriptions. */
export function competingClaims(deps: Deps, actor: Actor, id: string) {
  return withCaller(deps.db, actor, (q) => competingClaimsIn(deps, q, actor, id));
}

async function competingClaimsIn(deps: Deps, q: Queryable, actor: Actor, id: string) {
  const claim = await readableClaim(q, actor, id);
  if (!actor.roles.includes('reviewer')) throw forbidden('Only reviewers see competing claims.');
  const others =
    !claim.tenantId || claim.products.length === 0
      ? []
      : await loadClaims(
          q,
          await competingClaimIds(
            q,
            {
              tenantId: claim.tenantId,
              organizationId: claim.organizationId,
              productIds: claim.products.map((p) => p.productId),
            },
            ['submitted', 'in_review', 'partner_action_required', 'approved', 'disputed'],
          ),
        );
  const docs = await latestDocumentDates(q, [claim.id, ...others.map((o) => o.id)]);
  const views = await present(deps, q, actor, others);
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
