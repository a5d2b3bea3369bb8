// Typed Kysely queries for webhooks, their deliveries and the outbox's event rows. Nothing
// else lives here.
import { sql, type Insertable, type Selectable } from 'kysely';
import type { WebhookDeliveriesTable, WebhooksTable } from '../db/schema.js';
import type { Queryable, Tx } from '../db/transaction.js';
import type { ClaimEventPayload } from '../domain/outbox.js';

export type WebhookRow = Selectable<WebhooksTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;
export type NewDelivery = Insertable<WebhookDeliveriesTable>;

export async function insertWebhook(db: Queryable, row: Insertable<WebhooksTable>) {
  await db.insertInto('webhooks').values(row).execute();
}

export function loadWebhook(db: Queryable, id: string): Promise<WebhookRow | undefined> {
  return db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
}

/** One owner's hooks (an organization's, or with null the reviewers' systems), oldest first. */
export function webhooksOf(
  db: Queryable,
  organizationId: string | null,
  after: { at: Date; id: string } | undefined,
  limit: number,
): Promise<WebhookRow[]> {
  let q = db.selectFrom('webhooks').selectAll();
  q =
    organizationId === null
      ? q.where('organization_id', 'is', null)
      : q.where('organization_id', '=', organizationId);
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '>', after.at),
        eb.and([eb('created_at', '=', after.at), eb('id', '>', after.id)]),
      ]),
    );
  return q.orderBy('created_at').orderBy('id').limit(limit).execute();
}

/** How many hooks an owner has (an organization's, or with null the reviewers' systems). */
export async function countWebhooksOf(db: Queryable, organizationId: string | null): Promise<number> {
  let q = db.selectFrom('webhooks').select((eb) => eb.fn.countAll<string>().as('n'));
  q =
    organizationId === null
      ? q.where('organization_id', 'is', null)
      : q.where('organization_id', '=', organizationId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

export async function deleteWebhook(db: Queryable, id: string): Promise<boolean> {
  const res = await db.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
  return Number(res.numDeletedRows) === 1;
}

export async function setWebhookSecret(db: Queryable, id: string, secret: string, at: Date) {
  await db.updateTable('webhooks').set({ secret, secret_rotated_at: at }).where('id', '=', id).execute();
}

/** The hooks that may hear a claim of this organization, created by `at`. */
export function webhooksHearing(db: Queryable, organizationId: string, at: Date): Promise<WebhookRow[]> {
  return db
    .selectFrom('webhooks')
    .selectAll()
    .where((eb) => eb.or([eb('organization_id', 'is', null), eb('organization_id', '=', organizationId)]))
    .where('created_at', '<=', at)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export interface DueEvent {
  id: string;
  payload: ClaimEventPayload;
}

/** Event rows of the outbox not turned into deliveries yet, locked (SKIP LOCKED), oldest first. */
export async function lockPendingEvents(tx: Tx, limit: number): Promise<DueEvent[]> {
  const rows = await tx
    .selectFrom('outbox')
    .select(['id', 'payload'])
    .where('kind', '=', 'event')
    .where('sent_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  // kind = 'event': the payload is an event's (domain/outbox.ts pairs kinds and payloads).
  return rows.map((r) => ({ id: r.id, payload: r.payload as ClaimEventPayload }));
}

export async function markEventsFannedOut(db: Queryable, ids: string[], at: Date) {
  if (ids.length === 0) return;
  await db.updateTable('outbox').set({ sent_at: at }).where('id', 'in', ids).execute();
}

/** The history entry an event row points to, with its claim's organization. */
export function historyEntryWithOwner(db: Queryable, claimId: string, seq: number) {
  return db
    .selectFrom('claim_history as h')
    .innerJoin('claims as c', 'c.id', 'h.claim_id')
    .select([
      'h.claim_id',
      'h.seq',
      'h.at',
      'h.type',
      'h.actor_name',
      'h.actor_role',
      'h.data',
      'c.organization_id',
    ])
    .where('h.claim_id', '=', claimId)
    .where('h.seq', '=', seq)
    .executeTakeFirst();
}

export async function insertDeliveries(db: Queryable, rows: NewDelivery[]) {
  if (rows.length === 0) return;
  await db
    .insertInto('webhook_deliveries')
    .values(rows)
    .onConflict((oc) => oc.columns(['webhook_id', 'event_id']).doNothing())
    .execute();
}

export interface DueDelivery {
  id: string;
  webhook_id: string;
  claim_id: string;
  event_type: string;
  body: string;
  attempts: number;
  retry_until: Date;
  url: string;
  secret: string;
}

/**
 * Deliveries due now that nothing holds back, locked (SKIP LOCKED) and leased until
 * `leaseUntil`. In order per claim: a delivery waits while an earlier one of the same hook
 * and claim is pending (failing, leased or merely due), or while an earlier event of the
 * claim is still in the outbox; so at most one of each hook and claim is out at a time.
 */
export async function leaseDueDeliveries(
  tx: Tx,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<DueDelivery[]> {
  const rows = await tx
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
    .select([
      'd.id',
      'd.webhook_id',
      'd.claim_id',
      'd.event_type',
      'd.body',
      'd.attempts',
      'd.retry_until',
      'w.url',
      'w.secret',
    ])
    .where('d.status', '=', 'pending')
    .where('d.next_attempt_at', '<=', now)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('webhook_deliveries as e')
            .select(sql`1`.as('one'))
            .whereRef('e.webhook_id', '=', 'd.webhook_id')
            .whereRef('e.claim_id', '=', 'd.claim_id')
            .where('e.status', '=', 'pending')
            .where(sql<boolean>`(e.seq, e.idx) < (d.seq, d.idx)`),
        ),
      ),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('outbox as o')
            .select(sql`1`.as('one'))
            .where('o.kind', '=', 'event')
            .where('o.sent_at', 'is', null)
            .whereRef('o.claim_id', '=', 'd.claim_id')
            .where(sql<boolean>`(o.payload->>'seq')::int < d.seq`),
        ),
      ),
    )
    .orderBy('d.next_attempt_at')
    .orderBy('d.id')
    .limit(limit)
    .forUpdate('d')
    .skipLocked()
    .execute();
  if (rows.length > 0)
    await tx
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: leaseUntil })
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
  return rows;
}

