// Typed Kysely queries for the business calendar's holidays and the deadlines they move.
// Nothing else lives here.
import type { Queryable, Tx } from '../db/transaction.js';
import { json } from '../db/json.js';
import type { RequestedInformation } from '../domain/claim.js';

export function listHolidays(db: Queryable) {
  return db.selectFrom('holidays').selectAll().orderBy('date').execute();
}

/** Adds the holiday, or renames the one of that date; the name it had before (null: the date is new). */
export async function upsertHoliday(tx: Tx, date: string, name: string): Promise<string | null> {
  const existed = await tx
    .selectFrom('holidays')
    .select('name')
    .where('date', '=', date)
    .forUpdate()
    .executeTakeFirst();
  await tx
    .insertInto('holidays')
    .values({ date, name })
    .onConflict((oc) => oc.column('date').doUpdateSet({ name }))
    .execute();
  return existed?.name ?? null;
}

/** Removes the holiday; its name, or null when there was none that day. */
export async function deleteHoliday(tx: Tx, date: string): Promise<string | null> {
  const r = await tx.deleteFrom('holidays').where('date', '=', date).returning('name').executeTakeFirst();
  return r?.name ?? null;
}

/** Open deadlines of these kinds, of these claims when given. */
function openDeadlines(tx: Tx, kinds: readonly string[]) {
  return tx
    .selectFrom('deadlines')
    .select(['id', 'claim_id', 'kind', 'due_at', 'created_at'])
    .where('fired_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .where('kind', 'in', [...kinds]);
}

/**
 * Issue 13 point 10: the open deadlines of these kinds running over [from, to) (set before its
 * end, due from its start): the only ones a holiday in that span can move. Read, not locked.
 */
export function openDeadlinesOver(db: Queryable, kinds: readonly string[], from: Date, to: Date) {
  return db
    .selectFrom('deadlines')
    .select(['id', 'claim_id', 'kind', 'due_at', 'created_at'])
    .where('fired_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .where('kind', 'in', [...kinds])
    .where('due_at', '>=', from)
    .where('created_at', '<', to)
    .execute();
}

/** The claims with an open deadline of these kinds, sorted. */
export async function claimsWithOpenDeadlines(tx: Tx, kinds: readonly string[]): Promise<string[]> {
  const rows = await openDeadlines(tx, kinds).execute();
  return [...new Set(rows.map((d) => d.claim_id))].sort();
}

/**
 * Locks the claims (in id order, the order a claim's command takes them), then their open
 * deadlines of these kinds, and returns those deadlines.
 */
export async function lockOpenDeadlines(tx: Tx, claimIds: string[], kinds: readonly string[]) {
  await tx.selectFrom('claims').select('id').where('id', 'in', claimIds).orderBy('id').forUpdate().execute();
  return openDeadlines(tx, kinds).where('claim_id', 'in', claimIds).forUpdate().execute();
}

export async function moveDeadline(tx: Tx, id: string, dueAt: Date) {
  await tx.updateTable('deadlines').set({ due_at: dueAt }).where('id', '=', id).execute();
}

export function claimDueState(tx: Tx, claimId: string) {
  return tx
    .selectFrom('claims')
    .select(['due_kind', 'requested_information', 'version'])
    .where('id', '=', claimId)
    .executeTakeFirstOrThrow();
}

/** The claim's running deadline moved: its dueAt (and the request's), a new version. */
export async function moveClaimDue(
  tx: Tx,
  claimId: string,
  change: { dueAt: Date; version: number; now: Date; requestedInformation?: RequestedInformation },
) {
  await tx
    .updateTable('claims')
    .set({
      due_at: change.dueAt,
      version: change.version,
      updated_at: change.now,
      ...(change.requestedInformation ? { requested_information: json(change.requestedInformation) } : {}),
    })
    .where('id', '=', claimId)
    .execute();
}
