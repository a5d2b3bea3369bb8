// Typed Kysely queries for deadline rows (nothing else lives here).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { updateJsonRows } from '../db/bulk-insert.js';

type Q = Kysely<DB> | Transaction<DB>;

export interface DueDeadline {
  id: string;
  claim_id: string;
  kind: string;
  due_at: Date;
}

/**
 * The earliest open deadlines due by `now`, locked together with their claims. SKIP LOCKED lets
 * any number of processes drain the table: a row another process holds (or a claim a person
 * is changing right now) is skipped, never waited for and never taken twice.
 */
export async function lockDue(
  trx: Transaction<DB>,
  now: Date,
  skip: string[],
  limit: number,
): Promise<DueDeadline[]> {
  let q = trx
    .selectFrom('deadlines as d')
    .innerJoin('claims as c', 'c.id', 'd.claim_id')
    .select(['d.id', 'd.claim_id', 'd.kind', 'd.due_at'])
    .where('d.fired_at', 'is', null)
    .where('d.cancelled_at', 'is', null)
    .where('d.due_at', '<=', now);
  if (skip.length > 0) q = q.where('d.id', 'not in', skip);
  return q.orderBy('d.due_at').orderBy('d.id').limit(limit).forUpdate(['d', 'c']).skipLocked().execute();
}

/** Marks a deadline fired; the condition makes a second marking a no-op (false). */
export async function markFired(
  trx: Transaction<DB>,
  id: string,
  now: Date,
  firedBy: string,
  outcome: string,
): Promise<boolean> {
  const r = await trx
    .updateTable('deadlines')
    .set({ fired_at: now, fired_by: firedBy, outcome })
    .where('id', '=', id)
    .where('fired_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** When the next open deadline falls due, if it does by `until`. */
export async function nextDueAt(db: Q, until: Date, skip: string[]): Promise<Date | null> {
  let q = db
    .selectFrom('deadlines')
    .select((eb) => eb.fn.min('due_at').as('next'))
    .where('fired_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .where('due_at', '<=', until);
  if (skip.length > 0) q = q.where('id', 'not in', skip);
  const row = await q.executeTakeFirst();
  return row?.next ? new Date(row.next) : null;
}

/** What firing the deadline did (or why it did nothing). */
export async function recordOutcome(tx: Transaction<DB>, id: string, outcome: string) {
  await tx.updateTable('deadlines').set({ outcome }).where('id', '=', id).execute();
}

/**
 * Marks many deadlines fired with their outcomes in one statement (the scheduler's batches):
 * rows it locked with lockDue, so no other transaction can have fired or cancelled them.
 */
export async function markFiredMany(
  trx: Transaction<DB>,
  fired: { id: string; outcome: string }[],
  now: Date,
  firedBy: string,
): Promise<number> {
  return updateJsonRows(
    trx,
    'deadlines',
    'id',
    { fired_at: 'timestamptz', fired_by: 'text', outcome: 'text' },
    fired.map((f) => ({ id: f.id, fired_at: now, fired_by: firedBy, outcome: f.outcome })),
  );
}

/**
 * The test clock kept in the settings (shared-test-clock.ts) moved to `iso` unless it is
 * later already (ISO instants of one length compare as text in time order), and every
 * listening process told when the transaction commits.
 */
export async function moveStoredClock(trx: Transaction<DB>, key: string, channel: string, iso: string) {
  await sql`UPDATE settings SET value = greatest(value, ${iso}) WHERE key = ${key}`.execute(trx);
  await sql`SELECT pg_notify(${channel}, ${iso})`.execute(trx);
}
