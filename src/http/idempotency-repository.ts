// Typed Kysely queries for Idempotency-Key records and their stored answers (the record itself is
// written in the guarded transaction: db/transaction.ts). Nothing else lives here.
import { json } from '../db/json.js';
import type { Queryable } from '../db/transaction.js';

export function keyOf(db: Queryable, userId: string, key: string) {
  return db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .executeTakeFirst();
}

/** Stores the first answer of the key. */
export async function storeAnswer(
  db: Queryable,
  userId: string,
  key: string,
  status: number,
  response: unknown,
) {
  await db
    .updateTable('idempotency_keys')
    .set({ status_code: status, response: json(response) })
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .execute();
}

/** The key of a request whose write took none in its transaction. */
export async function recordKey(
  db: Queryable,
  k: { userId: string; key: string; requestHash: string; now: Date },
) {
  await db
    .insertInto('idempotency_keys')
    .values({
      user_id: k.userId,
      key: k.key,
      request_hash: k.requestHash,
      status_code: 0,
      response: json(null),
      created_at: k.now,
      resource_id: '',
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
}