export async function markDelivered(
  db: Queryable,
  id: string,
  at: Date,
  attempts: number,
  responseCode: number,
) {
  await db
    .updateTable('webhook_deliveries')
    .set({
      status: 'delivered',
      attempts,
      last_attempt_at: at,
      delivered_at: at,
      response_code: responseCode,
      last_error: null,
    })
    .where('id', '=', id)
    .execute();
}

export async function markDeliveryFailed(
  db: Queryable,
  id: string,
  f: { at: Date; attempts: number; responseCode: number | null; error: string; retryAt: Date; dead: boolean },
) {
  await db
    .updateTable('webhook_deliveries')
    .set({
      status: f.dead ? 'dead' : 'pending',
      attempts: f.attempts,
      last_attempt_at: f.at,
      response_code: f.responseCode,
      last_error: f.error,
      next_attempt_at: f.retryAt,
      dead_at: f.dead ? f.at : null,
    })
    .where('id', '=', id)
    .execute();
}

/** A hook's deliveries, newest first. */
export function deliveriesOf(
  db: Queryable,
  webhookId: string,
  after: { at: Date; id: string } | undefined,
  limit: number,
): Promise<DeliveryRow[]> {
  let q = db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId);
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '<', after.at),
        eb.and([eb('created_at', '=', after.at), eb('id', '<', after.id)]),
      ]),
    );
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export function loadDelivery(db: Queryable, webhookId: string, id: string): Promise<DeliveryRow | undefined> {
  return db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('webhook_id', '=', webhookId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Redeliver: due now again, with a new day of retries; the id and body stay. */
export async function requeueDelivery(db: Queryable, id: string, now: Date, retryUntil: Date) {
  await db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', next_attempt_at: now, retry_until: retryUntil, dead_at: null })
    .where('id', '=', id)
    .execute();
}
