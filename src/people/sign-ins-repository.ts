// The record of sign-in attempts (table sign_in_attempts, append-only but for the one step
// from `pending` to its outcome): the audit platform admins read, and what the limits count.
import { sql } from 'kysely';
import type { SignInOutcome } from '../db/schema.js';
import type { Queryable as Q } from '../db/transaction.js';

export type SignInRoute = 'token' | 'login' | 'password';

/** Outcomes that count as a failure (a pending attempt counts until it is known). */
const notFailures = ['success', 'throttled'] as const;

/**
 * Takes the per-account and per-address locks of this attempt for the transaction (always
 * email first, then address, so two attempts never wait on each other in a circle).
 */
export async function lockSignInKeys(db: Q, email: string, address: string) {
  await sql`SELECT pg_advisory_xact_lock(10, hashtext(${email}))`.execute(db);
  await sql`SELECT pg_advisory_xact_lock(11, hashtext(${address}))`.execute(db);
}

/** The time of the n-th most recent failure for this email (or address) since `since`. */
export async function nthRecentFailure(
  db: Q,
  by: { email: string } | { address: string },
  n: number,
  since: Date,
): Promise<Date | undefined> {
  let q = db
    .selectFrom('sign_in_attempts')
    .select('at')
    .where('at', '>', since)
    .where('outcome', 'not in', notFailures);
  q = 'email' in by ? q.where('email', '=', by.email) : q.where('address', '=', by.address);
  const row = await q
    .orderBy('at', 'desc')
    .offset(n - 1)
    .limit(1)
    .executeTakeFirst();
  return row?.at;
}

export async function insertSignInAttempt(
  db: Q,
  a: {
    at: Date;
    email: string;
    address: string;
    userAgent: string | null;
    route: SignInRoute;
    outcome: SignInOutcome | 'pending';
    userId: string | null;
  },
): Promise<string> {
  const row = await db
    .insertInto('sign_in_attempts')
    .values({
      at: a.at,
      email: a.email,
      address: a.address,
      user_agent: a.userAgent,
      route: a.route,
      outcome: a.outcome,
      user_id: a.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(row.id);
}

/** A pending attempt gets its outcome (the only change the table allows). */
export async function settleSignInAttempt(db: Q, id: string, outcome: SignInOutcome, userId: string | null) {
  await db
    .updateTable('sign_in_attempts')
    .set({ outcome, user_id: userId })
    .where('id', '=', id)
    .where('outcome', '=', 'pending')
    .execute();
}

export interface SignInFilter {
  email?: string;
  address?: string;
  outcome?: SignInOutcome | 'pending';
}

/** Newest first, `limit` + 1 rows (the extra one tells there is a next page); `before`: an id. */
export function signInAttempts(db: Q, f: SignInFilter, limit: number, before?: string) {
  let q = db
    .selectFrom('sign_in_attempts')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (before !== undefined) q = q.where('id', '<', before);
  if (f.email !== undefined) q = q.where('email', '=', f.email.toLowerCase());
  if (f.address !== undefined) q = q.where('address', '=', f.address);
  if (f.outcome !== undefined) q = q.where('outcome', '=', f.outcome);
  return q.execute();
}
