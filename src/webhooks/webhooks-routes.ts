// Webhooks (api.md "Integrations", issue 12 point 1): save, list, read, remove a hook, rotate
// its secret, read its deliveries and redeliver one. The secret is shown when the hook is
// saved and when it is rotated, never again.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { webhookEventTypes } from '../domain/webhook-events.js';
import { idempotent } from '../http/idempotency.js';
import { answers, bodyErrors, noContent, ok, pageQuery } from '../http/contract.js';
import type { DeliveryRow, WebhookRow } from './webhooks-repository.js';
import {
  createWebhook,
  listDeliveries,
  listWebhooks,
  ownHook,
  redeliver,
  removeWebhook,
  rotateWebhookSecret,
} from './webhooks-commands.js';

const tags = ['webhooks'];
const id = z.string().min(1).max(100);
const hookParams = z.strictObject({ id });
const page = z.strictObject({
  ...pageQuery,
});

const createBody = z.strictObject({
  url: z.string().trim().min(1).max(2000),
  events: z
    .array(z.enum(['*', ...webhookEventTypes]))
    .min(1)
    .max(webhookEventTypes.length + 1),
});

const dateTime = z.iso.datetime();
const webhookView = z
  .strictObject({
    id: z.string(),
    url: z.string(),
    events: z.array(z.string()).meta({ description: 'Event types, or * for all' }),
    organizationId: z.string().nullable().meta({ description: "null: a reviewers' system (every claim)" }),
    createdAt: dateTime,
    secretRotatedAt: dateTime.nullable(),
  })
  .meta({ id: 'Webhook' });
const webhookWithSecret = webhookView
  .extend({ secret: z.string().meta({ description: 'Signs the deliveries (Cpor-Signature); shown once' }) })
  .meta({ id: 'WebhookWithSecret' });
const webhookList = z
  .strictObject({ items: z.array(webhookView), nextCursor: z.string().nullable() })
  .meta({ id: 'WebhookList' });
const deliveryView = z
  .strictObject({
    id: z.string(),
    eventId: z.string(),
    type: z.string(),
    claimId: z.string(),
    status: z.enum(['pending', 'delivered', 'dead']),
    attempts: z.number().int(),
    responseCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    createdAt: dateTime,
    lastAttemptAt: dateTime.nullable(),
    nextAttemptAt: dateTime.nullable(),
    deliveredAt: dateTime.nullable(),
    deadAt: dateTime.nullable(),
  })
  .meta({ id: 'WebhookDelivery' });
const deliveryList = z
  .strictObject({ items: z.array(deliveryView), nextCursor: z.string().nullable() })
  .meta({ id: 'WebhookDeliveryList' });

function presentHook(h: WebhookRow) {
  return {
    id: h.id,
    url: h.url,
    events: h.events,
    /** Null: a reviewers' system, which hears every claim. */
    organizationId: h.organization_id,
    createdAt: h.created_at.toISOString(),
    secretRotatedAt: h.secret_rotated_at?.toISOString() ?? null,
  };
}

function presentDelivery(d: DeliveryRow) {
  return {
    id: d.id,
    eventId: d.event_id,
    type: d.event_type,
    claimId: d.claim_id,
    status: d.status,
    attempts: d.attempts,
    responseCode: d.response_code,
    lastError: d.last_error,
    createdAt: d.created_at.toISOString(),
    lastAttemptAt: d.last_attempt_at?.toISOString() ?? null,
    nextAttemptAt: d.status === 'pending' ? d.next_attempt_at.toISOString() : null,
    deliveredAt: d.delivered_at?.toISOString() ?? null,
    deadAt: d.dead_at?.toISOString() ?? null,
  };
}

export function webhooksRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/webhooks',
      {
        schema: {
          tags,
          operationId: 'createWebhook',
          summary:
            "Save a webhook; the answer holds its secret, shown once (a partner's hears its own claims only)",
          body: createBody,
          response: answers(
            { 201: ok(webhookWithSecret, 'The webhook, with its secret') },
            ...bodyErrors,
            409,
          ),
        },
      },
      async (req, reply) => {
        const actor = req.actor;
        return idempotent(
          deps,
          req,
          reply,
          201,
          async () => {
            const { hook, secret } = await createWebhook(deps, actor, req.body);
            return { ...presentHook(hook), secret };
          },
          async (hookId) => {
            const hook = await ownHook(deps, actor, hookId);
            return { ...presentHook(hook), secret: hook.secret };
          },
        );
      },
    );
    app.get(
      '/webhooks',
      {
        schema: {
          tags,
          operationId: 'listWebhooks',
          summary: "The caller's webhooks (an organization's, or the reviewers' systems')",
          querystring: page,
          response: answers({ 200: ok(webhookList, "The caller's webhooks") }, 422),
        },
      },
      async (req) => {
        const res = await listWebhooks(deps, req.actor, req.query);
        return { items: res.items.map(presentHook), nextCursor: res.nextCursor };
      },
    );
    app.get(
      '/webhooks/:id',
      {
        schema: {
          tags,
          operationId: 'getWebhook',
          summary: 'One webhook (never its secret)',
          params: hookParams,
          response: answers({ 200: ok(webhookView, 'The webhook') }, 404, 422),
        },
      },
      async (req) => presentHook(await ownHook(deps, req.actor, req.params.id)),
    );
    app.delete(
      '/webhooks/:id',
      {
        schema: {
          tags,
          operationId: 'deleteWebhook',
          summary: 'Remove a webhook and its deliveries; nothing more is sent to it',
          params: hookParams,
          response: answers({ 204: noContent('Removed') }, 404, 422),
        },
      },
      async (req, reply) => {
        await removeWebhook(deps, req.actor, req.params.id);
        return reply.status(204).send(null);
      },
    );
    app.post(
      '/webhooks/:id/rotate-secret',
      {
        schema: {
          tags,
          operationId: 'rotateWebhookSecret',
          summary: 'A new secret for the webhook, shown once; deliveries are signed with it from now on',
          params: hookParams,
          response: answers({ 200: ok(webhookWithSecret, 'The webhook, with its new secret') }, 404, 422),
        },
      },
      async (req) => {
        const { hook, secret } = await rotateWebhookSecret(deps, req.actor, req.params.id);
        return { ...presentHook(hook), secret };
      },
    );
    app.get(
      '/webhooks/:id/deliveries',
      {
        schema: {
          tags,
          operationId: 'listWebhookDeliveries',
          summary:
            "The webhook's deliveries, newest first: status, attempts, response code, times, last error",
          params: hookParams,
          querystring: page,
          response: answers({ 200: ok(deliveryList, 'Deliveries, newest first') }, 404, 422),
        },
      },
      async (req) => {
        const res = await listDeliveries(deps, req.actor, req.params.id, req.query);
        return { items: res.items.map(presentDelivery), nextCursor: res.nextCursor };
      },
    );
    app.post(
      '/webhooks/:id/deliveries/:deliveryId/redeliver',
      {
        schema: {
          tags,
          operationId: 'redeliverWebhookDelivery',
          summary: 'Send a delivery again (same Cpor-Delivery id and body), with a new day of retries',
          params: z.strictObject({ id, deliveryId: id }),
          response: answers({ 202: ok(deliveryView, 'Queued again') }, 404, 409, 422),
        },
      },
      async (req, reply) => {
        const d = await redeliver(deps, req.actor, req.params.id, req.params.deliveryId);
        return reply.status(202).send(presentDelivery(d));
      },
    );
  };
}
