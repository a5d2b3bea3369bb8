// Webhooks' use cases (issue 12 point 1): who owns a hook, saving one (the secret shown once),
// rotating its secret, removing it, its deliveries and redelivery.
// A partner organization's global admin manages the organization's hooks, which hear only
// the organization's own claims; a reviewer or platform admin manages the reviewers'
// systems' hooks (no organization), which hear every claim. Anyone else: 403. Another
// owner's hook does not exist for the caller (404), like another organization's claim.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Deps } from '../deps.js';
import { inTransaction, withCaller } from '../db/transaction.js';
import type { Actor } from '../domain/actor.js';
import { DomainError, forbidden, notFound, validationFailed } from '../domain/errors.js';
import { decodeCursor, encodeCursor } from '../lib/cursor.js';
import { parseReceiverUrl, ReceiverRefused, resolveReceiver } from './receiver.js';
import { receiverPolicy } from './webhook-sender.js';
import {
  countWebhooksOf,
  deleteWebhook,
  deliveriesOf,
  insertWebhook,
  loadDelivery,
  loadWebhook,
  requeueDelivery,
  setWebhookSecret,
  webhooksOf,
  type DeliveryRow,
  type WebhookRow,
} from './webhooks-repository.js';

/** The owner the caller manages hooks for: an organization's id, or null for the reviewers. */
export function hookOwnerOf(actor: Actor): string | null {
  if (actor.kind === 'user' && (actor.roles.includes('reviewer') || actor.roles.includes('platform_admin')))
    return null;
  if (actor.kind === 'user' && actor.organizationId && actor.roles.includes('global_admin'))
    return actor.organizationId;
  throw forbidden(
    "Only a partner organization's global admin, a reviewer or a platform admin manages webhooks.",
  );
}

/**
 * Hooks per owner: each one multiplies every event into a delivery the scheduler must send,
 * so a partner cannot make it work for thousands.
 */
export const maxWebhooksPerOwner = 20;

const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/** The URL's rules and its addresses now (receiver.ts); a refusal names the field. */
async function checkedUrl(deps: Deps, raw: string): Promise<string> {
  try {
    const policy = receiverPolicy(deps);
    const url = parseReceiverUrl(raw, policy);
    await resolveReceiver(url, policy);
    return url.toString();
  } catch (e) {
    if (e instanceof ReceiverRefused)
      throw validationFailed([{ path: 'url', message: e.message, code: 'refused_url' }]);
    throw e;
  }
}

export async function createWebhook(
  deps: Deps,
  actor: Actor,
  input: { url: string; events: string[] },
): Promise<{ hook: WebhookRow; secret: string }> {
  const owner = hookOwnerOf(actor);
  const url = await checkedUrl(deps, input.url);
  const hook: WebhookRow = {
    id: randomUUID(),
    organization_id: owner,
    url,
    events: [...new Set(input.events)],
    secret: newSecret(),
    created_by: actor.id ?? 'system',
    created_at: deps.clock.now(),
    secret_rotated_at: null,
  };
  // Returns the hook from the transaction: an Idempotency-Key commits with its id.
  await inTransaction(deps.db, actor, async (tx) => {
    if ((await countWebhooksOf(tx, owner)) >= maxWebhooksPerOwner)
      throw new DomainError(
        'conflict',
        `At most ${maxWebhooksPerOwner} webhooks per organization; remove one first.`,
      );
    await insertWebhook(tx, { ...hook, events: JSON.stringify(hook.events) });
    return hook;
  });
  return { hook, secret: hook.secret };
}

/** The caller's hook, or 404 (another owner's hook does not exist for the caller). */
export async function ownHook(deps: Deps, actor: Actor, id: string): Promise<WebhookRow> {
  const owner = hookOwnerOf(actor);
  const hook = await withCaller(deps.db, actor, (q) => loadWebhook(q, id));
  if (!hook || hook.organization_id !== owner) throw notFound('webhook');
  return hook;
}

export async function listWebhooks(deps: Deps, actor: Actor, page: { limit: number; cursor?: string }) {
  const owner = hookOwnerOf(actor);
  const after = page.cursor ? decodeCursor(page.cursor) : undefined;
  const rows = await withCaller(deps.db, actor, (q) =>
    webhooksOf(q, owner, after && { at: new Date(after.at), id: after.id }, page.limit + 1),
  );
  return pageOf(rows, page.limit);
}

function pageOf<T extends { created_at: Date; id: string }>(rows: T[], limit: number) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor:
      rows.length > limit && last ? encodeCursor({ at: last.created_at.toISOString(), id: last.id }) : null,
  };
}

export async function removeWebhook(deps: Deps, actor: Actor, id: string): Promise<void> {
  await ownHook(deps, actor, id);
  await inTransaction(deps.db, actor, async (tx) => {
    if (!(await deleteWebhook(tx, id))) throw notFound('webhook');
  });
}

/** A new secret, shown once; deliveries from now on are signed with it. */
export async function rotateWebhookSecret(deps: Deps, actor: Actor, id: string) {
  await ownHook(deps, actor, id);
  const secret = newSecret();
  await inTransaction(deps.db, actor, (tx) => setWebhookSecret(tx, id, secret, deps.clock.now()));
  return { hook: await ownHook(deps, actor, id), secret };
}

export async function listDeliveries(
  deps: Deps,
  actor: Actor,
  id: string,
  page: { limit: number; cursor?: string },
) {
  await ownHook(deps, actor, id);
  const after = page.cursor ? decodeCursor(page.cursor) : undefined;
  const rows = await withCaller(deps.db, actor, (q) =>
    deliveriesOf(q, id, after && { at: new Date(after.at), id: after.id }, page.limit + 1),
  );
  return pageOf(rows, page.limit);
}

/** Sends a delivery again (same Cpor-Delivery id and body), with a new day of retries. */
export async function redeliver(
  deps: Deps,
  actor: Actor,
  id: string,
  deliveryId: string,
): Promise<DeliveryRow> {
  await ownHook(deps, actor, id);
  if (!(await withCaller(deps.db, actor, (q) => loadDelivery(q, id, deliveryId)))) throw notFound('delivery');
  const now = deps.clock.now();
  await inTransaction(deps.db, actor, (tx) =>
    requeueDelivery(
      tx,
      deliveryId,
      now,
      new Date(now.getTime() + deps.config.CPOR_WEBHOOK_GIVE_UP_HOURS * 3_600_000),
    ),
  );
  return (await withCaller(deps.db, actor, (q) => loadDelivery(q, id, deliveryId)))!;
}
