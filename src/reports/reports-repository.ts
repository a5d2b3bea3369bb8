// Typed Kysely queries for the reports. Nothing else lives here.
import { sql } from 'kysely';
import type { Queryable } from '../db/transaction.js';

export interface DecidedQuery {
  from: Date;
  to: Date;
  /** Only this organization's claims; null for every organization. */
  organizationId: string | null;
  solutionArea?: string;
}

/**
 * R-TIME-7: the status changes (history entries with `from` / `to`), oldest first, of the
 * claims whose first reviewer decision (approve or reject) falls in [from, to).
 */
export async function statusChangesOfDecided(db: Queryable, q: DecidedQuery) {
  let decided = db
    .selectFrom('claim_history as h')
    .innerJoin('claims as c', 'c.id', 'h.claim_id')
    .select('h.claim_id')
    .where('h.type', 'in', ['approve', 'reject'])
    .groupBy('h.claim_id')
    .having(sql<Date>`min(h.at)`, '>=', q.from)
    .having(sql<Date>`min(h.at)`, '<', q.to);
  if (q.organizationId) decided = decided.where('c.organization_id', '=', q.organizationId);
  if (q.solutionArea) decided = decided.where('c.solution_area', '=', q.solutionArea);
  return db
    .selectFrom('claim_history')
    .innerJoin('claims', 'claims.id', 'claim_history.claim_id')
    .select([
      'claim_history.claim_id',
      'claims.solution_area',
      'claim_history.at',
      'claim_history.type',
      sql<string | null>`claim_history.data->>'from'`.as('from'),
      sql<string | null>`claim_history.data->>'to'`.as('to'),
    ])
    .where('claim_history.claim_id', 'in', decided)
    .where(sql<boolean>`claim_history.data ? 'to'`)
    .orderBy('claim_history.claim_id')
    .orderBy('claim_history.seq')
    .execute();
}

/**
 * Issue 13 point 10: the rejected and ended claims the caller sees, counted by status and
 * reason (the dashboard tells their outcomes apart, issue 13 point 2); one grouped count.
 */
export async function finalCountsByReason(db: Queryable, organizationId: string | null) {
  let q = db
    .selectFrom('claims')
    .select(['status', 'status_reason', (eb) => eb.fn.countAll<string>().as('n')])
    .where('status', 'in', ['rejected', 'ended'])
    .groupBy(['status', 'status_reason']);
  if (organizationId) q = q.where('organization_id', '=', organizationId);
  const rows = await q.execute();
  return rows.map((r) => ({ status: r.status, reason: r.status_reason, n: Number(r.n) }));
}

/** The claims the caller sees whose reviewer SLA has passed (R-TIME-6), from their due index. */
export async function overdueCount(
  db: Queryable,
  now: Date,
  slaKinds: readonly string[],
  organizationId: string | null,
) {
  let q = db
    .selectFrom('claims')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('due_at', '<=', now)
    .where('due_kind', 'in', [...slaKinds]);
  if (organizationId) q = q.where('organization_id', '=', organizationId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}
