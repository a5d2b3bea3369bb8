// Typed Kysely queries for the outbox's email rows. Nothing else lives here.
import type { Queryable, Tx } from '../db/transaction.js';
import type { EmailPayload } from '../domain/outbox.js';

export interface DueEmail {
  id: string;
  payload: EmailPayload;
  attempts: number;
}

/**
 * Due email rows, locked (SKIP LOCKED: several processes never take the same row) and leased
 * until `leaseUntil`: a sender that dies mid-send leaves them to be retried then.
 */
export async function leaseDueEmails(
  tx: Tx,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<DueEmail[]> {
  const rows = await tx
    .selectFrom('outbox')
    .select(['id', 'payload', 'attempts'])
    .where('kind', '=', 'email')
    .where('sent_at', 'is', null)
    .where('failed_at', 'is', null)
    .where('available_at', '<=', now)
    .orderBy('available_at')
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  if (rows.length > 0) {
    await tx
      .updateTable('outbox')
      .set({ available_at: leaseUntil })
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
  }
  // kind = 'email' above: the payload is an email's (domain/outbox.ts pairs kinds and payloads).
  return rows.map((r) => ({ id: r.id, attempts: r.attempts, payload: r.payload as EmailPayload }));
}

export async function markSent(db: Queryable, id: string, at: Date, attempts: number) {
  await db
    .updateTable('outbox')
    .set({ sent_at: at, attempts, last_error: null })
    .where('id', '=', id)
    .execute();
}

export async function markFailedAttempt(
  db: Queryable,
  id: string,
  f: { attempts: number; error: string; retryAt: Date; failedAt: Date | null },
) {
  await db
    .updateTable('outbox')
    .set({ attempts: f.attempts, last_error: f.error, available_at: f.retryAt, failed_at: f.failedAt })
    .where('id', '=', id)
    .execute();
}
