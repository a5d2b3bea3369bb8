// The one way into a transaction (docs/architecture.md "Data access"). Every command, the
// scheduler and the outbox sender open their transaction here and nowhere else, so that
// what a transaction must carry (issue 11: the runtime role and the caller, set with
// SET LOCAL) is set in this one place.
import { AsyncLocalStorage } from 'node:async_hooks';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Actor } from '../domain/actor.js';
import { json } from './json.js';
import type { DB } from './schema.js';
import { beginAs } from './database.js';

export type Tx = Transaction<DB>;
/** What repository functions run on: the database, or a transaction a command holds. */
export type Queryable = Kysely<DB> | Tx;

/**
 * Who a transaction runs for, as the database's row-level security reads it
 * (docs/architecture.md "Data access"): `partner` sees its organization's rows, `staff`
 * (reviewers, platform admins) and `system` (the scheduler, the senders) see every row,
 * `auth` is the narrow scope of signing in and looking up a credential, `consent` sees one
 * claim (the customer's link), `none` sees no organization-owned row.
 */
export interface Caller {
  scope: 'partner' | 'staff' | 'system' | 'auth' | 'consent' | 'none';
  organizationId?: string;
  claimId?: string;
  /** The signed-in user: its own row and idempotency keys (migration 0014b). */
  userId?: string;
}

/** The caller an actor is to the database. */
export function callerOf(who: Actor | Caller): Caller {
  if ('scope' in who) return who;
  if (who.kind === 'system') return { scope: 'system' };
  const user = who.kind === 'user' && who.id ? { userId: who.id } : {};
  if (who.kind === 'user' && who.roles.some((r) => r === 'reviewer' || r === 'platform_admin'))
    return { scope: 'staff', ...user };
  if (who.kind === 'user' && who.organizationId)
    return { scope: 'partner', organizationId: who.organizationId, ...user };
  return { scope: 'none', ...user };
}

/**
 * The runtime role of a caller: `cpor_staff` for those who see every row (its policies are
 * `true`: no filter for the planner to reckon with, migration 0012), `cpor_app` for the others.
 * Both have the same privileges (cpor_staff is a member of cpor_app and holds nothing else).
 */
export const roleOf = (c: Caller) =>
  c.scope === 'staff' || c.scope === 'system' ? 'cpor_staff' : 'cpor_app';

/** Planner settings for the rest of one transaction (name: value), sent with its BEGIN. */
export type PlanSettings = Readonly<Record<string, string>>;

/**
 * The statement that makes the rest of a transaction run as the runtime role on behalf of
 * `who` (SET LOCAL ROLE and the caller's settings, undone at its end), and `plan`'s settings.
 */
export function callerSettings(who: Actor | Caller, plan: PlanSettings = {}): string {
  const c = callerOf(who);
  // Literals (standard_conforming_strings: a quote is doubled), so that the statement can
  // travel with the BEGIN in one simple-protocol round trip (database.ts beginAs).
  const lit = (v: string) => `'${v.replace(/'/g, "''")}'`;
  return `SELECT set_config('role', ${lit(roleOf(c))}, true), set_config('cpor.scope', ${lit(c.scope)}, true),
    set_config('cpor.organization_id', ${lit(c.organizationId ?? '')}, true),
    set_config('cpor.claim_id', ${lit(c.claimId ?? '')}, true), set_config('cpor.user_id', ${lit(c.userId ?? '')}, true)${Object.entries(
      plan,
    )
      .map(([name, value]) => `, set_config(${lit(name)}, ${lit(value)}, true)`)
      .join('')}`;
}

/** Opens a transaction on `db` as `who`: the settings go with the BEGIN (runtime handle). */
function transactionAs<T>(
  db: Kysely<DB>,
  who: Actor | Caller,
  fn: (tx: Tx) => Promise<T>,
  plan?: PlanSettings,
  reads = false,
): Promise<T> {
  const settings = { sql: callerSettings(who, plan), sent: false, reads };
  return beginAs.run(settings, () =>
    db.transaction().execute(async (tx) => {
      // The owner's handle (tests, the command line) begins plainly: the settings follow.
      if (!settings.sent) await sql.raw(settings.sql).execute(tx);
      settings.sent = true;
      return fn(tx);
    }),
  );
}

