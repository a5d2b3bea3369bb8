// Typed Kysely queries for Idempotency-Key reservations and stored answers. Nothing else lives here.
import { json } from '../db/json.js';
import type { Queryable } from '../db/transaction.js';

/** Reserves the key (status 0: running); false when the key is there already. */
export async function reserveKey(
  db: Queryable,
  r: { userId: string; key: string; requestHash: string; now: Date },
): Promise<boolean> {
  const row = await db
    .insertInto('idempotency_keys')
    .values({
      user_id: r.userId,
      key: r.key,
      request_hash: r.requestHash,
      status_code: 0,
      response: json(null),
      created_at: r.now,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('key')
    .executeTakeFirst();
  return row !== undefined;
}

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

/** Frees a reservation that has no answer and whose write never committed (refused, or abandoned). */
export async function releaseKey(db: Queryable, userId: string, key: string) {
  await db
    .deleteFrom('idempotency_keys')
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .where('status_code', '=', 0)
    .where('resource_id', 'is', null)
    .execute();
}
