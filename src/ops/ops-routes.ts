// Operations (issue 12 point 5), platform admins: what the system gave up sending (mail
// refused after every attempt, webhook deliveries dead), and trying one again.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { answers, noContent, ok, pageQuery } from '../http/contract.js';
import { listFailures, retryFailure } from './failures.js';

const tags = ['operations'];
const kind = z.enum(['mail', 'webhook']);
const failureView = z
  .strictObject({
    kind,
    id: z.string(),
    claimId: z.string().nullable(),
    target: z.string().meta({ description: "The mail's address, or the webhook's URL" }),
    what: z.string().meta({ description: "The mail's template, or the delivery's event type" }),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    failedAt: z.iso.datetime(),
  })
  .meta({ id: 'Failure' });
const failureList = z
  .strictObject({ items: z.array(failureView), nextCursor: z.string().nullable() })
  .meta({ id: 'FailureList' });

export function opsRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/operations/failures',
      {
        schema: {
          tags,
          operationId: 'listFailures',
          summary:
            'Platform admin: mail given up after every attempt (kind=mail), or webhook deliveries dead (kind=webhook), newest first',
          querystring: z.strictObject({
            kind: kind.default('mail'),
            ...pageQuery,
          }),
          response: answers({ 200: ok(failureList, 'What was given up, a page of it') }, 401, 403, 422),
        },
      },
      async (req) => listFailures(deps, req.actor, req.query),
    );
    app.post(
      '/operations/failures/:kind/:id/retry',
      {
        schema: {
          tags,
          operationId: 'retryFailure',
          summary:
            'Platform admin: try a failed mail (every attempt again) or a dead delivery (a new span of retries) again, from now',
          params: z.strictObject({ kind, id: z.string().min(1).max(100) }),
          response: answers({ 204: noContent('Due again') }, 401, 403, 404, 422),
        },
      },
      async (req, reply) => {
        await retryFailure(deps, req.actor, req.params.kind, req.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
