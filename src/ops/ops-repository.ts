// Typed Kysely queries for the operator's figures (/metrics). Nothing else lives here. Each
// reads an index (migrations 0001, 0007, 0011) rather than the whole of a table.
import { sql } from 'kysely';
import type { Queryable as Q } from '../db/transaction.js';
import { claimCountsByStatus } from '../claims/claims-repository.js';

/** Claims by status (claim_counts, migration 0013: no claim is read). */
export const claimsByStatus = (db: Q) => claimCountsByStatus(db, null);

/** Open deadlines due by `now`, by kind (reviewer SLAs passed: claims overdue), and the oldest. */
export async function dueDeadlines(db: Q, now: Date) {
  const rows = await db
    .selectFrom('deadlines')
    .select(['kind', (eb) => eb.fn.countAll<string>().as('n'), (eb) => eb.fn.min('due_at').as('oldest')])
    .where('fired_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .where('due_at', '<=', now)
    .groupBy('kind')
    .execute();
  return rows.map((r) => ({ kind: r.kind, n: Number(r.n), oldest: r.oldest ? new Date(r.oldest) : null }));
}

/** Outbox rows not sent yet (mail and webhook events), by kind: still trying, and given up. */
export async function outboxBacklog(db: Q) {
  const rows = await db
    .selectFrom('outbox')
    .select([
      'kind',
      sql<boolean>`failed_at IS NOT NULL`.as('failed'),
      (eb) => eb.fn.countAll<string>().as('n'),
      (eb) => eb.fn.min('created_at').as('oldest'),
    ])
    .where('sent_at', 'is', null)
    .groupBy(['kind', sql`failed_at IS NOT NULL`])
    .execute();
  return rows.map((r) => ({
    kind: r.kind,
    failed: Boolean(r.failed),
    n: Number(r.n),
    oldest: r.oldest ? new Date(r.oldest) : null,
  }));
}

/** Webhook deliveries waiting (pending) and given up (dead). */
export async function deliveryBacklog(db: Q) {
  const rows = await db
    .selectFrom('webhook_deliveries')
    .select([
      'status',
      (eb) => eb.fn.countAll<string>().as('n'),
      (eb) => eb.fn.min('created_at').as('oldest'),
    ])
    .where('status', 'in', ['pending', 'dead'])
    .groupBy('status')
    .execute();
  return rows.map((r) => ({
    status: r.status,
    n: Number(r.n),
    oldest: r.oldest ? new Date(r.oldest) : null,
  }));
}

/** Claims whose running deadline is a reviewer SLA that has passed, by kind (R-TIME-6). */
export async function overdueClaims(db: Q, now: Date, slaKinds: readonly string[]) {
  const rows = await db
    .selectFrom('claims')
    .select(['due_kind', (eb) => eb.fn.countAll<string>().as('n')])
    .where('due_at', '<=', now)
    .where('due_kind', 'in', [...slaKinds])
    .groupBy('due_kind')
    .execute();
  return rows.map((r) => ({ kind: r.due_kind ?? '', n: Number(r.n) }));
}

type After = { at: Date; id: string } | undefined;

/** Mail given up after every attempt, newest first (keyset by failed_at, id). */
export function failedMail(db: Q, after: After, limit: number) {
  let q = db
    .selectFrom('outbox')
    .select(['id', 'claim_id', 'payload', 'attempts', 'last_error', 'failed_at'])
    .where('kind', '=', 'email')
    .where('sent_at', 'is', null)
    .where('failed_at', 'is not', null);
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('failed_at', '<', after.at),
        eb.and([eb('failed_at', '=', after.at), eb('id', '<', after.id)]),
      ]),
    );
  return q.orderBy('failed_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** Webhook deliveries given up (dead), newest first (keyset by dead_at, id), with the hook's URL. */
export function deadDeliveries(db: Q, after: After, limit: number) {
  let q = db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
    .select([
      'd.id',
      'd.webhook_id',
      'd.claim_id',
      'd.event_type',
      'w.url',
      'd.attempts',
      'd.last_error',
      'd.response_code',
      'd.dead_at',
    ])
    .where('d.status', '=', 'dead');
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('d.dead_at', '<', after.at),
        eb.and([eb('d.dead_at', '=', after.at), eb('d.id', '<', after.id)]),
      ]),
    );
  return q.orderBy('d.dead_at', 'desc').orderBy('d.id', 'desc').limit(limit).execute();
}

/** A failed mail due again now, with every attempt again; false when it is not a failed mail. */
export async function requeueFailedMail(db: Q, id: string, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('outbox')
    .set({ failed_at: null, attempts: 0, available_at: now })
    .where('id', '=', id)
    .where('kind', '=', 'email')
    .where('sent_at', 'is', null)
    .where('failed_at', 'is not', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A dead delivery due again now, with a new span of retries; false when it is not dead. */
export async function requeueDeadDelivery(db: Q, id: string, now: Date, retryUntil: Date): Promise<boolean> {
  const r = await db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', next_attempt_at: now, retry_until: retryUntil, dead_at: null })
    .where('id', '=', id)
    .where('status', '=', 'dead')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
