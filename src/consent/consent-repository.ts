// Typed Kysely queries for consent links (R-CONS-1) and the server's generated settings.
// Nothing else lives here.
import type { Queryable } from '../db/transaction.js';

/** When the link was used, if it was. */
export function consentUse(db: Queryable, tokenHash: string) {
  return db
    .selectFrom('consent_uses')
    .select('used_at')
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** Records the link's one use; false when it was used already (a concurrent use won). */
export async function recordConsentUse(
  db: Queryable,
  use: { tokenHash: string; claimId: string; usedAt: Date; action: string },
): Promise<boolean> {
  const inserted = await db
    .insertInto('consent_uses')
    .values({ token_hash: use.tokenHash, claim_id: use.claimId, used_at: use.usedAt, action: use.action })
    .onConflict((oc) => oc.column('token_hash').doNothing())
    .returning('token_hash')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** A generated setting: the first value written wins, and every process reads that one. */
export async function settingOrInsert(db: Queryable, key: string, value: string, now: Date): Promise<string> {
  await db
    .insertInto('settings')
    .values({ key, value, created_at: now })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  return row.value;
}
