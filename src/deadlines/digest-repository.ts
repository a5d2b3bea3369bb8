// Typed Kysely queries for the reviewers' overdue digest (R-TIME-6). Nothing else lives here.
import { sql } from 'kysely';
import type { Queryable as Q } from '../db/transaction.js';
import { reviewQueueStatuses } from '../domain/claim.js';

/** The last digest sent: its business day and where it stopped reading the history. */
export async function lastOverdueDigest(db: Q) {
  return (
    (await db
      .selectFrom('overdue_digests')
      .select(['day', 'up_to'])
      .orderBy('day', 'desc')
      .limit(1)
      .executeTakeFirst()) ?? null
  );
}

/**
 * Records the digest of `day`; false when another process recorded it first (the primary key
 * makes it once a day, whatever the number of schedulers).
 */
export async function recordOverdueDigest(
  db: Q,
  row: { day: string; upTo: Date; claimCount: number; recipients: number; now: Date },
): Promise<boolean> {
  const inserted = await db
    .insertInto('overdue_digests')
    .values({
      day: row.day,
      up_to: row.upTo,
      claim_count: row.claimCount,
      recipients: row.recipients,
      created_at: row.now,
    })
    .onConflict((oc) => oc.column('day').doNothing())
    .returning('day')
    .executeTakeFirst();
  return inserted !== undefined;
}

/**
 * The claims a reviewer SLA of which passed in (after, upTo], that still wait on a reviewer
 * (submitted, in review, disputed): each once, with when it became overdue (the latest).
 */
export async function claimsOverdueBetween(db: Q, after: Date | null, upTo: Date) {
  let q = db
    .selectFrom('claim_history as h')
    .innerJoin('claims as c', 'c.id', 'h.claim_id')
    .leftJoin('organizations as o', 'o.id', 'c.organization_id')
    .select(['c.id', 'c.name', 'o.name as organization_name', sql<Date>`max(h.at)`.as('since')])
    .where('h.type', '=', 'sla_overdue')
    .where('h.at', '<=', upTo)
    .where('c.status', 'in', reviewQueueStatuses)
    .groupBy(['c.id', 'c.name', 'o.name']);
  if (after) q = q.where('h.at', '>', after);
  return q.orderBy('since').orderBy('c.id').execute();
}