/**
 * Runs `fn` in one transaction on behalf of `caller` (a person, the customer's link, or the
 * system actor for the scheduler), as the runtime role; commits when it resolves, rolls back
 * when it throws.
 */
export async function inTransaction<T>(
  db: Kysely<DB>,
  caller: Actor | Caller,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  const key = pendingKey.getStore();
  const guarded = key && !key.committed ? key : null;
  const result = await transactionAs(db, caller, async (tx) => {
    if (guarded) await takeKey(tx, guarded);
    const r = await fn(tx);
    if (guarded) await markKeyCommitted(tx, guarded, r);
    return r;
  });
  if (guarded) guarded.committed = true;
  return result;
}

/**
 * Runs reads (or a write of its own) outside a command on behalf of `caller`, as the runtime
 * role: the lists, the claim view, a credential lookup. The application's handle sees no
 * organization-owned row outside `inTransaction` or this (docs/architecture.md "Data access").
 * `plan`: planner settings for these reads (a partner's claim list: claims-repository.ts).
 */
export function withCaller<T>(
  db: Kysely<DB>,
  caller: Actor | Caller,
  fn: (q: Tx) => Promise<T>,
  plan?: PlanSettings,
): Promise<T> {
  return transactionAs(db, caller, fn, plan);
}

/**
 * Runs reads only on behalf of `caller` (a claim, a page of the claim list): as withCaller,
 * with the transaction read-only (the database refuses a write), and on PostgreSQL without a
 * transaction of their own: each query travels with the caller's settings in one round trip
 * and is its own snapshot (database.ts CallerConnection), so a read of one query is one round
 * trip instead of three. For reads that need no snapshot shared between their queries.
 */
export function readAs<T>(
  db: Kysely<DB>,
  caller: Actor | Caller,
  fn: (q: Tx) => Promise<T>,
  plan?: PlanSettings,
): Promise<T> {
  return transactionAs(db, caller, fn, { ...plan, transaction_read_only: 'on' }, true);
}

/** The narrow caller of signing in and of looking up a token or a session cookie. */
export const authCaller: Caller = { scope: 'auth' };

/** The customer's consent link: its one claim, nothing else. */
export const consentCaller = (claimId: string): Caller => ({ scope: 'consent', claimId });

/** An Idempotency-Key whose request is running (http/idempotency.ts). */
export interface PendingKey {
  userId: string;
  key: string;
  requestHash: string;
  now: Date;
  /** The request's first write committed, and the key with it. */
  committed: boolean;
  /**
   * When the transaction's result is the whole answer (an import's report): its status and
   * body, stored with the write, so that a retry after a crash gets it back as it was.
   */
  answerOf?: (result: unknown) => { status: number; body: unknown };
}

/** Another request with the same key committed first (or is committing): answer with its result. */
export class KeyTaken extends Error {}

const pendingKey = new AsyncLocalStorage<PendingKey>();

/**
 * Runs a request under its Idempotency-Key. Its first transaction inserts the key as its first
 * statement and marks it with the id of what it created as its last, so that the write and
 * the key commit together or not at all (issue 11 point 3). A concurrent request with the same
 * key waits on the key's row until the first commits (then gets KeyTaken) or rolls back or
 * dies (then goes on): no reservation outlives its process.
 */
export function underIdempotencyKey<T>(key: PendingKey, fn: () => Promise<T>): Promise<T> {
  return pendingKey.run(key, fn);
}

async function takeKey(tx: Tx, key: PendingKey) {
  const taken = await tx
    .insertInto('idempotency_keys')
    .values({
      user_id: key.userId,
      key: key.key,
      request_hash: key.requestHash,
      status_code: 0,
      response: json(null),
      created_at: key.now,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('key')
    .executeTakeFirst();
  if (!taken) throw new KeyTaken();
}

async function markKeyCommitted(tx: Tx, key: PendingKey, result: unknown) {
  const id = (result as { id?: unknown } | null)?.id;
  const answer = key.answerOf?.(result);
  await tx
    .updateTable('idempotency_keys')
    .set({
      resource_id: typeof id === 'string' ? id : '',
      ...(answer ? { status_code: answer.status, response: json(answer.body) } : {}),
    })
    .where('user_id', '=', key.userId)
    .where('key', '=', key.key)
    .execute();
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
