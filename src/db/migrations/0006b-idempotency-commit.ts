// Issue 11 point 3: an Idempotency-Key is written in the same transaction as the write it
// guards. `resource_id` set (the created row's id, or '' when the write has none) means the
// write committed: a retry never runs it again, whatever happened to the process afterwards.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE idempotency_keys ADD COLUMN resource_id text`.execute(db);
  // Reservations of the old scheme (status 0) stood for requests that never finished: from
  // now on a key's row exists only once its write committed.
  await sql`DELETE FROM idempotency_keys WHERE status_code = 0`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE idempotency_keys DROP COLUMN resource_id`.execute(db);
}
