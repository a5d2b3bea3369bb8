// The one way into a transaction (docs/architecture.md "Data access"). Every command, the
// scheduler and the outbox sender open their transaction here and nowhere else, so that
// what a transaction must carry (issue 11: the runtime role and the caller, set with
// SET LOCAL) is set in this one place.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Actor } from '../domain/actor.js';
import type { DB } from './schema.js';

export type Tx = Transaction<DB>;
/** What repository functions run on: the database, or a transaction a command holds. */
export type Queryable = Kysely<DB> | Tx;

/**
 * Runs `fn` in one transaction on behalf of `caller` (a person, the customer's link, or the
 * system actor for the scheduler); commits when it resolves, rolls back when it throws.
 */
export function inTransaction<T>(db: Kysely<DB>, caller: Actor, fn: (tx: Tx) => Promise<T>): Promise<T> {
  // The caller is not used yet: issue 11 sets `SET LOCAL ROLE cpor_app` and the caller's
  // organization and scope here, before `fn` runs.
  void caller;
  return db.transaction().execute(fn);
}

/**
 * Runs `fn` under a savepoint of the transaction: when it throws, what it wrote is undone and
 * the error goes on to the caller, whose transaction can still commit what came before.
 */
export async function withSavepoint<T>(tx: Tx, fn: () => Promise<T>): Promise<T> {
  await sql`SAVEPOINT cpor_step`.execute(tx);
  try {
    const result = await fn();
    await sql`RELEASE SAVEPOINT cpor_step`.execute(tx);
    return result;
  } catch (e) {
    await sql`ROLLBACK TO SAVEPOINT cpor_step`.execute(tx);
    throw e;
  }
}
